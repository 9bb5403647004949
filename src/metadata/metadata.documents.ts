import type { BucketNotificationConfiguration } from '../notifications/notification-configuration.js';
import type { PartChecksum } from '../objects/domain/multipart.events.js';
import type { ChecksumAlgorithmName, ChecksumType, ObjectChecksum, UserMetadataEntry } from '../objects/domain/object.events.js';

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
}

/** `objects` collection; _id is `<bucket>/<key>` (bucket names hold no '/'). */
export interface ObjectDocument extends PositionStamp {
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
  /** The checksum the object was stored with (ObjectStored / MultipartUploadCompleted), if any. */
  checksum?: ObjectChecksum;
}

export interface ObjectPart {
  objectId: string;
  size: number;
}

/** `uploads`: a multipart upload in progress; _id is the uploadId. Removed on complete/abort. */
export interface UploadDocument extends PositionStamp {
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
  /** From CreateMultipartUpload's x-amz-checksum-algorithm / -type, when it named one. */
  checksumAlgorithm?: ChecksumAlgorithmName;
  checksumType?: ChecksumType;
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
}

export const objectDocumentId = (bucket: string, key: string): string => `${bucket}/${key}`;

export const COLLECTIONS = {
  buckets: 'buckets',
  objects: 'objects',
  checkpoints: 'projection_checkpoints',
  releasedBlobs: 'released_blobs',
  uploads: 'uploads',
  manifests: 'manifests',
} as const;
