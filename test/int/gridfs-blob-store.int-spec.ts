// The blob store contract on the GridFS adapter, against the MongoDB-wire server of
// `scripts/infra.sh up` (FerretDB over PostgreSQL here, MongoDB under docker compose). "Another
// node" is a second store on the same database. The database is unique per run and dropped
// afterwards.
//
// Env: MONGO_URL (default mongodb://127.0.0.1:27017).
import { randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { MongoClient, ObjectId, type Db } from 'mongodb';
import { GridFsBlobStore } from '../../src/blobs/gridfs-blob.store.js';
import { blobStoreContract } from '../support/blob-store-contract.js';

const MONGO_URL = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017';
const DB_NAME = `sediment_int_gridfs_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
const MiB = 1024 * 1024;

let client: MongoClient;
let db: Db;
const stores: GridFsBlobStore[] = [];

async function node(): Promise<GridFsBlobStore> {
  const store = new GridFsBlobStore(db);
  await store.init();
  stores.push(store);
  return store;
}

/** Ids of the writes whose remains are stored: pending documents, and chunks no files document owns. */
async function remainingWrites(): Promise<number> {
  const ids = new Set<string>((await db.collection('blobs.pending').find({}).toArray()).map((d) => String(d._id)));
  const files = new Set((await db.collection('blobs.files').find({}, { projection: { _id: 1 } }).toArray()).map((d) => String(d._id)));
  for (const chunk of await db.collection('blobs.chunks').find({}, { projection: { files_id: 1 } }).toArray()) {
    if (!files.has(String(chunk.files_id))) ids.add(String(chunk.files_id));
  }
  return ids.size;
}

beforeAll(async () => {
  client = await new MongoClient(MONGO_URL, { serverSelectionTimeoutMS: 5000 }).connect();
  db = client.db(DB_NAME);
}, 30_000);

afterAll(async () => {
  for (const store of stores) store.close();
  try {
    await db?.dropDatabase();
  } finally {
    await client?.close();
  }
}, 30_000);

blobStoreContract(
  `GridFsBlobStore on ${MONGO_URL}`,
  async () => {
    return {
      store: await node(),
      otherNode: node,
      async leaveCrashedWrite(ageMs) {
        // What a node killed after two chunks leaves: its pending document, stale, and the chunks.
        const id = randomUUID();
        const then = new Date(Date.now() - ageMs);
        await db.collection('blobs.pending').insertOne({ _id: id as never, node: 'dead:1', startedAt: then, touchedAt: then });
        await db.collection('blobs.chunks').insertMany([
          { _id: new ObjectId(), files_id: id, n: 0, data: randomBytes(64) },
          { _id: new ObjectId(), files_id: id, n: 1, data: randomBytes(64) },
        ]);
      },
      remains: remainingWrites,
      visibleBlobs: () => db.collection('blobs.files').countDocuments({}),
    };
  },
  async () => undefined,
);

describe('GridFsBlobStore specifics', () => {
  it('stores 1 MiB chunks with the blob id as the files document _id, so any node finds it by id', async () => {
    const store = await node();
    const payload = randomBytes(2 * MiB + 1);
    const { blobId } = await store.write(Readable.from([payload]));
    const file = await db.collection('blobs.files').findOne({ _id: blobId as never });
    expect(file).toMatchObject({ _id: blobId, length: payload.length, chunkSize: MiB, filename: blobId });
    expect(await db.collection('blobs.chunks').countDocuments({ files_id: blobId })).toBe(3);
  });

  it('streams: writing and reading 96 MiB keeps RSS growth far below the payload size', async () => {
    const store = await node();
    const piece = randomBytes(64 * 1024);
    const total = 96 * MiB;
    const body = () => Readable.from((function* () {
      for (let i = 0; i < total / piece.length; i++) yield piece;
    })());
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    try {
      const { blobId, size } = await store.write(body(), { expectedSize: total });
      let read = 0;
      for await (const chunk of store.read(blobId)) read += (chunk as Buffer).length;
      expect({ size, read }).toEqual({ size: total, read: total });
    } finally {
      clearInterval(sampler);
    }
    expect((peak - baseline) / MiB).toBeLessThan(48);
  });

  it('refuses to write before init()', async () => {
    const store = new GridFsBlobStore(db);
    await expect(store.write(Readable.from([Buffer.from('x')]))).rejects.toThrow(/init/);
  });
});
