// Small-object throughput at high concurrency, Sediment beside s3rver in one run, dd for the disk.
//   npm run bench:throughput            (needs `scripts/infra.sh up`; builds first)
// Env: BENCH_OPS [3000] requests per row, BENCH_CONCURRENCY [64], BENCH_SIZE [4096] bytes,
//   BENCH_CPU_PROFILE_DIR: where the Sediment process writes a V8 CPU profile (node --cpu-prof).
// Both servers run as child processes and are driven by the same client (AWS SDK v3, keep-alive,
// one socket per concurrent request). Rows: PutObject into one bucket, PutObject spread over 64
// buckets, GetObject of the objects just written; then a mixed load on one bucket (70% GET, 20%
// PUT, 10% LIST of 100 keys) and one large object (BENCH_LARGE_MIB [1024]) PUT and GET, streamed,
// with the server's peak RSS. For Sediment, each process's CPU per request (the service, Kafka,
// FerretDB, PostgreSQL, and this client) shows who spends the 2 cores.
// Prints tables; numbers, not assertions.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client, CreateBucketCommand, PutObjectCommand, GetObjectCommand, ListBucketsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { benchEnv } from './bench-service.mjs';
import { NODE_FLAGS } from '../dist/node-flags.js';

const OPS = Number(process.env.BENCH_OPS ?? 3000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const SIZE = Number(process.env.BENCH_SIZE ?? 4096);
const LARGE_MIB = Number(process.env.BENCH_LARGE_MIB ?? 1024);
const BUCKETS = 64;
const { SEDIMENT_ROOT_ACCESS_KEY_ID: ACCESS_KEY, SEDIMENT_ROOT_SECRET_ACCESS_KEY: SECRET } = benchEnv('', '');

const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

const client = (endpoint, accessKeyId = ACCESS_KEY, secretAccessKey = SECRET) =>
  new S3Client({
    endpoint, region: 'us-east-1', forcePathStyle: true, maxAttempts: 1,
    credentials: { accessKeyId, secretAccessKey },
    // Plain bodies, no aws-chunked trailer checksums: s3rver would store the chunk framing as data.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: CONCURRENCY }) }),
  });

async function waitServing(s3, child, name) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    try {
      await s3.send(new ListBucketsCommand({}));
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/** CPU ticks (1/100 s) of each process, grouped by name; `pids` name some processes explicitly. */
function cpuTicks(pids) {
  const byPid = new Map([...pids].map(([name, pid]) => [String(pid), name]));
  const out = {};
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const name = byPid.get(pid) ?? (comm.startsWith('postgres') ? 'postgres' : comm === 'java' ? 'kafka' : comm === 'ferretdb' ? 'ferretdb' : null);
      if (!name) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out[name] = (out[name] ?? 0) + Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone meanwhile
    }
  }
  out.client = Math.round((process.cpuUsage().user + process.cpuUsage().system) / 10_000);
  return out;
}

