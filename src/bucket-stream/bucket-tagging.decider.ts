import { S3Error } from '../errors/s3.error.js';
import type { BucketStreamState } from './bucket-stream.state.js';
import type { BucketTaggingConfigured } from './bucket.events.js';
import { assertValidBucketTagSet, type ObjectTag } from './object-tags.js';

/** PutBucketTagging (a tag set) or DeleteBucketTagging (null). */
export type ConfigureBucketTagging = {
  type: 'ConfigureBucketTagging';
  data: { bucket: string; tags: ObjectTag[] | null };
  metadata: { now: Date };
};

/**
 * Decides the bucket's tags; pure. An empty tag set is no tag set, as DeleteBucketTagging
 * leaves it; tags already in force, or deleting none, record nothing.
 */
export function decideBucketTagging(command: ConfigureBucketTagging, state: BucketStreamState): BucketTaggingConfigured[] {
  const { bucket } = command.data;
  if (state.bucket === null) {
    throw new S3Error('NoSuchBucket', { resource: `/${bucket}`, details: { BucketName: bucket } });
  }
  const tags = command.data.tags === null || command.data.tags.length === 0 ? null : command.data.tags;
  if (tags !== null) assertValidBucketTagSet(tags);
  if (sameTags(state.bucket.tags ?? null, tags)) return [];
  return [
    {
      type: 'BucketTaggingConfigured',
      data: { bucket, bucketId: state.bucket.bucketId, tags, configuredAt: command.metadata.now.toISOString() },
    },
  ];
}

function sameTags(a: readonly ObjectTag[] | null, b: readonly ObjectTag[] | null): boolean {
  if (a === null || b === null) return a === b;
  return a.length === b.length && a.every((tag, i) => tag.key === b[i]!.key && tag.value === b[i]!.value);
}
