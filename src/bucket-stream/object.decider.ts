import type { BucketStreamState, CurrentObject, ObjectVersion } from './bucket-stream.state.js';
import { S3Error } from '../errors/s3.error.js';
import type { ObjectTag } from './object-tags.js';
import { NULL_VERSION_ID } from './object-version.js';
import { STANDARD_STORAGE_CLASS, type ObjectAclPut, type ObjectChecksum, type ObjectCopied, type ObjectStored, type ObjectEvent, type UserMetadataEntry, type WrittenLock } from './object.events.js';
import type { ContentHeaders } from './content-headers.js';
import { grantsOfRequestedAcl, onlyOwnerFullControl, writtenObjectOwner, type RequestedObjectAcl } from './object-acl.js';
import { assertFutureRetention, lockedVersion, lockProtecting, MISSING_LOCK_CONFIGURATION_MESSAGE, retentionFromDefault, type VersionLock } from './object-lock.js';

/** S3 conditional writes: If-None-Match: * (create only) and If-Match: <etag> (replace only that). */
export interface WriteCondition {
  /** `*` (the key must not exist) or ETags (the current object's must be none of them). */
  ifNoneMatch?: string;
  ifMatch?: string;
}

export type PutObject = {
  type: 'PutObject';
  data: {
    bucket: string;
    key: string;
    /** UUID of the payload, already durable in the blob store. */
    objectId: string;
    size: number;
    etag: string;
    contentType: string;
    userMetadata: UserMetadataEntry[];
    owner: string;
    ownerDisplayName: string;
    /** From `x-amz-tagging`, already validated; absent when none was given. */
    tags?: ObjectTag[];
    checksum?: ObjectChecksum;
  } & ContentHeaders;
  /** From the x-amz-object-lock-* headers, already validated; absent when none was given. */
  lock?: VersionLock;
  /** From x-amz-acl or the x-amz-grant-* headers, already validated; absent: `private`. */
  acl?: RequestedObjectAcl;
  /** The request carried Content-MD5 or an x-amz-checksum-* (S3 requires one to write a locked version). */
  integrityChecked?: boolean;
  condition?: WriteCondition;
  /** `newVersionId`: the id this write gets if the bucket has versioning Enabled. */
  metadata: { now: Date; newVersionId: string };
};

/** What one deletion names: a key (its current version), or one version of it. */
export interface DeletionTarget {
  key: string;
  versionId?: string;
  /** x-amz-bypass-governance-retention: true, from a caller holding s3:BypassGovernanceRetention. */
  bypassGovernance?: boolean;
}

/** Who deletes, for the delete marker a versioned bucket records. */
interface Deleter {
  owner: string;
  ownerDisplayName: string;
}

export type DeleteObject = {
  type: 'DeleteObject';
  data: { bucket: string; key: string; versionId?: string; bypassGovernance?: boolean } & Deleter;
  metadata: { now: Date; newVersionId: string };
};

/** S3 DeleteObjects: several keys (or versions) of one bucket, decided together against one state. */
export type DeleteObjects = {
  type: 'DeleteObjects';
  data: { bucket: string; objects: readonly DeletionTarget[] } & Deleter;
  /** Called once per delete marker created. */
  metadata: { now: Date; newVersionId: () => string };
};

/**
 * S3 CopyObject. `source` is the source object as read (and authorized, and its copy-source
 * conditions checked) before deciding; its blob is shared, never copied.
 */
export type CopyObject = {
  type: 'CopyObject';
  data: {
    bucket: string;
    key: string;
    source: {
      bucket: string;
      key: string;
      objectId: string;
      size: number;
      etag: string;
      parts?: { objectId: string; size: number }[];
      /** The source version copied, when its bucket has versioning configured. */
      versionId?: string;
      /** The checksum the source was stored with: the bytes are the same, so the copy keeps it. */
      checksum?: ObjectChecksum;
    };
    contentType: string;
    userMetadata: UserMetadataEntry[];
    tags?: ObjectTag[];
    owner: string;
    ownerDisplayName: string;
  } & ContentHeaders /* the source's (metadata directive COPY) or the request's (REPLACE) */;
  /** From the x-amz-object-lock-* headers (a copy does not take the source's lock). */
  lock?: VersionLock;
  /** From x-amz-acl or the x-amz-grant-* headers (a copy does not take the source's ACL); absent: `private`. */
  acl?: RequestedObjectAcl;
  condition?: WriteCondition;
  metadata: { now: Date; newVersionId: string };
};

