import type { ReadModelMutation } from '../../src/projections/bucket-metadata/bucket-metadata.projection.js';
import type { BucketNotificationPatch } from '../../src/projections/bucket-notification/bucket-notification.projection.js';
import {
  COLLECTIONS,
  objectDocumentId,
  type BucketDocument,
  type ObjectDocument,
  type ManifestDocument,
  type ReleasedBlobDocument,
  type UploadDocument,
} from '../../src/metadata/metadata.documents.js';
import { MetadataStore, type ObjectRangeQuery } from '../../src/metadata/metadata.store.port.js';

const utf8Compare = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** Unit-test double of the read model with the same position guards as the MongoDB adapter. */
export class InMemoryMetadataStore extends MetadataStore {
  readonly buckets = new Map<string, BucketDocument>();
  readonly objects = new Map<string, ObjectDocument>();
  readonly checkpoints = new Map<string, number>();
  readonly releasedBlobs = new Map<string, ReleasedBlobDocument>();
  readonly uploads = new Map<string, UploadDocument>();
  readonly manifests = new Map<string, ManifestDocument>();

  async applyMutation(m: ReadModelMutation | BucketNotificationPatch): Promise<void> {
    if (m.op === 'setNotification') {
      const current = this.buckets.get(m.id);
      if (!current || current.offset >= m.position.offset) return;
      const { notification: _previous, ...rest } = current;
      const stamp = { partition: m.position.partition, offset: m.position.offset };
      this.buckets.set(m.id, m.notification ? { ...rest, ...stamp, notification: structuredClone(m.notification) } : { ...rest, ...stamp });
      return;
    }
    if (m.op === 'release') {
      // As the MongoDB adapter: insert-if-absent, except that a later release of a shared blob wins.
      const current = this.releasedBlobs.get(m.doc._id);
      if (!current || current.releasedAt < m.doc.releasedAt) this.releasedBlobs.set(m.doc._id, structuredClone(m.doc));
      return;
    }
    if (m.op === 'recordManifest') {
      if (!this.manifests.has(m.doc._id)) this.manifests.set(m.doc._id, structuredClone(m.doc));
      return;
    }
    if (m.op === 'putPart') {
      const current = this.uploads.get(m.id);
      if (!current || current.offset >= m.position.offset) return;
      const parts = [...current.parts.filter((p) => p.partNumber !== m.part.partNumber), structuredClone(m.part)];
      parts.sort((a, b) => a.partNumber - b.partNumber);
      this.uploads.set(m.id, { ...current, parts, partition: m.position.partition, offset: m.position.offset });
      return;
    }
    const table = (
      m.collection === COLLECTIONS.buckets ? this.buckets : m.collection === COLLECTIONS.uploads ? this.uploads : this.objects
    ) as Map<string, { offset: number }>;
    if (m.op === 'delete') {
      const current = table.get(m.id);
      if (current && current.offset < m.position.offset) table.delete(m.id);
      return;
    }
    const current = table.get(m.doc._id);
    if (!current || current.offset < m.doc.offset) table.set(m.doc._id, structuredClone(m.doc));
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

  async getUpload(uploadId: string) {
    return this.uploads.get(uploadId) ?? null;
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

  async releasedBlobsDue(before: Date, limit: number) {
    return [...this.releasedBlobs.values()]
      .filter((r) => r.releasedAt.getTime() <= before.getTime())
      .sort((a, b) => a.releasedAt.getTime() - b.releasedAt.getTime())
      .slice(0, limit);
  }

  async isBlobReferenced(objectId: string) {
    return [...this.objects.values()].some((o) => o.objectId === objectId || (o.parts ?? []).some((p) => p.objectId === objectId));
  }

  async forgetReleasedBlob(objectId: string) {
    this.releasedBlobs.delete(objectId);
  }
}
