import { projectObjectAcl } from '../object-acl/object-acl.projection.js';
import type { ReadModelMutation } from '../../metadata/read-model-mutations.js';
import { projectBucketCors } from '../bucket-cors/bucket-cors.projection.js';
import { projectBucketTagging } from '../bucket-tagging/bucket-tagging.projection.js';
import { projectBucketAccessControls } from '../bucket-access-controls/bucket-access-controls.projection.js';
import { projectBucketLifecycle } from '../bucket-lifecycle/bucket-lifecycle.projection.js';
import { projectBucketNotification } from '../bucket-notification/bucket-notification.projection.js';
import { projectObjectTagging } from '../object-tagging/object-tagging.projection.js';
import { projectObjectLock } from '../object-lock/object-lock.projection.js';
import type { LogPosition } from '../../event-log/event-envelope.js';
import type { SedimentEvent } from '../../bucket-stream/sediment-event.js';
import type { MultipartUploadCompleted } from '../../bucket-stream/multipart.events.js';
import { completedUploadOf } from '../../bucket-stream/completed-upload.js';
import { contentHeadersOf } from '../../bucket-stream/content-headers.js';
import { NULL_VERSION_ID } from '../../bucket-stream/object-version.js';
import type { NewestAfterRemoval, ObjectCopied, ObjectStored } from '../../bucket-stream/object.events.js';
import {
  COLLECTIONS,
  objectDocumentId,
  versionDocumentId,
  type VersionDocument,
  type ObjectDocument,
} from '../../metadata/metadata.documents.js';

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
    case 'BucketCorsConfigured':
      return projectBucketCors(event, position);
    case 'BucketTaggingConfigured':
      return projectBucketTagging(event, position);
    case 'BucketPublicAccessBlockConfigured':
    case 'BucketOwnershipControlsConfigured':
      return projectBucketAccessControls(event, position);
    case 'BucketLifecycleConfigured':
      return projectBucketLifecycle(event, position);
    case 'ObjectTaggingPut':
    case 'ObjectTaggingDeleted':
      return projectObjectTagging(event, position);
    case 'BucketObjectLockConfigured':
    case 'ObjectRetentionPut':
    case 'ObjectLegalHoldPut':
      return projectObjectLock(event, position);
    case 'BucketDeleted':
      return [{ collection: COLLECTIONS.buckets, op: 'delete', id: event.data.bucket, position }];
    case 'BucketVersioningConfigured':
      return [{ collection: COLLECTIONS.buckets, op: 'setVersioning', id: event.data.bucket, status: event.data.status, position }];
    case 'ObjectStored': {
      const d = event.data;
      const doc = objectDocument(d, stamp);
      return [
        { collection: COLLECTIONS.objects, op: 'upsert', doc, ...replacesHint(d) },
        ...replacedNullVersion(d, position),
        { collection: COLLECTIONS.versions, op: 'upsert', doc: versionOf(doc, d.versionId) },
        // After the object write, so that when the release is visible the key already points
        // at the new payload (the janitor double-checks exactly that).
        ...(d.replacedObjectId ? [released(d.replacedObjectId, d.bucket, d.key, d.storedAt, position)] : []),
      ];
    }
    case 'ObjectCopied': {
      const d = event.data;
      const doc = { ...objectDocument(d, stamp), ...(d.parts ? { parts: d.parts.map((p) => ({ objectId: p.objectId, size: p.size })) } : {}) };
      return [
        { collection: COLLECTIONS.objects, op: 'upsert', doc, ...replacesHint(d) },
        // The decider leaves replacedObjectId out when the key already held the shared blob (a
        // copy onto itself, or the same copy made twice): the key's `null` version is replaced
        // all the same. Removed by position, so for a new key this is a read that finds nothing.
        ...(d.versionId === undefined || d.versionId === NULL_VERSION_ID ? [deleteVersion(d.bucket, d.key, NULL_VERSION_ID, position)] : []),
        { collection: COLLECTIONS.versions, op: 'upsert', doc: versionOf(doc, d.versionId) },
        // Released only when the key held another blob.
        ...(d.replacedObjectId ? [released(d.replacedObjectId, d.bucket, d.key, d.storedAt, position)] : []),
      ];
    }
    case 'ObjectDeleted': {
      const d = event.data;
      const versionGone = deleteVersion(d.bucket, d.key, d.versionId ?? NULL_VERSION_ID, position);
      return [
        ...(d.versionId === undefined
          ? [versionGone, { collection: COLLECTIONS.objects, op: 'delete', id: objectDocumentId(d.bucket, d.key), position } as const]
          : [versionGone, ...promoted(d, position)]),
        released(d.objectId, d.bucket, d.key, d.deletedAt, position),
      ];
    }
    case 'DeleteMarkerCreated': {
      const d = event.data;
      const marker: VersionDocument = {
        _id: versionDocumentId(d.bucket, d.key, position.offset),
        bucket: d.bucket,
        bucketId: d.bucketId,
        key: d.key,
        versionId: d.versionId,
        seq: position.offset,
        isDeleteMarker: true,
        owner: d.owner,
        ownerDisplayName: d.ownerDisplayName,
        lastModified: new Date(d.createdAt),
        ...stamp,
      };
      return [
        // A marker made while Suspended is the `null` version: it replaces the previous one.
        ...(d.versionId === NULL_VERSION_ID ? [deleteVersion(d.bucket, d.key, NULL_VERSION_ID, position)] : []),
        { collection: COLLECTIONS.versions, op: 'upsert', doc: marker },
        { collection: COLLECTIONS.objects, op: 'delete', id: objectDocumentId(d.bucket, d.key), position },
        ...(d.replacedObjectId ? [released(d.replacedObjectId, d.bucket, d.key, d.createdAt, position)] : []),
      ];
    }
    case 'DeleteMarkerRemoved': {
      const d = event.data;
      return [
        deleteVersion(d.bucket, d.key, d.versionId, position),
        ...promoted(d, position),
      ];
    }
    case 'MultipartUploadInitiated': {
      const d = event.data;
      return [
        {
          collection: COLLECTIONS.uploads,
          op: 'upsert',
          doc: {
            _id: d.uploadId,
            bucket: d.bucket,
            bucketId: d.bucketId,
            key: d.key,
            contentType: d.contentType,
            userMetadata: d.userMetadata,
            owner: d.owner,
            ownerDisplayName: d.ownerDisplayName,
            initiatedAt: new Date(d.initiatedAt),
            parts: [],
            ...(d.tags && d.tags.length > 0 ? { tags: d.tags } : {}),
            ...(d.checksumAlgorithm ? { checksumAlgorithm: d.checksumAlgorithm } : {}),
            ...(d.checksumType ? { checksumType: d.checksumType } : {}),
            ...(d.retention ? { retention: d.retention } : {}),
            ...(d.legalHold ? { legalHold: d.legalHold } : {}),
            ...(d.acl ? { acl: d.acl } : {}),
            ...contentHeadersOf(d),
            ...stamp,
          },
        },
      ];
    }
    case 'MultipartPartUploaded': {
      const d = event.data;
      return [
        {
          collection: COLLECTIONS.uploads,
          op: 'putPart',
          id: d.uploadId,
          part: {
            partNumber: d.partNumber,
            objectId: d.objectId,
            size: d.size,
            etag: d.etag,
            lastModified: new Date(d.uploadedAt),
            ...(d.checksum ? { checksum: d.checksum } : {}),
          },
          position,
        },
        ...(d.replacedObjectId ? [released(d.replacedObjectId, d.bucket, d.key, d.uploadedAt, position)] : []),
      ];
    }
    case 'MultipartUploadCompleted': {
      const d = event.data;
      const completed = { ...objectDocument(d, stamp), parts: d.parts.map((p) => ({ objectId: p.objectId, size: p.size })) };
      return [
        // Before the object: once the object is visible, releasing it also finds its parts.
        {
          collection: COLLECTIONS.manifests,
          op: 'recordManifest',
          doc: { _id: d.objectId, bucket: d.bucket, key: d.key, partObjectIds: d.parts.map((p) => p.objectId), ...stamp },
        },
        { collection: COLLECTIONS.objects, op: 'upsert', doc: completed },
        ...replacedNullVersion(d, position),
        { collection: COLLECTIONS.versions, op: 'upsert', doc: versionOf(completed, d.versionId) },
        // Before the upload goes: a retried Complete finds one or the other (ADR 0020).
        {
          collection: COLLECTIONS.completedUploads,
          op: 'recordCompletion',
          doc: { _id: d.uploadId, bucket: d.bucket, ...completedUploadOf(d), completedAt: new Date(d.storedAt), ...stamp },
        },
        { collection: COLLECTIONS.uploads, op: 'delete', id: d.uploadId, position },
        ...(d.replacedObjectId ? [released(d.replacedObjectId, d.bucket, d.key, d.storedAt, position)] : []),
        ...d.discardedObjectIds.map((id) => released(id, d.bucket, d.key, d.storedAt, position)),
      ];
    }
    case 'MultipartUploadAborted': {
      const d = event.data;
      return [
        { collection: COLLECTIONS.uploads, op: 'delete', id: d.uploadId, position },
        ...d.discardedObjectIds.map((id) => released(id, d.bucket, d.key, d.abortedAt, position)),
      ];
    }
    case 'ObjectAclPut':
      return projectObjectAcl(event, position);
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

