import type { BucketPatch, ObjectVersionPatch, ReadModelMutation } from './read-model-mutations.js';
import type { Collection, Db } from 'mongodb';
import {
  COLLECTIONS,
  objectDocumentId,
  type BucketDocument,
  type CheckpointDocument,
  type CompletedUploadDocument,
  type ObjectDocument,
  type PositionStamp,
  type ManifestDocument,
  type ReleasedBlobDocument,
  type UploadDocument,
  type VersionDocument,
  currentDocumentOf,
} from './metadata.documents.js';
import { NULL_VERSION_ID } from '../bucket-stream/object-version.js';
import { MetadataStore, type ObjectRangeQuery, type VersionRangeQuery } from './metadata.store.port.js';
import { applyInBulk, isBulkMutation, type BulkMutation, type BulkTargets } from './mongo-bulk-apply.js';
import { MongoObjects } from './mongo-objects.js';
import { DigestLedger } from './digest-ledger.js';
import type { LogPosition } from '../event-log/event-envelope.js';
import { MongoVersions } from './mongo-versions.js';
import { MongoListingTree } from './mongo-listing-tree.js';
import { MongoCheckpoints } from './mongo-checkpoints.js';
import { MongoReleasedBlobs } from './mongo-released-blobs.js';
import { insertNew, type WholeDocuments } from './mongo-writes.js';
import { packedCollections, type PackedCollection } from './packed-collection.js';
import type { ListedObjectFields, ListingEntry } from './listing-tree.js';
import { BucketDocumentCache } from './bucket-document-cache.js';

/**
 * MongoDB adapter. Uses only what FerretDB v1 offers as well: no transactions, no change
 * streams; each mutation is one guarded single-document write.
 */
/**
 * The read model's shape: 2 since versions are id-ranged (ADR 0014), 3 with the listing tree
 * (ADR 0015), 4 since objects, versions and listing entries are packed (ADR 0027).
 */
export const READ_MODEL_FORMAT = 4;

/** The read model in a database cannot be read by this Sediment. */
export class ReadModelFormatError extends Error {}

export class MongoMetadataStore extends MetadataStore {
  private readonly buckets: Collection<BucketDocument>;
  private readonly objects: PackedCollection<ObjectDocument>;
  private readonly checkpoints: MongoCheckpoints;
  private readonly releasedBlobs: Collection<ReleasedBlobDocument>;
  private readonly released: MongoReleasedBlobs;
  private readonly uploads: Collection<UploadDocument>;
  private readonly completedUploads: Collection<CompletedUploadDocument>;
  private readonly versions: PackedCollection<VersionDocument>;
  private readonly objectsOf: MongoObjects;
  private readonly versionsOf: MongoVersions;
  private readonly tree: MongoListingTree;
  /** The model's digest, kept as its documents change (ADR 0014). */
  readonly ledger: DigestLedger;

  /** Set only for the live read model of a writing service (ADR 0030): its projection is then the only writer. */
  private readonly bucketCache: BucketDocumentCache | undefined;

  constructor(
    private readonly db: Db,
    options: { cacheBuckets?: boolean } = {},
  ) {
    super();
    this.bucketCache = options.cacheBuckets ? new BucketDocumentCache() : undefined;
    this.buckets = db.collection<BucketDocument>(COLLECTIONS.buckets);
    const packed = packedCollections(db);
    this.objects = packed.objects;
    this.releasedBlobs = db.collection<ReleasedBlobDocument>(COLLECTIONS.releasedBlobs);
    this.uploads = db.collection<UploadDocument>(COLLECTIONS.uploads);
    this.completedUploads = db.collection<CompletedUploadDocument>(COLLECTIONS.completedUploads);
    this.versions = packed.versions;
    this.objectsOf = new MongoObjects(this.objects);
    this.versionsOf = new MongoVersions(this.versions);
    this.tree = new MongoListingTree(packed.listingTree, this.objectsOf);
    this.ledger = new DigestLedger();
    this.checkpoints = new MongoCheckpoints(db.collection<CheckpointDocument>(COLLECTIONS.checkpoints), this.ledger);
    this.released = new MongoReleasedBlobs(this.releasedBlobs, db.collection<ManifestDocument>(COLLECTIONS.manifests));
  }

