import type { LogPosition } from '../../event-log/event-envelope.js';
import type { SedimentEvent } from '../../event-log/sediment-event.js';
import {
  COLLECTIONS,
  objectDocumentId,
  type BucketDocument,
  type ObjectDocument,
} from '../../metadata/metadata.documents.js';

export type ReadModelMutation =
  | { collection: typeof COLLECTIONS.buckets; op: 'upsert'; doc: BucketDocument }
  | { collection: typeof COLLECTIONS.objects; op: 'upsert'; doc: ObjectDocument }
  | { collection: typeof COLLECTIONS.buckets | typeof COLLECTIONS.objects; op: 'delete'; id: string; position: LogPosition };

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
            ...stamp,
          },
        },
      ];
    }
    case 'ObjectDeleted':
      return [
        { collection: COLLECTIONS.objects, op: 'delete', id: objectDocumentId(event.data.bucket, event.data.key), position },
      ];
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}
