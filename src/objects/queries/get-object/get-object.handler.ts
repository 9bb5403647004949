import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { ObjectDocument } from '../../../metadata/metadata.documents.js';
import { MetadataStore } from '../../../metadata/metadata.store.port.js';
import { S3Error } from '../../../s3/errors/s3.error.js';
import { GetObjectQuery } from './get-object.query.js';

@QueryHandler(GetObjectQuery)
export class GetObjectHandler implements IQueryHandler<GetObjectQuery> {
  constructor(@Inject(MetadataStore) private readonly metadata: MetadataStore) {}

  async execute({ bucket, key }: GetObjectQuery): Promise<ObjectDocument> {
    const object = await this.metadata.getObject(bucket, key);
    if (object) return object;
    if (!(await this.metadata.getBucket(bucket))) {
      throw new S3Error('NoSuchBucket', { resource: `/${bucket}`, details: { BucketName: bucket } });
    }
    throw new S3Error('NoSuchKey', { resource: `/${bucket}/${key}`, details: { Key: key } });
  }
}
