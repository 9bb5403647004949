import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { BucketDocument } from '../../../metadata/metadata.documents.js';
import { MetadataStore } from '../../../metadata/metadata.store.port.js';
import { S3Error } from '../../../errors/s3.error.js';
import { GetBucketQuery } from './get-bucket.query.js';

@QueryHandler(GetBucketQuery)
export class GetBucketHandler implements IQueryHandler<GetBucketQuery> {
  constructor(@Inject(MetadataStore) private readonly metadata: MetadataStore) {}

  async execute({ bucket }: GetBucketQuery): Promise<BucketDocument> {
    const doc = await this.metadata.getBucket(bucket);
    if (!doc) throw new S3Error('NoSuchBucket', { resource: `/${bucket}`, details: { BucketName: bucket } });
    return doc;
  }
}
