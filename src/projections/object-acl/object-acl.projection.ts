import type { ObjectVersionPatch } from '../../metadata/read-model-mutations.js';
import type { ObjectAclPut } from '../../bucket-stream/object.events.js';
import type { LogPosition } from '../../event-log/event-envelope.js';
import { COLLECTIONS } from '../../metadata/metadata.documents.js';

/**
 * The read model's share of ObjectAclPut (bucket-metadata projection): the version's ACL on its
 * `versions` document and, while it is the key's current version, on its `objects` document.
 */
export function projectObjectAcl(event: ObjectAclPut, position: LogPosition): ObjectVersionPatch[] {
  const { bucket, key, objectId, versionId, grants } = event.data;
  const patch = { op: 'patchVersion' as const, bucket, key, objectId, versionId, field: 'acl' as const, value: { grants }, position };
  return [
    { collection: COLLECTIONS.versions, ...patch },
    { collection: COLLECTIONS.objects, ...patch },
  ];
}