export type ObjectCommand = PutObject | DeleteObject | DeleteObjects | CopyObject;

/** Decides object events from the bucket stream's state; pure, like the bucket decider. */
export function decideObject(command: ObjectCommand, state: BucketStreamState): ObjectEvent[] {
  const { bucket } = command.data;
  if (state.bucket === null) {
    throw new S3Error('NoSuchBucket', { resource: `/${bucket}`, details: { BucketName: bucket } });
  }
  const bucketId = state.bucket.bucketId;
  switch (command.type) {
    case 'DeleteObjects':
      return decideDeletions(command, state).events;
    case 'PutObject': {
      const { key } = command.data;
      const { now } = command.metadata;
      const { versionId, replacedObjectId, lock } = decideWrite(state, bucket, key, command.condition, command.metadata.newVersionId, { now, requested: command.lock });
      if ((lock.retention || lock.legalHold) && !command.integrityChecked) {
        throw new S3Error('InvalidRequest', {
          message: 'Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters',
          resource: `/${bucket}/${key}`,
        });
      }
      const stored: ObjectStored = {
        type: 'ObjectStored',
        data: {
          ...command.data,
          bucketId,
          storedAt: command.metadata.now.toISOString(),
          storageClass: STANDARD_STORAGE_CLASS,
          ...(replacedObjectId ? { replacedObjectId } : {}),
          ...(versionId !== undefined ? { versionId } : {}),
          ...lock,
        },
      };
      return withWrittenAcl(state, stored, command.acl);
    }
    case 'CopyObject':
      return withWrittenAcl(state, copied(command, bucketId, state), command.acl);
    case 'DeleteObject': {
      const { key, versionId, owner, ownerDisplayName, bypassGovernance } = command.data;
      const target = { key, ...(versionId !== undefined ? { versionId } : {}), bypassGovernance: bypassGovernance ?? false };
      return decideDeletion(state, bucketId, bucket, target, { owner, ownerDisplayName }, command.metadata.now, () => command.metadata.newVersionId);
    }
    default: {
      const unreachable: never = command;
      return unreachable;
    }
  }
}

/**
 * What one DeleteObjects decides: the events of the deletions allowed, and, by the target's index
 * in the command, the refusal of each one Object Lock protects (S3 reports those per key).
 */
export function decideDeletions(command: DeleteObjects, state: BucketStreamState): { events: ObjectEvent[]; refusals: Map<number, S3Error> } {
  const { bucket } = command.data;
  if (state.bucket === null) throw new S3Error('NoSuchBucket', { resource: `/${bucket}`, details: { BucketName: bucket } });
  // A target named twice is deleted once; each decision sees the ones before it.
  const seen = new Set<string>();
  const events: ObjectEvent[] = [];
  const refusals = new Map<number, S3Error>();
  const decided = new StateAfterDeletions(state);
  for (const [index, target] of command.data.objects.entries()) {
    const identity = JSON.stringify([target.key, target.versionId ?? null]);
    if (seen.has(identity)) continue;
    seen.add(identity);
    const deleter = { owner: command.data.owner, ownerDisplayName: command.data.ownerDisplayName };
    let decision: ObjectEvent[];
    try {
      decision = decideDeletion(decided, state.bucket.bucketId, bucket, target, deleter, command.metadata.now, command.metadata.newVersionId);
    } catch (error) {
      if (!(error instanceof S3Error)) throw error;
      refusals.set(index, error);
      continue;
    }
    decision.forEach((event) => decided.apply(event));
    events.push(...decision);
  }
  return { events, refusals };
}

/** The Object Lock a write asks for: at `now`, from its x-amz-object-lock-* headers if any. */
export interface WriteLockRequest {
  now: Date;
  requested?: VersionLock;
  /** The request was checked when it was made (CreateMultipartUpload): its date may since have passed. */
  checkedBefore?: true;
}

