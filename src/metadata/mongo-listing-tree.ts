import type { ObjectDocument } from './metadata.documents.js';
import {
  fileEntryId,
  fileEntryOf,
  folderEntryId,
  foldersOf,
  levelOf,
  listLevel,
  slashes,
  type ListingEntry,
  type ListingTreeDocument,
} from './listing-tree.js';
import { anyIdIn } from './id-ranges.js';
import { inParallel, insertNew } from './mongo-writes.js';
import type { MongoObjects } from './mongo-objects.js';
import type { PackedCollection } from './packed-collection.js';

/** How many point writes run at once. */
const PARALLEL_WRITES = 8;
/** Folders remembered as present; forgotten all at once beyond this (a cache, never the truth). */
const REMEMBERED_FOLDERS = 100_000;

/** An object document just written: new (its insert went in) or replacing one. */
export interface WrittenObject {
  doc: ObjectDocument;
  isNew: boolean;
}

/**
 * The `listing_tree` collection (listing-tree.ts), kept in step with `objects` by the store that
 * writes them: after an object is written its file entry and every folder above it are, and
 * after one is removed its file entry is, then each folder above it left empty, deepest first.
 * Both are repeatable, so an event applied again (after a crash between the two writes) puts
 * the tree right. One applier per partition at a time, as for every guarded write here.
 */
export class MongoListingTree {
  /** Folder entries this store wrote or saw and has not removed since: not written again. */
  private readonly present = new Set<string>();

  constructor(
    private readonly tree: PackedCollection<ListingTreeDocument>,
    private readonly objects: MongoObjects,
  ) {}

  async put(written: readonly WrittenObject[]): Promise<void> {
    if (written.length === 0) return;
    const clashed = await insertNew(this.tree, written.filter((w) => w.isNew).map((w) => fileEntryOf(w.doc)));
    const replaced = [...clashed, ...written.filter((w) => !w.isNew).map((w) => fileEntryOf(w.doc))];
    await inParallel(replaced, PARALLEL_WRITES, ({ _id, ...fields }) => this.tree.replaceOne({ _id }, fields, { upsert: true }));
    const folders = new Map<string, ListingTreeDocument>();
    for (const { doc } of written) {
      for (const folder of foldersOf(doc.key)) {
        const _id = folderEntryId(doc.bucket, folder);
        if (!this.present.has(_id)) folders.set(_id, { _id, key: folder, folder: true });
      }
    }
    // Most exist already: those inserts meet their duplicate and change nothing.
    await insertNew(this.tree, [...folders.values()]);
    if (this.present.size + folders.size > REMEMBERED_FOLDERS) this.present.clear();
    for (const _id of folders.keys()) this.present.add(_id);
  }

  /** `ids` are `objects` ids (`<bucket>/<key>`) no longer there. */
  async remove(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const removed = ids.map((id) => {
      const at = id.indexOf('/');
      return { bucket: id.slice(0, at), key: id.slice(at + 1) };
    });
    await inParallel(removed, PARALLEL_WRITES, ({ bucket, key }) => this.tree.deleteOne({ _id: fileEntryId(bucket, key) }));
    // Deepest first, one at a time: a folder is empty once its own folders are gone.
    const folders = new Map<string, { bucket: string; folder: string }>();
    for (const { bucket, key } of removed) for (const folder of foldersOf(key)) folders.set(folderEntryId(bucket, folder), { bucket, folder });
    const deepestFirst = [...folders.entries()].sort(([, a], [, b]) => slashes(b.folder) - slashes(a.folder));
    const kept = new Set<string>();
    for (const [_id, { bucket, folder }] of deepestFirst) {
      if (kept.has(_id)) continue;
      if (await anyIdIn(this.tree.raw, levelOf(bucket, folder))) {
        for (const above of foldersOf(folder)) kept.add(folderEntryId(bucket, above));
        continue;
      }
      await this.tree.deleteOne({ _id });
      this.present.delete(_id);
    }
  }

  /** One page of a listing with delimiter '/': one range scan of the prefix's level. */
  list(bucket: string, query: { prefix: string; after?: string; limit: number }): Promise<ListingEntry[]> {
    const level = levelOf(bucket, query.prefix);
    return listLevel(query, {
      firstKeyAfter: async (folder, after) => (await this.objects.list(bucket, { prefix: folder, after, limit: 1 }))[0],
      entries: async (after, limit) => {
        const lower = after !== undefined ? { $gt: level.name(after) } : { $gte: level.from };
        const docs = await this.tree.find({ _id: { ...lower, $lt: level.to } }, { sort: { _id: 1 }, limit });
        return docs.map(({ _id, ...entry }) => entry as ListingEntry);
      },
    });
  }
}