async function run(n, op) {
  const latencies = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < n) {
        const i = next++;
        const t = performance.now();
        await op(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
  return { opsPerSecond: n / seconds, p50: q(0.5), p99: q(0.99), seconds };
}

const body = randomBytes(SIZE);

/** The three rows against one endpoint; `pids` for the CPU split (Sediment only). */
async function measure(s3, prefix, pid, pids) {
  const buckets = Array.from({ length: BUCKETS }, (_, i) => `${prefix}-${i}`);
  for (const bucket of buckets) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const rows = {};
  const cpu = {};
  const timed = async (name, op) => {
    const before = pids && cpuTicks(pids);
    rows[name] = await stage(`${prefix}: ${name}`, () => run(OPS, op));
    if (pids) {
      const after = cpuTicks(pids);
      cpu[name] = Object.fromEntries(Object.keys(after).map((k) => [k, ((after[k] - (before[k] ?? 0)) * 10_000) / OPS]));
    }
  };
  await timed('PUT, one bucket', (i) => s3.send(new PutObjectCommand({ Bucket: buckets[0], Key: `one/${i}`, Body: body })));
  await timed(`PUT, ${BUCKETS} buckets`, (i) => s3.send(new PutObjectCommand({ Bucket: buckets[i % BUCKETS], Key: `many/${i}`, Body: body })));
  await timed('GET', async (i) => {
    const res = await s3.send(new GetObjectCommand({ Bucket: buckets[0], Key: `one/${i}` }));
    await res.Body.transformToByteArray();
  });
  const mixed = await stage(`${prefix}: mixed load`, () => mixedLoad(s3, buckets[0]));
  const large = await stage(`${prefix}: large object`, () => largeObject(s3, buckets[1], pid));
  return { rows, cpu, mixed, large };
}

/** Runs `work`, naming the stage in its error. */
async function stage(name, work) {
  try {
    return await work();
  } catch (error) {
    throw new Error(`${name} failed: ${error.name}: ${error.message}`, { cause: error });
  }
}

/** 70% GET of written keys, 20% PUT of new ones, 10% LIST of 100 keys from a random written key. */
async function mixedLoad(s3, bucket) {
  const latencies = { GET: [], PUT: [], LIST: [] };
  const errors = { GET: [], PUT: [], LIST: [] };
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < OPS) {
        const i = next++;
        const kind = i % 10 < 7 ? 'GET' : i % 10 < 9 ? 'PUT' : 'LIST';
        const t = performance.now();
        try {
          if (kind === 'PUT') await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `mixed/${i}`, Body: body }));
          else if (kind === 'GET') await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `one/${i % OPS}` }))).Body.transformToByteArray();
          else await s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 100, StartAfter: `one/${i % OPS}` }));
          latencies[kind].push(performance.now() - t);
        } catch (error) {
          // Counted, not fatal: s3rver answers 500 when a LIST meets a PUT in flight.
          errors[kind].push(`${error.name}: ${error.message}`);
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return Object.fromEntries(
    Object.entries(latencies).map(([kind, samples]) => {
      samples.sort((a, b) => a - b);
      return [kind, { opsPerSecond: samples.length / seconds, p99: samples[Math.min(samples.length - 1, Math.floor(0.99 * samples.length))], errors: errors[kind] }];
    }),
  );
}

/** A stream of `bytes` bytes made of one repeated random MiB: nothing large is held here. */
function generated(bytes) {
  const chunk = randomBytes(1024 * 1024);
  let sent = 0;
  return Readable.from(
    (function* () {
      while (sent < bytes) {
        const n = Math.min(chunk.length, bytes - sent);
        sent += n;
        yield chunk.subarray(0, n);
      }
    })(),
  );
}

/** PUT then GET of one large object, streamed both ways; `pid`'s peak RSS (VmHWM) after. */
async function largeObject(s3, bucket, pid) {
  const bytes = LARGE_MIB * 1024 * 1024;
  let t = performance.now();
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'large', Body: generated(bytes), ContentLength: bytes }));
  const putSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'large' }));
  let received = 0;
  for await (const c of res.Body) received += c.length;
  if (received !== bytes) throw new Error(`GET returned ${received} of ${bytes} bytes`);
  const getSeconds = (performance.now() - t) / 1000;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const peakRssMiB = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]) / 1024;
  return { putMBps: LARGE_MIB / putSeconds, getMBps: LARGE_MIB / getSeconds, peakRssMiB };
}

/** The disk's own limits: 4 KiB writes each made durable (O_DSYNC), and 1 GiB streamed and fsynced once. */
function diskRates(dir) {
  const dd = (args) => execFileSync('sh', ['-c', `dd if=/dev/zero of=${join(dir, 'dd')} ${args} 2>&1 | tail -1`], { encoding: 'utf8' });
  const seconds = (line) => Number(/([\d.]+) s,/.exec(line)?.[1]);
  return { dsyncWritesPerSecond: 2000 / seconds(dd('bs=4k count=2000 oflag=dsync')), streamMBps: 1024 / seconds(dd('bs=1M count=1024 conv=fsync')) };
}

