import type { ReadModelMutation } from '../../src/metadata/read-model-mutations.js';
import {
  COLLECTIONS,
  objectDocumentId,
  type BucketDocument,
  type CompletedUploadDocument,
  type ObjectDocument,
  type ManifestDocument,
  type ReleasedBlobDocument,
  type UploadDocument,
  type VersionDocument,
  currentDocumentOf,
} from '../../src/metadata/metadata.documents.js';
import { listLevel, type ListingEntry } from '../../src/metadata/listing-tree.js';
import { MetadataStore, type ObjectRangeQuery, type VersionRangeQuery } from '../../src/metadata/metadata.store.port.js';

const utf8Compare = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** Unit-test double of the read model with the same position guards as the MongoDB adapter. */
export class InMemoryMetadataStore extends MetadataStore {
  readonly buckets = new Map<string, BucketDocument>();
  readonly objects = new Map<string, ObjectDocument>();
  readonly checkpoints = new Map<string, number>();
  readonly releasedBlobs = new Map<string, ReleasedBlobDocument>();
  readonly uploads = new Map<string, UploadDocument>();
  readonly manifests = new Map<string, ManifestDocument>();
  readonly completedUploads = new Map<string, CompletedUploadDocument>();
  readonly versions = new Map<string, VersionDocument>();

  async applyMutation(m: ReadModelMutation): Promise<void> {
    if (m.op === 'patchBucket') {
      const current = this.buckets.get(m.id);
      if (!current || current.offset >= m.position.offset) return;
      const { [m.field]: _previous, ...rest } = current;
      const stamp = { partition: m.position.partition, offset: m.position.offset };
      this.buckets.set(m.id, m.value === null ? { ...rest, ...stamp } : { ...rest, ...stamp, [m.field]: sameRealmClone(m.value) });
      return;
    }
    if (m.op === 'patchVersion') {
      const table = (m.collection === COLLECTIONS.versions ? this.versions : this.objects) as Map<string, ObjectDocument>;
      const id = m.collection === COLLECTIONS.versions ? this.versionNamed(m.bucket, m.key, m.versionId)?._id : objectDocumentId(m.bucket, m.key);
      const current = id === undefined ? undefined : table.get(id);
      if (!current || current.offset >= m.position.offset || current.objectId !== m.objectId) return;
      if ((current.versionId ?? 'null') !== m.versionId) return;
      const { [m.field]: _previous, ...rest } = current;
      const stamp = { partition: m.position.partition, offset: m.position.offset };
      table.set(current._id, m.value === null ? { ...rest, ...stamp } : { ...rest, ...stamp, [m.field]: sameRealmClone(m.value) });
      return;
    }
    if (m.op === 'deleteVersion') {
      const gone = this.versionNamed(m.bucket, m.key, m.versionId);
      if (gone && gone.seq < m.position.offset) this.versions.delete(gone._id);
      return;
    }
    if (m.op === 'release') {
      // As the MongoDB adapter: insert-if-absent, except that a later release of a shared blob wins.
      const current = this.releasedBlobs.get(m.doc._id);
      if (!current || current.releasedAt < m.doc.releasedAt) this.releasedBlobs.set(m.doc._id, sameRealmClone(m.doc));
      return;
    }
    if (m.op === 'recordManifest') {
      if (!this.manifests.has(m.doc._id)) this.manifests.set(m.doc._id, sameRealmClone(m.doc));
      return;
    }
    if (m.op === 'recordCompletion') {
      if (!this.completedUploads.has(m.doc._id)) this.completedUploads.set(m.doc._id, sameRealmClone(m.doc));
      return;
    }
    if (m.op === 'putPart') {
      const current = this.uploads.get(m.id);
      if (!current || current.offset >= m.position.offset) return;
      const parts = [...current.parts.filter((p) => p.partNumber !== m.part.partNumber), sameRealmClone(m.part)];
      parts.sort((a, b) => a.partNumber - b.partNumber);
      this.uploads.set(m.id, { ...current, parts, partition: m.position.partition, offset: m.position.offset });
      return;
    }
    if (m.op === 'setVersioning') {
      const current = this.buckets.get(m.id);
      if (!current || current.offset >= m.position.offset) return;
      this.buckets.set(m.id, { ...current, versioning: m.status, partition: m.position.partition, offset: m.position.offset });
      return;
    }
    if (m.op === 'promoteVersion') {
      const id = objectDocumentId(m.bucket, m.key);
      const current = this.objects.get(id);
      if (current && current.offset >= m.position.offset) return;
      const next = m.versionId === null ? undefined : this.versionNamed(m.bucket, m.key, m.versionId);
      if (!next || next.isDeleteMarker) this.objects.delete(id);
      else this.objects.set(id, { _id: id, ...sameRealmClone(currentDocumentOf(next, m.position)) });
      return;
    }
    const tables: Record<string, Map<string, { offset: number }>> = {
      [COLLECTIONS.buckets]: this.buckets,
      [COLLECTIONS.uploads]: this.uploads,
      [COLLECTIONS.objects]: this.objects,
      [COLLECTIONS.versions]: this.versions,
    };
    const table = tables[m.collection]!;
    if (m.op === 'delete') {
      const current = table.get(m.id);
      if (current && current.offset < m.position.offset) table.delete(m.id);
      return;
    }
    const current = table.get(m.doc._id);
    if (!current || current.offset < m.doc.offset) table.set(m.doc._id, sameRealmClone(m.doc));
  }