/** The object document an ObjectStored, ObjectCopied or MultipartUploadCompleted yields. */
function objectDocument(
  d: ObjectStored['data'] | ObjectCopied['data'] | MultipartUploadCompleted['data'],
  stamp: { partition: number; offset: number },
): ObjectDocument {
  return {
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
    ...(d.versionId !== undefined ? { versionId: d.versionId } : {}),
    ...(d.tags && d.tags.length > 0 ? { tags: d.tags } : {}),
    ...(d.checksum ? { checksum: d.checksum } : {}),
    ...(d.retention ? { retention: d.retention } : {}),
    ...(d.legalHold ? { legalHold: d.legalHold } : {}),
    ...contentHeadersOf(d),
    ...stamp,
  };
}

/** The `versions` document of a stored object; `seq` orders a key's versions (ADR 0010), and is in its id (ADR 0014). */
function versionOf(doc: ObjectDocument, versionId: string | undefined): VersionDocument {
  const { _id: _objectId, versionId: _versionId, ...fields } = doc;
  const id = versionId ?? NULL_VERSION_ID;
  return { ...fields, _id: versionDocumentId(doc.bucket, doc.key, doc.offset), versionId: id, seq: doc.offset, isDeleteMarker: false };
}

function deleteVersion(bucket: string, key: string, versionId: string, position: LogPosition): ReadModelMutation {
  return { collection: COLLECTIONS.versions, op: 'deleteVersion', bucket, key, versionId, position };
}

/**
 * A write of the `null` version replaces the previous `null` version of the key, which has an id
 * of its own (its seq). In a bucket that never had versioning the key had one only if the write
 * replaced an object; while Suspended it may have been a delete marker, so it is always removed.
 */
function replacesHint(d: { replacedObjectId?: string }): { replaces?: true } {
  return d.replacedObjectId ? { replaces: true } : {};
}

function replacedNullVersion(
  d: { bucket: string; key: string; versionId?: string; replacedObjectId?: string },
  position: LogPosition,
): ReadModelMutation[] {
  const replacesNull = d.versionId === undefined ? d.replacedObjectId !== undefined : d.versionId === NULL_VERSION_ID;
  return replacesNull ? [deleteVersion(d.bucket, d.key, NULL_VERSION_ID, position)] : [];
}

/** A removal of the key's newest version makes the next one current; any other leaves `objects` alone. */
function promoted(d: { bucket: string; key: string } & NewestAfterRemoval, position: LogPosition): ReadModelMutation[] {
  if (d.newestVersionId === undefined) return [];
  return [{ collection: COLLECTIONS.objects, op: 'promoteVersion', bucket: d.bucket, key: d.key, versionId: d.newestVersionId, position }];
}
