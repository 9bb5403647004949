import type { BucketPatch } from '../../metadata/read-model-mutations.js';
import type { BucketOwnershipControlsConfigured, BucketPublicAccessBlockConfigured } from '../../bucket-stream/bucket.events.js';
import type { LogPosition } from '../../event-log/event-envelope.js';
import { COLLECTIONS } from '../../metadata/metadata.documents.js';

/** The read model's share of BucketPublicAccessBlockConfigured and BucketOwnershipControlsConfigured. */
export function projectBucketAccessControls(
  event: BucketPublicAccessBlockConfigured | BucketOwnershipControlsConfigured,
  position: LogPosition,
): BucketPatch[] {
  const id = event.data.bucket;
  if (event.type === 'BucketPublicAccessBlockConfigured') {
    return [{ collection: COLLECTIONS.buckets, op: 'patchBucket', id, field: 'publicAccessBlock', value: event.data.publicAccessBlock, position }];
  }
  return [{ collection: COLLECTIONS.buckets, op: 'patchBucket', id, field: 'objectOwnership', value: event.data.objectOwnership, position }];
}
