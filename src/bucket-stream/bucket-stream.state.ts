import type { SedimentEvent } from './sediment-event.js';
import type { ObjectTag } from './object-tags.js';
import type { BucketCorsConfiguration } from './cors-configuration.js';
import type { BucketLifecycleConfiguration } from './lifecycle-configuration.js';
import type { PartChecksum } from './multipart.events.js';
import type { ChecksumAlgorithmName, ChecksumType, UserMetadataEntry } from './object.events.js';
import type { BucketNotificationConfiguration } from './notification-configuration.js';
import { NULL_VERSION_ID } from './object-version.js';
import type { VersioningStatus } from './bucket.events.js';
import type { ObjectOwnership, PublicAccessBlock } from './bucket-access-controls.js';
import { completedUploadOf, type CompletedUpload } from './completed-upload.js';
import type { BucketObjectLock, ObjectRetention } from './object-lock.js';
import type { RequestedObjectAcl } from './object-acl.js';
import { contentHeadersOf, type ContentHeaders } from './content-headers.js';

export interface BucketInfo {
  name: string;
  bucketId: string;
  owner: string;
  /** The owner's display name, for the bucket owner's grants and the objects it owns by Object Ownership. */
  ownerDisplayName?: string;
  /** The notification configuration in force; absent when there is none. */
  notification?: BucketNotificationConfiguration;
  /** Absent while the bucket never had versioning configured. */
  versioning?: VersioningStatus;
  /** The CORS configuration in force; absent when there is none. */
  cors?: BucketCorsConfiguration;
  /** The bucket's tags (PutBucketTagging); absent when it has none. */
  tags?: ObjectTag[];
  /** The bucket's public access block; absent when it has none. */
  publicAccessBlock?: PublicAccessBlock;
  /** The bucket's ownership controls; absent when it has none (S3 then acts as ObjectWriter). */
  objectOwnership?: ObjectOwnership;
  /** The lifecycle configuration in force; absent when there is none. */
  lifecycle?: BucketLifecycleConfiguration;
  /** Set once Object Lock is enabled, which is for good; absent before. */
  objectLock?: BucketObjectLock;
}

/** One version of a key: an object (with its payload) or a delete marker. */
export interface ObjectVersion {
  versionId: string;
  isDeleteMarker: boolean;
  /** The payload of an object version; absent on a delete marker. */
  objectId?: string;
  etag?: string;
  /** The version's tag set; absent when it has none. */
  tags?: ObjectTag[];
  /** Its Object Lock retention, expired or not; absent when it has none. */
  retention?: ObjectRetention;
  /** Its legal hold: ON (true) or OFF (false); absent when none was ever put. */
  legalHold?: boolean;
}

export interface CurrentObject {
  objectId: string;
  /** Quoted hex MD5, as S3 returns it; conditional writes compare against it. */
  etag: string;
  /** The object's tag set; absent when it has none. */
  tags?: ObjectTag[];
}

export interface CurrentUploadPart {
  partNumber: number;
  objectId: string;
  size: number;
  etag: string;
  checksum?: PartChecksum;
}

/**
 * A multipart upload in progress (neither completed nor aborted), with the content headers
 * (Cache-Control, Expires, …) CreateMultipartUpload sent for the completed object.
 */
export interface CurrentUpload extends ContentHeaders {
  key: string;
  contentType: string;
  userMetadata: UserMetadataEntry[];
  owner: string;
  ownerDisplayName: string;
  /** Ascending by part number, one entry per part number (the latest upload of it). */
  parts: CurrentUploadPart[];
  /** The tag set the completed object gets; absent when none was given. */
  tags?: ObjectTag[];
  /** The algorithm every part must carry a checksum of, when CreateMultipartUpload named one. */
  checksumAlgorithm?: ChecksumAlgorithmName;
  checksumType?: ChecksumType;
  /** The lock the completed version gets (CreateMultipartUpload's x-amz-object-lock-* headers). */
  retention?: ObjectRetention;
  legalHold?: true;
  /** The ACL the completed version gets (CreateMultipartUpload's x-amz-acl / x-amz-grant-*); absent: private. */
  acl?: RequestedObjectAcl;
}

