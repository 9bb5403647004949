// The read model's mutations: what the bucket-metadata projection computes from each event and
// the store applies. They are the store's language, so they live with it; the projections only
// produce them.
import type { LogPosition } from '../event-log/event-envelope.js';
import {
  COLLECTIONS,
  type BucketDocument,
  type CompletedUploadDocument,
  type ManifestDocument,
  type ObjectDocument,
  type ReleasedBlobDocument,
  type UploadDocument,
  type UploadPartDocument,
  type VersionDocument,
} from './metadata.documents.js';

export type ReadModelMutation =
  | { collection: typeof COLLECTIONS.buckets; op: 'upsert'; doc: BucketDocument }
  /**
   * `replaces`: the event says the key held an object (it released that object's payload), so the
   * store replaces the document rather than trying an insert that would meet it. A hint only: the
   * outcome is the same without it.
   */
  | { collection: typeof COLLECTIONS.objects; op: 'upsert'; doc: ObjectDocument; replaces?: true }
  | { collection: typeof COLLECTIONS.versions; op: 'upsert'; doc: VersionDocument }
  | { collection: typeof COLLECTIONS.buckets | typeof COLLECTIONS.objects; op: 'delete'; id: string; position: LogPosition }
  /**
   * Removes the version `versionId` of a key (a version's id holds its seq, which the event does
   * not know: ADR 0014), if it was written before this event: a redelivery never removes a later
   * `null` version of the same key.
   */
  | { collection: typeof COLLECTIONS.versions; op: 'deleteVersion'; bucket: string; key: string; versionId: string; position: LogPosition }
  /**
   * After the key's newest version was removed: the key's `objects` document becomes the version
   * `versionId` (now the newest), or goes if that is a delete marker or null. Reads that version
   * by _id from `versions`, so batches holding one are applied one by one.
   */
  | { collection: typeof COLLECTIONS.objects; op: 'promoteVersion'; bucket: string; key: string; versionId: string | null; position: LogPosition }
  /** Sets the bucket document's `versioning`; never creates the document. */
  | { collection: typeof COLLECTIONS.buckets; op: 'setVersioning'; id: string; status: NonNullable<BucketDocument['versioning']>; position: LogPosition }
  /**
   * Insert-if-absent, except that a later release of the same objectId (a blob shared by copies,
   * released once per key letting go of it) replaces an earlier one: a redelivery changes nothing.
   */
  | { collection: typeof COLLECTIONS.releasedBlobs; op: 'release'; doc: ReleasedBlobDocument }
  /** Insert-if-absent, like a release: a manifest id is completed once in the log. */
  | { collection: typeof COLLECTIONS.manifests; op: 'recordManifest'; doc: ManifestDocument }
  /** Insert-if-absent, like a manifest: an upload id is completed once in the log. */
  | { collection: typeof COLLECTIONS.completedUploads; op: 'recordCompletion'; doc: CompletedUploadDocument }
  | { collection: typeof COLLECTIONS.uploads; op: 'upsert'; doc: UploadDocument }
  | { collection: typeof COLLECTIONS.uploads; op: 'delete'; id: string; position: LogPosition }
  /** A partial change of an upload: batches holding one are applied one by one. */
  | { collection: typeof COLLECTIONS.uploads; op: 'putPart'; id: string; part: UploadPartDocument; position: LogPosition }
  | BucketPatch
  | ObjectVersionPatch;

/** The projection that writes these, by name: its checkpoints carry the digest ledger. */
export const BUCKET_METADATA_PROJECTION = 'bucket-metadata';

/** The fields of a bucket document that its configuration events set and remove. */
export type BucketConfigurationField = 'notification' | 'cors' | 'tags' | 'publicAccessBlock' | 'objectOwnership' | 'lifecycle' | 'objectLock';

/**
 * Sets one configuration field of a bucket document (`value`), or removes it (null). Unlike the
 * other mutations it does not carry the whole document: the event only knows the configuration.
 * It applies only to a document stamped with an earlier position, never creates one: a
 * configuration cannot outlive its bucket, and a later BucketCreated of the name writes a
 * document without it.
 */
export type BucketPatch = {
  [F in BucketConfigurationField]: {
    collection: typeof COLLECTIONS.buckets;
    op: 'patchBucket';
    id: string;
    field: F;
    value: NonNullable<BucketDocument[F]> | null;
    position: LogPosition;
  };
}[BucketConfigurationField];

/** The fields of a version that facts after its write set and remove: its tags and its lock. */
export type ObjectVersionField = 'tags' | 'retention' | 'legalHold' | 'acl';

/**
 * Sets one field of an object document (`value`), or removes it (null): its tags, retention or
 * legal hold. Like the bucket patch it carries only what the event knows, applies only over an
 * earlier position and never creates a document; and only while the document still holds the
 * object the fact is about (`objectId`), so it never lands on a newer object stored under the key.
 */
export type ObjectVersionPatch = {
  [F in ObjectVersionField]: {
    /** The version's document, and the key's current document while it is that version. */
    collection: typeof COLLECTIONS.objects | typeof COLLECTIONS.versions;
    op: 'patchVersion';
    bucket: string;
    key: string;
    objectId: string;
    /** The version named: the `objects` document is patched only while it is this version. */
    versionId: string;
    field: F;
    value: NonNullable<ObjectDocument[F]> | null;
    position: LogPosition;
  };
}[ObjectVersionField];