/** Removes what the Sediment run made in the shared Kafka and database. */
async function cleanUp(id) {
  const mongo = await new MongoClient(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017').connect();
  await mongo.db(`bench_${id}`).dropDatabase();
  await mongo.close();
  const admin = new Kafka({ clientId: 'throughput-bench', brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.deleteTopics({ topics: ['bucket', 'identity', 'control'].map((t) => `bench.${t}-events.${id}`) }).catch(() => undefined);
  await admin.disconnect();
}

const work = await mkdtemp(join(tmpdir(), 'sediment-throughput-'));
const children = [];
const id = randomBytes(4).toString('hex');
try {
  // s3rver: no fsync, no log.
  const s3rverPort = await freePort();
  const s3rver = spawn(process.execPath, ['node_modules/s3rver/bin/s3rver.js', '--directory', join(work, 's3rver'), '--port', String(s3rverPort), '--silent', '--address', '127.0.0.1'], { stdio: 'ignore' });
  children.push(s3rver);
  // s3rver's fixed credentials.
  const peer = client(`http://127.0.0.1:${s3rverPort}`, 'S3RVER', 'S3RVER');
  await waitServing(peer, s3rver, 's3rver');
  process.stderr.write('s3rver: measuring\n');
  const peerResult = await measure(peer, 'peer', s3rver.pid);
  s3rver.kill('SIGTERM');

  const port = await freePort();
  const profile = process.env.BENCH_CPU_PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROFILE_DIR] : [];
  const sediment = spawn(process.execPath, [...NODE_FLAGS, ...profile, 'dist/main.js'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { PATH: process.env.PATH ?? '', ...benchEnv(id, join(work, 'sediment')), SEDIMENT_PORT: String(port) },
  });
  children.push(sediment);
  const s3 = client(`http://127.0.0.1:${port}`);
  await waitServing(s3, sediment, 'Sediment');
  process.stderr.write('Sediment: measuring\n');
  const ours = await measure(s3, 'sed', sediment.pid, new Map([['sediment', sediment.pid]]));
  sediment.kill('SIGTERM');
  await new Promise((resolve) => sediment.once('exit', resolve));
  const disk = diskRates(work);

  const fmt = (n, digits = 0) => n.toFixed(digits);
  console.log(`\n${SIZE}-byte objects, ${OPS} requests per row, ${CONCURRENCY} concurrent (one run, one machine)`);
  console.table(
    Object.keys(ours.rows).map((row) => ({
      row,
      'Sediment ops/s': fmt(ours.rows[row].opsPerSecond),
      'p50 / p99 ms': `${fmt(ours.rows[row].p50, 1)} / ${fmt(ours.rows[row].p99, 1)}`,
      's3rver ops/s': fmt(peerResult.rows[row].opsPerSecond),
      's3rver p50 / p99 ms': `${fmt(peerResult.rows[row].p50, 1)} / ${fmt(peerResult.rows[row].p99, 1)}`,
      'Sediment / s3rver': `${fmt(ours.rows[row].opsPerSecond / peerResult.rows[row].opsPerSecond, 2)}x`,
    })),
  );
  console.log('CPU per request, microseconds, by process (Sediment run)');
  console.table(Object.keys(ours.cpu).map((row) => ({ row, ...Object.fromEntries(Object.entries(ours.cpu[row]).map(([k, v]) => [k, fmt(v)])) })));
  console.log(`Mixed load on one bucket: ${OPS} requests, ${CONCURRENCY} concurrent, 70% GET / 20% PUT / 10% LIST of 100`);
  console.table(
    Object.keys(ours.mixed).map((kind) => ({
      request: kind,
      'Sediment ops/s': fmt(ours.mixed[kind].opsPerSecond),
      'Sediment p99 ms': fmt(ours.mixed[kind].p99, 1),
      's3rver ops/s': fmt(peerResult.mixed[kind].opsPerSecond),
      's3rver p99 ms': fmt(peerResult.mixed[kind].p99, 1),
      'errors Sediment / s3rver': `${ours.mixed[kind].errors.length} / ${peerResult.mixed[kind].errors.length}`,
    })),
  );
  for (const [name, result] of [['Sediment', ours], ['s3rver', peerResult]]) {
    const first = Object.values(result.mixed).flatMap((r) => r.errors)[0];
    if (first) console.log(`${name}'s first mixed-load error: ${first}`);
  }
  console.log(`One ${LARGE_MIB} MiB object, streamed; dd wrote 1 GiB with conv=fsync at ${fmt(disk.streamMBps)} MiB/s`);
  console.table(
    [['Sediment', ours.large], ['s3rver', peerResult.large]].map(([name, r]) => ({
      server: name,
      'PUT MiB/s': fmt(r.putMBps),
      'PUT / dd': `${fmt(r.putMBps / disk.streamMBps, 2)}x`,
      'GET MiB/s': fmt(r.getMBps),
      'server peak RSS MiB': fmt(r.peakRssMiB),
    })),
  );
  console.log(
    `disk (dd): ${fmt(disk.dsyncWritesPerSecond)} durable 4 KiB writes/s (oflag=dsync), ${fmt(disk.streamMBps)} MiB/s for 1 GiB with conv=fsync. ` +
      `Sediment's one-bucket PUT rate is ${fmt((ours.rows['PUT, one bucket'].opsPerSecond / disk.dsyncWritesPerSecond) * 100)}% of the durable-write rate.`,
  );
} finally {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await rm(work, { recursive: true, force: true });
  await cleanUp(id);
}