/**
 * What a decider may know about one bucket's stream (the bucket and its objects). It is an
 * interface, not a full map, because the write side loads only the part a command needs from
 * the read model; tests and replay checks build it by folding events with `evolve`.
 */
export interface BucketStreamState {
  readonly bucket: BucketInfo | null;
  readonly isEmpty: boolean;
  objectAt(key: string): CurrentObject | undefined;
  /**
   * Every version of the key, newest first (the first is the current one; if it is a delete
   * marker the key reads as absent). In a bucket without versioning: the `null` version, if any.
   */
  versionsOf(key: string): readonly ObjectVersion[];
  /** The upload in progress with this id; only the one a command names is loaded. */
  uploadAt(uploadId: string): CurrentUpload | undefined;
  /** What the upload with this id answered when it completed, if it did (ADR 0020). */
  completedUploadAt(uploadId: string): CompletedUpload | undefined;
}

/** A complete in-memory state, folded from events. */
export class FoldedBucketStream implements BucketStreamState {
  constructor(
    readonly bucket: BucketInfo | null = null,
    /** Per key, newest first; a key with no version left has no entry. */
    private readonly versions: ReadonlyMap<string, readonly ObjectVersion[]> = new Map(),
    private readonly uploads: ReadonlyMap<string, CurrentUpload> = new Map(),
    private readonly completions: ReadonlyMap<string, CompletedUpload> = new Map(),
  ) {}

  uploadAt(uploadId: string): CurrentUpload | undefined {
    return this.uploads.get(uploadId);
  }

  completedUploadAt(uploadId: string): CompletedUpload | undefined {
    return this.completions.get(uploadId);
  }

  get completionMap(): ReadonlyMap<string, CompletedUpload> {
    return this.completions;
  }

  /** Empty as DeleteBucket means it: no version and no delete marker left. */
  get isEmpty(): boolean {
    return this.versions.size === 0;
  }

  objectAt(key: string): CurrentObject | undefined {
    const latest = this.versions.get(key)?.[0];
    if (!latest || latest.isDeleteMarker) return undefined;
    return { objectId: latest.objectId!, etag: latest.etag!, ...(latest.tags ? { tags: latest.tags } : {}) };
  }

  versionsOf(key: string): readonly ObjectVersion[] {
    return this.versions.get(key) ?? [];
  }

  get versionMap(): ReadonlyMap<string, readonly ObjectVersion[]> {
    return this.versions;
  }

  get uploadMap(): ReadonlyMap<string, CurrentUpload> {
    return this.uploads;
  }

  /** Keys whose current version is an object (not a delete marker). */
  get keys(): string[] {
    return [...this.versions.keys()].filter((key) => this.objectAt(key) !== undefined);
  }
}

export const initialBucketStream = (): FoldedBucketStream => new FoldedBucketStream();

