// Proves, through PostgreSQL's plans and not through timings, that the FerretDB built by
// `scripts/infra.sh up` (with scripts/infra/ferretdb-v1.24.2-pushdown.patch, docs/adr/0012)
// serves `_id` lookups, `_id` ranges and `_id`-sorted limits from the unique `_id` index, and
// that what it answers is still exact: byte order, no row lost to a limit, other types apart.
//
// FerretDB answers `explain` with PostgreSQL's EXPLAIN of the SQL it generated, plus its own
// filterPushdown / sortPushdown / limitPushdown flags. The plans hold whether or not autovacuum
// has analyzed the table yet. Against MongoDB this suite does not apply (its plans differ).
//
// Env: MONGO_URL (default mongodb://127.0.0.1:27017). The database is unique per run and
// dropped afterwards.
import { randomBytes } from 'node:crypto';
import { MongoClient, ObjectId } from 'mongodb';
import type { Collection, Db, Document } from 'mongodb';

const MONGO_URL = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017';
const DB_NAME = `sediment_int_pushdown_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
const SIZE = 20_000;
const keyOf = (i: number) => `k/${String(i).padStart(6, '0')}`;
// 'a😀' and 'a\uFFFD' sort one way in UTF-16 code units (JavaScript's order) and the other way
// in UTF-8 bytes (S3's order), which is the one expected.
const UNICODE = ['z', '😀', 'a', '中', 'B', 'é', 'a😀', 'a\uFFFD', 'ab'].map((s) => `u/${s}`);
const OBJECT_ID = new ObjectId();
const byUtf8 = (x: string, y: string) => Buffer.compare(Buffer.from(x, 'utf8'), Buffer.from(y, 'utf8'));

type Plan = Record<string, unknown> & { 'Node Type': string; Plans?: Plan[] };

let client: MongoClient;
let db: Db;
// `_id` of several BSON types, as the collection holds.
type AnyId = string | number | ObjectId | null | { k: string };
let objects: Collection<{ _id: AnyId; n?: number }>;

function nodes(plan: Plan): Plan[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

async function explainFind(command: Document): Promise<{ plan: Plan; flags: Record<string, unknown> }> {
  const res = await db.command({ explain: { find: 'objects', ...command } });
  const { filterPushdown, sortPushdown, limitPushdown } = res;
  return { plan: res.queryPlanner.Plan as Plan, flags: { filterPushdown, sortPushdown, limitPushdown } };
}

// The node that reads the table: an Index Scan on the `_id` index, in the given direction.
function expectIdIndexScan(plan: Plan, direction: 'Forward' | 'Backward') {
  const all = nodes(plan);
  expect(all.map((n) => n['Node Type'])).not.toContain('Seq Scan');
  const scan = all.find((n) => n['Node Type'] === 'Index Scan');
  expect(scan).toBeDefined();
  expect(scan!['Index Name']).toMatch(/__id__/);
  expect(scan!['Index Cond']).toContain("_jsonb -> '_id'::text)");
  expect(scan!['Scan Direction']).toBe(direction);
}

// A LIMIT straight over the ordered index scan: no Sort node reads the whole range first.
function expectLimitOverIndexScan(plan: Plan, direction: 'Forward' | 'Backward') {
  expect(plan['Node Type']).toBe('Limit');
  expect(nodes(plan).map((n) => n['Node Type'])).not.toContain('Sort');
  expectIdIndexScan(plan, direction);
}

beforeAll(async () => {
  client = new MongoClient(MONGO_URL, { serverSelectionTimeoutMS: 5000 });
  await client.connect();
  db = client.db(DB_NAME);
  objects = db.collection('objects');
  for (let start = 0; start < SIZE; start += 1000) {
    const batch = Array.from({ length: 1000 }, (_, j) => ({ _id: keyOf(start + j), n: start + j }));
    await objects.insertMany(batch, { ordered: false });
  }
  // Other types of `_id` around the strings: none may leak into a string range or page.
  await objects.insertMany([
    ...UNICODE.map((_id) => ({ _id })),
    { _id: 5 },
    { _id: -1e300 },
    { _id: OBJECT_ID },
    { _id: { k: 'k/000001' } },
    { _id: null },
  ]);
}, 180_000);

afterAll(async () => {
  try {
    await db?.dropDatabase();
  } finally {
    await client?.close();
  }
}, 60_000);

describe(`FerretDB _id pushdown against ${MONGO_URL}`, () => {
  it('find({_id}) is an index scan, and so is the query updateOne/deleteOne run first', async () => {
    // update and delete query with their filter alone, then write by _id; explain cannot show
    // them (it reads `filter` from the explained command), so this is their query's plan.
    const { plan, flags } = await explainFind({ filter: { _id: keyOf(12_345) } });
    expectIdIndexScan(plan, 'Forward');
    expect(flags.filterPushdown).toBe(true);
    expect(await objects.findOne({ _id: keyOf(12_345) })).toEqual({ _id: keyOf(12_345), n: 12_345 });
    expectIdIndexScan((await explainFind({ filter: { _id: OBJECT_ID } })).plan, 'Forward');
    expect(await objects.findOne({ _id: OBJECT_ID })).toEqual({ _id: OBJECT_ID });
  });

  it('updateOne, replaceOne and deleteOne by _id change exactly that document', async () => {
    expect(await objects.updateOne({ _id: keyOf(7) }, { $set: { n: -7 } })).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
    expect(await objects.replaceOne({ _id: keyOf(8) }, { n: -8 })).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
    expect(await objects.deleteOne({ _id: keyOf(9) })).toMatchObject({ deletedCount: 1 });
    expect(await objects.find({ _id: { $gte: keyOf(6), $lte: keyOf(10) } }).sort({ _id: 1 }).toArray()).toEqual([
      { _id: keyOf(6), n: 6 },
      { _id: keyOf(7), n: -7 },
      { _id: keyOf(8), n: -8 },
      { _id: keyOf(10), n: 10 },
    ]);
    await objects.insertOne({ _id: keyOf(9), n: 9 });
    await objects.updateOne({ _id: keyOf(7) }, { $set: { n: 7 } });
    await objects.replaceOne({ _id: keyOf(8) }, { n: 8 });
  });

  it('an _id range sorted ascending with a limit is a LIMIT over a forward index scan', async () => {
    const filter = { _id: { $gt: keyOf(5_000), $lt: 'k0' } };
    const { plan, flags } = await explainFind({ filter, sort: { _id: 1 }, limit: 100 });
    expectLimitOverIndexScan(plan, 'Forward');
    expect(flags).toEqual({ filterPushdown: true, sortPushdown: true, limitPushdown: true });
    const page = await objects.find(filter).sort({ _id: 1 }).limit(100).toArray();
    expect(page.map((d) => d._id)).toEqual(Array.from({ length: 100 }, (_, j) => keyOf(5_001 + j)));
  });

  it('the descending variant is a LIMIT over a backward index scan', async () => {
    const filter = { _id: { $gte: 'k/', $lte: keyOf(15_000) } };
    const { plan, flags } = await explainFind({ filter, sort: { _id: -1 }, limit: 100 });
    expectLimitOverIndexScan(plan, 'Backward');
    expect(flags).toEqual({ filterPushdown: true, sortPushdown: true, limitPushdown: true });
    const page = await objects.find(filter).sort({ _id: -1 }).limit(100).toArray();
    expect(page.map((d) => d._id)).toEqual(Array.from({ length: 100 }, (_, j) => keyOf(15_000 - j)));
  });

  it('one-sided ranges are index scans too, and return strings only, in UTF-8 byte order', async () => {
    const { plan } = await explainFind({ filter: { _id: { $gt: 'u/' } }, sort: { _id: 1 }, limit: 3 });
    expectLimitOverIndexScan(plan, 'Forward');
    const expected = [...UNICODE].sort(byUtf8);
    const ascending = await objects.find({ _id: { $gt: 'u/' } }).sort({ _id: 1 }).limit(100).toArray();
    expect(ascending.map((d) => d._id)).toEqual(expected);
    // null and the ObjectID sort below 'k/' in PostgreSQL: they must not take the limit's places.
    const first = await objects.find({ _id: { $lt: keyOf(3) } }).sort({ _id: 1 }).limit(2).toArray();
    expect(first.map((d) => d._id)).toEqual([keyOf(0), keyOf(1)]);
    // The document and the numbers sort above every string in PostgreSQL: the same from above.
    const lastThree = await objects.find({ _id: { $gte: 'u/' } }).sort({ _id: -1 }).limit(3).toArray();
    expect(lastThree.map((d) => d._id)).toEqual(expected.slice(-3).reverse());
  });

  it('paging through the whole range with $gt and limit returns every key once, in order', async () => {
    const seen: string[] = [];
    for (let after = 'k/'; ; ) {
      const page = await objects.find({ _id: { $gt: after, $lt: 'k0' } }).sort({ _id: 1 }).limit(1000).toArray();
      if (page.length === 0) break;
      seen.push(...page.map((d) => d._id as string));
      after = seen[seen.length - 1];
    }
    expect(seen).toEqual(Array.from({ length: SIZE }, (_, i) => keyOf(i)));
  }, 120_000);

  it('with a filter it cannot push down whole, the limit stays in FerretDB and the answer is exact', async () => {
    const filter = { _id: { $gte: 'k/', $lt: 'k0' }, n: { $gte: SIZE - 3 } };
    const { plan, flags } = await explainFind({ filter, sort: { _id: 1 }, limit: 2 });
    expect(flags).toEqual({ filterPushdown: true, sortPushdown: false, limitPushdown: false });
    expect(plan['Node Type']).not.toBe('Limit');
    const page = await objects.find(filter).sort({ _id: 1 }).limit(2).toArray();
    expect(page.map((d) => d._id)).toEqual([keyOf(SIZE - 3), keyOf(SIZE - 2)]);
  });
});
