/** Facts about objects. Field names are part of the published event contract (docs/events.md). */
export interface UserMetadataEntry {
  /** Lower-cased name without the x-amz-meta- prefix. */
  name: string;
  value: string;
}

/** S3's flexible checksum algorithms (x-amz-checksum-algorithm values). */
export type ChecksumAlgorithmName = 'CRC32' | 'CRC32C' | 'CRC64NVME' | 'SHA1' | 'SHA256';

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
    /** The verified checksum the client sent with the payload; absent when it sent none. */
    checksum?: ObjectChecksum;
  };
};

export type ObjectDeleted = {
  type: 'ObjectDeleted';
  data: { bucket: string; bucketId: string; key: string; objectId: string; deletedAt: string };
};

export type ObjectEvent = ObjectStored | ObjectDeleted;