export function evolve(state: FoldedBucketStream, event: SedimentEvent): FoldedBucketStream {
  switch (event.type) {
    case 'BucketCreated':
      return new FoldedBucketStream({ name: event.data.bucket, bucketId: event.data.bucketId, owner: event.data.owner, ownerDisplayName: event.data.ownerDisplayName });
    case 'BucketDeleted':
      return new FoldedBucketStream(null);
    case 'BucketNotificationConfigured': {
      if (state.bucket === null) return state;
      const { notification: _previous, ...bucket } = state.bucket;
      const { configuration } = event.data;
      const info = configuration.topicConfigurations.length > 0 ? { ...bucket, notification: configuration } : bucket;
      return new FoldedBucketStream(info, state.versionMap, state.uploadMap, state.completionMap);
    }
    case 'BucketVersioningConfigured':
      if (state.bucket === null) return state;
      return new FoldedBucketStream({ ...state.bucket, versioning: event.data.status }, state.versionMap, state.uploadMap, state.completionMap);
    case 'BucketCorsConfigured': {
      if (state.bucket === null) return state;
      const { cors: _previous, ...bucket } = state.bucket;
      const { configuration } = event.data;
      return new FoldedBucketStream(configuration ? { ...bucket, cors: configuration } : bucket, state.versionMap, state.uploadMap, state.completionMap);
    }
    case 'BucketTaggingConfigured':
      return withBucketSetting(state, 'tags', event.data.tags ?? undefined);
    case 'BucketPublicAccessBlockConfigured':
      return withBucketSetting(state, 'publicAccessBlock', event.data.publicAccessBlock ?? undefined);
    case 'BucketOwnershipControlsConfigured':
      return withBucketSetting(state, 'objectOwnership', event.data.objectOwnership ?? undefined);
    case 'BucketLifecycleConfigured':
      return withBucketSetting(state, 'lifecycle', event.data.configuration ?? undefined);
    case 'BucketObjectLockConfigured':
      if (state.bucket === null) return state;
      return new FoldedBucketStream(
        { ...state.bucket, objectLock: { defaultRetention: event.data.defaultRetention } },
        state.versionMap,
        state.uploadMap,
        state.completionMap,
      );
    case 'ObjectRetentionPut':
    case 'ObjectLegalHoldPut': {
      const { key, objectId, versionId } = event.data;
      const versions = state.versionsOf(key);
      const target = versions.find((v) => v.versionId === versionId);
      if (!target || target.isDeleteMarker || target.objectId !== objectId) return state;
      const locked = event.type === 'ObjectRetentionPut' ? withLock(target, 'retention', event.data.retention) : withLock(target, 'legalHold', event.data.legalHold);
      const map = new Map(state.versionMap);
      map.set(key, versions.map((v) => (v === target ? locked : v)));
      return new FoldedBucketStream(state.bucket, map, state.uploadMap, state.completionMap);
    }
    case 'ObjectTaggingPut':
    case 'ObjectTaggingDeleted': {
      const { key, objectId, versionId } = event.data;
      const versions = state.versionsOf(key);
      // The version named (the current one by default); tags of a version no longer there change nothing.
      const target = versionId === undefined ? versions[0] : versions.find((v) => v.versionId === versionId);
      if (!target || target.isDeleteMarker || target.objectId !== objectId) return state;
      const { tags: _previous, ...version } = target;
      const tags = event.type === 'ObjectTaggingPut' ? event.data.tags : [];
      const tagged = tags.length > 0 ? { ...version, tags } : version;
      const map = new Map(state.versionMap);
      map.set(key, versions.map((v) => (v === target ? tagged : v)));
      return new FoldedBucketStream(state.bucket, map, state.uploadMap, state.completionMap);
    }
    case 'ObjectStored':
    case 'ObjectCopied':
    case 'MultipartUploadCompleted': {
      const { key, objectId, etag, versionId = NULL_VERSION_ID, tags, retention, legalHold } = event.data;
      const versions = withVersion(state, key, {
        versionId,
        isDeleteMarker: false,
        objectId,
        etag,
        ...(tags && tags.length > 0 ? { tags } : {}),
        ...(retention ? { retention } : {}),
        ...(legalHold ? { legalHold } : {}),
      });
      if (event.type !== 'MultipartUploadCompleted') return new FoldedBucketStream(state.bucket, versions, state.uploadMap, state.completionMap);
      const uploads = new Map(state.uploadMap);
      uploads.delete(event.data.uploadId);
      const completions = new Map(state.completionMap);
      completions.set(event.data.uploadId, completedUploadOf(event.data));
      return new FoldedBucketStream(state.bucket, versions, uploads, completions);
    }
    case 'DeleteMarkerCreated': {
      const versions = withVersion(state, event.data.key, { versionId: event.data.versionId, isDeleteMarker: true });
      return new FoldedBucketStream(state.bucket, versions, state.uploadMap, state.completionMap);
    }
    case 'ObjectDeleted':
    case 'DeleteMarkerRemoved': {
      const { key, versionId = NULL_VERSION_ID } = event.data;
      return new FoldedBucketStream(state.bucket, withoutVersion(state, key, versionId), state.uploadMap, state.completionMap);
    }
    case 'MultipartUploadInitiated': {
      const { key, uploadId, contentType, userMetadata, owner, ownerDisplayName, tags, checksumAlgorithm, checksumType, retention, legalHold, acl } = event.data;
      const uploads = new Map(state.uploadMap);
      uploads.set(uploadId, {
        key,
        contentType,
        userMetadata,
        owner,
        ownerDisplayName,
        parts: [],
        ...(tags ? { tags } : {}),
        ...(checksumAlgorithm ? { checksumAlgorithm } : {}),
        ...(checksumType ? { checksumType } : {}),
        ...(retention ? { retention } : {}),
        ...(legalHold ? { legalHold } : {}),
        ...(acl ? { acl } : {}),
        ...contentHeadersOf(event.data),
      });
      return new FoldedBucketStream(state.bucket, state.versionMap, uploads, state.completionMap);
    }
    case 'MultipartPartUploaded': {
      const upload = state.uploadAt(event.data.uploadId);
      if (!upload) return state;
      const { partNumber, objectId, size, etag, checksum } = event.data;
      const part = { partNumber, objectId, size, etag, ...(checksum ? { checksum } : {}) };
      const parts = [...upload.parts.filter((p) => p.partNumber !== partNumber), part];
      const uploads = new Map(state.uploadMap);
      uploads.set(event.data.uploadId, { ...upload, parts: parts.sort((a, b) => a.partNumber - b.partNumber) });
      return new FoldedBucketStream(state.bucket, state.versionMap, uploads, state.completionMap);
    }
    case 'MultipartUploadAborted': {
      const uploads = new Map(state.uploadMap);
      uploads.delete(event.data.uploadId);
      return new FoldedBucketStream(state.bucket, state.versionMap, uploads, state.completionMap);
    }
    case 'ObjectAclPut':
      // Authorisation reads a version's ACL from the read model; no decision here depends on it.
      return state;
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}

/** The version with its retention or legal hold set (a value) or removed (null). */
function withLock<F extends 'retention' | 'legalHold'>(version: ObjectVersion, field: F, value: NonNullable<ObjectVersion[F]> | null): ObjectVersion {
  const rest: ObjectVersion = { ...version };
  delete rest[field];
  return value === null ? rest : { ...rest, [field]: value };
}

/** The new version becomes the newest; one with the same id (the `null` version) is replaced. */
function withVersion(state: FoldedBucketStream, key: string, version: ObjectVersion): Map<string, readonly ObjectVersion[]> {
  const versions = new Map(state.versionMap);
  versions.set(key, [version, ...state.versionsOf(key).filter((v) => v.versionId !== version.versionId)]);
  return versions;
}

function withoutVersion(state: FoldedBucketStream, key: string, versionId: string): Map<string, readonly ObjectVersion[]> {
  const versions = new Map(state.versionMap);
  const left = state.versionsOf(key).filter((v) => v.versionId !== versionId);
  if (left.length > 0) versions.set(key, left);
  else versions.delete(key);
  return versions;
}

/** The state with one setting of the bucket set, or removed (undefined); nothing without a bucket. */
function withBucketSetting<F extends 'tags' | 'publicAccessBlock' | 'objectOwnership' | 'lifecycle'>(
  state: FoldedBucketStream,
  field: F,
  value: BucketInfo[F] | undefined,
): FoldedBucketStream {
  if (state.bucket === null) return state;
  const bucket: BucketInfo = { ...state.bucket };
  if (value === undefined) delete bucket[field];
  else bucket[field] = value;
  return new FoldedBucketStream(bucket, state.versionMap, state.uploadMap, state.completionMap);
}
