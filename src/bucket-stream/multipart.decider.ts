import { createHash } from 'node:crypto';
import type { BucketInfo, BucketStreamState, CurrentUpload, CurrentUploadPart } from './bucket-stream.state.js';
import { S3Error } from '../errors/s3.error.js';
import { assertPartChecksumAlgorithm, completedChecksum, type RequestedPartChecksums } from './multipart-checksum.js';
import { normalEtag, partListFingerprint, type CompletedUpload } from './completed-upload.js';
import type { MultipartEvent, MultipartUploadCompleted, PartChecksum } from './multipart.events.js';
import { NULL_VERSION_ID } from './object-version.js';
import { aclsEnabled } from './bucket-access-controls.js';
import { decideWrite, requestedLock, type WriteCondition } from './object.decider.js';
import type { VersionLock } from './object-lock.js';
import { cannedObjectAclGrants, grantsOfRequestedAcl, onlyOwnerFullControl, writtenObjectOwner, type RequestedObjectAcl } from './object-acl.js';
import type { AclOwner } from '../identity-stream/canned-acl.js';
import type { ObjectTag } from './object-tags.js';
import { contentHeadersOf, type ContentHeaders } from './content-headers.js';
import { STANDARD_STORAGE_CLASS, type ObjectAclPut, type ChecksumAlgorithmName, type ChecksumType, type ObjectChecksum, type UserMetadataEntry } from './object.events.js';

export const MIN_PART_NUMBER = 1;
export const MAX_PART_NUMBER = 10_000;
/** Every part but the last must be at least this large (S3's limit). */
export const MIN_PART_SIZE = 5 * 1024 * 1024;
/** S3's per-part limit. */
export const MAX_PART_SIZE = 5 * 1024 ** 3;

export type CreateMultipartUpload = {
  type: 'CreateMultipartUpload';
  data: {
    bucket: string;
    key: string;
    uploadId: string;
    contentType: string;
    userMetadata: UserMetadataEntry[];
    owner: string;
    ownerDisplayName: string;
    /** From `x-amz-tagging`, already validated; the completed object gets them. */
    tags?: ObjectTag[];
    checksumAlgorithm?: ChecksumAlgorithmName;
    checksumType?: ChecksumType;
  } & ContentHeaders /* validated; the completed object gets them */;
  /** From the x-amz-object-lock-* headers, validated: the completed version's own lock. */
  lock?: VersionLock;
  /** From x-amz-acl or the x-amz-grant-* headers: checked now, recorded on the upload, applied by its completion. */
  acl?: RequestedObjectAcl;
  metadata: { now: Date };
};

export type UploadPart = {
  type: 'UploadPart';
  data: {
    bucket: string;
    key: string;
    uploadId: string;
    partNumber: number;
    objectId: string;
    size: number;
    etag: string;
    checksum?: PartChecksum;
    /** False when the request carried neither Content-MD5 nor an x-amz-checksum-* (a copied part: absent). */
    integrityChecked?: boolean;
  };
  metadata: { now: Date };
};

export type CompleteMultipartUpload = {
  type: 'CompleteMultipartUpload';
  data: {
    bucket: string;
    key: string;
    uploadId: string;
    objectId: string;
    parts: readonly { partNumber: number; etag: string; checksums?: RequestedPartChecksums }[];
    /** x-amz-checksum-type of the request: must be the upload's. */
    checksumType?: ChecksumType;
    /** x-amz-checksum-<algorithm> of the request: the whole object's checksum (COMPOSITE: with or without -<parts>), checked. */
    expectedChecksum?: { algorithm: ChecksumAlgorithmName; value: string };
  };
  /** If-None-Match: * / If-Match, decided at completion like a PutObject's. */
  condition?: WriteCondition;
  metadata: { now: Date; newVersionId: string };
};

export type AbortMultipartUpload = {
  type: 'AbortMultipartUpload';
  data: { bucket: string; key: string; uploadId: string };
  metadata: { now: Date };
};

export type MultipartCommand = CreateMultipartUpload | UploadPart | CompleteMultipartUpload | AbortMultipartUpload;

