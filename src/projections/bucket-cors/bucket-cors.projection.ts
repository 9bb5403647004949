import type { BucketCorsConfigured } from '../../buckets/domain/bucket.events.js';
import type { BucketCorsConfiguration } from '../../buckets/domain/cors-configuration.js';
import type { LogPosition } from '../../event-log/event-envelope.js';
import { COLLECTIONS } from '../../metadata/metadata.documents.js';

/**
 * Sets (or, with null, removes) the `cors` field of a bucket document: the same guarded partial
 * change as the notification patch, never creating a document.
 */
export interface BucketCorsPatch {
  collection: typeof COLLECTIONS.buckets;
  op: 'setCors';
  id: string;
  cors: BucketCorsConfiguration | null;
  position: LogPosition;
}

/** The read model's share of BucketCorsConfigured (bucket-metadata projection). */
export function projectBucketCors(event: BucketCorsConfigured, position: LogPosition): BucketCorsPatch[] {
  return [{ collection: COLLECTIONS.buckets, op: 'setCors', id: event.data.bucket, cors: event.data.configuration, position }];
}