  /**
   * Checks that the database holds a read model of the shape this Sediment reads (ADR 0014
   * changed the ids of `versions`), marking a new one as such. A model built by an older
   * Sediment is refused: it must be rebuilt from the log, which `sediment replay` does.
   */
  async assertFormat(): Promise<void> {
    const formats = this.db.collection<{ _id: string; version: number }>(COLLECTIONS.format);
    const marker = await formats.findOne({ _id: 'format' });
    if (marker?.version === READ_MODEL_FORMAT) return;
    if (marker && marker.version > READ_MODEL_FORMAT) {
      throw new ReadModelFormatError(`database ${this.db.databaseName} holds a read model of format ${marker.version}, made by a newer Sediment`);
    }
    const used = (await this.checkpoints.any()) || (await this.buckets.findOne({})) !== null;
    if (used) {
      throw new ReadModelFormatError(
        `database ${this.db.databaseName} holds a read model made by an older Sediment (format ${marker?.version ?? 1}, this one reads ${READ_MODEL_FORMAT}). ` +
          'Rebuild it from the log: with the service stopped, run `sediment replay` (it builds a new database and makes it the one the next start serves), then start again.',
      );
    }
    await formats.updateOne({ _id: 'format' }, { $set: { version: READ_MODEL_FORMAT } }, { upsert: true });
  }

  /** Every index the read model has: those its queries use, and the janitor's. */
  async ensureIndexes(): Promise<void> {
    await this.ensureQueryIndexes();
    await this.ensureJanitorIndexes();
  }

  async ensureQueryIndexes(): Promise<void> {
    // Listings and lookups are `_id` ranges and points (ADR 0014): the `_id` index serves them,
    // and the secondary indexes they once used only cost every write.
    for (const [collection, name] of [
      [this.objects.raw, 'bucket_key'],
      [this.versions.raw, 'bucket_key_seq'],
    ] as const) {
      await collection.dropIndex(name).catch(() => undefined);
    }
    await this.buckets.createIndex({ owner: 1 }, { name: 'owner' });
    await this.releasedBlobs.createIndex({ releasedAt: 1 }, { name: 'released_at' });
  }

  /**
   * The janitor's reference check (isBlobReferenced) over every version; FerretDB scans
   * regardless, off the request path. A rebuild makes these once its documents are in (one sort
   * each), instead of growing them with every insert.
   */
  async ensureJanitorIndexes(): Promise<void> {
    await this.versions.raw.createIndex({ objectId: 1 }, { name: 'object_id' });
    await this.versions.raw.createIndex({ 'parts.objectId': 1 }, { name: 'parts_object_id' });
  }

  /**
   * Applies a projected change unless the document already reflects a later event. Shaped for
   * FerretDB's SQLite backend, which pushes only a bare _id equality of a find or an insert down
   * to SQLite: a filter with any other condition, and every update or delete, scans the whole
   * collection. So: read by _id, decide here, and insert when the document is new (the common
   * case of a new key); replacing or deleting an existing one still costs a scan there (not on
   * MongoDB). Reading first is safe because one consumer applies each partition in order, and a
   * document never changes partition.
   */
  async applyMutation(mutation: ReadModelMutation): Promise<void> {
    if (this.bucketCache && mutation.collection === COLLECTIONS.buckets) return this.invalidatingBuckets(() => this.applyOne(mutation));
    return this.applyOne(mutation);
  }

  /** Runs a write of bucket documents between two invalidations of the cache (BucketDocumentCache). */
  private async invalidatingBuckets(write: () => Promise<void>): Promise<void> {
    this.bucketCache!.invalidate();
    try {
      await write();
    } finally {
      this.bucketCache!.invalidate();
    }
  }

