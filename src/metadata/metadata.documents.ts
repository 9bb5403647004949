import type { ObjectAcl, RequestedObjectAcl } from '../bucket-stream/object-acl.js';
import type { SavedLedger } from './digest-ledger.js';
import type { BucketCorsConfiguration } from '../bucket-stream/cors-configuration.js';
import type { BucketLifecycleConfiguration } from '../bucket-stream/lifecycle-configuration.js';
import type { BucketNotificationConfiguration } from '../bucket-stream/notification-configuration.js';
import type { VersioningStatus } from '../bucket-stream/bucket.events.js';
import type { ObjectTag } from '../bucket-stream/object-tags.js';
import type { ObjectOwnership, PublicAccessBlock } from '../bucket-stream/bucket-access-controls.js';
import type { BucketObjectLock, ObjectRetention } from '../bucket-stream/object-lock.js';
import type { PartChecksum } from '../bucket-stream/multipart.events.js';
import type { CompletedUpload } from '../bucket-stream/completed-upload.js';
import type { ChecksumAlgorithmName, ChecksumType, ContentHeaders, ObjectChecksum, UserMetadataEntry } from '../bucket-stream/object.events.js';

/**
 * Documents of the metadata read model. Each carries the log position of the last event applied
 * to it (`partition`, `offset`): an event at or below it is a no-op, which makes redelivery safe.
 */
export interface PositionStamp {
  partition: number;
  offset: number;
}

/** `buckets` collection; _id is the bucket name (globally unique). */
export interface BucketDocument extends PositionStamp {
  _id: string;
  bucketId: string;
  owner: string;
  ownerDisplayName: string;
  region: string;
  createdAt: Date;
  /** Set by BucketNotificationConfigured; absent when the bucket has no configuration. */
  notification?: BucketNotificationConfiguration;
  /** Set by BucketVersioningConfigured; absent while the bucket never had versioning. */
  versioning?: VersioningStatus;
  /** Set by BucketCorsConfigured; absent when the bucket has no CORS configuration. */
  cors?: BucketCorsConfiguration;
  /** Set by BucketTaggingConfigured; absent when the bucket has no tags. */
  tags?: ObjectTag[];
  /** Set by BucketPublicAccessBlockConfigured; absent when the bucket has no public access block. */
  publicAccessBlock?: PublicAccessBlock;
  /** Set by BucketOwnershipControlsConfigured; absent when the bucket has no ownership controls. */
  objectOwnership?: ObjectOwnership;
  /** Set by BucketLifecycleConfigured; absent when the bucket has no lifecycle configuration. */
  lifecycle?: BucketLifecycleConfiguration;
  /** Set by BucketObjectLockConfigured, for good; absent while the bucket has no Object Lock. */
  objectLock?: BucketObjectLock;
}

/**
 * `objects` collection; _id is `<bucket>/<key>` (bucket names hold no '/'). Its content headers
 * (Cache-Control, Expires, …; ObjectStored v4) are absent when the write set none.
 */
export interface ObjectDocument extends PositionStamp, ContentHeaders {
  _id: string;
  bucket: string;
  bucketId: string;
  key: string;
  objectId: string;
  size: number;
  etag: string;
  contentType: string;
  /** An array, not an object: header names may hold '.' or '$', which field names may not. */
  userMetadata: UserMetadataEntry[];
  owner: string;
  ownerDisplayName: string;
  lastModified: Date;
  /**
   * From ObjectStored v2. Absent on documents a Sediment before v2 projected (a rebuild fills
   * it in); absent reads as STANDARD, which is what those objects were stored as.
   */
  storageClass?: string;
  /**
   * Set on an object completed by a multipart upload: its bytes are these blobs, in order
   * (`objectId` then names the manifest, which has no blob of its own).
   */
  parts?: ObjectPart[];
  /** The version this document is; absent in a bucket that never had versioning (the `null` version). */
  versionId?: string;
  /** The object's tag set (x-amz-tagging, PutObjectTagging); absent when it has none. */
  tags?: ObjectTag[];
  /** The checksum the object was stored with (ObjectStored / MultipartUploadCompleted), if any. */
  checksum?: ObjectChecksum;
  /** Its Object Lock retention (from its write or PutObjectRetention), expired or not; absent when none. */
  retention?: ObjectRetention;
  /** Its legal hold: ON (true) or OFF (false); absent when none was ever put. */
  legalHold?: boolean;
  /** Its ACL (PutObjectAcl, or the ACL its write named); absent: `private`, its owner's FULL_CONTROL alone. */
  acl?: ObjectAcl;
}

