import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { BucketDocument } from '../../../metadata/metadata.documents.js';
import { MetadataStore } from '../../../metadata/metadata.store.port.js';
import { ListBucketsQuery, type ListBucketsOptions, type ListBucketsPage } from './list-buckets.query.js';

@QueryHandler(ListBucketsQuery)
export class ListBucketsHandler implements IQueryHandler<ListBucketsQuery> {
  constructor(@Inject(MetadataStore) private readonly metadata: MetadataStore) {}

  async execute({ owner, options }: ListBucketsQuery): Promise<ListBucketsPage> {
    return pageOfBuckets(await this.metadata.listBuckets(owner), options);
  }
}

/**
 * The page of an owner's buckets (in name order) that the options select: those named with
 * `prefix`, in `region`, after the name `after`, at most `maxBuckets` of them, and a token to go on
 * with when some are left.
 */
export function pageOfBuckets(owned: readonly BucketDocument[], { prefix, after, maxBuckets, region }: ListBucketsOptions): ListBucketsPage {
  const selected = owned.filter(
    (bucket) =>
      (prefix === undefined || bucket._id.startsWith(prefix)) &&
      (region === undefined || bucket.region === region) &&
      // Bucket names are ASCII: string order is S3's byte order.
      (after === undefined || bucket._id > after),
  );
  if (maxBuckets === undefined || selected.length <= maxBuckets) return { buckets: selected };
  const buckets = selected.slice(0, maxBuckets);
  return { buckets, continuationToken: encodeBucketToken(buckets[buckets.length - 1]!._id) };
}

/** The continuation token after a bucket: its name, base64url, so it reads as opaque. */
export function encodeBucketToken(name: string): string {
  return Buffer.from(name, 'utf8').toString('base64url');
}

/** The bucket name a token names, or undefined for a token this service did not issue. */
export function decodeBucketToken(token: string): string | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  const name = Buffer.from(token, 'base64url').toString('utf8');
  return encodeBucketToken(name) === token && /^[A-Za-z0-9._-]{1,255}$/.test(name) ? name : undefined;
}
