import type { BucketPatch } from '../../metadata/read-model-mutations.js';
import type { BucketTaggingConfigured } from '../../bucket-stream/bucket.events.js';
import type { LogPosition } from '../../event-log/event-envelope.js';
import { COLLECTIONS } from '../../metadata/metadata.documents.js';

/** The read model's share of BucketTaggingConfigured (bucket-metadata projection). */
export function projectBucketTagging(event: BucketTaggingConfigured, position: LogPosition): BucketPatch[] {
  return [{ collection: COLLECTIONS.buckets, op: 'patchBucket', id: event.data.bucket, field: 'tags', value: event.data.tags, position }];
}
