import { BUCKET_METADATA_PROJECTION, type BucketCorsPatch, type BucketNotificationPatch, type ObjectTagsPatch, type ReadModelMutation } from './read-model-mutations.js';
import type { Collection, Db, Filter } from 'mongodb';
import {
  COLLECTIONS,
  objectDocumentId,
  type BucketDocument,
  type CheckpointDocument,
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
import type { ListedObjectFields, ListingEntry, ListingTreeDocument } from './listing-tree.js';

/**
 * MongoDB adapter. Uses only what FerretDB v1 offers as well: no transactions, no change
 * streams; each mutation is one guarded single-document write.
 */
/** The read model's shape: 2 since versions are id-ranged (ADR 0014), 3 with the listing tree (ADR 0015). */
export const READ_MODEL_FORMAT = 3;

/** The read model in a database cannot be read by this Sediment. */
export class ReadModelFormatError extends Error {}

export class MongoMetadataStore extends MetadataStore {
  private readonly buckets: Collection<BucketDocument>;
  private readonly objects: Collection<ObjectDocument>;
  private readonly checkpoints: Collection<CheckpointDocument>;
  private readonly releasedBlobs: Collection<ReleasedBlobDocument>;
  private readonly uploads: Collection<UploadDocument>;
  private readonly manifests: Collection<ManifestDocument>;
  private readonly versions: Collection<VersionDocument>;
  private readonly objectsOf: MongoObjects;
  private readonly versionsOf: MongoVersions;
  private readonly tree: MongoListingTree;
  /** The model's digest, kept as its documents change (ADR 0014). */
  readonly ledger: DigestLedger;

  constructor(private readonly db: Db) {
    super();
    this.buckets = db.collection<BucketDocument>(COLLECTIONS.buckets);
    this.objects = db.collection<ObjectDocument>(COLLECTIONS.objects);
    this.checkpoints = db.collection<CheckpointDocument>(COLLECTIONS.checkpoints);
    this.releasedBlobs = db.collection<ReleasedBlobDocument>(COLLECTIONS.releasedBlobs);
    this.uploads = db.collection<UploadDocument>(COLLECTIONS.uploads);
    this.manifests = db.collection<ManifestDocument>(COLLECTIONS.manifests);
    this.versions = db.collection<VersionDocument>(COLLECTIONS.versions);
    this.objectsOf = new MongoObjects(this.objects);
    this.versionsOf = new MongoVersions(this.versions);
    this.tree = new MongoListingTree(db.collection<ListingTreeDocument>(COLLECTIONS.listingTree), this.objectsOf);
    this.ledger = new DigestLedger();
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
    const used = (await this.checkpoints.findOne({})) !== null || (await this.buckets.findOne({})) !== null;
    if (used) {
      throw new ReadModelFormatError(
        `database ${this.db.databaseName} holds a read model made by an older Sediment (format ${marker?.version ?? 1}, this one reads ${READ_MODEL_FORMAT}). ` +
          'Rebuild it from the log: with the service stopped, run `sediment replay` (it builds a new database and makes it the one the next start serves), then start again.',
      );
    }
    await formats.updateOne({ _id: 'format' }, { $set: { version: READ_MODEL_FORMAT } }, { upsert: true });
  }

  async ensureIndexes(): Promise<void> {
    // Listings and lookups are `_id` ranges and points (ADR 0014): the `_id` index serves them,
    // and the secondary indexes they once used only cost every write.
    for (const [collection, name] of [
      [this.objects, 'bucket_key'],
      [this.versions, 'bucket_key_seq'],
    ] as const) {
      await (collection as unknown as Collection).dropIndex(name).catch(() => undefined);
    }
    await this.buckets.createIndex({ owner: 1 }, { name: 'owner' });
    await this.releasedBlobs.createIndex({ releasedAt: 1 }, { name: 'released_at' });
    // The janitor's reference check (isBlobReferenced) over every version; FerretDB scans regardless, off the request path.
    await this.versions.createIndex({ objectId: 1 }, { name: 'object_id' });
    await this.versions.createIndex({ 'parts.objectId': 1 }, { name: 'parts_object_id' });
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
  async applyMutation(mutation: ReadModelMutation | BucketNotificationPatch): Promise<void> {
    if (mutation.op === 'setNotification') return this.setNotification(mutation);
    if (mutation.op === 'setCors') return this.setCors(mutation);
    if (mutation.op === 'setTags') return this.setTags(mutation);
    if (mutation.op === 'release') return this.recordRelease(mutation.doc);
    if (mutation.op === 'putPart') return this.putPart(mutation);
    if (mutation.op === 'recordManifest') return this.recordManifest(mutation.doc);
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

  private wholeDocumentCollection(name: string): Collection<PositionStamp & { _id: string }> {
    const byName: Record<string, unknown> = {
      [COLLECTIONS.buckets]: this.buckets,
      [COLLECTIONS.uploads]: this.uploads,
      [COLLECTIONS.objects]: this.objects,
      [COLLECTIONS.versions]: this.versions,
    };
    return byName[name] as Collection<PositionStamp & { _id: string }>;
  }

  /**
   * The same outcome as applying the mutations one by one, in a few round trips: runs of whole
   * document writes, version removals and releases go through the bulk path (mongo-bulk-apply.ts),
   * partial patches and upload changes one by one, in order.
   */
  override async applyMutations(mutations: ReadonlyArray<ReadModelMutation | BucketNotificationPatch>): Promise<void> {
    let run: BulkMutation[] = [];
    const flush = async () => {
      if (run.length > 0) await applyInBulk(this.bulkTargets, run);
      run = [];
    };
    for (const mutation of mutations) {
      if (isBulkMutation(mutation)) run.push(mutation);
      else {
        await flush();
        await this.applyMutation(mutation);
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
      recordRelease: (doc) => this.recordRelease(doc),
      removeVersion: (mutation) => this.removeVersion(mutation),
      ledger: this.ledger,
      tree: this.tree,
    };
  }

  /**
   * Insert-if-absent by bare _id (the fast path on FerretDB). A blob shared by copies is released
   * once per key that lets go of it, so an existing record may be an earlier release of the same
   * blob: the later release time wins (the grace period runs from the last reference going), and
   * a redelivered, older or equal release changes nothing.
   */
  private async recordRelease(doc: ReleasedBlobDocument): Promise<void> {
    const current = await this.releasedBlobs.findOne({ _id: doc._id }, { projection: { releasedAt: 1 } });
    if (current) {
      if (current.releasedAt >= doc.releasedAt) return;
      const { _id, ...fields } = doc;
      await this.releasedBlobs.replaceOne({ _id }, fields);
      return;
    }
    try {
      await this.releasedBlobs.insertOne(doc);
    } catch (error) {
      if ((error as { code?: unknown }).code !== 11000) throw error; // duplicate key: already recorded
    }
  }

  /**
   * Whether any version of any key (current or not; every object has a version document) still
   * holds the blob, as its payload or as one of its parts.
   */
  async isBlobReferenced(objectId: string): Promise<boolean> {
    const filter: Filter<VersionDocument> = { $or: [{ objectId }, { 'parts.objectId': objectId }] };
    if ((await this.versions.findOne(filter, { projection: { _id: 1 } })) !== null) return true;
    return (await this.uploads.findOne({ 'parts.objectId': objectId }, { projection: { _id: 1 } })) !== null;
  }

  /** Not a fact of the log, so no log position: -1 never guards anything (releases compare times). */
  suspectBlob(objectId: string, bucket: string, key: string, at: Date): Promise<void> {
    return this.recordRelease({ _id: objectId, bucket, key, releasedAt: at, partition: -1, offset: -1 });
  }

  /**
   * Releases at or before `before`, oldest first. The collection holds only payloads still
   * waiting out their grace period, so even FerretDB's full scan of it stays small.
   */
  releasedBlobsDue(before: Date, limit: number): Promise<ReleasedBlobDocument[]> {
    return this.releasedBlobs.find({ releasedAt: { $lte: before } }).sort({ releasedAt: 1 }).limit(limit).toArray();
  }

  async forgetReleasedBlob(objectId: string): Promise<void> {
    await this.releasedBlobs.deleteOne({ _id: objectId });
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
    await (this.wholeDocumentCollection(collection) as unknown as Collection<D>).replaceOne({ _id } as Filter<D>, fields as unknown as D);
    this.ledger.record(collection, current, next);
  }

  private async recordManifest(doc: ManifestDocument): Promise<void> {
    if (await this.manifests.findOne({ _id: doc._id }, { projection: { _id: 1 } })) return;
    try {
      await this.manifests.insertOne(doc);
    } catch (error) {
      if ((error as { code?: unknown }).code !== 11000) throw error; // duplicate key: already recorded
    }
  }

  getManifest(objectId: string): Promise<ManifestDocument | null> {
    return this.manifests.findOne({ _id: objectId });
  }

  async forgetManifest(objectId: string): Promise<void> {
    await this.manifests.deleteOne({ _id: objectId });
  }

  /** Uploads in progress are few (each ends on complete or abort), so even FerretDB's scan stays small. */
  listUploads(bucket: string): Promise<UploadDocument[]> {
    return this.uploads.find({ bucket }).toArray();
  }

  getUpload(uploadId: string): Promise<UploadDocument | null> {
    return this.uploads.findOne({ _id: uploadId });
  }

  /** Guarded by the bucket document's position like every mutation; never creates a document. */
  private async setNotification({ id, notification, position }: BucketNotificationPatch): Promise<void> {
    const current = await this.buckets.findOne({ _id: id });
    if (current) await this.patch(COLLECTIONS.buckets, current, notification ? { notification } : {}, notification ? [] : ['notification'], position);
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

  /** Guarded like setNotification; never creates a document. */
  private async setCors({ id, cors, position }: BucketCorsPatch): Promise<void> {
    const current = await this.buckets.findOne({ _id: id });
    if (current) await this.patch(COLLECTIONS.buckets, current, cors ? { cors } : {}, cors ? [] : ['cors'], position);
  }

  /**
   * Guarded by position and by the version the tags were put on (its payload, and for the
   * key's current document its version id); never creates a document.
   */
  private async setTags({ collection, bucket, key, objectId, versionId, tags, position }: ObjectTagsPatch): Promise<void> {
    const current = (
      collection === COLLECTIONS.versions ? await this.versionsOf.get(bucket, key, versionId) : await this.objects.findOne({ _id: objectDocumentId(bucket, key) })
    ) as ObjectDocument | null;
    // Tags of another object or version under the key change nothing: not a redelivery.
    if (!current || current.objectId !== objectId || (current.versionId ?? NULL_VERSION_ID) !== versionId) return;
    await this.patch(collection, current, tags ? { tags } : {}, tags ? [] : ['tags'], position);
  }

  /** The bucket-metadata projection's checkpoints also carry its partition's ledger (ADR 0014). */
  async saveCheckpoint(projection: string, topic: string, partition: number, offset: number): Promise<void> {
    const _id = `${projection}:${topic}:${partition}`;
    const current = await this.checkpoints.findOne({ _id });
    if (current && current.offset >= offset) return;
    const ledger = projection === BUCKET_METADATA_PROJECTION ? this.ledger.save(partition) : undefined;
    await this.checkpoints.replaceOne({ _id }, { projection, topic, partition, offset, ...(ledger ? { ledger } : {}) }, { upsert: true });
  }

  async loadCheckpoints(projection: string, topic: string): Promise<Map<number, number>> {
    const docs = await this.checkpoints.find({ projection, topic }).toArray();
    if (projection === BUCKET_METADATA_PROJECTION) {
      for (const d of docs) {
        // A model whose checkpoint has no ledger (built before ledgers): not exact.
        if (d.ledger) this.ledger.load(d.partition, d.ledger);
        else this.ledger.unaccounted(d.partition);
      }
    }
    return new Map(docs.map((d) => [d.partition, d.offset]));
  }

  /**
   * Stores with each checkpoint of the bucket-metadata projection the ledger computed from the
   * documents: when the one kept as it wrote is not exact (ADR 0014).
   */
  async seedLedger(topic: string, ledger: DigestLedger): Promise<void> {
    const docs = await this.checkpoints.find({ projection: BUCKET_METADATA_PROJECTION, topic }).toArray();
    for (const d of docs) await this.checkpoints.updateOne({ _id: d._id }, { $set: { ledger: ledger.save(d.partition) } });
  }

  getBucket(name: string): Promise<BucketDocument | null> {
    return this.buckets.findOne({ _id: name });
  }

  listBuckets(owner: string): Promise<BucketDocument[]> {
    return this.buckets.find({ owner }).sort({ _id: 1 }).toArray();
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
