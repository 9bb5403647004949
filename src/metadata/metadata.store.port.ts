import type { ReadModelMutation } from './read-model-mutations.js';
import type { ListedObjectFields, ListingEntry } from './listing-tree.js';
import type { BucketDocument, CompletedUploadDocument, ManifestDocument, ObjectDocument, ReleasedBlobDocument, UploadDocument, VersionDocument } from './metadata.documents.js';

export interface ObjectRangeQuery {
  prefix: string;
  /** Exclusive lower bound, in UTF-8 byte order. */
  after?: string;
  limit: number;
}

/** A position in a version listing: keys ascending, each key's versions newest (highest seq) first. */
export interface VersionCursor {
  key: string;
  /**
   * Resume among this key's versions, below this seq (FROM_NEWEST_VERSION: at the newest);
   * absent: after all of the key's versions.
   */
  seq?: number;
}

/** A VersionCursor seq above every version's: the cursor resumes at the key's newest version. */
export const FROM_NEWEST_VERSION = Number.POSITIVE_INFINITY;

export interface VersionRangeQuery {
  prefix: string;
  /** Exclusive: versions strictly after this position. */
  after?: VersionCursor;
  limit: number;
}

/**
 * The metadata read model. Writes come only from projections (guarded by log position);
 * everything else reads.
 */
export abstract class MetadataStore {
  abstract applyMutation(mutation: ReadModelMutation): Promise<void>;

  /** Applies consecutive mutations of one partition; an adapter may batch them (replay). */
  async applyMutations(mutations: ReadonlyArray<ReadModelMutation>): Promise<void> {
    for (const mutation of mutations) await this.applyMutation(mutation);
  }
  abstract saveCheckpoint(projection: string, topic: string, partition: number, offset: number): Promise<void>;
  abstract loadCheckpoints(projection: string, topic: string): Promise<Map<number, number>>;

  abstract getBucket(name: string): Promise<BucketDocument | null>;
  abstract listBuckets(owner: string): Promise<BucketDocument[]>;
  /** The buckets with a lifecycle configuration whose names sort after `after`, by name, at most `limit` (an `_id` range). */
  abstract listLifecycleBuckets(after: string | undefined, limit: number): Promise<BucketDocument[]>;
  abstract getObject(bucket: string, key: string): Promise<ObjectDocument | null>;
  /** The current objects of those of `keys` that exist, in no particular order. */
  abstract getObjects(bucket: string, keys: readonly string[]): Promise<ObjectDocument[]>;
  abstract hasObjects(bucket: string): Promise<boolean>;
  /** One version (or delete marker) of a key. */
  abstract getVersion(bucket: string, key: string, versionId: string): Promise<VersionDocument | null>;
  /** Every version of the named keys, in no particular order. */
  abstract getVersionsOf(bucket: string, keys: readonly string[]): Promise<VersionDocument[]>;
  /** Whether any version or delete marker is left in the bucket. */
  abstract hasVersions(bucket: string): Promise<boolean>;
  /** Versions whose key starts with prefix, after `after`, keys in UTF-8 byte order, newest version first. */
  abstract listVersions(bucket: string, query: VersionRangeQuery): Promise<VersionDocument[]>;
  /** The multipart upload in progress with this id (none once completed or aborted). */
  abstract getUpload(uploadId: string): Promise<UploadDocument | null>;
  /** What the upload with this id answered when it completed, if it did (ADR 0020). */
  abstract getCompletedUpload(uploadId: string): Promise<CompletedUploadDocument | null>;
  /** Every upload in progress of a bucket, in no particular order. */
  abstract listUploads(bucket: string): Promise<UploadDocument[]>;
  /** A bucket's uploads in progress whose ids sort after `after`, by id, at most `limit`: the lifecycle worker's pages. */
  abstract listUploadsPage(bucket: string, after: string | undefined, limit: number): Promise<UploadDocument[]>;
  /** What a listing shows of the objects of a bucket whose key starts with prefix and sorts after `after`, in UTF-8 byte order. */
  abstract listObjects(bucket: string, query: ObjectRangeQuery): Promise<ListedObjectFields[]>;
  /**
   * What a listing with delimiter '/' reads: the objects directly under the prefix's level and
   * one entry per folder there, after `after`, in UTF-8 byte order (see listLevel).
   */
  abstract listLevel(bucket: string, query: ObjectRangeQuery): Promise<ListingEntry[]>;

  /** Payloads released at or before `before` (oldest first, at most `limit`): the janitor's work list. */
  abstract releasedBlobsDue(before: Date, limit: number): Promise<ReleasedBlobDocument[]>;
  /**
   * Whether any object still references this blob, as its `objectId` (a plain object, or a
   * multipart object's manifest) or among its `parts`, or an upload in progress among its
   * parts: copies share blobs, so a release of one key does not make a blob garbage. The
   * janitor's last check before deleting.
   */
  abstract isBlobReferenced(objectId: string): Promise<boolean>;
  /**
   * Hands a blob whose fate is unknown to the janitor: a write failed after its event may have
   * been appended. Recorded as a release at `at`, so it is deleted after the grace period unless
   * an object (or an upload) references it by then. Outside the log: a replay does not keep it.
   */
  abstract suspectBlob(objectId: string, bucket: string, key: string, at: Date): Promise<void>;
  /** Drops a release once its blob is deleted (or found still referenced). Idempotent. */
  abstract forgetReleasedBlob(objectId: string): Promise<void>;
  /** The part blobs of a multipart object, by its (manifest) objectId. */
  abstract getManifest(objectId: string): Promise<ManifestDocument | null>;
  /** Drops a manifest once its part blobs are deleted. Idempotent. */
  abstract forgetManifest(objectId: string): Promise<void>;
}
