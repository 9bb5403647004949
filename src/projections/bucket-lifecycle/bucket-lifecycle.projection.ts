import type { BucketPatch } from '../../metadata/read-model-mutations.js';
import type { BucketLifecycleConfigured } from '../../bucket-stream/bucket.events.js';
import type { LogPosition } from '../../event-log/event-envelope.js';
import { COLLECTIONS } from '../../metadata/metadata.documents.js';

/** The read model's share of BucketLifecycleConfigured (bucket-metadata projection). */
export function projectBucketLifecycle(event: BucketLifecycleConfigured, position: LogPosition): BucketPatch[] {
  return [{ collection: COLLECTIONS.buckets, op: 'patchBucket', id: event.data.bucket, field: 'lifecycle', value: event.data.configuration, position }];
}