/**
 * `versions`: every version of every key, delete markers included, in every bucket (in one that
 * never had versioning, each key's one `null` version). _id is `<bucket>/<versionId>/<key>`.
 * `seq` is the log offset of the event that wrote the version: all of a bucket's events share
 * one partition, so a higher seq is a newer version. `objects` holds the current version of
 * each key (when it is not a delete marker) for reads and listings.
 */
export type VersionDocument = ObjectVersionDocument | DeleteMarkerDocument;

export interface ObjectVersionDocument extends Omit<ObjectDocument, 'versionId'> {
  versionId: string;
  seq: number;
  isDeleteMarker: false;
}

export interface DeleteMarkerDocument extends PositionStamp {
  _id: string;
  bucket: string;
  bucketId: string;
  key: string;
  versionId: string;
  seq: number;
  isDeleteMarker: true;
  owner: string;
  ownerDisplayName: string;
  lastModified: Date;
}

/*
 * Document ids are shaped so that every hot query is an `_id` point or an `_id` range, the only
 * queries FerretDB serves from an index (ADR 0012), and the cheapest ones on MongoDB (ADR 0014).
 * Strings compare by UTF-8 bytes there (C collation / BSON), which is S3's listing order.
 */

/** Ends a key inside a composite id: sorts below every character a stored key can hold (no U+0000). */
const KEY_END = '\u0001\u0001';
/** U+0001 inside a key, escaped so that KEY_END stays below it: order-preserving. */
const ESCAPED_U0001 = '\u0001\u0002';
/** Sorts above KEY_END and below any escaped continuation of the key: ends a key's range. */
const AFTER_KEY_END = '\u0001\u0002';

/** A key, escaped so that an id built from it sorts exactly as the key does (see KEY_END). */
export const escapeKey = (key: string): string => key.replaceAll('\u0001', ESCAPED_U0001);

/** Fifteen digits hold any Kafka offset this side of 2^53; inverted, so newer sorts first. */
const SEQ_DIGITS = 15;
const SEQ_CEILING = 10 ** SEQ_DIGITS - 1;
const invertedSeq = (seq: number): string => String(SEQ_CEILING - seq).padStart(SEQ_DIGITS, '0');

/**
 * `versions` ids: `<bucket>/<escaped key>\1\1<inverted seq>`. A key's versions are one `_id`
 * range, newest first; a bucket's, keys ascending in S3's order, each key's newest first: a
 * version listing is an `_id` range scan. A version named by its id is found in its key's range.
 */
export const versionDocumentId = (bucket: string, key: string, seq: number): string =>
  `${bucket}/${escapeKey(key)}${KEY_END}${invertedSeq(seq)}`;

/** Every version of one key: `_id` ≥ `from` and < `to`. */
export function versionsOfKey(bucket: string, key: string): { from: string; to: string } {
  const stem = `${bucket}/${escapeKey(key)}`;
  return { from: stem + KEY_END, to: stem + AFTER_KEY_END };
}

/** The first `versions` id after every version of `key` (resuming a listing past the key). */
export const afterVersionsOf = (bucket: string, key: string): string => versionsOfKey(bucket, key).to;

/** Where a version listing under `prefix` starts in `versions` ids (inclusive). */
export const versionsPrefixStart = (bucket: string, prefix: string): string => `${bucket}/${escapeKey(prefix)}`;

