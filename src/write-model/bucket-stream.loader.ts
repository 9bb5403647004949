import type { BucketStreamState, CurrentObject, CurrentUpload } from '../buckets/domain/bucket-stream.state.js';
import type { MetadataStore } from '../metadata/metadata.store.port.js';

/**
 * Loads the part of a bucket's state a command needs from the read model. Only valid while the
 * caller holds the bucket's lock and the read model has applied every event of the bucket.
 * `key` names the one object a single-object command needs; `keys` the several a multi-object
 * command (DeleteObjects) needs, fetched in one query. Keys not named read as absent.
 */
export async function loadBucketStream(
  store: MetadataStore,
  bucket: string,
  key: string | undefined,
  needsEmptiness: boolean,
  keys: readonly string[] = [],
  uploadId?: string,
): Promise<BucketStreamState> {
  const [doc, hasObjects, object, objects, uploadDoc] = await Promise.all([
    store.getBucket(bucket),
    needsEmptiness ? store.hasObjects(bucket) : Promise.resolve(undefined),
    key === undefined ? Promise.resolve(null) : store.getObject(bucket, key),
    keys.length === 0 ? Promise.resolve([]) : store.getObjects(bucket, [...new Set(keys)]),
    uploadId === undefined ? Promise.resolve(null) : store.getUpload(uploadId),
  ]);
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
        }
      : undefined;
  const current: CurrentObject | undefined = object ? { objectId: object.objectId, etag: object.etag } : undefined;
  const named = new Map<string, CurrentObject>(objects.map((o) => [o.key, { objectId: o.objectId, etag: o.etag }]));
  return {
    bucket: doc
      ? { name: doc._id, bucketId: doc.bucketId, owner: doc.owner, ...(doc.notification ? { notification: doc.notification } : {}) }
      : null,
    get isEmpty(): boolean {
      if (hasObjects === undefined) throw new Error('emptiness was not loaded for this command');
      return !hasObjects;
    },
    objectAt: (k: string) => (k === key ? current : named.get(k)),
    uploadAt: (id: string) => (id === uploadId ? upload : undefined),
  };
}
