import { projectBucketNotification, type BucketNotificationPatch } from '../bucket-notification/bucket-notification.projection.js';
import type { LogPosition } from '../../event-log/event-envelope.js';
import type { SedimentEvent } from '../../event-log/sediment-event.js';
import {
  COLLECTIONS,
  objectDocumentId,
  type BucketDocument,
  type ObjectDocument,
  type ReleasedBlobDocument,
} from '../../metadata/metadata.documents.js';

export type ReadModelMutation =
  | { collection: typeof COLLECTIONS.buckets; op: 'upsert'; doc: BucketDocument }
  | { collection: typeof COLLECTIONS.objects; op: 'upsert'; doc: ObjectDocument }
  | { collection: typeof COLLECTIONS.buckets | typeof COLLECTIONS.objects; op: 'delete'; id: string; position: LogPosition }
  /** Insert-if-absent: an objectId is released once in the log, so a redelivery finds it there. */
  | { collection: typeof COLLECTIONS.releasedBlobs; op: 'release'; doc: ReleasedBlobDocument }
  | BucketNotificationPatch;

export const BUCKET_METADATA_PROJECTION = 'bucket-metadata';

/**
 * The metadata read model as a pure function of one event and its log position. Every event
 * fully determines the document it touches, so the applier never needs to read before writing.
 */
export function projectBucketMetadata(event: SedimentEvent, position: LogPosition): ReadModelMutation[] {
  const stamp = { partition: position.partition, offset: position.offset };
  switch (event.type) {
    case 'BucketCreated': {
      const d = event.data;
      return [
        {
          collection: COLLECTIONS.buckets,
          op: 'upsert',
          doc: {
            _id: d.bucket,
            bucketId: d.bucketId,
            owner: d.owner,
            ownerDisplayName: d.ownerDisplayName,
            region: d.region,
            createdAt: new Date(d.createdAt),
            ...stamp,
          },
        },
      ];
    }
    case 'BucketNotificationConfigured':
      return projectBucketNotification(event, position);
    case 'BucketDeleted':
      return [{ collection: COLLECTIONS.buckets, op: 'delete', id: event.data.bucket, position }];
    case 'ObjectStored': {
      const d = event.data;
      return [
        {
          collection: COLLECTIONS.objects,
          op: 'upsert',
          doc: {
            _id: objectDocumentId(d.bucket, d.key),
            bucket: d.bucket,
            bucketId: d.bucketId,
            key: d.key,
            objectId: d.objectId,
            size: d.size,
            etag: d.etag,
            contentType: d.contentType,
            userMetadata: d.userMetadata,
            owner: d.owner,
            ownerDisplayName: d.ownerDisplayName,
            lastModified: new Date(d.storedAt),
            storageClass: d.storageClass,
            ...stamp,
          },
        },
        // After the object write, so that when the release is visible the key already points
        // at the new payload (the janitor double-checks exactly that).
        ...(d.replacedObjectId ? [released(d.replacedObjectId, d.bucket, d.key, d.storedAt, position)] : []),
      ];
    }
    case 'ObjectDeleted': {
      const d = event.data;
      return [
        { collection: COLLECTIONS.objects, op: 'delete', id: objectDocumentId(d.bucket, d.key), position },
        released(d.objectId, d.bucket, d.key, d.deletedAt, position),
      ];
    }
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}

/** A payload the event stopped referencing; the blob janitor deletes it after the grace period. */
function released(objectId: string, bucket: string, key: string, at: string, position: LogPosition): ReadModelMutation {
  return {
    collection: COLLECTIONS.releasedBlobs,
    op: 'release',
    doc: { _id: objectId, bucket, key, releasedAt: new Date(at), partition: position.partition, offset: position.offset },
  };
}