/** Decides multipart upload events from the bucket stream's state; pure. */
export function decideMultipart(command: MultipartCommand, state: BucketStreamState): (MultipartEvent | ObjectAclPut)[] {
  const { bucket, key, uploadId } = command.data;
  if (state.bucket === null) {
    throw new S3Error('NoSuchBucket', { resource: `/${bucket}`, details: { BucketName: bucket } });
  }
  const bucketId = state.bucket.bucketId;
  const now = command.metadata.now.toISOString();
  if (command.type === 'CreateMultipartUpload') {
    // Checked now, as S3 does; recorded on the upload, the completed version is born with it.
    const lock = requestedLock(state, bucket, command.lock, command.metadata.now);
    const acl = uploadAcl(state.bucket, command);
    return [{ type: 'MultipartUploadInitiated', data: { ...command.data, bucketId, initiatedAt: now, ...lock, ...(acl ? { acl } : {}) } }];
  }
  if (command.type === 'CompleteMultipartUpload') {
    const decision = decideCompletion(command, state);
    return decision.outcome === 'completed' ? decision.events : [];
  }
  const upload = uploadInProgress(state, bucket, key, uploadId);
  switch (command.type) {
    case 'UploadPart': {
      assertPartNumber(command.data.partNumber);
      assertPartChecksumAlgorithm(upload, command.data.checksum?.algorithm);
      // As S3: a part of an upload whose version will be locked needs an integrity check.
      const { integrityChecked, ...part } = command.data;
      const locked = upload.retention || upload.legalHold || state.bucket.objectLock?.defaultRetention;
      if (locked && integrityChecked === false) {
        throw new S3Error('InvalidRequest', { message: 'Content-MD5 OR x-amz-checksum- HTTP header is required for Put Part requests with Object Lock parameters' });
      }
      const replaced = upload.parts.find((p) => p.partNumber === command.data.partNumber);
      return [
        {
          type: 'MultipartPartUploaded',
          data: { ...part, bucketId, uploadedAt: now, ...(replaced ? { replacedObjectId: replaced.objectId } : {}) },
        },
      ];
    }
    case 'AbortMultipartUpload':
      return [
        {
          type: 'MultipartUploadAborted',
          data: { bucket, bucketId, key, uploadId, discardedObjectIds: upload.parts.map((p) => p.objectId), abortedAt: now },
        },
      ];
    default: {
      const unreachable: never = command;
      return unreachable;
    }
  }
}

/**
 * A completion, or the same completion sent again: S3 answers a retried CompleteMultipartUpload
 * (clients retry it after a timeout) with the result of the first, and so does this, recording
 * nothing (ADR 0020). Only a retry naming the same parts, under the same key: any other request
 * about a completed upload is NoSuchUpload, as S3 documents for completed uploads.
 */
export type CompletionDecision =
  /** `events`: the completion, then the ObjectAclPut of the upload's ACL when it is not `private`. */
  | { outcome: 'completed'; event: MultipartUploadCompleted; events: (MultipartUploadCompleted | ObjectAclPut)[] }
  | { outcome: 'alreadyCompleted'; completion: CompletedUpload };

export function decideCompletion(command: CompleteMultipartUpload, state: BucketStreamState): CompletionDecision {
  const { bucket, key, uploadId } = command.data;
  if (state.bucket === null) {
    throw new S3Error('NoSuchBucket', { resource: `/${bucket}`, details: { BucketName: bucket } });
  }
  const bucketId = state.bucket.bucketId;
  const done = state.uploadAt(uploadId) === undefined ? state.completedUploadAt(uploadId) : undefined;
  // Before any write condition: it held when the upload completed, and the object may since have
  // been overwritten or deleted; the answer is about the upload, which did complete.
  if (done && done.bucketId === bucketId && done.key === key && done.partsFingerprint === partListFingerprint(command.data.parts)) {
    return { outcome: 'alreadyCompleted', completion: done };
  }
  const upload = uploadInProgress(state, bucket, key, uploadId);
  const event = completion(command, state, upload, bucketId, command.metadata.now.toISOString());
  const acl = completedUploadAcl(state.bucket, upload, event);
  return { outcome: 'completed', event, events: acl ? [event, acl] : [event] };
}

