import { Binary, BSON, type Collection, type Db, type Document, type Filter } from 'mongodb';
import { COLLECTIONS, type ObjectDocument, type VersionDocument } from './metadata.documents.js';
import type { ListingTreeDocument } from './listing-tree.js';

/*
 * Packed documents (ADR 0027). FerretDB turns every field of a document into PostgreSQL jsonb
 * and back, and that costs per field: on this machine an insertMany of 16-field object documents
 * ran at a third to a half of the rate of the same documents with the fields nobody queries
 * packed into one BSON binary. Every query of `objects`, `versions` and `listing_tree` is an
 * `_id` point or range (ADR 0014), so only `_id`, and the fields an index serves, stay fields of
 * their own; the rest is one binary `m`, packed and unpacked here, in the driver's own BSON, so
 * every value comes back with the type it went in with.
 */

/** The field that holds the packed rest of a document. */
export const PACKED_FIELD = 'm';

type Stored = Document & { _id: string };

/** The document as the database holds it: `keep` fields as they are, the rest in `m`. */
export function packDocument(doc: Document & { _id: string }, keep: ReadonlySet<string>): Stored {
  const stored: Stored = { _id: doc._id };
  const rest: Document = {};
  for (const field of Object.keys(doc)) {
    if (field === '_id') continue;
    if (keep.has(field)) stored[field] = doc[field];
    else rest[field] = doc[field];
  }
  // As the driver writes a field: an undefined value is stored as null.
  stored[PACKED_FIELD] = new Binary(BSON.serialize(rest, { ignoreUndefined: false }));
  return stored;
}

/** The document a packed one holds; one stored without `m` (a folder entry) as it is. */
export function unpackDocument<D>(stored: Document): D {
  const packed = stored[PACKED_FIELD];
  if (!(packed instanceof Binary)) return stored as D;
  const { [PACKED_FIELD]: _packed, ...kept } = stored;
  return { ...kept, ...BSON.deserialize(packed.buffer.subarray(0, packed.position)) } as D;
}

/** The collections whose documents are packed. */
export const PACKED_COLLECTIONS: ReadonlySet<string> = new Set([COLLECTIONS.objects, COLLECTIONS.versions, COLLECTIONS.listingTree]);

/** Every document of a collection as the code knows it (unpacked where packed), read whole. */
export async function* storedDocuments(db: Db, name: string): AsyncGenerator<Document> {
  const packed = PACKED_COLLECTIONS.has(name);
  for await (const doc of db.collection(name).find({})) yield packed ? unpackDocument<Document>(doc) : doc;
}

export interface PackedFind {
  sort?: { _id: 1 | -1 };
  limit?: number;
  /** Kept fields not to fetch (a multipart object's `parts`, which a listing never shows). */
  without?: readonly string[];
}

/**
 * A collection of packed documents, read and written whole, by `_id`: the part of the driver's
 * Collection the read model uses, over documents as the code knows them. `raw` is the collection
 * as stored, for queries of the kept fields (the janitor's by `objectId`).
 */
export class PackedCollection<D extends { _id: string }> {
  private readonly keep: ReadonlySet<string>;

  constructor(
    readonly raw: Collection<Stored>,
    keep: readonly string[] = [],
  ) {
    this.keep = new Set(keep);
  }

  get collectionName(): string {
    return this.raw.collectionName;
  }

  pack(doc: D): Stored {
    return packDocument(doc, this.keep);
  }

  async findOne(filter: Filter<D>): Promise<D | null> {
    const stored = await this.raw.findOne(filter as Filter<Stored>);
    return stored === null ? null : unpackDocument<D>(stored);
  }

  async find(filter: Filter<D>, options: PackedFind = {}): Promise<D[]> {
    const projection = options.without?.length ? Object.fromEntries(options.without.map((field) => [field, 0])) : undefined;
    let cursor = this.raw.find(filter as Filter<Stored>, projection ? { projection } : {});
    if (options.sort) cursor = cursor.sort(options.sort);
    if (options.limit !== undefined) cursor = cursor.limit(options.limit);
    return (await cursor.toArray()).map((stored) => unpackDocument<D>(stored));
  }

  insertOne(doc: D): Promise<unknown> {
    return this.raw.insertOne(this.pack(doc));
  }

  /** As the driver's: a duplicate `_id` fails with writeErrors naming the index of each document. */
  insertMany(docs: readonly D[], options: { ordered: false }): Promise<unknown> {
    return this.raw.insertMany(
      docs.map((doc) => this.pack(doc)),
      options,
    );
  }

  replaceOne(filter: { _id: string }, fields: Omit<D, '_id'>, options: { upsert?: boolean } = {}): Promise<unknown> {
    const { _id: _stored, ...packed } = this.pack({ ...fields, _id: filter._id } as D);
    return this.raw.replaceOne(filter as Filter<Stored>, packed, options);
  }

  deleteOne(filter: { _id: string }): Promise<unknown> {
    return this.raw.deleteOne(filter as Filter<Stored>);
  }
}

/** The fields of object and version documents an index serves (the janitor's reference check), kept unpacked. */
const INDEXED_OBJECT_FIELDS = ['objectId', 'parts'];

/** The read model's packed collections in a database. */
export function packedCollections(db: Db) {
  return {
    objects: new PackedCollection<ObjectDocument>(db.collection(COLLECTIONS.objects), INDEXED_OBJECT_FIELDS),
    versions: new PackedCollection<VersionDocument>(db.collection(COLLECTIONS.versions), INDEXED_OBJECT_FIELDS),
    listingTree: new PackedCollection<ListingTreeDocument>(db.collection(COLLECTIONS.listingTree)),
  };
}