/**
 * What any write under `key` (PutObject, CopyObject, CompleteMultipartUpload) records: refused
 * unless its write condition holds against the authoritative state, then the version it creates
 * and the lock it is born with (its own, or the bucket's default retention).
 */
export function decideWrite(
  state: BucketStreamState,
  bucket: string,
  key: string,
  condition: WriteCondition | undefined,
  freshVersionId: string,
  lockRequest: WriteLockRequest,
): { versionId?: string; replacedObjectId?: string; lock: WrittenLock } {
  assertWriteCondition(condition, state.objectAt(key), bucket, key);
  return { ...newVersion(state, key, freshVersionId), lock: writtenLock(state, bucket, lockRequest) };
}

function writtenLock(state: BucketStreamState, bucket: string, { now, requested, checkedBefore }: WriteLockRequest): WrittenLock {
  const own = checkedBefore ? lockOf(requested) : requestedLock(state, bucket, requested, now);
  const defaultRetention = state.bucket?.objectLock?.defaultRetention;
  if (own.retention || !defaultRetention) return own;
  return { retention: retentionFromDefault(defaultRetention, now), ...own };
}

/**
 * The lock a request's x-amz-object-lock-* headers ask for, checked at `now`: only in a bucket
 * with Object Lock (else InvalidRequest), and with a retain-until date in the future.
 */
export function requestedLock(state: BucketStreamState, bucket: string, requested: VersionLock | undefined, now: Date): WrittenLock {
  if (!state.bucket?.objectLock) {
    if (requested?.retention || requested?.legalHold !== undefined) {
      throw new S3Error('InvalidRequest', { message: MISSING_LOCK_CONFIGURATION_MESSAGE, resource: `/${bucket}` });
    }
    return {};
  }
  if (requested?.retention) assertFutureRetention(requested.retention, now);
  return lockOf(requested);
}

/** What of a requested lock is recorded: its retention, and a legal hold only when ON. */
function lockOf(requested: VersionLock | undefined): WrittenLock {
  return { ...(requested?.retention ? { retention: requested.retention } : {}), ...(requested?.legalHold ? { legalHold: true as const } : {}) };
}

/**
 * The version a write creates under `key`, by the bucket's versioning state: none configured,
 * the key's one (`null`) version is replaced; Enabled, a new version joins the others; Suspended,
 * a new `null` version replaces the previous `null` one, wherever it is among the versions.
 */
export function newVersion(state: BucketStreamState, key: string, freshVersionId: string): { versionId?: string; replacedObjectId?: string } {
  const versioning = state.bucket?.versioning;
  if (versioning === 'Enabled') return { versionId: freshVersionId };
  const replaced = state.versionsOf(key).find((v) => v.versionId === NULL_VERSION_ID);
  return {
    ...(versioning === 'Suspended' ? { versionId: NULL_VERSION_ID } : {}),
    ...(replaced?.objectId !== undefined ? { replacedObjectId: replaced.objectId } : {}),
  };
}

/**
 * The source of a same-bucket copy was overwritten between reading it and deciding: the copy
 * must not reference the blob that overwrite released. 503 (clients retry it) if it persists.
 */
export class CopySourceChanged extends S3Error {
  constructor(bucket: string, key: string) {
    super('ServiceUnavailable', { message: 'The copy source changed while it was being copied; retry the request.', resource: `/${bucket}/${key}` });
  }
}

/** S3's limit on a CopyObject source (larger objects are copied part by part with UploadPartCopy). */
export const MAX_COPY_SOURCE_SIZE = 5 * 1024 ** 3;

