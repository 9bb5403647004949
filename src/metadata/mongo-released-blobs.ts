import type { Collection } from 'mongodb';
import type { ManifestDocument, ReleasedBlobDocument } from './metadata.documents.js';
import { insertNew } from './mongo-writes.js';

/**
 * The blob janitor's two collections: payloads released by the log (or suspected by the janitor)
 * and waiting out their grace period, and the manifests of completed multipart uploads.
 */
export class MongoReleasedBlobs {
  constructor(
    private readonly releasedBlobs: Collection<ReleasedBlobDocument>,
    private readonly manifests: Collection<ManifestDocument>,
  ) {}

  /**
   * Insert-if-absent by bare _id (the fast path on FerretDB). A blob shared by copies is released
   * once per key that lets go of it, so an existing record may be an earlier release of the same
   * blob: the later release time wins (the grace period runs from the last reference going), and
   * a redelivered, older or equal release changes nothing.
   */
  async record(doc: ReleasedBlobDocument): Promise<void> {
    const current = await this.releasedBlobs.findOne({ _id: doc._id }, { projection: { releasedAt: 1 } });
    if (current) {
      if (current.releasedAt >= doc.releasedAt) return;
      const { _id, ...fields } = doc;
      await this.releasedBlobs.replaceOne({ _id }, fields);
      return;
    }
    // A concurrent or earlier insert of the same _id makes this one a no-op.
    await insertNew(this.releasedBlobs, [doc]);
  }

  /** Not a fact of the log, so no log position: -1 never guards anything (releases compare times). */
  suspect(objectId: string, bucket: string, key: string, at: Date): Promise<void> {
    return this.record({ _id: objectId, bucket, key, releasedAt: at, partition: -1, offset: -1 });
  }

  /**
   * Releases at or before `before`, oldest first. The collection holds only payloads still
   * waiting out their grace period, so even FerretDB's full scan of it stays small.
   */
  due(before: Date, limit: number): Promise<ReleasedBlobDocument[]> {
    return this.releasedBlobs.find({ releasedAt: { $lte: before } }).sort({ releasedAt: 1 }).limit(limit).toArray();
  }

  async forget(objectId: string): Promise<void> {
    await this.releasedBlobs.deleteOne({ _id: objectId });
  }

  /** Insert-if-absent, like a release: a manifest id is completed once in the log. */
  async recordManifest(doc: ManifestDocument): Promise<void> {
    if (await this.manifests.findOne({ _id: doc._id }, { projection: { _id: 1 } })) return;
    await insertNew(this.manifests, [doc]);
  }

  getManifest(objectId: string): Promise<ManifestDocument | null> {
    return this.manifests.findOne({ _id: objectId });
  }

  async forgetManifest(objectId: string): Promise<void> {
    await this.manifests.deleteOne({ _id: objectId });
  }
}

