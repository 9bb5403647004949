import type { BucketPatch } from '../../metadata/read-model-mutations.js';
import type { BucketCorsConfigured } from '../../bucket-stream/bucket.events.js';
import type { LogPosition } from '../../event-log/event-envelope.js';
import { COLLECTIONS } from '../../metadata/metadata.documents.js';

/** The read model's share of BucketCorsConfigured (bucket-metadata projection). */
export function projectBucketCors(event: BucketCorsConfigured, position: LogPosition): BucketPatch[] {
  return [{ collection: COLLECTIONS.buckets, op: 'patchBucket', id: event.data.bucket, field: 'cors', value: event.data.configuration, position }];
}
