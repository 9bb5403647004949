// The listing tree (ADR 0015) on the MongoDB-wire server: after any mix of puts, overwrites,
// deletes, batches and redeliveries, it holds exactly the files and folders the objects imply,
// and a listing with delimiter '/' read from it pages exactly as one that seeks through the
// objects does, for every prefix and cursor.
import type { ReadModelMutation } from '../../src/metadata/read-model-mutations.js';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { MongoClient, type Db } from 'mongodb';
import { MongoMetadataStore } from '../../src/metadata/mongo-metadata.store.js';
import { COLLECTIONS, type ObjectDocument } from '../../src/metadata/metadata.documents.js';
import { fileEntryId, folderEntryId, foldersOf } from '../../src/metadata/listing-tree.js';
import { rangeOf } from '../../src/metadata/id-ranges.js';
import { listObjectsV2, type ListObjectsV2Params } from '../../src/objects/queries/list-objects-v2/list-objects-v2.paginator.js';
import { packedCollections } from '../../src/metadata/packed-collection.js';

const url = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017';

// Few segments, so that keys share folders, and characters that sort apart in UTF-8 and UTF-16.
const segment = fc.constantFrom('a', 'b', 'é', '😀', '\uFFFD', 'a.b', '');
const keyArb = fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('/')).filter((k) => k.length > 0);
const step = fc.record({
  op: fc.constantFrom('put', 'put', 'delete'),
  key: keyArb,
  /** A delete names a key put earlier (when there is one): mostly a key that exists. */
  earlier: fc.nat(),
  batched: fc.boolean(),
  again: fc.boolean(),
});

describe('the listing tree on the MongoDB-wire server', () => {
  let client: MongoClient;
  let db: Db;

  beforeAll(async () => {
    client = await new MongoClient(url).connect();
    db = client.db(`int_tree_${randomUUID().slice(0, 8)}`);
  });

  afterAll(async () => {
    await db.dropDatabase();
    await client.close();
  });

  it('holds exactly what the objects imply, and lists with delimiter / as seeking through the objects does', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 4 }), fc.nat(), async (steps, maxKeys, redeliverFrom) => {
        const bucket = `tree${run++}`;
        // A neighbour whose keys would show up if a range leaked out of its bucket.
        const neighbour = `${bucket}x`;
        const store = new MongoMetadataStore(db);
        let offset = 0;
        const doc = (b: string, key: string): ObjectDocument => ({
          _id: `${b}/${key}`, bucket: b, bucketId: b, key, objectId: `o${offset}`, size: offset, etag: `e${offset}`, contentType: 't',
          userMetadata: [], owner: 'o', ownerDisplayName: 'root', lastModified: new Date(offset * 1000), partition: 0, offset: offset++,
        });
        await store.applyMutation({ collection: 'objects', op: 'upsert', doc: doc(neighbour, 'a/n') });
        const applied: ReadModelMutation[] = [];
        let batch: ReadModelMutation[] = [];
        const put: string[] = [];
        for (const s of steps) {
          if (s.op === 'put') put.push(s.key);
          const mutation: ReadModelMutation =
            s.op === 'put'
              ? { collection: 'objects', op: 'upsert', doc: doc(bucket, s.key) }
              : { collection: 'objects', op: 'delete', id: `${bucket}/${put[s.earlier % put.length] ?? s.key}`, position: { partition: 0, offset: offset++ } };
          applied.push(mutation);
          if (s.batched) batch.push(mutation);
          else {
            await store.applyMutations(batch);
            batch = [];
            await store.applyMutation(mutation);
          }
          // The same event again at once (one by one, or twice in a batch).
          if (s.again && s.batched) batch.push(mutation);
          if (s.again && !s.batched) await store.applyMutation(mutation);
        }
        await store.applyMutations(batch);
        // As after a crash: the log again from a checkpoint, by a store that remembers nothing.
        await new MongoMetadataStore(db).applyMutations(applied.slice(redeliverFrom % (applied.length + 1)));

        const keys = (await store.listObjects(bucket, { prefix: '', limit: 10_000 })).map((o) => o.key);
        const expected = new Set<string>();
        for (const key of keys) {
          expected.add(fileEntryId(bucket, key));
          for (const folder of foldersOf(key)) expected.add(folderEntryId(bucket, folder));
        }
        const { from, to } = rangeOf(`${bucket}/`);
        const held = await db.collection(COLLECTIONS.listingTree).find({ _id: { $gte: from, $lt: to } } as never).toArray();
        expect(held.map((d) => String(d._id)).sort()).toEqual([...expected].sort());

        const prefixes = new Set(['', 'a', 'a/', 'é/', '😀/a', ...keys.flatMap((k) => foldersOf(k))]);
        for (const prefix of prefixes) {
          for (const startAfter of [undefined, ...keys.filter((k) => k.startsWith(prefix)).slice(0, 3), `${prefix}a/`]) {
            const params: ListObjectsV2Params = { prefix, delimiter: '/', maxKeys, startAfter };
            const seeking = await pages(params, (q) => store.listObjects(bucket, q));
            const fromTree = await pages(params, (q) => store.listLevel(bucket, q));
            expect(fromTree).toEqual(seeking);
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it.each([false, true])('follows an object written or removed before a crash cut the tree write short (batched: %s)', async (batched) => {
    const store = new MongoMetadataStore(db);
    const bucket = `crash${batched}`;
    const apply = (m: ReadModelMutation) => (batched ? store.applyMutations([m, m]) : store.applyMutation(m));
    const doc: ObjectDocument = {
      _id: `${bucket}/x/y/z`, bucket, bucketId: bucket, key: 'x/y/z', objectId: 'o', size: 1, etag: 'e', contentType: 't',
      userMetadata: [], owner: 'o', ownerDisplayName: 'root', lastModified: new Date(0), partition: 0, offset: 5,
    };
    const treeIds = async () => {
      const { from, to } = rangeOf(`${bucket}/`);
      return (await db.collection(COLLECTIONS.listingTree).find({ _id: { $gte: from, $lt: to } } as never).toArray()).map((d) => String(d._id)).sort();
    };
    // The object document went in, the crash came before its tree entries.
    await packedCollections(db).objects.insertOne(doc);
    await apply({ collection: 'objects', op: 'upsert', doc });
    expect(await treeIds()).toEqual([fileEntryId(bucket, 'x/y/z'), folderEntryId(bucket, 'x/'), folderEntryId(bucket, 'x/y/')].sort());
    // The object document was deleted, the crash came before its tree entries went.
    await packedCollections(db).objects.deleteOne({ _id: doc._id });
    await apply({ collection: 'objects', op: 'delete', id: doc._id, position: { partition: 0, offset: 6 } });
    expect(await treeIds()).toEqual([]);
  });
});

/** Every page of a listing, following continuation tokens, as keys and common prefixes. */
async function pages(params: ListObjectsV2Params, fetch: Parameters<typeof listObjectsV2>[0]): Promise<string[][]> {
  const all: string[][] = [];
  let token: string | undefined;
  do {
    const page = await listObjectsV2(fetch, { ...params, ...(token ? { continuationToken: token } : {}) });
    all.push([...page.contents.map((o) => `K ${o.key} ${(o as { size?: number }).size}`), ...page.commonPrefixes.map((p) => `P ${p}`)]);
    token = page.nextContinuationToken;
    if (all.length > 200) throw new Error('the listing does not end');
  } while (token);
  return all;
}