  async saveCheckpoint(projection: string, topic: string, partition: number, offset: number): Promise<void> {
    const id = `${projection}:${topic}:${partition}`;
    this.checkpoints.set(id, Math.max(offset, this.checkpoints.get(id) ?? -1));
  }

  async loadCheckpoints(projection: string, topic: string): Promise<Map<number, number>> {
    const prefix = `${projection}:${topic}:`;
    return new Map(
      [...this.checkpoints].filter(([id]) => id.startsWith(prefix)).map(([id, o]) => [Number(id.slice(prefix.length)), o]),
    );
  }

  async getBucket(name: string) {
    return this.buckets.get(name) ?? null;
  }

  async listBuckets(owner: string) {
    return [...this.buckets.values()].filter((b) => b.owner === owner).sort((a, b) => utf8Compare(a._id, b._id));
  }

  async listLifecycleBuckets(after: string | undefined, limit: number) {
    return [...this.buckets.values()]
      .filter((b) => b.lifecycle !== undefined && (after === undefined || utf8Compare(b._id, after) > 0))
      .sort((a, b) => utf8Compare(a._id, b._id))
      .slice(0, limit);
  }

  async getObject(bucket: string, key: string) {
    return this.objects.get(objectDocumentId(bucket, key)) ?? null;
  }

  async getObjects(bucket: string, keys: readonly string[]) {
    return keys.flatMap((key) => {
      const doc = this.objects.get(objectDocumentId(bucket, key));
      return doc ? [doc] : [];
    });
  }

  async getManifest(objectId: string) {
    return this.manifests.get(objectId) ?? null;
  }

  async forgetManifest(objectId: string) {
    this.manifests.delete(objectId);
  }

  async listUploads(bucket: string) {
    return [...this.uploads.values()].filter((u) => u.bucket === bucket);
  }

  async listUploadsPage(bucket: string, after: string | undefined, limit: number) {
    return [...this.uploads.values()]
      .filter((u) => u.bucket === bucket && (after === undefined || utf8Compare(u._id, after) > 0))
      .sort((a, b) => utf8Compare(a._id, b._id))
      .slice(0, limit);
  }

  async getUpload(uploadId: string) {
    return this.uploads.get(uploadId) ?? null;
  }

  async getCompletedUpload(uploadId: string) {
    return this.completedUploads.get(uploadId) ?? null;
  }

  async hasObjects(bucket: string) {
    return [...this.objects.values()].some((o) => o.bucket === bucket);
  }

  async listObjects(bucket: string, q: ObjectRangeQuery) {
    return [...this.objects.values()]
      .filter((o) => o.bucket === bucket && o.key.startsWith(q.prefix))
      .filter((o) => q.after === undefined || utf8Compare(o.key, q.after) > 0)
      .sort((a, b) => utf8Compare(a.key, b.key))
      .slice(0, q.limit);
  }