/** The `objects` document a version makes when it becomes the key's current one. */
export function currentDocumentOf(version: ObjectVersionDocument, position: PositionStamp): Omit<ObjectDocument, '_id'> {
  const { _id: _versionDocId, seq: _seq, isDeleteMarker: _marker, ...fields } = version;
  return { ...fields, partition: position.partition, offset: position.offset };
}

export interface ObjectPart {
  objectId: string;
  size: number;
}

/**
 * `uploads`: a multipart upload in progress; _id is the uploadId. Removed on complete/abort. Its
 * content headers are the completed object's (MultipartUploadInitiated v4).
 */
export interface UploadDocument extends PositionStamp, ContentHeaders {
  _id: string;
  bucket: string;
  bucketId: string;
  key: string;
  contentType: string;
  userMetadata: UserMetadataEntry[];
  owner: string;
  ownerDisplayName: string;
  initiatedAt: Date;
  /** Ascending by part number, the latest upload of each. */
  parts: UploadPartDocument[];
  /** The tag set the completed object gets; absent when none was given. */
  tags?: ObjectTag[];
  /** From CreateMultipartUpload's x-amz-checksum-algorithm / -type, when it named one. */
  checksumAlgorithm?: ChecksumAlgorithmName;
  checksumType?: ChecksumType;
  /** From CreateMultipartUpload's x-amz-object-lock-* headers: the completed version's lock. */
  retention?: ObjectRetention;
  legalHold?: true;
  /** From CreateMultipartUpload's x-amz-acl / x-amz-grant-*: the ACL the completion records. */
  acl?: RequestedObjectAcl;
}

export interface UploadPartDocument {
  partNumber: number;
  objectId: string;
  size: number;
  etag: string;
  lastModified: Date;
  checksum?: PartChecksum;
}

/**
 * `completed_uploads`: what each CompleteMultipartUpload answered, by uploadId, so that the same
 * request sent again gets the same answer (ADR 0020). Written once per completion, from
 * MultipartUploadCompleted alone; outlives the object, which may since be overwritten or deleted.
 */
export interface CompletedUploadDocument extends PositionStamp, CompletedUpload {
  _id: string;
  bucket: string;
  completedAt: Date;
}

/**
 * `manifests`: the part blobs of each object a multipart upload completed, by the object's
 * (manifest) objectId. When that objectId is released, the blob janitor deletes these blobs
 * with it, since no blob carries the manifest id itself. Written once per completion.
 */
export interface ManifestDocument extends PositionStamp {
  _id: string;
  bucket: string;
  key: string;
  partObjectIds: string[];
}

/**
 * `released_blobs`: a payload no key references any more (overwritten or deleted), kept on disk
 * for the retention grace period so a point-in-time recovery can still point at it; the blob
 * janitor deletes the blob once the period has passed, then this document. _id is the objectId.
 */
export interface ReleasedBlobDocument extends PositionStamp {
  _id: string;
  /** Where the payload was last visible, to check it is no longer referenced before deleting. */
  bucket: string;
  key: string;
  /** The time of the event that released it (the overwrite or the delete). */
  releasedAt: Date;
}

/** `projection_checkpoints`: the last offset a projection applied, per topic partition. */
export interface CheckpointDocument {
  _id: string;
  projection: string;
  topic: string;
  partition: number;
  offset: number;
  /** The bucket-metadata projection's digest of this partition at `offset` (ADR 0014). */
  ledger?: SavedLedger;
}

export const objectDocumentId = (bucket: string, key: string): string => `${bucket}/${key}`;

export const COLLECTIONS = {
  buckets: 'buckets',
  objects: 'objects',
  checkpoints: 'projection_checkpoints',
  releasedBlobs: 'released_blobs',
  uploads: 'uploads',
  manifests: 'manifests',
  completedUploads: 'completed_uploads',
  versions: 'versions',
  /** Files and folders by level, for listings with delimiter '/' (listing-tree.ts). */
  listingTree: 'listing_tree',
  /** One document: which shape of read model the database holds (READ_MODEL_FORMAT). */
  format: 'read_model_format',
} as const;