  private async applyOne(mutation: ReadModelMutation): Promise<void> {
    if (mutation.op === 'patchBucket') return this.patchBucket(mutation);
    if (mutation.op === 'patchVersion') return this.patchVersion(mutation);
    if (mutation.op === 'release') return this.released.record(mutation.doc);
    if (mutation.op === 'putPart') return this.putPart(mutation);
    if (mutation.op === 'recordManifest') return this.released.recordManifest(mutation.doc);
    if (mutation.op === 'recordCompletion') return this.recordCompletion(mutation.doc);
    if (mutation.op === 'setVersioning') return this.setVersioning(mutation);
    if (mutation.op === 'promoteVersion') return this.promoteVersion(mutation);
    if (mutation.op === 'deleteVersion') return this.removeVersion(mutation);
    const collection = this.wholeDocumentCollection(mutation.collection);
    const id = mutation.op === 'delete' ? mutation.id : mutation.doc._id;
    const offset = mutation.op === 'delete' ? mutation.position.offset : mutation.doc.offset;
    const current = await collection.findOne({ _id: id });
    const isObject = mutation.collection === COLLECTIONS.objects;
    if (current && current.offset >= offset) {
      // This very write seen again: the listing tree may not have followed it yet.
      if (isObject && mutation.op === 'upsert' && current.offset === offset) await this.tree.put([{ doc: current as unknown as ObjectDocument, isNew: false }]);
      return this.ledger.unaccounted(current.partition);
    }
    if (mutation.op === 'delete') {
      if (current) await collection.deleteOne({ _id: id });
      this.ledger.record(mutation.collection, current, null);
      if (isObject) await this.tree.remove([id]);
      return;
    }
    const { _id, ...fields } = mutation.doc;
    if (current) await collection.replaceOne({ _id }, fields);
    else await collection.insertOne(mutation.doc);
    this.ledger.record(mutation.collection, current, mutation.doc);
    if (isObject) await this.tree.put([{ doc: mutation.doc as ObjectDocument, isNew: current === null }]);
  }

  private async removeVersion({ bucket, key, versionId, position }: Extract<ReadModelMutation, { op: 'deleteVersion' }>): Promise<void> {
    const gone = await this.versionsOf.get(bucket, key, versionId);
    if (!gone) return;
    // A version at or after this event: this is a removal seen again (ADR 0014).
    if (gone.seq >= position.offset) return this.ledger.unaccounted(gone.partition);
    await this.versions.deleteOne({ _id: gone._id });
    this.ledger.record(COLLECTIONS.versions, gone, null);
  }

  private wholeDocumentCollection(name: string): WholeDocuments<PositionStamp & { _id: string }> {
    const byName: Record<string, unknown> = {
      [COLLECTIONS.buckets]: this.buckets,
      [COLLECTIONS.uploads]: this.uploads,
      [COLLECTIONS.objects]: this.objects,
      [COLLECTIONS.versions]: this.versions,
    };
    return byName[name] as WholeDocuments<PositionStamp & { _id: string }>;
  }

  /**
   * The same outcome as applying the mutations one by one, in a few round trips: runs of whole
   * document writes, version removals and releases go through the bulk path (mongo-bulk-apply.ts),
   * partial patches and upload changes one by one, in order.
   */
  override async applyMutations(mutations: ReadonlyArray<ReadModelMutation>): Promise<void> {
    if (this.bucketCache && mutations.some((m) => m.collection === COLLECTIONS.buckets)) return this.invalidatingBuckets(() => this.applyAll(mutations));
    return this.applyAll(mutations);
  }

  private async applyAll(mutations: ReadonlyArray<ReadModelMutation>): Promise<void> {
    let run: BulkMutation[] = [];
    const flush = async () => {
      if (run.length > 0) await applyInBulk(this.bulkTargets, run);
      run = [];
    };
    for (const mutation of mutations) {
      if (isBulkMutation(mutation)) run.push(mutation);
      else {
        await flush();
        await this.applyOne(mutation);
      }
    }
    await flush();
  }

  private get bulkTargets(): BulkTargets {
    return {
      buckets: this.buckets as unknown as BulkTargets['buckets'],
      objects: this.objects as unknown as BulkTargets['objects'],
      versions: this.versions,
      releasedBlobs: this.releasedBlobs,
      recordRelease: (doc) => this.released.record(doc),
      removeVersion: (mutation) => this.removeVersion(mutation),
      ledger: this.ledger,
      tree: this.tree,
    };
  }

  /**
   * Whether any version of any key (current or not; every object has a version document) still
   * holds the blob, as its payload or as one of its parts.
   */
  async isBlobReferenced(objectId: string): Promise<boolean> {
    const filter = { $or: [{ objectId }, { 'parts.objectId': objectId }] };
    if ((await this.versions.raw.findOne(filter, { projection: { _id: 1 } })) !== null) return true;
    return (await this.uploads.findOne({ 'parts.objectId': objectId }, { projection: { _id: 1 } })) !== null;
  }

