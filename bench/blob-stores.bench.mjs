// Throughput of each blob store adapter on this machine, beside `dd` as the disk's peer (ADR 0028).
//   npm run bench:blobs            (needs FerretDB/MongoDB at MONGO_URL; builds first)
// Env: MONGO_URL [mongodb://127.0.0.1:27017], BENCH_SMALL_COUNT [1000] 4 KiB objects,
//   BENCH_SMALL_CONCURRENCY [16], BENCH_LARGE_COUNT [4] 64 MiB objects (one at a time),
//   BENCH_DIR [os.tmpdir()] where the filesystem adapter and dd write (must be a real disk),
//   BENCH_FILLER_MIB [512] MiB of other blobs stored before GridFS's last read row.
// Each adapter is driven in-process through the port, with the same durability as a 200 of the
// service: the filesystem adapter fsyncs file and directory and renames; GridFS writes with
// w: majority, j: true (which the local FerretDB acknowledges without waiting for a disk flush:
// its PostgreSQL runs with synchronous_commit=off, so GridFS's rows there are an upper bound).
// Rows: write then read of 4 KiB objects (16 at a time), write then read of 64 MiB objects (one
// stream each), and dd's durable sequential write of 256 MiB. The last two GridFS rows read the
// same small blobs before and after the chunks collection grows (the server's chunk query may
// scan it). Ratios are to dd. Numbers, not assertions; run on a quiet machine if you can, and
// say when it was not.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { MongoClient } from 'mongodb';
import { FilesystemBlobStore } from '../dist/blobs/filesystem-blob.store.js';
import { GridFsBlobStore } from '../dist/blobs/gridfs-blob.store.js';

const MONGO_URL = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017';
const SMALL = 4096;
const SMALL_COUNT = Number(process.env.BENCH_SMALL_COUNT ?? 1000);
const SMALL_CONCURRENCY = Number(process.env.BENCH_SMALL_CONCURRENCY ?? 16);
const LARGE = 64 * 1024 * 1024;
const LARGE_COUNT = Number(process.env.BENCH_LARGE_COUNT ?? 4);
const BENCH_DIR = process.env.BENCH_DIR ?? tmpdir();
const FILLER_MIB = Number(process.env.BENCH_FILLER_MIB ?? 512);
const MB = 1e6;

/** A 64 MiB body streamed in 64 KiB pieces, as an HTTP request arrives (never held whole). */
function largeBody() {
  const piece = randomBytes(64 * 1024);
  return Readable.from(
    (function* () {
      for (let i = 0; i < LARGE / piece.length; i++) yield piece;
    })(),
  );
}

async function drain(stream) {
  let bytes = 0;
  for await (const chunk of stream) bytes += chunk.length;
  return bytes;
}

async function inParallel(count, concurrency, task) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

