import type { ChecksumAlgorithmName } from '../integrity/checksum-algorithm.js';
import type { ObjectTag } from './object-tags.js';
import type { ObjectRetention } from './object-lock.js';
import type { AclGrant } from '../identity-stream/canned-acl.js';
import type { ContentHeaders } from './content-headers.js';

export type { ContentHeaders };

/** Facts about objects. Field names are part of the published event contract (docs/events.md). */
export interface UserMetadataEntry {
  /** Lower-cased name without the x-amz-meta- prefix. */
  name: string;
  value: string;
}

/** Defined with the bytes it names (integrity/), part of this contract. */
export type { ChecksumAlgorithmName };

/** FULL_OBJECT: a checksum of the bytes. COMPOSITE: of the parts' checksums, value suffixed `-<parts>`. */
export type ChecksumType = 'FULL_OBJECT' | 'COMPOSITE';

/** The checksum an object was stored with, as the client sent it and Sediment verified it. */
export interface ObjectChecksum {
  algorithm: ChecksumAlgorithmName;
  /** Base64, as S3 returns it in x-amz-checksum-<algorithm> (COMPOSITE ones end in `-<parts>`). */
  value: string;
  type: ChecksumType;
}

/** The storage class of everything Sediment stores: it has one tier, so there is nothing to choose. */
export const STANDARD_STORAGE_CLASS = 'STANDARD';

/**
 * The Object Lock a version is written with (x-amz-object-lock-* headers, or the bucket's default
 * retention): on the event that creates the version, so no version of a locked bucket ever exists
 * unlocked, not even between two events. Absent fields: no retention, no legal hold.
 */
export interface WrittenLock {
  retention?: ObjectRetention;
  /** Present (true) only when the version is written under a legal hold. */
  legalHold?: true;
}

/**
 * Schema version 4 (current). v3 had no content headers (`cacheControl`, `contentDisposition`,
 * `contentEncoding`, `contentLanguage`, `expires`: none set); v2 had no Object Lock fields
 * (`retention`, `legalHold`); v1 had no `storageClass`; reading a v1 record upcasts it to
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
    /**
     * The version this write created: a fresh id in a bucket with versioning Enabled, `null` in a
     * Suspended one. Absent in a bucket that never had versioning, where the one version is `null`.
     */
    versionId?: string;
    /** The tag set given with the write (`x-amz-tagging`); absent when it had none. */
    tags?: ObjectTag[];
    /** The verified checksum the client sent with the payload; absent when it sent none. */
    checksum?: ObjectChecksum;
  } & WrittenLock &
    ContentHeaders;
};

/**
 * A version removed for good, its payload released. Without `versionId`, the key's only
 * version in a bucket that never had versioning (DeleteObject there); with it, that version
 * (DeleteObject?versionId=), after which the next newer version, if any, is the current one.
 */
export type ObjectDeleted = {
  type: 'ObjectDeleted';
  data: { bucket: string; bucketId: string; key: string; objectId: string; deletedAt: string; versionId?: string } & NewestAfterRemoval;
};

/**
 * Set on a removal by version id when the version removed was the key's newest: the version that
 * is newest now (`null` when none is left), so readers need not search for it. Absent otherwise.
 */
export interface NewestAfterRemoval {
  newestVersionId?: string | null;
}

/**
 * DeleteObject without a version id in a bucket with versioning configured: the key's newest
 * version becomes a delete marker and the key reads as absent; older versions stay. In a
 * Suspended bucket the marker is the `null` version and replaces the previous `null` version,
 * whose payload (`replacedObjectId`) is released.
 */
export type DeleteMarkerCreated = {
  type: 'DeleteMarkerCreated';
  data: {
    bucket: string;
    bucketId: string;
    key: string;
    versionId: string;
    owner: string;
    ownerDisplayName: string;
    createdAt: string;
    replacedObjectId?: string;
  };
};

/** DeleteObject?versionId= naming a delete marker: the marker is gone, so the key may read again. */
export type DeleteMarkerRemoved = {
  type: 'DeleteMarkerRemoved';
  data: { bucket: string; bucketId: string; key: string; versionId: string; removedAt: string } & NewestAfterRemoval;
};

/**
 * PutObjectTagging: the tag set of the object `objectId` (the key's current object when it was
 * put) from here on, replacing the previous one. An empty set removes the tags.
 */
export type ObjectTaggingPut = {
  type: 'ObjectTaggingPut';
  /** `versionId`: the version tagged, when the request named one (else the key's current version). */
  data: { bucket: string; bucketId: string; key: string; objectId: string; tags: ObjectTag[]; taggedAt: string; versionId?: string };
};

/** DeleteObjectTagging: the object `objectId` has no tags from here on. */
export type ObjectTaggingDeleted = {
  type: 'ObjectTaggingDeleted';
  data: { bucket: string; bucketId: string; key: string; objectId: string; deletedAt: string; versionId?: string };
};

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
    /** The version of the source copied, when the source bucket has versioning configured. */
    sourceVersionId?: string;
  };
};

/**
 * PutObjectRetention: the retention of one version from here on (null: removed, which only a
 * GOVERNANCE retention can be, bypassed). `bypassedGovernance`: the request shortened, removed or
 * changed the mode of a GOVERNANCE retention in force, with the bypass header and permission.
 */
export type ObjectRetentionPut = {
  type: 'ObjectRetentionPut';
  data: {
    bucket: string;
    bucketId: string;
    key: string;
    objectId: string;
    versionId: string;
    retention: ObjectRetention | null;
    bypassedGovernance?: true;
    putAt: string;
  };
};

/** PutObjectLegalHold: whether one version is under a legal hold from here on. */
export type ObjectLegalHoldPut = {
  type: 'ObjectLegalHoldPut';
  data: { bucket: string; bucketId: string; key: string; objectId: string; versionId: string; legalHold: boolean; putAt: string };
};

/**
 * The ACL of one version from here on (PutObjectAcl, or a write that named an ACL other than
 * `private`, recorded right after the event that created the version): its grants, the owner's
 * included. A version without this fact is `private`.
 */
export type ObjectAclPut = {
  type: 'ObjectAclPut';
  data: { bucket: string; bucketId: string; key: string; objectId: string; versionId: string; grants: AclGrant[]; putAt: string };
};

export type ObjectEvent =
  | ObjectStored
  | ObjectCopied
  | ObjectDeleted
  | DeleteMarkerCreated
  | DeleteMarkerRemoved
  | ObjectTaggingPut
  | ObjectTaggingDeleted
  | ObjectRetentionPut
  | ObjectLegalHoldPut
  | ObjectAclPut;