/**
 * The ACL CreateMultipartUpload asks for, checked as a write's is (AccessControlListNotSupported
 * with ACLs off, AccessDenied for a public grant under BlockPublicAcls) with the owner Object
 * Ownership gives the object now. Recorded on the upload as asked (a canned ACL stays canned, so
 * the completion knows `bucket-owner-full-control` for BucketOwnerPreferred); `private`, the
 * default, is not recorded.
 */
function uploadAcl(bucket: BucketInfo, command: CreateMultipartUpload): RequestedObjectAcl | undefined {
  const requested = command.acl;
  if (requested === undefined || ('canned' in requested && requested.canned === 'private')) return undefined;
  const writer = { id: command.data.owner, displayName: command.data.ownerDisplayName };
  grantsOfRequestedAcl(bucket, writtenObjectOwner(bucket, writer, requested), requested);
  return requested;
}

/**
 * The ObjectAclPut a completion records after MultipartUploadCompleted: the upload's ACL for the
 * owner the completion decided, unless it is `private`. Decided from the log alone (the upload's
 * recorded ACL and the bucket's switches at completion), so a replay decides the same. The ACL was
 * checked when the upload began; if ACLs have been turned off since, it would count for nothing
 * and none is recorded (the object is its owner's alone, as every object is with ACLs off).
 */
function completedUploadAcl(bucket: BucketInfo, upload: CurrentUpload, completed: MultipartUploadCompleted): ObjectAclPut | undefined {
  const requested = upload.acl;
  if (requested === undefined || !aclsEnabled(bucket.objectOwnership)) return undefined;
  const { bucket: name, bucketId, key, objectId, versionId = NULL_VERSION_ID, owner: id, ownerDisplayName: displayName, storedAt } = completed.data;
  const owner = { id, displayName };
  const bucketOwner = { id: bucket.owner, displayName: bucket.ownerDisplayName ?? '' };
  const grants = 'canned' in requested ? cannedObjectAclGrants(requested.canned, owner, bucketOwner) : requested.grants;
  if (grants.length > 0 && onlyOwnerFullControl(grants, owner)) return undefined;
  return { type: 'ObjectAclPut', data: { bucket: name, bucketId, key, objectId, versionId, grants, putAt: storedAt } };
}

function ownerFields(owner: AclOwner): { owner: string; ownerDisplayName: string } {
  return { owner: owner.id, ownerDisplayName: owner.displayName };
}

function uploadInProgress(state: BucketStreamState, bucket: string, key: string, uploadId: string): CurrentUpload {
  const upload = state.uploadAt(uploadId);
  if (upload === undefined || upload.key !== key) {
    throw new S3Error('NoSuchUpload', { resource: `/${bucket}/${key}`, details: { UploadId: uploadId } });
  }
  return upload;
}

