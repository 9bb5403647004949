
// Many writes to one collection, in the shapes FerretDB takes fastest (ADR 0014).

/** Where insertNew writes: a driver Collection, or a PackedCollection over one. */
export interface InsertTarget<D> {
  insertMany(docs: D[], options: { ordered: false }): Promise<unknown>;
}

/** A collection read and written as whole documents by `_id` (a PackedCollection, or a driver Collection seen so). */
export interface WholeDocuments<D extends { _id: string }> extends InsertTarget<D> {
  findOne(filter: { _id: string }): Promise<D | null>;
  insertOne(doc: D): Promise<unknown>;
  replaceOne(filter: { _id: string }, fields: Omit<D, '_id'>): Promise<unknown>;
  deleteOne(filter: { _id: string }): Promise<unknown>;
}

/** Documents per insertMany, and how many of those run at once. */
const INSERT_CHUNK = 500;
const PARALLEL_INSERTS = 4;

/**
 * Inserts the documents that are new; returns the others (their insert met a duplicate `_id`).
 * A large batch goes as several unordered insertMany side by side: the database works on one
 * request per connection at a time, so one big request would leave the other cores idle.
 */
export async function insertNew<D extends { _id: string }>(
  collection: InsertTarget<D>,
  docs: D[],
  /** Called with each chunk's documents that went in, as soon as that chunk is done. */
  onInserted: (inserted: D[]) => void = () => undefined,
): Promise<D[]> {
  const chunks: D[][] = [];
  for (let at = 0; at < docs.length; at += INSERT_CHUNK) chunks.push(docs.slice(at, at + INSERT_CHUNK));
  const clashed: D[] = [];
  await inParallel(chunks, PARALLEL_INSERTS, async (chunk) => {
    const existing = await insertChunk(collection, chunk);
    clashed.push(...existing);
    const seen = new Set(existing);
    onInserted(existing.length === 0 ? chunk : chunk.filter((doc) => !seen.has(doc)));
  });
  return clashed;
}

async function insertChunk<D extends { _id: string }>(collection: InsertTarget<D>, docs: D[]): Promise<D[]> {
  if (docs.length === 0) return [];
  try {
    await collection.insertMany(docs, { ordered: false });
    return [];
  } catch (error) {
    const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
    const failed = Array.isArray(writeErrors) ? writeErrors : writeErrors !== undefined ? [writeErrors] : [];
    if (failed.length === 0 || failed.some((e: { code?: number }) => e.code !== 11000)) throw error;
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