async function timed(fn) {
  const started = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function measure(name, store) {
  const small = randomBytes(SMALL);
  const smallIds = [];
  const smallWrite = await timed(() =>
    inParallel(SMALL_COUNT, SMALL_CONCURRENCY, async (i) => {
      smallIds[i] = (await store.write(Readable.from([small]), { expectedSize: SMALL })).blobId;
    }),
  );
  const smallRead = await timed(() => inParallel(SMALL_COUNT, SMALL_CONCURRENCY, async (i) => void (await drain(store.read(smallIds[i])))));

  const largeIds = [];
  const largeWrite = await timed(async () => {
    for (let i = 0; i < LARGE_COUNT; i++) largeIds.push((await store.write(largeBody(), { expectedSize: LARGE })).blobId);
  });
  const largeRead = await timed(async () => {
    for (const id of largeIds) if ((await drain(store.read(id))) !== LARGE) throw new Error('short read');
  });
  for (const id of [...smallIds, ...largeIds]) await store.delete(id);
  return [
    { adapter: name, row: `write 4 KiB x${SMALL_COUNT} (${SMALL_CONCURRENCY} at a time)`, seconds: smallWrite, bytes: SMALL * SMALL_COUNT, ops: SMALL_COUNT },
    { adapter: name, row: `read 4 KiB x${SMALL_COUNT} (${SMALL_CONCURRENCY} at a time)`, seconds: smallRead, bytes: SMALL * SMALL_COUNT, ops: SMALL_COUNT },
    { adapter: name, row: `write 64 MiB x${LARGE_COUNT} (one stream)`, seconds: largeWrite, bytes: LARGE * LARGE_COUNT, ops: LARGE_COUNT },
    { adapter: name, row: `read 64 MiB x${LARGE_COUNT} (one stream)`, seconds: largeRead, bytes: LARGE * LARGE_COUNT, ops: LARGE_COUNT },
  ];
}

/**
 * What a GridFS read costs as the chunks collection grows: FerretDB 1.24 answers GridFS's chunk
 * query ({files_id, n}) with a sequential scan (ADR 0012 pushes down `_id` only); MongoDB with
 * the {files_id: 1, n: 1} index. Reads 200 small blobs, stores FILLER_MIB of other blobs, reads again.
 */
async function scanCost(db, store) {
  const small = randomBytes(SMALL);
  const ids = [];
  for (let i = 0; i < 200; i++) ids.push((await store.write(Readable.from([small]))).blobId);
  const readAll = () => timed(() => inParallel(ids.length, SMALL_CONCURRENCY, async (i) => void (await drain(store.read(ids[i])))));
  const rows = [];
  let stored = await db.collection('blobs.chunks').countDocuments({});
  rows.push({ adapter: 'gridfs', row: `read 4 KiB x200, ${stored} chunks stored`, seconds: await readAll(), bytes: SMALL * 200, ops: 200 });
  // Other blobs, as a store holds them: FILLER_MIB of 1 MiB chunks.
  const piece = randomBytes(1024 * 1024);
  for (let i = 0; i < FILLER_MIB; i += 64) {
    await store.write(Readable.from(Array.from({ length: Math.min(64, FILLER_MIB - i) }, () => piece)));
  }
  stored = await db.collection('blobs.chunks').countDocuments({});
  rows.push({ adapter: 'gridfs', row: `read 4 KiB x200, ${stored} chunks stored`, seconds: await readAll(), bytes: SMALL * 200, ops: 200 });
  return rows;
}

async function ddRow(dir) {
  let summary = '';
  const seconds = await timed(async () => {
    const run = spawnSync('dd', ['if=/dev/zero', `of=${join(dir, 'dd.bin')}`, 'bs=1M', 'count=256', 'conv=fsync'], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`dd failed: ${run.stderr}`);
    summary = run.stderr.trim().split('\n').at(-1);
  });
  await rm(join(dir, 'dd.bin'), { force: true });
  return { adapter: 'dd', row: 'dd bs=1M count=256 conv=fsync', seconds, bytes: 256 * 1024 * 1024, ops: 1, note: summary };
}

const rows = [];
const dir = await mkdtemp(join(BENCH_DIR, 'sediment-blob-bench-'));
const mongo = await new MongoClient(MONGO_URL).connect();
const database = `bench_gridfs_${randomBytes(4).toString('hex')}`;
try {
  const dd = await ddRow(dir);
  rows.push(dd);

  const fsStore = new FilesystemBlobStore(join(dir, 'blobs'));
  await fsStore.init();
  rows.push(...(await measure('filesystem', fsStore)));

  const gridfs = new GridFsBlobStore(mongo.db(database));
  await gridfs.init();
  try {
    rows.push(...(await measure('gridfs', gridfs)));
    rows.push(...(await scanCost(mongo.db(database), gridfs)));
  } finally {
    gridfs.close();
  }
  const hello = await mongo.db('admin').command({ buildInfo: 1 }).catch(() => ({}));
  const ddMBs = dd.bytes / dd.seconds / MB;

  console.log(`\nblob stores on ${new Date().toISOString()}, ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`filesystem in ${dir}; gridfs on ${MONGO_URL} (${hello.version ? `wire server ${hello.version}` : 'server version unknown'}${hello.ferretdb ? `, FerretDB ${hello.ferretdb.version}` : ''})`);
  console.log(`dd: ${dd.note}\n`);
  const header = ['adapter', 'row', 'MB/s', 'ops/s', 'x dd'];
  const table = rows.map((r) => {
    const mbs = r.bytes / r.seconds / MB;
    return [
      r.adapter,
      r.row,
      mbs.toFixed(mbs < 10 ? 2 : 1),
      r.adapter === 'dd' ? '' : (r.ops / r.seconds).toFixed(r.ops / r.seconds < 10 ? 2 : 0),
      (mbs / ddMBs).toFixed(3),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w, i) => (i < 2 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const row of table) console.log(line(row));
} finally {
  await mongo.db(database).dropDatabase().catch(() => undefined);
  await mongo.close();
  await rm(dir, { recursive: true, force: true });
}
