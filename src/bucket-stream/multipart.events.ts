import type { ObjectTag } from './object-tags.js';
import type { RequestedObjectAcl } from './object-acl.js';
import type { ChecksumAlgorithmName, ChecksumType, ContentHeaders, ObjectChecksum, UserMetadataEntry, WrittenLock } from './object.events.js';

/** A part's checksum, verified on upload (a part's checksum is always of its bytes). */
export interface PartChecksum {
  algorithm: ChecksumAlgorithmName;
  /** Base64. */
  value: string;
}

/** Facts about multipart uploads. Field names are part of the published event contract (docs/events.md). */
export type MultipartUploadInitiated = {
  type: 'MultipartUploadInitiated';
  data: {
    bucket: string;
    bucketId: string;
    key: string;
    uploadId: string;
    contentType: string;
    userMetadata: UserMetadataEntry[];
    owner: string;
    ownerDisplayName: string;
    initiatedAt: string;
    /** The tag set the completed object gets (`x-amz-tagging`); absent when none was given. */
    tags?: ObjectTag[];
    /** x-amz-checksum-algorithm: every part must then carry a checksum of this algorithm. */
    checksumAlgorithm?: ChecksumAlgorithmName;
    /** x-amz-checksum-type, or S3's default for the algorithm; set with checksumAlgorithm. */
    checksumType?: ChecksumType;
    /**
     * The ACL CreateMultipartUpload asked for (x-amz-acl, or the x-amz-grant-* headers resolved),
     * checked when the upload began; its completion records it as an ObjectAclPut and takes it
     * into Object Ownership. Absent: `private`.
     */
    acl?: RequestedObjectAcl;
  } & WrittenLock &
    /** The completed object's content headers (v4), as CreateMultipartUpload sent them. */
    ContentHeaders;
};

export type MultipartPartUploaded = {
  type: 'MultipartPartUploaded';
  data: {
    bucket: string;
    bucketId: string;
    key: string;
    uploadId: string;
    partNumber: number;
    /** The blob holding this part's bytes. */
    objectId: string;
    size: number;
    /** Quoted hex MD5 of the part. */
    etag: string;
    uploadedAt: string;
    /** Set when this part number was uploaded before; that blob is no longer part of the upload. */
    replacedObjectId?: string;
    /** The verified checksum the client sent with the part; absent when it sent none. */
    checksum?: PartChecksum;
  };
};

export interface CompletedPart {
  partNumber: number;
  objectId: string;
  size: number;
  etag: string;
}

/**
 * Yields the object like ObjectStored. `objectId` names the manifest (no blob of its own): the
 * object's bytes are its parts' blobs, in order; completion never copies them.
 */
export type MultipartUploadCompleted = {
  type: 'MultipartUploadCompleted';
  data: {
    bucket: string;
    bucketId: string;
    key: string;
    uploadId: string;
    objectId: string;
    size: number;
    /** `"<md5 of the concatenated binary part MD5s>-<part count>"`, as S3 computes it. */
    etag: string;
    parts: CompletedPart[];
    contentType: string;
    userMetadata: UserMetadataEntry[];
    owner: string;
    ownerDisplayName: string;
    storageClass: string;
    storedAt: string;
    /** Set when this completion replaced an object under the key. */
    replacedObjectId?: string;
    /** As on ObjectStored: the version this completion created, absent in an unversioned bucket. */
    versionId?: string;
    /** Part blobs uploaded but not listed in the completion: no longer referenced. */
    discardedObjectIds: string[];
    /** The upload's tag set, now the object's; absent when the upload had none. */
    tags?: ObjectTag[];
    /** The object's checksum, from the parts' checksums, when the upload named an algorithm. */
    checksum?: ObjectChecksum;
  } & WrittenLock &
    /** The upload's content headers (v3), now the object's. */
    ContentHeaders;
};

export type MultipartUploadAborted = {
  type: 'MultipartUploadAborted';
  data: {
    bucket: string;
    bucketId: string;
    key: string;
    uploadId: string;
    /** The blobs of the parts uploaded so far: no longer referenced. */
    discardedObjectIds: string[];
    abortedAt: string;
  };
};

export type MultipartEvent = MultipartUploadInitiated | MultipartPartUploaded | MultipartUploadCompleted | MultipartUploadAborted;
