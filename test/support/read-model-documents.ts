import type { Db, Document } from 'mongodb';
import { PACKED_COLLECTIONS, storedDocuments, unpackDocument } from '../../src/metadata/packed-collection.js';

// The read model's documents as the code knows them: objects, versions and listing entries are
// stored packed (ADR 0027), so a test that looks into the database reads them through this.

/** Every document of a read-model collection that `where` accepts, in `_id` order. */
export async function readModelDocuments(db: Db, name: string, where: (doc: Document) => boolean = () => true): Promise<Document[]> {
  const docs: Document[] = [];
  for await (const doc of storedDocuments(db, name)) if (where(doc)) docs.push(doc);
  return docs.sort((a, b) => Buffer.compare(Buffer.from(String(a._id)), Buffer.from(String(b._id))));
}

/** One document by `_id`, or null. */
export async function readModelDocument(db: Db, name: string, id: string): Promise<Document | null> {
  const stored = await db.collection(name).findOne({ _id: id as never });
  return stored === null || !PACKED_COLLECTIONS.has(name) ? stored : unpackDocument<Document>(stored);
}
