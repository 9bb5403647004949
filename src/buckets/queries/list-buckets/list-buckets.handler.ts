import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { BucketDocument } from '../../../metadata/metadata.documents.js';
import { MetadataStore } from '../../../metadata/metadata.store.port.js';
import { ListBucketsQuery } from './list-buckets.query.js';

@QueryHandler(ListBucketsQuery)
export class ListBucketsHandler implements IQueryHandler<ListBucketsQuery> {
  constructor(@Inject(MetadataStore) private readonly metadata: MetadataStore) {}

  execute({ owner }: ListBucketsQuery): Promise<BucketDocument[]> {
    return this.metadata.listBuckets(owner);
  }
}