function completion(
  command: CompleteMultipartUpload,
  state: BucketStreamState,
  upload: CurrentUpload,
  bucketId: string,
  now: string,
): MultipartUploadCompleted {
  const { bucket, key, uploadId, objectId } = command.data;
  const requested = command.data.parts;
  if (requested.length === 0) {
    throw new S3Error('MalformedXML');
  }
  const uploaded = new Map(upload.parts.map((p) => [p.partNumber, p]));
  const parts = requested.map((r, i) => {
    if (i > 0 && r.partNumber <= requested[i - 1]!.partNumber) throw new S3Error('InvalidPartOrder', { resource: `/${bucket}/${key}` });
    const part = uploaded.get(r.partNumber);
    if (part === undefined || normalEtag(part.etag) !== normalEtag(r.etag)) {
      throw new S3Error('InvalidPart', { resource: `/${bucket}/${key}`, details: { UploadId: uploadId, PartNumber: String(r.partNumber) } });
    }
    return part;
  });
  parts.slice(0, -1).forEach((p) => {
    if (p.size < MIN_PART_SIZE) {
      throw new S3Error('EntityTooSmall', {
        resource: `/${bucket}/${key}`,
        details: { ProposedSize: String(p.size), MinSizeAllowed: String(MIN_PART_SIZE), PartNumber: String(p.partNumber) },
      });
    }
  });
  const checksum = objectChecksum(command, upload, parts);
  const used = new Set(parts.map((p) => p.objectId));
  // The bucket's default retention, if any, applies from the moment the object exists.
  const uploadLock = { ...(upload.retention ? { retention: upload.retention } : {}), ...(upload.legalHold ? { legalHold: upload.legalHold } : {}) };
  const lockRequest = { now: command.metadata.now, requested: uploadLock, checkedBefore: true as const };
  const { versionId, replacedObjectId, lock } = decideWrite(state, bucket, key, command.condition, command.metadata.newVersionId, lockRequest);
  return {
    type: 'MultipartUploadCompleted',
    data: {
      bucket,
      bucketId,
      key,
      uploadId,
      objectId,
      size: parts.reduce((sum, p) => sum + p.size, 0),
      etag: multipartEtag(parts.map((p) => p.etag)),
      parts: parts.map(({ partNumber, objectId: id, size, etag }) => ({ partNumber, objectId: id, size, etag })),
      contentType: upload.contentType,
      userMetadata: upload.userMetadata,
      // Object Ownership as it is when the object comes to exist, with the ACL the upload asked for.
      ...ownerFields(writtenObjectOwner(state.bucket!, { id: upload.owner, displayName: upload.ownerDisplayName }, upload.acl)),
      storageClass: STANDARD_STORAGE_CLASS,
      storedAt: now,
      ...(replacedObjectId ? { replacedObjectId } : {}),
      ...(versionId !== undefined ? { versionId } : {}),
      discardedObjectIds: upload.parts.filter((p) => !used.has(p.objectId)).map((p) => p.objectId),
      ...(upload.tags && upload.tags.length > 0 ? { tags: upload.tags } : {}),
      ...(checksum ? { checksum } : {}),
      ...lock,
      ...contentHeadersOf(upload),
    },
  };
}

/** The completed object's checksum, from the stored part checksums (never from part data). */
function objectChecksum(command: CompleteMultipartUpload, upload: CurrentUpload, parts: readonly CurrentUploadPart[]): ObjectChecksum | undefined {
  const { bucket, key, uploadId, checksumType, expectedChecksum } = command.data;
  if (upload.checksumType && checksumType && checksumType !== upload.checksumType) {
    throw new S3Error('InvalidRequest', {
      message: `The upload was created using the ${upload.checksumType} checksum mode. The complete request must use the same checksum mode.`,
    });
  }
  const invalidPart = (partNumber: number) =>
    new S3Error('InvalidPart', { resource: `/${bucket}/${key}`, details: { UploadId: uploadId, PartNumber: String(partNumber) } });
  const checksum = completedChecksum(upload, command.data.parts, parts, invalidPart);
  if (checksum && expectedChecksum) {
    assertPartChecksumAlgorithm(upload, expectedChecksum.algorithm);
    // S3 takes a COMPOSITE checksum with or without its -<parts> suffix (the edge checked its form).
    const sent = checksum.type === 'COMPOSITE' && !expectedChecksum.value.includes('-') ? `${expectedChecksum.value}-${parts.length}` : expectedChecksum.value;
    if (sent !== checksum.value) {
      throw new S3Error('BadDigest', { message: `The ${checksum.algorithm} you specified did not match the calculated checksum.` });
    }
  }
  return checksum;
}

export function assertPartNumber(partNumber: number): void {
  if (!Number.isInteger(partNumber) || partNumber < MIN_PART_NUMBER || partNumber > MAX_PART_NUMBER) {
    throw new S3Error('InvalidArgument', {
      message: `Part number must be an integer between ${MIN_PART_NUMBER} and ${MAX_PART_NUMBER}, inclusive`,
      details: { ArgumentName: 'partNumber', ArgumentValue: String(partNumber) },
    });
  }
}

/** S3's multipart ETag: the MD5 of the parts' binary MD5s, then `-<part count>`. */
export function multipartEtag(partEtags: readonly string[]): string {
  const md5 = createHash('md5');
  for (const etag of partEtags) md5.update(Buffer.from(normalEtag(etag), 'hex'));
  return `"${md5.digest('hex')}-${partEtags.length}"`;
}
