import type { BucketCorsPatch } from '../../metadata/read-model-mutations.js';
import type { BucketCorsConfigured } from '../../bucket-stream/bucket.events.js';
import type { LogPosition } from '../../event-log/event-envelope.js';
import { COLLECTIONS } from '../../metadata/metadata.documents.js';

/** The read model's share of BucketCorsConfigured (bucket-metadata projection). */
export function projectBucketCors(event: BucketCorsConfigured, position: LogPosition): BucketCorsPatch[] {
  return [{ collection: COLLECTIONS.buckets, op: 'setCors', id: event.data.bucket, cors: event.data.configuration, position }];
}