  /** The level computed from the objects themselves: what the Mongo store's tree must agree with. */
  async listLevel(bucket: string, q: ObjectRangeQuery): Promise<ListingEntry[]> {
    return listLevel(q, {
      firstKeyAfter: async (folder, after) => (await this.listObjects(bucket, { prefix: folder, after, limit: 1 }))[0],
      entries: async (after, limit) => {
        const entries = new Map<string, ListingEntry>();
        for (const o of await this.listObjects(bucket, { prefix: q.prefix, limit: Number.MAX_SAFE_INTEGER })) {
          const at = o.key.indexOf('/', q.prefix.length);
          const name = at === -1 ? o.key : o.key.slice(0, at + 1);
          if (!entries.has(name)) entries.set(name, at === -1 ? o : { key: name, folder: true });
        }
        return [...entries.values()]
          .filter((e) => after === undefined || utf8Compare(e.key, after) > 0)
          .sort((a, b) => utf8Compare(a.key, b.key))
          .slice(0, limit);
      },
    });
  }

  async getVersion(bucket: string, key: string, versionId: string) {
    return this.versionNamed(bucket, key, versionId) ?? null;
  }

  private versionNamed(bucket: string, key: string, versionId: string): VersionDocument | undefined {
    return [...this.versions.values()].find((v) => v.bucket === bucket && v.key === key && v.versionId === versionId);
  }

  async getVersionsOf(bucket: string, keys: readonly string[]) {
    return [...this.versions.values()].filter((v) => v.bucket === bucket && keys.includes(v.key));
  }

  async hasVersions(bucket: string) {
    return [...this.versions.values()].some((v) => v.bucket === bucket);
  }

  async listVersions(bucket: string, { prefix, after, limit }: VersionRangeQuery) {
    const isAfter = (v: VersionDocument) => {
      if (after === undefined) return true;
      const byKey = utf8Compare(v.key, after.key);
      return byKey > 0 || (byKey === 0 && after.seq !== undefined && v.seq < after.seq);
    };
    return [...this.versions.values()]
      .filter((v) => v.bucket === bucket && v.key.startsWith(prefix) && isAfter(v))
      .sort((a, b) => utf8Compare(a.key, b.key) || b.seq - a.seq)
      .slice(0, limit);
  }

  async releasedBlobsDue(before: Date, limit: number) {
    return [...this.releasedBlobs.values()]
      .filter((r) => r.releasedAt.getTime() <= before.getTime())
      .sort((a, b) => a.releasedAt.getTime() - b.releasedAt.getTime())
      .slice(0, limit);
  }

  async isBlobReferenced(objectId: string) {
    return (
      [...this.versions.values()].some((v) => !v.isDeleteMarker && (v.objectId === objectId || (v.parts ?? []).some((p) => p.objectId === objectId))) ||
      [...this.uploads.values()].some((u) => u.parts.some((p) => p.objectId === objectId))
    );
  }

  async suspectBlob(objectId: string, bucket: string, key: string, at: Date) {
    const current = this.releasedBlobs.get(objectId);
    if (!current || current.releasedAt < at) this.releasedBlobs.set(objectId, { _id: objectId, bucket, key, releasedAt: at, partition: -1, offset: -1 });
  }

  async forgetReleasedBlob(objectId: string) {
    this.releasedBlobs.delete(objectId);
  }
}

/**
 * A deep copy of a document, made in this realm. Jest's node environment gives its sandbox the
 * outer realm's `structuredClone`, whose objects are not plain objects here: `assertStorable`
 * would refuse them once a handler puts a read-model value (a source's tags) into an event, and
 * `expect.any(Date)` would not match their dates. The service runs in one realm, as this does.
 */
function sameRealmClone<T>(value: T): T {
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (Array.isArray(value)) return value.map(sameRealmClone) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([name, field]) => [name, sameRealmClone(field)])) as T;
  }
  return value;
}
