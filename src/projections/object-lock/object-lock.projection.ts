import type { BucketPatch, ObjectVersionPatch } from '../../metadata/read-model-mutations.js';
import type { BucketObjectLockConfigured } from '../../bucket-stream/bucket.events.js';
import type { ObjectLegalHoldPut, ObjectRetentionPut } from '../../bucket-stream/object.events.js';
import type { LogPosition } from '../../event-log/event-envelope.js';
import { COLLECTIONS } from '../../metadata/metadata.documents.js';

/**
 * The read model's share of the Object Lock facts (bucket-metadata projection): the bucket's
 * configuration, and a version's retention or legal hold on its `versions` document and, while it
 * is the key's current version, on its `objects` document.
 */
export function projectObjectLock(
  event: BucketObjectLockConfigured | ObjectRetentionPut | ObjectLegalHoldPut,
  position: LogPosition,
): (BucketPatch | ObjectVersionPatch)[] {
  if (event.type === 'BucketObjectLockConfigured') {
    const value = { defaultRetention: event.data.defaultRetention };
    return [{ collection: COLLECTIONS.buckets, op: 'patchBucket', id: event.data.bucket, field: 'objectLock', value, position }];
  }
  const { bucket, key, objectId, versionId } = event.data;
  const target = { op: 'patchVersion' as const, bucket, key, objectId, versionId, position };
  const patch: Pick<ObjectVersionPatch, 'field' | 'value'> =
    event.type === 'ObjectRetentionPut' ? { field: 'retention', value: event.data.retention } : { field: 'legalHold', value: event.data.legalHold };
  return [
    { collection: COLLECTIONS.versions, ...target, ...patch } as ObjectVersionPatch,
    { collection: COLLECTIONS.objects, ...target, ...patch } as ObjectVersionPatch,
  ];
}
