import type { Collection, Db, Filter } from 'mongodb';
import type { ReadModelMutation } from '../projections/bucket-metadata/bucket-metadata.projection.js';
import type { BucketCorsPatch } from '../projections/bucket-cors/bucket-cors.projection.js';
import type { BucketNotificationPatch } from '../projections/bucket-notification/bucket-notification.projection.js';
import type { ObjectTagsPatch } from '../projections/object-tagging/object-tagging.projection.js';
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
  versionDocumentId,
  currentDocumentOf,
} from './metadata.documents.js';
import { NULL_VERSION_ID } from '../objects/domain/object-version.js';
import { MetadataStore, type ObjectRangeQuery, type VersionRangeQuery } from './metadata.store.port.js';

/**
 * MongoDB adapter. Uses only what FerretDB v1 offers as well: no transactions, no change
 * streams; each mutation is one guarded single-document write.
 */
export class MongoMetadataStore extends MetadataStore {
  private readonly buckets: Collection<BucketDocument>;
  private readonly objects: Collection<ObjectDocument>;
  private readonly checkpoints: Collection<CheckpointDocument>;
  private readonly releasedBlobs: Collection<ReleasedBlobDocument>;
  private readonly uploads: Collection<UploadDocument>;
  private readonly manifests: Collection<ManifestDocument>;
  private readonly versions: Collection<VersionDocument>;

  constructor(db: Db) {
    super();
    this.buckets = db.collection<BucketDocument>(COLLECTIONS.buckets);
    this.objects = db.collection<ObjectDocument>(COLLECTIONS.objects);
    this.checkpoints = db.collection<CheckpointDocument>(COLLECTIONS.checkpoints);
    this.releasedBlobs = db.collection<ReleasedBlobDocument>(COLLECTIONS.releasedBlobs);
    this.uploads = db.collection<UploadDocument>(COLLECTIONS.uploads);
    this.manifests = db.collection<ManifestDocument>(COLLECTIONS.manifests);
    this.versions = db.collection<VersionDocument>(COLLECTIONS.versions);
  }

