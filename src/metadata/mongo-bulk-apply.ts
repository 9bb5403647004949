import type { ReadModelMutation } from './read-model-mutations.js';
import type { Collection } from 'mongodb';
import type { PackedCollection } from './packed-collection.js';
import { COLLECTIONS, type PositionStamp, type ReleasedBlobDocument, type VersionDocument } from './metadata.documents.js';
import type { DigestLedger } from './digest-ledger.js';
import type { MongoListingTree, WrittenObject } from './mongo-listing-tree.js';
import { inParallel, insertNew, type WholeDocuments } from './mongo-writes.js';

type Whole = Extract<ReadModelMutation, { op: 'upsert' | 'delete' }>;
type RemoveVersion = Extract<ReadModelMutation, { op: 'deleteVersion' }>;
type Doc = PositionStamp & { _id: string };

/** The mutations of a batch the bulk path takes; anything else is applied one by one. */
export type BulkMutation = Whole | RemoveVersion | Extract<ReadModelMutation, { op: 'release' }>;

export function isBulkMutation(m: { op: string; collection?: string }): m is BulkMutation {
  if (m.collection === COLLECTIONS.uploads || m.collection === COLLECTIONS.manifests) return false;
  return m.op === 'upsert' || m.op === 'delete' || m.op === 'deleteVersion' || m.op === 'release';
}

export interface BulkTargets {
  buckets: WholeDocuments<Doc>;
  objects: PackedCollection<Doc>;
  versions: PackedCollection<VersionDocument>;
  releasedBlobs: Collection<ReleasedBlobDocument>;
  recordRelease(doc: ReleasedBlobDocument): Promise<void>;
  /** Removes a version as one by one would, keeping the ledger. */
  removeVersion(mutation: RemoveVersion): Promise<void>;
  ledger: DigestLedger;
  /** Follows every change of `objects`. */
  tree: Pick<MongoListingTree, 'put' | 'remove'>;
}

/** How many point writes run at once. */
const PARALLEL_WRITES = 8;

/**
 * Applies one partition's consecutive mutations with the outcome of applying them one by one, in
 * a few round trips: only the last write of each document counts, new documents go in one
 * insertMany.
 */
export async function applyInBulk(targets: BulkTargets, mutations: readonly BulkMutation[]): Promise<void> {
  const last = new Map<string, Map<string, Whole>>([
    [COLLECTIONS.buckets, new Map()],
    [COLLECTIONS.objects, new Map()],
    [COLLECTIONS.versions, new Map()],
  ]);
  const releases = new Map<string, ReleasedBlobDocument>();
  const versionRemovals: RemoveVersion[] = [];
  /** Pending version writes by (bucket, key, versionId), for the removals that follow them. */
  const pendingVersions = new Map<string, Set<string>>();
  const versionName = (bucket: string, key: string, versionId: string) => JSON.stringify([bucket, key, versionId]);
  for (const m of mutations) {
    if (m.op === 'release') {
      const earlier = releases.get(m.doc._id);
      if (!earlier || earlier.releasedAt < m.doc.releasedAt) releases.set(m.doc._id, m.doc);
    } else if (m.op === 'deleteVersion') {
      // A version written earlier in this batch is dropped here; one written before it, in the database.
      const pending = last.get(COLLECTIONS.versions)!;
      const name = versionName(m.bucket, m.key, m.versionId);
      for (const id of pendingVersions.get(name) ?? []) {
        const write = pending.get(id);
        if (write?.op === 'upsert' && (write.doc as VersionDocument).seq < m.position.offset) pending.delete(id);
      }
      versionRemovals.push(m);
    } else {
      const byId = last.get(m.collection)!;
      const id = m.op === 'delete' ? m.id : m.doc._id;
      const earlier = byId.get(id);
      byId.delete(id);
      byId.set(id, earlier === undefined ? m : withHintOf(earlier, m));
      if (m.op === 'upsert' && m.collection === COLLECTIONS.versions) {
        const name = versionName(m.doc.bucket, m.doc.key, m.doc.versionId);
        pendingVersions.set(name, (pendingVersions.get(name) ?? new Set()).add(id));
      }
    }
  }
  await applyWhole(targets, COLLECTIONS.buckets, targets.buckets, [...last.get(COLLECTIONS.buckets)!.values()]);
  // Objects and versions are independent documents: written side by side.
  await Promise.all([
    applyWhole(targets, COLLECTIONS.objects, targets.objects, [...last.get(COLLECTIONS.objects)!.values()]),
    (async () => {
      // Removals first: they take only versions older than themselves, never one of this batch.
      await inParallel(versionRemovals, PARALLEL_WRITES, (m) => targets.removeVersion(m));
      await applyWhole(targets, COLLECTIONS.versions, targets.versions as unknown as WholeDocuments<Doc>, [...last.get(COLLECTIONS.versions)!.values()]);
    })(),
  ]);
  // After the object writes, as one by one: a release is visible only once its key moved on.
  // New ones in one insertMany; one that exists (a blob shared by copies, released again) keeps
  // the later time, as one by one.
  const again = await insertNew(targets.releasedBlobs as unknown as Collection<Doc>, [...releases.values()] as unknown as Doc[]);
  await inParallel(again as unknown as ReleasedBlobDocument[], PARALLEL_WRITES, (doc) => targets.recordRelease(doc));
}