function copied(command: CopyObject, bucketId: string, state: BucketStreamState): ObjectCopied {
  const { bucket, key, source, tags, ...rest } = command.data;
  // Sharing the blob would make any size free, but clients rely on S3's answer to switch to
  // a multipart copy.
  if (source.size > MAX_COPY_SOURCE_SIZE) {
    throw new S3Error('InvalidRequest', {
      message: `The specified copy source is larger than the maximum allowable size for a copy source: ${MAX_COPY_SOURCE_SIZE}`,
      resource: `/${source.bucket}/${source.key}`,
    });
  }
  // Within one bucket the source is part of the authoritative state: it must still be there.
  if (source.bucket === bucket) {
    const versions = state.versionsOf(source.key);
    const now = source.versionId === undefined ? state.objectAt(source.key) : versions.find((v) => v.versionId === source.versionId);
    if (!now) throw new S3Error('NoSuchKey', { resource: `/${source.bucket}/${source.key}`, details: { Key: source.key } });
    if (now.objectId !== source.objectId) throw new CopySourceChanged(source.bucket, source.key);
  }
  const { now } = command.metadata;
  const { versionId, replacedObjectId, lock } = decideWrite(state, bucket, key, command.condition, command.metadata.newVersionId, { now, requested: command.lock });
  return {
    type: 'ObjectCopied',
    data: {
      bucket,
      bucketId,
      key,
      objectId: source.objectId,
      size: source.size,
      etag: source.etag,
      ...rest,
      storedAt: command.metadata.now.toISOString(),
      storageClass: STANDARD_STORAGE_CLASS,
      sourceBucket: source.bucket,
      sourceKey: source.key,
      ...(source.versionId !== undefined ? { sourceVersionId: source.versionId } : {}),
      ...(source.checksum ? { checksum: source.checksum } : {}),
      ...(source.parts ? { parts: source.parts.map(({ objectId, size }) => ({ objectId, size })) } : {}),
      ...(tags ? { tags } : {}),
      ...(versionId !== undefined ? { versionId } : {}),
      // A key that already holds the shared blob (a copy onto itself, or onto another copy)
      // keeps referencing it: releasing it would let the janitor take a live payload.
      ...(replacedObjectId && replacedObjectId !== source.objectId ? { replacedObjectId } : {}),
      ...lock,
    },
  };
}

/**
 * A version written with its owner (by the bucket's Object Ownership) and, when the write asked
 * for an ACL other than `private`, an ObjectAclPut right after it in the same decision: the
 * version never exists with an ACL other than the one asked for, as the two are appended together.
 */
export function withWrittenAcl<E extends ObjectStored | ObjectCopied>(state: BucketStreamState, created: E, requested: RequestedObjectAcl | undefined): (E | ObjectAclPut)[] {
  const bucket = state.bucket!;
  const writer = { id: created.data.owner, displayName: created.data.ownerDisplayName };
  const owner = writtenObjectOwner(bucket, writer, requested);
  const grants = grantsOfRequestedAcl(bucket, owner, requested);
  const owned = { ...created, data: { ...created.data, owner: owner.id, ownerDisplayName: owner.displayName } };
  if (grants === undefined || (grants.length > 0 && onlyOwnerFullControl(grants, owner))) {
    return [owned];
  }
  const { bucket: name, bucketId, key, objectId, versionId = NULL_VERSION_ID, storedAt } = created.data;
  return [owned, { type: 'ObjectAclPut', data: { bucket: name, bucketId, key, objectId, versionId, grants, putAt: storedAt } }];
}

/**
 * The bucket's state as the deletions decided so far in one DeleteObjects leave it, so that each
 * is decided after the ones before it (deleting a key's versions newest first names, each time,
 * the version that becomes the newest).
 */
class StateAfterDeletions implements BucketStreamState {
  private readonly versions = new Map<string, ObjectVersion[]>();

  constructor(private readonly loaded: BucketStreamState) {}

  get bucket(): BucketStreamState['bucket'] {
    return this.loaded.bucket;
  }

  get isEmpty(): boolean {
    return this.loaded.isEmpty;
  }

  uploadAt(uploadId: string): ReturnType<BucketStreamState['uploadAt']> {
    return this.loaded.uploadAt(uploadId);
  }

  completedUploadAt(uploadId: string): ReturnType<BucketStreamState['completedUploadAt']> {
    return this.loaded.completedUploadAt(uploadId);
  }

  versionsOf(key: string): readonly ObjectVersion[] {
    return this.versions.get(key) ?? this.loaded.versionsOf(key);
  }

  objectAt(key: string): CurrentObject | undefined {
    if (!this.versions.has(key)) return this.loaded.objectAt(key);
    const newest = this.versionsOf(key)[0];
    return newest && !newest.isDeleteMarker ? { objectId: newest.objectId!, etag: newest.etag!, ...(newest.tags ? { tags: newest.tags } : {}) } : undefined;
  }

