import type { BucketStreamState, CurrentObject, CurrentUpload, ObjectVersion } from '../bucket-stream/bucket-stream.state.js';
import type { CompletedUpload } from '../bucket-stream/completed-upload.js';
import { NULL_VERSION_ID } from '../bucket-stream/object-version.js';
import { contentHeadersOf } from '../bucket-stream/content-headers.js';
import { versionDocumentId, type ObjectDocument, type VersionDocument } from '../metadata/metadata.documents.js';
import type { MetadataStore } from '../metadata/metadata.store.port.js';

/**
 * Loads the part of a bucket's state a command needs from the read model. Only valid while the
 * caller holds the bucket's lock and the read model has applied every event of the bucket.
 * `key` names the one object a single-object command needs; `keys` the several a multi-object
 * command (DeleteObjects) needs, fetched in one query. Keys not named read as absent.
 * `allVersions`: in a bucket with versioning configured, load every version of the named keys
 * (a decision about a version by id needs them); otherwise only what a write needs is read: the
 * current object and, while Suspended, the `null` version, both by _id.
 */
export async function loadBucketStream(
  store: MetadataStore,
  bucket: string,
  key: string | undefined,
  needsEmptiness: boolean,
  keys: readonly string[] = [],
  uploadId?: string,
  allVersions = false,
): Promise<BucketStreamState> {
  const [doc, hasObjects, object, objects, uploadDoc] = await Promise.all([
    store.getBucket(bucket),
    // Empty as DeleteBucket means it: no object, and no noncurrent version or delete marker.
    needsEmptiness ? Promise.all([store.hasObjects(bucket), store.hasVersions(bucket)]).then(([a, b]) => a || b) : Promise.resolve(undefined),
    key === undefined ? Promise.resolve(null) : store.getObject(bucket, key),
    keys.length === 0 ? Promise.resolve([]) : store.getObjects(bucket, [...new Set(keys)]),
    uploadId === undefined ? Promise.resolve(null) : store.getUpload(uploadId),
  ]);
  // Only for an id no upload in progress has: a retried CompleteMultipartUpload (ADR 0020).
  const completedDoc = uploadId !== undefined && uploadDoc === null ? await store.getCompletedUpload(uploadId) : null;
  const completed: CompletedUpload | undefined =
    completedDoc && completedDoc.bucket === bucket
      ? {
          bucketId: completedDoc.bucketId,
          key: completedDoc.key,
          etag: completedDoc.etag,
          partsFingerprint: completedDoc.partsFingerprint,
          ...(completedDoc.versionId !== undefined ? { versionId: completedDoc.versionId } : {}),
          ...(completedDoc.checksum ? { checksum: completedDoc.checksum } : {}),
        }
      : undefined;
  // An upload of another bucket is no upload of this one.
  const upload: CurrentUpload | undefined =
    uploadDoc && uploadDoc.bucket === bucket
      ? {
          key: uploadDoc.key,
          contentType: uploadDoc.contentType,
          userMetadata: uploadDoc.userMetadata,
          owner: uploadDoc.owner,
          ownerDisplayName: uploadDoc.ownerDisplayName,
          parts: uploadDoc.parts.map(({ partNumber, objectId, size, etag, checksum }) => ({
            partNumber,
            objectId,
            size,
            etag,
            ...(checksum ? { checksum } : {}),
          })),
          ...(uploadDoc.checksumAlgorithm ? { checksumAlgorithm: uploadDoc.checksumAlgorithm } : {}),
          ...(uploadDoc.checksumType ? { checksumType: uploadDoc.checksumType } : {}),
          ...(uploadDoc.tags ? { tags: uploadDoc.tags } : {}),
          ...(uploadDoc.retention ? { retention: uploadDoc.retention } : {}),
          ...(uploadDoc.legalHold ? { legalHold: uploadDoc.legalHold } : {}),
          ...(uploadDoc.acl ? { acl: uploadDoc.acl } : {}),
          ...contentHeadersOf(uploadDoc),
        }
      : undefined;
  const current: CurrentObject | undefined = object
    ? { objectId: object.objectId, etag: object.etag, ...(object.tags ? { tags: object.tags } : {}) }
    : undefined;
  const named = new Map<string, CurrentObject>(objects.map((o) => [o.key, { objectId: o.objectId, etag: o.etag }]));
  const objectAt = (k: string) => (k === key ? current : named.get(k));
  // With versioning configured a decision may need more than the current object: a Suspended
  // write replaces the `null` version wherever it is, and a decision about a version by id needs
  // them all (`allVersions`, a query over the key's versions). Without, the current object is
  // the key's only version.
  const versioned = doc?.versioning !== undefined;
  const wanted = [...new Set([...(key === undefined ? [] : [key]), ...keys])];
  const versions = new Map<string, ObjectVersion[]>();
  if (versioned && wanted.length > 0) {
    const docs = allVersions
      ? (await store.getVersionsOf(bucket, wanted)).sort((a, b) => b.seq - a.seq)
      : await currentAndNullVersions(store, bucket, wanted, [object, ...objects], doc.versioning === 'Suspended');
    for (const v of docs) {
      const list = versions.get(v.key) ?? [];
      list.push(
        v.isDeleteMarker
          ? { versionId: v.versionId, isDeleteMarker: true }
          : {
              versionId: v.versionId,
              isDeleteMarker: false,
              objectId: v.objectId,
              etag: v.etag,
              ...(v.tags ? { tags: v.tags } : {}),
              ...(v.retention ? { retention: v.retention } : {}),
              ...(v.legalHold ? { legalHold: v.legalHold } : {}),
            },
      );
      versions.set(v.key, list);
    }
  }
  const versionsOf = (k: string): readonly ObjectVersion[] => {
    if (versioned) return versions.get(k) ?? [];
    const only = objectAt(k);
    return only ? [{ versionId: NULL_VERSION_ID, isDeleteMarker: false, ...only }] : [];
  };
  return {
    bucket: doc
      ? {
          name: doc._id,
          bucketId: doc.bucketId,
          owner: doc.owner,
          ownerDisplayName: doc.ownerDisplayName,
          ...(doc.notification ? { notification: doc.notification } : {}),
          ...(doc.versioning ? { versioning: doc.versioning } : {}),
          ...(doc.cors ? { cors: doc.cors } : {}),
          ...(doc.tags ? { tags: doc.tags } : {}),
          ...(doc.publicAccessBlock ? { publicAccessBlock: doc.publicAccessBlock } : {}),
          ...(doc.objectOwnership ? { objectOwnership: doc.objectOwnership } : {}),
          ...(doc.lifecycle ? { lifecycle: doc.lifecycle } : {}),
          ...(doc.objectLock ? { objectLock: doc.objectLock } : {}),
        }
      : null,
    get isEmpty(): boolean {
      if (hasObjects === undefined) throw new Error('emptiness was not loaded for this command');
      return !hasObjects;
    },
    objectAt,
    versionsOf,
    uploadAt: (id: string) => (id === uploadId ? upload : undefined),
    completedUploadAt: (id: string) => (id === uploadId ? completed : undefined),
  };
}

/**
 * The versions a write decides with, newest first, without searching the key's versions: the
 * current object (its `objects` document), then, while Suspended, the `null` version by _id when
 * it is not the current one.
 */
async function currentAndNullVersions(
  store: MetadataStore,
  bucket: string,
  keys: readonly string[],
  current: ReadonlyArray<ObjectDocument | null>,
  suspended: boolean,
): Promise<VersionDocument[]> {
  const byKey = new Map(current.filter((o): o is ObjectDocument => o !== null).map((o) => [o.key, o]));
  const lists = await Promise.all(
    keys.map(async (k): Promise<VersionDocument[]> => {
      const object = byKey.get(k);
      const currentId = object?.versionId ?? NULL_VERSION_ID;
      const list: VersionDocument[] = object
        ? [{ ...object, _id: versionDocumentId(bucket, k, object.offset), versionId: currentId, seq: object.offset, isDeleteMarker: false }]
        : [];
      if (suspended && !(object && currentId === NULL_VERSION_ID)) {
        const nullVersion = await store.getVersion(bucket, k, NULL_VERSION_ID);
        if (nullVersion) list.push(nullVersion);
      }
      return list;
    }),
  );
  return lists.flat();
}
