import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { ObjectDocument } from '../../../metadata/metadata.documents.js';
import { MetadataStore } from '../../../metadata/metadata.store.port.js';
import { S3Error } from '../../../s3/errors/s3.error.js';
import { listObjectsV2, type ListObjectsV2Page } from './list-objects-v2.paginator.js';
import { ListObjectsV2Query } from './list-objects-v2.query.js';

@QueryHandler(ListObjectsV2Query)
export class ListObjectsV2Handler implements IQueryHandler<ListObjectsV2Query> {
  constructor(@Inject(MetadataStore) private readonly metadata: MetadataStore) {}

  async execute({ bucket, params }: ListObjectsV2Query): Promise<ListObjectsV2Page<ObjectDocument>> {
    if (!(await this.metadata.getBucket(bucket))) {
      throw new S3Error('NoSuchBucket', { resource: `/${bucket}`, details: { BucketName: bucket } });
    }
    return listObjectsV2((q) => this.metadata.listObjects(bucket, q), params);
  }
}
