import { Query } from '@nestjs/cqrs';
import type { BucketDocument } from '../../../metadata/metadata.documents.js';

/** A page of ListBuckets: `continuationToken` is set when more buckets follow. */
export interface ListBucketsPage {
  buckets: BucketDocument[];
  continuationToken?: string;
}

/** What ListBuckets may narrow and page by (max-buckets, continuation-token, prefix, bucket-region). */
export interface ListBucketsOptions {
  prefix?: string;
  /** The name the previous page ended on, decoded from its continuation token. */
  after?: string;
  maxBuckets?: number;
  region?: string;
}

export class ListBucketsQuery extends Query<ListBucketsPage> {
  constructor(
    readonly owner: string,
    readonly options: ListBucketsOptions = {},
  ) {
    super();
  }
}