  apply(event: ObjectEvent): void {
    const { key } = event.data;
    const versions = [...this.versionsOf(key)];
    if (event.type === 'DeleteMarkerCreated') {
      const marker: ObjectVersion = { versionId: event.data.versionId, isDeleteMarker: true };
      this.versions.set(key, [marker, ...versions.filter((v) => v.versionId !== marker.versionId)]);
    } else if (event.type === 'ObjectDeleted' || event.type === 'DeleteMarkerRemoved') {
      const gone = event.data.versionId ?? NULL_VERSION_ID;
      this.versions.set(key, versions.filter((v) => v.versionId !== gone));
    }
  }
}

/**
 * S3 DeleteObject semantics. With a version id: that version goes for good (a missing one is
 * nothing to do, as in S3), unless Object Lock protects it (AccessDenied). Without: in a bucket that never had versioning the object goes; with
 * versioning a delete marker becomes the newest version (Suspended: the `null` one), even when
 * the key has no object, as S3 does.
 */
function decideDeletion(
  state: BucketStreamState,
  bucketId: string,
  bucket: string,
  { key, versionId, bypassGovernance = false }: DeletionTarget,
  deleter: Deleter,
  now: Date,
  freshVersionId: () => string,
): ObjectEvent[] {
  const at = now.toISOString();
  const versioning = state.bucket?.versioning;
  if (versionId !== undefined) {
    const versions = state.versionsOf(key);
    const version = versions.find((v) => v.versionId === versionId);
    if (!version) return [];
    const newest = versions[0] === version ? { newestVersionId: versions[1]?.versionId ?? null } : {};
    if (version.isDeleteMarker) return [{ type: 'DeleteMarkerRemoved', data: { bucket, bucketId, key, versionId, removedAt: at, ...newest } }];
    // The one way a version goes for good: never while Object Lock protects it.
    if (lockProtecting(version, now, bypassGovernance)) throw lockedVersion(bucket, key);
    return [{ type: 'ObjectDeleted', data: { bucket, bucketId, key, objectId: version.objectId!, deletedAt: at, versionId, ...newest } }];
  }
  if (versioning === undefined) {
    // S3 answers 204 for a missing key; nothing happened, so nothing is recorded.
    const current = state.objectAt(key);
    return current ? [{ type: 'ObjectDeleted', data: { bucket, bucketId, key, objectId: current.objectId, deletedAt: at } }] : [];
  }
  const { versionId: markerId, replacedObjectId } = newVersion(state, key, versioning === 'Enabled' ? freshVersionId() : NULL_VERSION_ID);
  return [
    {
      type: 'DeleteMarkerCreated',
      data: { bucket, bucketId, key, versionId: markerId!, ...deleter, createdAt: at, ...(replacedObjectId ? { replacedObjectId } : {}) },
    },
  ];
}

/**
 * Checked against the authoritative state, under the bucket's writer, so it holds under races:
 * of many concurrent If-None-Match: * writes to one key exactly one succeeds.
 */
export function assertWriteCondition(condition: WriteCondition | undefined, current: CurrentObject | undefined, bucket: string, key: string): void {
  if (!condition) return;
  if (condition.ifNoneMatch !== undefined && current && etagMatches(condition.ifNoneMatch, current.etag)) {
    throw new S3Error('PreconditionFailed', { resource: `/${bucket}/${key}`, details: { Condition: 'If-None-Match' } });
  }
  if (condition.ifMatch !== undefined) {
    if (!current) throw new S3Error('NoSuchKey', { resource: `/${bucket}/${key}`, details: { Key: key } });
    if (!etagMatches(condition.ifMatch, current.etag)) {
      throw new S3Error('PreconditionFailed', { resource: `/${bucket}/${key}`, details: { Condition: 'If-Match' } });
    }
  }
}

function etagMatches(header: string, etag: string): boolean {
  const unquote = (v: string) => v.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
  return header.split(',').some((candidate) => candidate.trim() === '*' || unquote(candidate) === unquote(etag));
}
