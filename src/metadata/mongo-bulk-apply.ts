import type { Collection } from 'mongodb';
import type { ReadModelMutation } from '../projections/bucket-metadata/bucket-metadata.projection.js';
import { COLLECTIONS, type PositionStamp, type ReleasedBlobDocument, type VersionDocument } from './metadata.documents.js';
import { MongoVersions } from './mongo-versions.js';
import type { DigestLedger } from './digest-ledger.js';

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
  buckets: Collection<Doc>;
  objects: Collection<Doc>;
  versions: Collection<VersionDocument>;
  recordRelease(doc: ReleasedBlobDocument): Promise<void>;
  /** Removes a version as one by one would, keeping the ledger (not blind). */
  removeVersion(mutation: RemoveVersion): Promise<void>;
  ledger: DigestLedger;
}

/** How many point writes run at once. */
const PARALLEL_WRITES = 8;

/**
 * Applies one partition's consecutive mutations with the outcome of applying them one by one, in
 * a few round trips: only the last write of each document counts, new documents go in one
 * insertMany.
 *
 * `blind`: the caller applies an ordered suffix of the log from a consistent checkpoint (a
 * replay), so every document it finds was written by an earlier event of that suffix or before
 * it, and is simply overwritten: nothing is read before writing. Otherwise (the live projection,
 * where a record may come again) each document's position is read first and guards the write.
 */
export async function applyInBulk(targets: BulkTargets, mutations: readonly BulkMutation[], blind: boolean): Promise<void> {
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
      byId.delete(id);
      byId.set(id, m);
      if (m.op === 'upsert' && m.collection === COLLECTIONS.versions) {
        const name = versionName(m.doc.bucket, m.doc.key, m.doc.versionId);
        pendingVersions.set(name, (pendingVersions.get(name) ?? new Set()).add(id));
      }
    }
  }
  await applyWhole(targets, COLLECTIONS.buckets, targets.buckets, [...last.get(COLLECTIONS.buckets)!.values()], blind);
  await applyWhole(targets, COLLECTIONS.objects, targets.objects, [...last.get(COLLECTIONS.objects)!.values()], blind);
  // Removals first: they take only versions older than themselves, never one of this batch.
  await inParallel(versionRemovals, PARALLEL_WRITES, (m) =>
    blind ? targets.versions.deleteMany(MongoVersions.removalFilter(m.bucket, m.key, m.versionId, m.position)) : targets.removeVersion(m),
  );
  await applyWhole(targets, COLLECTIONS.versions, targets.versions as unknown as Collection<Doc>, [...last.get(COLLECTIONS.versions)!.values()], blind);
  // After the object writes, as one by one: a release is visible only once its key moved on.
  for (const doc of releases.values()) await targets.recordRelease(doc);
}

async function applyWhole(targets: BulkTargets, name: string, collection: Collection<Doc>, mutations: Whole[], blind: boolean): Promise<void> {
  if (mutations.length === 0) return;
  const idOf = (m: Whole) => (m.op === 'delete' ? m.id : m.doc._id);
  const current = new Map<string, Doc>();
  if (!blind) {
    // Bare _id lookups, many in flight: index-served, where an $in is not on FerretDB.
    await inParallel(mutations, PARALLEL_WRITES, async (m) => {
      const doc = await collection.findOne({ _id: idOf(m) });
      if (doc) current.set(doc._id, doc);
    });
  }
  const inserts: Doc[] = [];
  const replaces: Doc[] = [];
  const deletes: string[] = [];
  for (const m of mutations) {
    const have = current.get(idOf(m));
    const offset = m.op === 'delete' ? m.position.offset : m.doc.offset;
    if (have !== undefined && have.offset >= offset) {
      targets.ledger.unaccounted(have.partition);
      continue;
    }
    if (m.op === 'delete') {
      if (blind || have !== undefined) deletes.push(m.id);
    } else if (have !== undefined) replaces.push(m.doc as Doc);
    else inserts.push(m.doc as Doc);
  }
  // Blind: a document an earlier batch wrote refuses the insert (duplicate key) and is replaced.
  replaces.push(...(await insertNew(collection, inserts, blind)));
  await inParallel(replaces, PARALLEL_WRITES, ({ _id, ...fields }) => collection.replaceOne({ _id }, fields));
  await inParallel(deletes, PARALLEL_WRITES, (_id) => collection.deleteOne({ _id }));
  const clashed = new Set(replaces);
  for (const doc of inserts) if (!clashed.has(doc)) targets.ledger.record(name, null, doc);
  for (const doc of replaces) targets.ledger.record(name, current.get(doc._id) ?? null, doc);
  for (const id of deletes) targets.ledger.record(name, current.get(id) ?? null, null);
}

/** Inserts the documents; returns those that already existed when `blind` (else such a clash is an error). */
async function insertNew(collection: Collection<Doc>, docs: Doc[], blind: boolean): Promise<Doc[]> {
  if (docs.length === 0) return [];
  try {
    await collection.insertMany(docs, { ordered: !blind });
    return [];
  } catch (error) {
    const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
    const failed = Array.isArray(writeErrors) ? writeErrors : writeErrors !== undefined ? [writeErrors] : [];
    if (!blind || failed.length === 0 || failed.some((e: { code?: number }) => e.code !== 11000)) throw error;
    return failed.map((e: { index: number }) => docs[e.index]!);
  }
}

/** Runs `task` over `items`, at most `limit` at a time. */
export async function inParallel<T>(items: readonly T[], limit: number, task: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await task(items[next++]!);
    }),
  );
}
