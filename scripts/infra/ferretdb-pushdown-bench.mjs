#!/usr/bin/env node
// Before/after figures for docs/adr/0012: findOne, updateOne by `_id` and a page of 100 from an
// `_id` range, on collections of each size. Run it against an unpatched and a patched FerretDB.
//
//   node scripts/infra/ferretdb-pushdown-bench.mjs [--url mongodb://127.0.0.1:27017] [--sizes 10000,100000]
//
// Each size gets its own database, dropped afterwards.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { MongoClient } from 'mongodb';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'mongodb://127.0.0.1:27017' },
    sizes: { type: 'string', default: '10000,100000' },
    lookups: { type: 'string', default: '200' },
    pages: { type: 'string', default: '30' },
  },
});
const sizes = values.sizes.split(',').map(Number);
const lookups = Number(values.lookups);
const pages = Number(values.pages);
const PREFIX = 'photos/';
const PREFIX_END = 'photos0'; // '0' follows '/': every key under the prefix sorts below it
const idOf = (i) => `${PREFIX}${String(i).padStart(7, '0')}-${(i * 2654435761 % 4294967296).toString(36)}.jpg`;

async function timed(times, op) {
  const ms = [];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    await op(i);
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { p50: ms[Math.floor(ms.length / 2)], p95: ms[Math.floor(ms.length * 0.95)] };
}

async function fill(collection, size) {
  const payload = randomBytes(96).toString('hex');
  for (let start = 0; start < size; start += 1000) {
    const docs = [];
    for (let i = start; i < Math.min(size, start + 1000); i++) docs.push({ _id: idOf(i), size: i, etag: payload });
    await collection.insertMany(docs, { ordered: false });
  }
}

const client = new MongoClient(values.url, { serverSelectionTimeoutMS: 5000 });
await client.connect();
const rows = [];
try {
  for (const size of sizes) {
    const db = client.db(`bench_pushdown_${size}_${randomBytes(3).toString('hex')}`);
    try {
      const objects = db.collection('objects');
      await fill(objects, size);
      const pick = (i) => idOf((i * 7919) % size);
      const findOne = await timed(lookups, async (i) => {
        if (!(await objects.findOne({ _id: pick(i) }))) throw new Error(`missing ${pick(i)}`);
      });
      const updateOne = await timed(lookups, async (i) => {
        const r = await objects.updateOne({ _id: pick(i) }, { $set: { touched: i } });
        if (r.matchedCount !== 1) throw new Error(`not matched ${pick(i)}`);
      });
      const page = await timed(pages, async (i) => {
        const after = idOf(Math.floor((i * size) / pages / 2));
        const docs = await objects
          .find({ _id: { $gt: after, $lt: PREFIX_END } })
          .sort({ _id: 1 })
          .limit(100)
          .toArray();
        if (docs.length !== 100) throw new Error(`page of ${docs.length}`);
      });
      rows.push({ size, findOne, updateOne, page });
      console.error(`[bench] ${size} documents done`);
    } finally {
      await db.dropDatabase();
    }
  }
} finally {
  await client.close();
}
const f = (x) => `${x.p50.toFixed(1)} ms (p95 ${x.p95.toFixed(1)})`;
console.log(`FerretDB at ${values.url}: p50 (p95) over ${lookups} lookups/updates and ${pages} pages`);
console.log('| documents | findOne by _id | updateOne by _id | page of 100 from an _id range, sorted |');
console.log('|---|---|---|---|');
for (const r of rows) console.log(`| ${r.size.toLocaleString('en')} | ${f(r.findOne)} | ${f(r.updateOne)} | ${f(r.page)} |`);
