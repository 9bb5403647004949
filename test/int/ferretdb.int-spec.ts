// Proves, against the MongoDB-wire server started by `scripts/infra.sh up` (FerretDB v1 on
// SQLite here, MongoDB 7 under docker compose), the `mongodb` driver features the read model
// relies on: unique and compound indexes, duplicate-key errors (11000), upserts with
// $setOnInsert, conditional findOneAndUpdate on a numeric position, bulkWrite, and string
// ordering in UTF-8 byte order (MongoDB's simple collation), which S3 listings need.
//
// Env: MONGO_URL (default mongodb://127.0.0.1:27017). The database is unique per run and
// dropped afterwards.
import { randomBytes } from 'node:crypto';
import { MongoBulkWriteError, MongoClient, MongoServerError } from 'mongodb';
import type { Collection, Db } from 'mongodb';

const MONGO_URL = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017';
const DB_NAME = `sediment_int_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;

interface ObjectDoc {
  _id?: string;
  bucket: string;
  key: string;
  size?: number;
  etag?: string;
  updatedAt?: number;
}

let client: MongoClient;
let db: Db;

beforeAll(async () => {
  client = new MongoClient(MONGO_URL, { serverSelectionTimeoutMS: 5000 });
  await client.connect();
  db = client.db(DB_NAME);
}, 30_000);

afterAll(async () => {
  try {
    await db?.dropDatabase();
  } finally {
    await client?.close();
  }
}, 30_000);

describe(`mongodb driver against ${MONGO_URL}`, () => {
  it('answers ping and reports a wire version the driver accepts', async () => {
    expect(await db.admin().command({ ping: 1 })).toMatchObject({ ok: 1 });
    const hello = await db.admin().command({ hello: 1 });
    expect(hello.maxWireVersion).toBeGreaterThanOrEqual(8);
  });

  it('unique compound index: duplicate insert fails with code 11000', async () => {
    const objects: Collection<ObjectDoc> = db.collection('objects');
    await objects.createIndex({ bucket: 1, key: 1 }, { unique: true, name: 'bucket_key_unique' });
    await objects.createIndex({ bucket: 1, updatedAt: -1 }, { name: 'bucket_updatedAt' });
    const indexes = await objects.listIndexes().toArray();
    const byName = Object.fromEntries(indexes.map((i) => [i.name, i]));
    expect(byName.bucket_key_unique).toMatchObject({ key: { bucket: 1, key: 1 }, unique: true });
    expect(byName.bucket_updatedAt).toMatchObject({ key: { bucket: 1, updatedAt: -1 } });
    expect(byName.bucket_updatedAt.unique).toBeFalsy();

    await objects.insertOne({ bucket: 'b1', key: 'photos/cat.jpg', size: 10 });
    await objects.insertOne({ bucket: 'b2', key: 'photos/cat.jpg', size: 11 }); // other bucket: fine
    let dup: unknown;
    try {
      await objects.insertOne({ bucket: 'b1', key: 'photos/cat.jpg', size: 12 });
    } catch (e) {
      dup = e;
    }
    expect(dup).toBeInstanceOf(MongoServerError);
    expect((dup as MongoServerError).code).toBe(11000);

    // _id is unique too.
    const ids = db.collection<{ _id: string }>('ids');
    await ids.insertOne({ _id: 'x' });
    await expect(ids.insertOne({ _id: 'x' })).rejects.toMatchObject({ code: 11000 });
    expect(await objects.countDocuments({ bucket: 'b1' })).toBe(1);
  });

  it('upsert with $setOnInsert keeps the first value; $set applies every time', async () => {
    const buckets = db.collection<{ _id: string; createdAt: number; owner: string; touched: number }>('buckets');
    const first = await buckets.updateOne(
      { _id: 'photos' },
      { $setOnInsert: { createdAt: 1000, owner: 'root' }, $set: { touched: 1 } },
      { upsert: true },
    );
    expect(first).toMatchObject({ matchedCount: 0, upsertedCount: 1, upsertedId: 'photos' });
    const second = await buckets.updateOne(
      { _id: 'photos' },
      { $setOnInsert: { createdAt: 2000, owner: 'intruder' }, $set: { touched: 2 } },
      { upsert: true },
    );
    expect(second).toMatchObject({ matchedCount: 1, modifiedCount: 1, upsertedCount: 0 });
    expect(await buckets.findOne({ _id: 'photos' })).toEqual({ _id: 'photos', createdAt: 1000, owner: 'root', touched: 2 });
  });

  it('known FerretDB v1 quirk: a top-level empty array in $setOnInsert is dropped on upsert', async () => {
    // Code must not rely on `$setOnInsert: { list: [] }` creating the field: read a missing
    // array as empty, or use $set / a non-empty value. MongoDB stores the empty array.
    const info = await db.admin().command({ buildInfo: 1 });
    const col = db.collection<{ _id: string; list?: unknown[]; obj?: object; p?: number }>('quirks');
    await col.updateOne({ _id: 'q1' }, { $set: { p: 1 }, $setOnInsert: { list: [], obj: {} } }, { upsert: true });
    await col.updateOne({ _id: 'q2' }, { $set: { p: 1, list: [] } }, { upsert: true });
    const q1 = await col.findOne({ _id: 'q1' });
    if (info.ferretdbVersion) {
      expect(q1).toEqual({ _id: 'q1', p: 1, obj: {} });
    } else {
      expect(q1).toEqual({ _id: 'q1', p: 1, list: [], obj: {} });
    }
    // $set of an empty array on upsert works on both.
    expect(await col.findOne({ _id: 'q2' })).toEqual({ _id: 'q2', p: 1, list: [] });
  });

  it('findOneAndUpdate with a numeric condition ({_id, pos: {$lt: n}}) applies each position once', async () => {
    const checkpoints = db.collection<{ _id: string; pos: number; applied: string[] }>('checkpoints');
    await checkpoints.insertOne({ _id: 'events-0', pos: 5, applied: [] });

    const advanced = await checkpoints.findOneAndUpdate(
      { _id: 'events-0', pos: { $lt: 6 } },
      { $set: { pos: 6 }, $push: { applied: 'e6' } },
      { returnDocument: 'after' },
    );
    expect(advanced).toEqual({ _id: 'events-0', pos: 6, applied: ['e6'] });

    // Replaying the same position is a no-op: no match, null result, document unchanged.
    const replay = await checkpoints.findOneAndUpdate(
      { _id: 'events-0', pos: { $lt: 6 } },
      { $set: { pos: 6 }, $push: { applied: 'e6-again' } },
      { returnDocument: 'after' },
    );
    expect(replay).toBeNull();
    expect(await checkpoints.findOne({ _id: 'events-0' })).toEqual({ _id: 'events-0', pos: 6, applied: ['e6'] });

    // Metadata form, returnDocument 'before'.
    const meta = await checkpoints.findOneAndUpdate(
      { _id: 'events-0', pos: { $lt: 3_000_000_000 } },
      { $set: { pos: 3_000_000_000 } },
      { returnDocument: 'before', includeResultMetadata: true },
    );
    expect(meta.ok).toBe(1);
    expect(meta.value).toMatchObject({ pos: 6 });
    expect(await checkpoints.findOne({ _id: 'events-0', pos: { $gte: 2_999_999_999 } })).toMatchObject({ pos: 3_000_000_000 });

    // The same guard with upsert on a missing _id inserts it.
    const created = await checkpoints.findOneAndUpdate(
      { _id: 'events-1', pos: { $lt: 1 } },
      { $set: { pos: 1 }, $setOnInsert: { applied: ['e1'] } },
      { upsert: true, returnDocument: 'after' },
    );
    expect(created).toEqual({ _id: 'events-1', pos: 1, applied: ['e1'] });
    // ...and on an existing _id whose guard fails, the upsert's insert hits the _id index (11000),
    // as on MongoDB: callers treat that as "already applied".
    await expect(
      checkpoints.findOneAndUpdate({ _id: 'events-1', pos: { $lt: 1 } }, { $set: { pos: 1 } }, { upsert: true }),
    ).rejects.toMatchObject({ code: 11000 });
  });

  it('bulkWrite: ordered mixed operations, and an unordered batch reporting a duplicate', async () => {
    const objects = db.collection<ObjectDoc>('bulk_objects');
    await objects.createIndex({ bucket: 1, key: 1 }, { unique: true });
    const res = await objects.bulkWrite(
      [
        { insertOne: { document: { _id: 'o1', bucket: 'b', key: 'a.txt', size: 1 } } },
        { insertOne: { document: { _id: 'o2', bucket: 'b', key: 'b.txt', size: 2 } } },
        { updateOne: { filter: { _id: 'o3' }, update: { $set: { bucket: 'b', key: 'c.txt', size: 3 } }, upsert: true } },
        { updateMany: { filter: { bucket: 'b', size: { $lte: 2 } }, update: { $set: { etag: 'small' } } } },
        { replaceOne: { filter: { _id: 'o2' }, replacement: { bucket: 'b', key: 'b.txt', size: 20, etag: 'big' } } },
        { deleteOne: { filter: { _id: 'o1' } } },
      ],
      { ordered: true },
    );
    expect(res.insertedCount).toBe(2);
    expect(res.upsertedCount).toBe(1);
    expect(res.upsertedIds).toEqual({ 2: 'o3' });
    expect(res.matchedCount).toBe(3); // updateMany 2 + replaceOne 1
    expect(res.modifiedCount).toBe(3);
    expect(res.deletedCount).toBe(1);
    expect(await objects.find({}, { sort: { _id: 1 } }).toArray()).toEqual([
      { _id: 'o2', bucket: 'b', key: 'b.txt', size: 20, etag: 'big' },
      { _id: 'o3', bucket: 'b', key: 'c.txt', size: 3 },
    ]);

    let bulkErr: unknown;
    try {
      await objects.bulkWrite(
        [
          { insertOne: { document: { _id: 'o4', bucket: 'b', key: 'd.txt' } } },
          { insertOne: { document: { _id: 'o5', bucket: 'b', key: 'b.txt' } } }, // dup (bucket,key)
          { insertOne: { document: { _id: 'o6', bucket: 'b', key: 'e.txt' } } },
        ],
        { ordered: false },
      );
    } catch (e) {
      bulkErr = e;
    }
    expect(bulkErr).toBeInstanceOf(MongoBulkWriteError);
    const be = bulkErr as MongoBulkWriteError;
    expect(be.code).toBe(11000);
    expect(be.writeErrors).toBeDefined();
    const writeErrors = Array.isArray(be.writeErrors) ? be.writeErrors : [be.writeErrors];
    expect(writeErrors.map((w) => [w.index, w.code])).toEqual([[1, 11000]]);
    expect(be.result.insertedCount).toBe(2);
    expect(await objects.countDocuments({ _id: { $in: ['o4', 'o6'] } })).toBe(2);
  });

  it('strings sort and compare in UTF-8 byte order (S3 listing order), not JS UTF-16 order', async () => {
    const keys = db.collection<{ _id: string; bucket: string; key: string }>('keys');
    await keys.createIndex({ bucket: 1, key: 1 }, { unique: true });
    // Byte order: a (61) < b (62) < é (C3 A9) < U+E000 (EE 80 80) < U+FFFD (EF BF BD) < 😀 (F0 9F 98 80).
    const expected = ['a', 'b', 'é', '\uE000', '\uFFFD', '😀'];
    const utf8Order = [...expected].sort((x, y) => Buffer.compare(Buffer.from(x, 'utf8'), Buffer.from(y, 'utf8')));
    expect(utf8Order).toEqual(expected);
    // JS's default sort compares UTF-16 code units: the astral 😀 (D83D DE00) sorts before U+E000.
    expect([...expected].sort()).toEqual(['a', 'b', 'é', '😀', '\uE000', '\uFFFD']);

    const shuffled = ['\uFFFD', 'b', '😀', 'a', '\uE000', 'é'];
    await keys.insertMany(shuffled.map((k, i) => ({ _id: `k${i}`, bucket: 'b', key: k })));

    const asc = await keys.find({ bucket: 'b' }).sort({ key: 1 }).toArray();
    expect(asc.map((d) => d.key)).toEqual(expected);
    const desc = await keys.find({ bucket: 'b' }).sort({ key: -1 }).toArray();
    expect(desc.map((d) => d.key)).toEqual([...expected].reverse());

    // Range filters (the ListObjects "start after" marker) use the same order.
    const after = await keys.find({ bucket: 'b', key: { $gt: '\uE000' } }).sort({ key: 1 }).toArray();
    expect(after.map((d) => d.key)).toEqual(['\uFFFD', '😀']);
    const page = await keys.find({ bucket: 'b', key: { $gte: 'b', $lt: '\uFFFD' } }).sort({ key: 1 }).limit(2).toArray();
    expect(page.map((d) => d.key)).toEqual(['b', 'é']);
  });
});
