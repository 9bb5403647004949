import type { LogPosition } from '../../event-log/event-envelope.js';
import { COLLECTIONS } from '../../metadata/metadata.documents.js';
import { NULL_VERSION_ID } from '../../objects/domain/object-version.js';
import type { ObjectTag } from '../../objects/domain/object-tags.js';
import type { ObjectTaggingDeleted, ObjectTaggingPut } from '../../objects/domain/object.events.js';

/**
 * Sets (or, with null, removes) the `tags` of an object document. Like the notification patch it
 * carries only what the event knows, applies only over an earlier position and never creates a
 * document; and only while the document still holds the object the tags were put on
 * (`objectId`), so a tagging fact never lands on a newer object stored under the key.
 */
export interface ObjectTagsPatch {
  /** The version's document, and the key's current document while it is that version. */
  collection: typeof COLLECTIONS.objects | typeof COLLECTIONS.versions;
  op: 'setTags';
  bucket: string;
  key: string;
  objectId: string;
  /** The version tagged: the `objects` document is patched only while it is this version. */
  versionId: string;
  tags: ObjectTag[] | null;
  position: LogPosition;
}

/** The read model's share of ObjectTaggingPut / ObjectTaggingDeleted (bucket-metadata projection). */
export function projectObjectTagging(event: ObjectTaggingPut | ObjectTaggingDeleted, position: LogPosition): ObjectTagsPatch[] {
  const { bucket, key, objectId, versionId = NULL_VERSION_ID } = event.data;
  const tags = event.type === 'ObjectTaggingPut' && event.data.tags.length > 0 ? event.data.tags : null;
  return [
    { collection: COLLECTIONS.versions, op: 'setTags', bucket, key, objectId, versionId, tags, position },
    { collection: COLLECTIONS.objects, op: 'setTags', bucket, key, objectId, versionId, tags, position },
  ];
}
