import type { ObjectVersionPatch } from '../../metadata/read-model-mutations.js';
import type { LogPosition } from '../../event-log/event-envelope.js';
import { COLLECTIONS } from '../../metadata/metadata.documents.js';
import { NULL_VERSION_ID } from '../../bucket-stream/object-version.js';
import type { ObjectTaggingDeleted, ObjectTaggingPut } from '../../bucket-stream/object.events.js';

/** The read model's share of ObjectTaggingPut / ObjectTaggingDeleted (bucket-metadata projection). */
export function projectObjectTagging(event: ObjectTaggingPut | ObjectTaggingDeleted, position: LogPosition): ObjectVersionPatch[] {
  const { bucket, key, objectId, versionId = NULL_VERSION_ID } = event.data;
  const tags = event.type === 'ObjectTaggingPut' && event.data.tags.length > 0 ? event.data.tags : null;
  return [
    { collection: COLLECTIONS.versions, op: 'patchVersion', bucket, key, objectId, versionId, field: 'tags', value: tags, position },
    { collection: COLLECTIONS.objects, op: 'patchVersion', bucket, key, objectId, versionId, field: 'tags', value: tags, position },
  ];
}