/**
 * A write that replaces an earlier one of the same batch. Its `replaces` hint spoke of the state
 * the earlier write left, which the database never sees: it takes the earlier one's instead.
 */
function withHintOf(earlier: Whole, m: Whole): Whole {
  if (m.op !== 'upsert' || m.collection !== COLLECTIONS.objects) return m;
  const { replaces: _spoke, ...write } = m;
  return hintsReplace(earlier) ? { ...write, replaces: true } : write;
}

/** Whether the event said the document exists (the `replaces` hint of an object write). */
function hintsReplace(m: Whole): boolean {
  return m.op === 'upsert' && 'replaces' in m && m.replaces === true;
}

/**
 * The last write of each document in a batch. Every upsert is first tried as an insert (one
 * insertMany, no read: a new key, the common case, costs nothing more); the documents that exist
 * already, and every delete, are read by `_id`, guarded by position, and replaced
 * or deleted, each write kept in the ledger with the document it replaced. The listing tree
 * follows `objects`: it is written after them, and again for a write seen again (a crash may
 * have come between the two).
 */
async function applyWhole(targets: BulkTargets, name: string, collection: WholeDocuments<Doc>, mutations: Whole[]): Promise<void> {
  if (mutations.length === 0) return;
  const upserts = mutations.filter((m): m is Extract<Whole, { op: 'upsert' }> => m.op === 'upsert');
  // A document the event says exists goes straight to its read and replace: an insertMany
  // meeting a duplicate makes FerretDB insert that whole batch (up to
  // 1,000 documents, scripts/infra.sh) one by one.
  const deletes = mutations.filter((m): m is Extract<Whole, { op: 'delete' }> => m.op === 'delete');
  const written: WrittenObject[] = [];
  const removed: string[] = [];
  // Each chunk's new documents are hashed while the other chunks are still in the database.
  const clashed = await insertNew(collection, upserts.filter((m) => !hintsReplace(m)).map((m) => m.doc as Doc), (inserted) => {
    for (const doc of inserted) {
      targets.ledger.record(name, null, doc);
      written.push({ doc: doc as unknown as WrittenObject['doc'], isNew: true });
    }
  });
  const existing = [...clashed, ...upserts.filter(hintsReplace).map((m) => m.doc as Doc)];
  await inParallel(existing, PARALLEL_WRITES, async (doc) => {
    const current = await collection.findOne({ _id: doc._id });
    if (current && current.offset >= doc.offset) {
      if (current.offset === doc.offset) written.push({ doc: current as unknown as WrittenObject['doc'], isNew: false });
      return targets.ledger.unaccounted(current.partition);
    }
    const { _id, ...fields } = doc;
    // A hint the database contradicts (the document is not there) costs an insert.
    if (current) await collection.replaceOne({ _id }, fields);
    else await collection.insertOne(doc);
    targets.ledger.record(name, current, doc);
    written.push({ doc: doc as unknown as WrittenObject['doc'], isNew: current === null });
  });
  await inParallel(deletes, PARALLEL_WRITES, async (m) => {
    const current = await collection.findOne({ _id: m.id });
    if (current && current.offset >= m.position.offset) return targets.ledger.unaccounted(current.partition);
    if (current) {
      await collection.deleteOne({ _id: m.id });
      targets.ledger.record(name, current, null);
    }
    removed.push(m.id);
  });
  if (name !== COLLECTIONS.objects) return;
  await targets.tree.put(written);
  await targets.tree.remove(removed);
}