  async ensureIndexes(): Promise<void> {
    await this.objects.createIndex({ bucket: 1, key: 1 }, { unique: true, name: 'bucket_key' });
    await this.buckets.createIndex({ owner: 1 }, { name: 'owner' });
    await this.releasedBlobs.createIndex({ releasedAt: 1 }, { name: 'released_at' });
    await this.versions.createIndex({ bucket: 1, key: 1, seq: -1 }, { name: 'bucket_key_seq' });
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
    const collection = this.wholeDocumentCollection(mutation.collection);
    const id = mutation.op === 'delete' ? mutation.id : mutation.doc._id;
    const offset = mutation.op === 'delete' ? mutation.position.offset : mutation.doc.offset;
    const current = await collection.findOne({ _id: id }, { projection: { offset: 1 } });
    if (current && current.offset >= offset) return;
    if (mutation.op === 'delete') {
      if (current) await collection.deleteOne({ _id: id });
      return;
    }
    const { _id, ...fields } = mutation.doc;
    if (current) await collection.replaceOne({ _id }, fields);
    else await collection.insertOne(mutation.doc);
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
   * The same outcome as applying the mutations one by one, in a few round trips: each upsert or
   * delete fully determines its document, so only the last one per document matters; their
   * current positions are read in one query, new documents inserted in one insertMany, gone
   * ones deleted in one deleteMany. A batch holding a partial patch (setNotification) or any
   * multipart upload change is applied one by one instead.
   */
  override async applyMutations(mutations: ReadonlyArray<ReadModelMutation | BucketNotificationPatch>): Promise<void> {
    const oneByOne = (m: ReadModelMutation | BucketNotificationPatch) =>
      m.op === 'setNotification' ||
      m.op === 'setVersioning' ||
      m.op === 'promoteVersion' ||
      m.op === 'setCors' ||
      m.op === 'setTags' ||
      m.collection === COLLECTIONS.uploads ||
      m.collection === COLLECTIONS.manifests;
    if (mutations.some(oneByOne)) return super.applyMutations(mutations);
    type Whole = Extract<ReadModelMutation, { op: 'upsert' | 'delete' }>;
    const last = new Map<string, Map<string, Whole>>([
      [COLLECTIONS.buckets, new Map()],
      [COLLECTIONS.objects, new Map()],
      [COLLECTIONS.versions, new Map()],
    ]);
    const releases = new Map<string, ReleasedBlobDocument>();
    for (const m of mutations) {
      if (m.op === 'release') {
        const earlier = releases.get(m.doc._id);
        if (!earlier || earlier.releasedAt < m.doc.releasedAt) releases.set(m.doc._id, m.doc);
      } else if (m.op === 'upsert' || m.op === 'delete') {
        const byId = last.get(m.collection)!;
        const id = m.op === 'delete' ? m.id : m.doc._id;
        byId.delete(id);
        byId.set(id, m);
      }
    }
    await this.applyWhole(this.buckets as unknown as Collection<PositionStamp & { _id: string }>, [...last.get(COLLECTIONS.buckets)!.values()]);
    await this.applyWhole(this.objects as unknown as Collection<PositionStamp & { _id: string }>, [...last.get(COLLECTIONS.objects)!.values()]);
    await this.applyWhole(this.versions as unknown as Collection<PositionStamp & { _id: string }>, [...last.get(COLLECTIONS.versions)!.values()]);
    // After the object writes, as one by one: a release is visible only once its key moved on.
    for (const doc of releases.values()) await this.recordRelease(doc);
  }

  private async applyWhole(
    collection: Collection<PositionStamp & { _id: string }>,
    mutations: Array<Extract<ReadModelMutation, { op: 'upsert' | 'delete' }>>,
  ): Promise<void> {
    if (mutations.length === 0) return;
    const idOf = (m: (typeof mutations)[number]) => (m.op === 'delete' ? m.id : m.doc._id);
    // Bare _id lookups, many in flight: FerretDB pushes those down, not an $in (which scans).
    const current = new Map<string, number>();
    await inParallel(mutations, 4, async (m) => {
      const doc = await collection.findOne({ _id: idOf(m) }, { projection: { offset: 1 } });
      if (doc) current.set(doc._id, doc.offset);
    });
    const inserts: Array<PositionStamp & { _id: string }> = [];
    const deletes: string[] = [];
    for (const m of mutations) {
      const have = current.get(idOf(m));
      const offset = m.op === 'delete' ? m.position.offset : m.doc.offset;
      if (have !== undefined && have >= offset) continue;
      if (m.op === 'delete') {
        if (have !== undefined) deletes.push(m.id);
      } else if (have !== undefined) {
        const { _id, ...fields } = m.doc;
        await collection.replaceOne({ _id }, fields);
      } else {
        inserts.push(m.doc);
      }
    }
    if (inserts.length > 0) await collection.insertMany(inserts);
    await inParallel(deletes, 4, (_id) => collection.deleteOne({ _id }));
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
    if (!current || current.offset >= mutation.position.offset) return;
    const { _id, ...fields } = current;
    const parts = [...fields.parts.filter((p) => p.partNumber !== mutation.part.partNumber), mutation.part].sort(
      (a, b) => a.partNumber - b.partNumber,
    );
    await this.uploads.replaceOne({ _id }, { ...fields, parts, partition: mutation.position.partition, offset: mutation.position.offset });
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
    const current = await this.buckets.findOne({ _id: id }, { projection: { offset: 1 } });
    if (!current || current.offset >= position.offset) return;
    const stamp = { partition: position.partition, offset: position.offset };
    await this.buckets.updateOne(
      { _id: id },
      notification ? { $set: { notification, ...stamp } } : { $set: stamp, $unset: { notification: '' } },
    );
  }

  private async setVersioning({ id, status, position }: Extract<ReadModelMutation, { op: 'setVersioning' }>): Promise<void> {
    const current = await this.buckets.findOne({ _id: id }, { projection: { offset: 1 } });
    if (!current || current.offset >= position.offset) return;
    await this.buckets.updateOne({ _id: id }, { $set: { versioning: status, partition: position.partition, offset: position.offset } });
  }

  /**
   * The key's current document after its newest version was removed: the version now newest, read
   * by bare _id (the decider named it), or none. Guarded by position like every mutation; a
   * redelivery finds the document already stamped with this or a later position.
   */
  private async promoteVersion({ bucket, key, versionId, position }: Extract<ReadModelMutation, { op: 'promoteVersion' }>): Promise<void> {
    const _id = objectDocumentId(bucket, key);
    const current = await this.objects.findOne({ _id }, { projection: { offset: 1 } });
    if (current && current.offset >= position.offset) return;
    const next = versionId === null ? null : await this.versions.findOne({ _id: versionDocumentId(bucket, key, versionId) });
    if (!next || next.isDeleteMarker) {
      if (current) await this.objects.deleteOne({ _id });
      return;
    }
    const doc = currentDocumentOf(next, position);
    if (current) await this.objects.replaceOne({ _id }, doc);
    else await this.objects.insertOne({ _id, ...doc });
  }

  getVersion(bucket: string, key: string, versionId: string): Promise<VersionDocument | null> {
    return this.versions.findOne({ _id: versionDocumentId(bucket, key, versionId) });
  }

  getVersionsOf(bucket: string, keys: readonly string[]): Promise<VersionDocument[]> {
    if (keys.length === 0) return Promise.resolve([]);
    return this.versions.find({ bucket, key: keys.length === 1 ? keys[0]! : { $in: [...keys] } }).toArray();
  }

  async hasVersions(bucket: string): Promise<boolean> {
    return (await this.versions.findOne({ bucket }, { projection: { _id: 1 } })) !== null;
  }

  async listVersions(bucket: string, { prefix, after, limit }: VersionRangeQuery): Promise<VersionDocument[]> {
    const out: VersionDocument[] = [];
    if (after?.seq !== undefined && after.key.startsWith(prefix)) {
      out.push(...(await this.versions.find({ bucket, key: after.key, seq: { $lt: after.seq } }).sort({ seq: -1 }).limit(limit).toArray()));
    }
    if (out.length >= limit) return out;
    const key: Record<string, string> = {};
    if (prefix) {
      key.$gte = prefix;
      const upper = prefixUpperBound(prefix);
      if (upper !== undefined) key.$lt = upper;
    }
    if (after !== undefined) key.$gt = after.key;
    const filter: Filter<VersionDocument> = Object.keys(key).length ? { bucket, key } : { bucket };
    out.push(...(await this.versions.find(filter).sort({ key: 1, seq: -1 }).limit(limit - out.length).toArray()));
    return out;
  }

  /** Guarded like setNotification; never creates a document. */
  private async setCors({ id, cors, position }: BucketCorsPatch): Promise<void> {
    const current = await this.buckets.findOne({ _id: id }, { projection: { offset: 1 } });
    if (!current || current.offset >= position.offset) return;
    const stamp = { partition: position.partition, offset: position.offset };
    await this.buckets.updateOne({ _id: id }, cors ? { $set: { cors, ...stamp } } : { $set: stamp, $unset: { cors: '' } });
  }

  /**
   * Guarded by position and by the version the tags were put on (its payload, and for the
   * key's current document its version id); never creates a document.
   */
  private async setTags({ collection, id, objectId, versionId, tags, position }: ObjectTagsPatch): Promise<void> {
    const documents = (collection === COLLECTIONS.versions ? this.versions : this.objects) as unknown as Collection<ObjectDocument>;
    const current = await documents.findOne({ _id: id }, { projection: { offset: 1, objectId: 1, versionId: 1 } });
    if (!current || current.offset >= position.offset || current.objectId !== objectId) return;
    if ((current.versionId ?? NULL_VERSION_ID) !== versionId) return;
    const stamp = { partition: position.partition, offset: position.offset };
    await documents.updateOne({ _id: id }, tags ? { $set: { tags, ...stamp } } : { $set: stamp, $unset: { tags: '' } });
  }

  async saveCheckpoint(projection: string, topic: string, partition: number, offset: number): Promise<void> {
    const _id = `${projection}:${topic}:${partition}`;
    const current = await this.checkpoints.findOne({ _id });
    if (current && current.offset >= offset) return;
    await this.checkpoints.replaceOne({ _id }, { projection, topic, partition, offset }, { upsert: true });
  }

  async loadCheckpoints(projection: string, topic: string): Promise<Map<number, number>> {
    const docs = await this.checkpoints.find({ projection, topic }).toArray();
    return new Map(docs.map((d) => [d.partition, d.offset]));
  }

  getBucket(name: string): Promise<BucketDocument | null> {
    return this.buckets.findOne({ _id: name });
  }

  listBuckets(owner: string): Promise<BucketDocument[]> {
    return this.buckets.find({ owner }).sort({ _id: 1 }).toArray();
  }

  getObject(bucket: string, key: string): Promise<ObjectDocument | null> {
    return this.objects.findOne({ _id: objectDocumentId(bucket, key) });
  }

  getObjects(bucket: string, keys: readonly string[]): Promise<ObjectDocument[]> {
    if (keys.length === 0) return Promise.resolve([]);
    return this.objects.find({ _id: { $in: keys.map((key) => objectDocumentId(bucket, key)) } }).toArray();
  }

  async hasObjects(bucket: string): Promise<boolean> {
    return (await this.objects.findOne({ bucket }, { projection: { _id: 1 } })) !== null;
  }

  listObjects(bucket: string, query: ObjectRangeQuery): Promise<ObjectDocument[]> {
    const key: Record<string, string> = {};
    if (query.prefix) {
      key.$gte = query.prefix;
      const upper = prefixUpperBound(query.prefix);
      if (upper !== undefined) key.$lt = upper;
    }
    if (query.after !== undefined) key.$gt = query.after;
    const filter: Filter<ObjectDocument> = Object.keys(key).length ? { bucket, key } : { bucket };
    return this.objects.find(filter).sort({ key: 1 }).limit(query.limit).toArray();
  }
}

/**
 * The smallest string above every string that starts with `prefix`, in UTF-8 byte order
 * (= code point order): the prefix with its last code point incremented. Undefined when the
 * prefix is all U+10FFFF, which no bound can follow.
 */
export function prefixUpperBound(prefix: string): string | undefined {
  const points = [...prefix].map((c) => c.codePointAt(0)!);
  while (points.length > 0) {
    const last = points.pop()!;
    if (last < 0x10ffff) {
      const next = last === 0xd7ff ? 0xe000 : last + 1; // skip the surrogate block
      return String.fromCodePoint(...points, next);
    }
  }
  return undefined;
}

/** Runs `task` over `items`, at most `limit` at a time. */
async function inParallel<T>(items: readonly T[], limit: number, task: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await task(items[next++]!);
    }),
  );
}