  /** Read, change, replace: guarded by the upload's position; never creates a document. */
  private async putPart(mutation: Extract<ReadModelMutation, { op: 'putPart' }>): Promise<void> {
    const current = await this.uploads.findOne({ _id: mutation.id });
    if (!current) return;
    const parts = [...current.parts.filter((p) => p.partNumber !== mutation.part.partNumber), mutation.part].sort(
      (a, b) => a.partNumber - b.partNumber,
    );
    await this.patch(COLLECTIONS.uploads, current, { parts }, [], mutation.position);
  }

  /**
   * Read, change, replace a document of a digested collection, guarded by its position (a
   * redelivery finds it already at this event or a later one), and kept in the ledger.
   */
  private async patch<D extends PositionStamp & { _id: string }>(
    collection: typeof COLLECTIONS.buckets | typeof COLLECTIONS.objects | typeof COLLECTIONS.versions | typeof COLLECTIONS.uploads,
    current: D,
    set: Partial<D>,
    unset: ReadonlyArray<keyof D>,
    position: LogPosition,
  ): Promise<void> {
    if (current.offset >= position.offset) return this.ledger.unaccounted(current.partition);
    const next = { ...current, ...set, partition: position.partition, offset: position.offset };
    for (const field of unset) delete next[field];
    const { _id, ...fields } = next;
    await (this.wholeDocumentCollection(collection) as unknown as WholeDocuments<D>).replaceOne({ _id }, fields as Omit<D, '_id'>);
    this.ledger.record(collection, current, next);
  }

  /** Uploads in progress are few (each ends on complete or abort), so even FerretDB's scan stays small. */
  listUploads(bucket: string): Promise<UploadDocument[]> {
    return this.uploads.find({ bucket }).toArray();
  }

  /** Off the request path (the lifecycle worker), like listUploads: uploads are few, and their ids are random. */
  listUploadsPage(bucket: string, after: string | undefined, limit: number): Promise<UploadDocument[]> {
    return this.uploads
      .find(after === undefined ? { bucket } : { bucket, _id: { $gt: after } })
      .sort({ _id: 1 })
      .limit(limit)
      .toArray();
  }

  getUpload(uploadId: string): Promise<UploadDocument | null> {
    return this.uploads.findOne({ _id: uploadId });
  }

  getCompletedUpload(uploadId: string): Promise<CompletedUploadDocument | null> {
    return this.completedUploads.findOne({ _id: uploadId });
  }

  /** Insert-if-absent (an `_id` point read, then an insert): a redelivery changes nothing. */
  private async recordCompletion(doc: CompletedUploadDocument): Promise<void> {
    if (await this.completedUploads.findOne({ _id: doc._id }, { projection: { _id: 1 } })) return;
    await insertNew(this.completedUploads, [doc]);
  }

  /** Guarded by the bucket document's position like every mutation; never creates a document. */
  private async patchBucket({ id, field, value, position }: BucketPatch): Promise<void> {
    const current = await this.buckets.findOne({ _id: id });
    if (current) await this.patch(COLLECTIONS.buckets, current, value === null ? {} : { [field]: value }, value === null ? [field] : [], position);
  }

  private async setVersioning({ id, status, position }: Extract<ReadModelMutation, { op: 'setVersioning' }>): Promise<void> {
    const current = await this.buckets.findOne({ _id: id });
    if (current) await this.patch(COLLECTIONS.buckets, current, { versioning: status }, [], position);
  }

  /**
   * The key's current document after its newest version was removed: the version now newest, read
   * by bare _id (the decider named it), or none. Guarded by position like every mutation; a
   * redelivery finds the document already stamped with this or a later position.
   */
  private async promoteVersion({ bucket, key, versionId, position }: Extract<ReadModelMutation, { op: 'promoteVersion' }>): Promise<void> {
    const _id = objectDocumentId(bucket, key);
    const current = await this.objects.findOne({ _id });
    if (current && current.offset >= position.offset) {
      if (current.offset === position.offset) await this.tree.put([{ doc: current, isNew: false }]);
      return this.ledger.unaccounted(current.partition);
    }
    const next = versionId === null ? null : await this.versionsOf.get(bucket, key, versionId);
    if (!next || next.isDeleteMarker) {
      if (current) await this.objects.deleteOne({ _id });
      this.ledger.record(COLLECTIONS.objects, current, null);
      await this.tree.remove([_id]);
      return;
    }
    const fields = currentDocumentOf(next, position);
    const doc = { _id, ...fields };
    if (current) await this.objects.replaceOne({ _id }, fields);
    else await this.objects.insertOne(doc);
    this.ledger.record(COLLECTIONS.objects, current, doc);
    await this.tree.put([{ doc, isNew: current === null }]);
  }

