/** Facts about objects. Field names are part of the published event contract (docs/events.md). */
export interface UserMetadataEntry {
  /** Lower-cased name without the x-amz-meta- prefix. */
  name: string;
  value: string;
}

/** The storage class of everything Sediment stores: it has one tier, so there is nothing to choose. */
export const STANDARD_STORAGE_CLASS = 'STANDARD';

/**
 * Schema version 2 (current). v1 had no `storageClass`; reading a v1 record upcasts it to
 * `STANDARD` (src/event-log/upcasters.ts), which is what every v1 object was stored as.
 */
export type ObjectStored = {
  type: 'ObjectStored';
  data: {
    bucket: string;
    bucketId: string;
    key: string;
    /** The blob store's UUID for the payload. */
    objectId: string;
    size: number;
    /** Quoted hex MD5, exactly as S3 returns it in the ETag header. */
    etag: string;
    contentType: string;
    userMetadata: UserMetadataEntry[];
    owner: string;
    ownerDisplayName: string;
    storedAt: string;
    /** S3's storage class; `STANDARD` for every object Sediment writes today. */
    storageClass: string;
    /** Set when this write replaced an object; its blob is no longer referenced by the key. */
    replacedObjectId?: string;
  };
};

export type ObjectDeleted = {
  type: 'ObjectDeleted';
  data: { bucket: string; bucketId: string; key: string; objectId: string; deletedAt: string };
};

/** One tag of an object (S3 object tagging); carried by a copy, never interpreted here. */
export interface ObjectTag {
  key: string;
  value: string;
}

/**
 * CopyObject: a new object under `key` whose bytes are the source's, shared, never duplicated
 * (objects are immutable). `objectId` and `parts` are the source's, so the blob (or, for a
 * multipart source, its manifest and part blobs) is now referenced by both keys; the blob
 * janitor deletes it only once no object references it. A type of its own rather than an
 * ObjectStored with a flag: a consumer that counts stored bytes or mirrors payloads must not
 * mistake a copy for new data, and notifications name it s3:ObjectCreated:Copy.
 */
export type ObjectCopied = {
  type: 'ObjectCopied';
  /** ObjectStored's fields (`objectId` the source's: shared, not a new blob), and where from. */
  data: ObjectStored['data'] & {
    /** Where the bytes were copied from, as the source was when the copy was decided. */
    sourceBucket: string;
    sourceKey: string;
    /** Set when the source is a multipart object: its part blobs, in order (shared too). */
    parts?: { objectId: string; size: number }[];
    /** The tags of the copy (the source's, or x-amz-tagging with the REPLACE directive). */
    tags?: ObjectTag[];
  };
};

export type ObjectEvent = ObjectStored | ObjectDeleted | ObjectCopied;