  getVersion(bucket: string, key: string, versionId: string): Promise<VersionDocument | null> {
    return this.versionsOf.get(bucket, key, versionId);
  }

  getVersionsOf(bucket: string, keys: readonly string[]): Promise<VersionDocument[]> {
    return this.versionsOf.ofKeys(bucket, keys);
  }

  hasVersions(bucket: string): Promise<boolean> {
    return this.versionsOf.any(bucket);
  }

  listVersions(bucket: string, query: VersionRangeQuery): Promise<VersionDocument[]> {
    return this.versionsOf.list(bucket, query);
  }

  /**
   * Guarded by position and by the version the tags were put on (its payload, and for the
   * key's current document its version id); never creates a document.
   */
  private async patchVersion({ collection, bucket, key, objectId, versionId, field, value, position }: ObjectVersionPatch): Promise<void> {
    const current = (
      collection === COLLECTIONS.versions ? await this.versionsOf.get(bucket, key, versionId) : await this.objects.findOne({ _id: objectDocumentId(bucket, key) })
    ) as ObjectDocument | null;
    // A fact about another object or version under the key changes nothing: not a redelivery.
    if (!current || current.objectId !== objectId || (current.versionId ?? NULL_VERSION_ID) !== versionId) return;
    await this.patch(collection, current, value === null ? {} : { [field]: value }, value === null ? [field] : [], position);
  }

  suspectBlob(objectId: string, bucket: string, key: string, at: Date): Promise<void> {
    return this.released.suspect(objectId, bucket, key, at);
  }

  releasedBlobsDue(before: Date, limit: number): Promise<ReleasedBlobDocument[]> {
    return this.released.due(before, limit);
  }

  forgetReleasedBlob(objectId: string): Promise<void> {
    return this.released.forget(objectId);
  }

  getManifest(objectId: string): Promise<ManifestDocument | null> {
    return this.released.getManifest(objectId);
  }

  forgetManifest(objectId: string): Promise<void> {
    return this.released.forgetManifest(objectId);
  }

  saveCheckpoint(projection: string, topic: string, partition: number, offset: number): Promise<void> {
    return this.checkpoints.save(projection, topic, partition, offset);
  }

  loadCheckpoints(projection: string, topic: string): Promise<Map<number, number>> {
    return this.checkpoints.load(projection, topic);
  }

  seedLedger(topic: string, ledger: DigestLedger): Promise<void> {
    return this.checkpoints.seedLedger(topic, ledger);
  }

  getBucket(name: string): Promise<BucketDocument | null> {
    const read = (id: string) => this.buckets.findOne({ _id: id });
    return this.bucketCache ? this.bucketCache.get(name, read) : read(name);
  }

  listBuckets(owner: string): Promise<BucketDocument[]> {
    return this.buckets.find({ owner }).sort({ _id: 1 }).toArray();
  }

  listLifecycleBuckets(after: string | undefined, limit: number): Promise<BucketDocument[]> {
    const range = after === undefined ? {} : { _id: { $gt: after } };
    return this.buckets.find({ ...range, lifecycle: { $exists: true } }).sort({ _id: 1 }).limit(limit).toArray();
  }

  getObject(bucket: string, key: string): Promise<ObjectDocument | null> {
    return this.objectsOf.get(bucket, key);
  }

  getObjects(bucket: string, keys: readonly string[]): Promise<ObjectDocument[]> {
    return this.objectsOf.getMany(bucket, keys);
  }

  hasObjects(bucket: string): Promise<boolean> {
    return this.objectsOf.any(bucket);
  }

  listObjects(bucket: string, query: ObjectRangeQuery): Promise<ListedObjectFields[]> {
    return this.objectsOf.list(bucket, query);
  }

  listLevel(bucket: string, query: ObjectRangeQuery): Promise<ListingEntry[]> {
    return this.tree.list(bucket, query);
  }
}
