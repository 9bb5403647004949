// Payloads stream: no request holds a whole object in memory. The BUILT service (dist/main.js)
// runs as a child process with a V8 heap of HEAP_MIB, and an object 8× that size goes up and
// comes back down through the real S3 client. The body is generated on the fly (never a whole
// buffer) and hashed while generated and while downloaded; the child's resident memory is
// sampled from /proc during the transfers and its kernel high-water mark (VmHWM) read at the
// end. Both must stay under half the object size, which holds only if nothing buffers it.
//
// Smallest heap measured to boot: 32 MiB boots (RSS ≈ 95 MiB), 24 MiB dies of OOM during boot;
// 64 MiB is used here for comfort (the brief's 64–96 MiB range).
import { spawn, type ChildProcess } from 'node:child_process';
import { createCipheriv, createHash, randomBytes, type Hash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand, GetObjectCommand, ListBucketsCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { MongoClient } from 'mongodb';
import { filesUnder } from '../support/concurrency-helpers.js';
import { assertTopicsMatchContract } from '../support/event-contract.js';
import { freePort } from '../support/free-port.js';
import {
  deleteTopic,
  KAFKA_BROKERS,
  MONGO_URL,
  ROOT_ACCESS_KEY_ID,
  ROOT_SECRET,
  MASTER_KEY,
  s3Client,
} from '../support/sediment-under-test.js';
import { NODE_FLAGS } from '../../src/node-flags.js';

const TIMEOUT_MS = 90_000;
const HEAP_MIB = 64;
const MIB = 1024 * 1024;
const OBJECT_SIZE = 512 * MIB;
const CHUNK_SIZE = 1 * MIB;
const RSS_LIMIT = OBJECT_SIZE / 2;
const DIST_MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

/**
 * Deterministic pseudo-random bytes (AES-256-CTR keystream of a fixed key), produced one chunk
 * per read and hashed (MD5, SHA-256) as they are produced.
 */
class GeneratedPayload extends Readable {
  readonly md5: Hash = createHash('md5');
  readonly sha256: Hash = createHash('sha256');
  produced = 0;
  private readonly cipher = createCipheriv('aes-256-ctr', Buffer.alloc(32, 7), Buffer.alloc(16, 3));
  private readonly zeros = Buffer.alloc(CHUNK_SIZE);

  constructor(private readonly size: number) {
    super({ highWaterMark: CHUNK_SIZE });
  }

  override _read(): void {
    const n = Math.min(CHUNK_SIZE, this.size - this.produced);
    if (n === 0) {
      this.push(null);
      return;
    }
    const chunk = this.cipher.update(this.zeros.subarray(0, n));
    this.md5.update(chunk);
    this.sha256.update(chunk);
    this.produced += n;
    this.push(chunk);
  }
}

/** VmRSS / VmHWM of a process in bytes, or undefined once it is gone. */
async function memoryOf(pid: number): Promise<{ rss: number; hwm: number } | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

/** Samples a process's RSS every few ms; `peak` is the highest sample since the last reset. */
class RssSampler {
  peak = 0;
  samples = 0;
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  constructor(private readonly pid: number) {}

  start(): void {
    this.peak = 0;
    this.samples = 0;
    this.timer = setInterval(() => {
      if (this.busy) return;
      this.busy = true;
      void memoryOf(this.pid)
        .then((m) => {
          if (m) {
            this.samples++;
            this.peak = Math.max(this.peak, m.rss);
          }
        })
        .finally(() => (this.busy = false));
    }, 10);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

const mib = (bytes: number) => `${(bytes / MIB).toFixed(1)} MiB`;

describe(`streaming: a ${OBJECT_SIZE / MIB} MiB object through dist/main.js with a ${HEAP_MIB} MiB heap (e2e, child process)`, () => {
  const id = randomBytes(5).toString('hex');
  const database = `e2e_mem_${id}`;
  const topic = `e2e.bucket-events.mem.${id}`;
  let blobDir: string | undefined;
  let child: ChildProcess | undefined;
  let output = '';
  let url: string;
  let s3: S3Client | undefined;

  beforeAll(async () => {
    if (!existsSync(DIST_MAIN)) {
      throw new Error(`${DIST_MAIN} is missing: run \`npm run build\` before this e2e test (it spawns the built service).`);
    }
    blobDir = await mkdtemp(join(tmpdir(), 'sediment-mem-blobs-'));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, [...NODE_FLAGS, `--max-old-space-size=${HEAP_MIB}`, DIST_MAIN], {
      env: {
        PATH: process.env.PATH ?? '',
        SEDIMENT_PORT: String(port),
        SEDIMENT_HOST: '127.0.0.1',
        KAFKA_BROKERS,
        MONGO_URL,
        MONGO_DATABASE: database,
        SEDIMENT_BUCKET_TOPIC: topic,
        SEDIMENT_TOPIC_PARTITIONS: '4',
        SEDIMENT_BLOB_DIR: blobDir,
        SEDIMENT_ROOT_ACCESS_KEY_ID: ROOT_ACCESS_KEY_ID,
        SEDIMENT_ROOT_SECRET_ACCESS_KEY: ROOT_SECRET,
        SEDIMENT_IDENTITY_TOPIC: `${topic}.identity`,
        SEDIMENT_MASTER_KEY: MASTER_KEY,
        SEDIMENT_LOG_LEVEL: 'warn',
        SEDIMENT_ADMIN_PORT: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-20_000);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);

    s3 = s3Client(url);
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`dist/main.js exited (${child.exitCode ?? child.signalCode}) before listening:\n${output}`);
      }
      try {
        await s3.send(new ListBucketsCommand({}));
        break;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`dist/main.js did not answer ListBuckets within 30 s (${String(error)}):\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  }, TIMEOUT_MS);

  afterAll(async () => {
    s3?.destroy();
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child!.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const killer = setTimeout(() => child!.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    }
    if (blobDir) await rm(blobDir, { recursive: true, force: true });
    // Every event the child wrote must match docs/asyncapi.yaml: checked before the topics go,
    // reported after the clean-up.
    const contractError = await assertTopicsMatchContract({ bucket: topic, identity: `${topic}.identity` }).then(
      () => undefined,
      (error: unknown) => error ?? new Error('the event contract check failed'),
    );
    const mongo = await new MongoClient(MONGO_URL).connect();
    try {
      await mongo.db(database).dropDatabase();
    } finally {
      await mongo.close();
    }
    await deleteTopic(topic);
    await deleteTopic(`${topic}.identity`);
    if (contractError !== undefined) throw contractError;
  }, TIMEOUT_MS);

  it(
    'PutObject from a generated stream and GetObject back: same bytes, MD5 ETag, child RSS below half the object size',
    async () => {
      const pid = child!.pid!;
      const bucket = `mem-${id}`;
      const key = 'big/object.bin';
      await s3!.send(new CreateBucketCommand({ Bucket: bucket }));
      const idle = (await memoryOf(pid))!;

      // Upload.
      const payload = new GeneratedPayload(OBJECT_SIZE);
      const sampler = new RssSampler(pid);
      sampler.start();
      let started = performance.now();
      const put = await s3!.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: payload, ContentLength: OBJECT_SIZE }));
      const putSeconds = (performance.now() - started) / 1000;
      sampler.stop();
      const putPeak = { rss: sampler.peak, samples: sampler.samples };
      expect(payload.produced).toBe(OBJECT_SIZE);
      const md5Hex = payload.md5.digest('hex');
      const sha256Hex = payload.sha256.digest('hex');
      expect(put.ETag).toBe(`"${md5Hex}"`);

      // The blob on disk is the whole object (one file; the temp file was renamed).
      const blobs = await filesUnder(join(blobDir!, 'objects'));
      expect(blobs).toHaveLength(1);
      expect((await stat(blobs[0]!)).size).toBe(OBJECT_SIZE);
      expect(await filesUnder(join(blobDir!, 'tmp'))).toEqual([]);

      // Download, hashing as bytes arrive.
      sampler.start();
      started = performance.now();
      const got = await s3!.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const md5 = createHash('md5');
      const sha256 = createHash('sha256');
      let size = 0;
      for await (const chunk of got.Body as Readable) {
        md5.update(chunk as Buffer);
        sha256.update(chunk as Buffer);
        size += (chunk as Buffer).length;
      }
      const getSeconds = (performance.now() - started) / 1000;
      sampler.stop();
      const getPeak = { rss: sampler.peak, samples: sampler.samples };
      expect(got.ContentLength).toBe(OBJECT_SIZE);
      expect(got.ETag).toBe(`"${md5Hex}"`);
      expect(size).toBe(OBJECT_SIZE);
      expect(sha256.digest('hex')).toBe(sha256Hex);
      expect(md5.digest('hex')).toBe(md5Hex);

      const final = await memoryOf(pid);
      expect(final).toBeDefined(); // the child survived both transfers
      console.log(
        [
          `streaming ${mib(OBJECT_SIZE)} through dist/main.js --max-old-space-size=${HEAP_MIB}:`,
          `  child RSS idle before transfers: ${mib(idle.rss)} (boot high-water mark ${mib(idle.hwm)})`,
          `  PUT ${putSeconds.toFixed(1)} s (${(OBJECT_SIZE / MIB / putSeconds).toFixed(0)} MiB/s), peak sampled RSS ${mib(putPeak.rss)} over ${putPeak.samples} samples`,
          `  GET ${getSeconds.toFixed(1)} s (${(OBJECT_SIZE / MIB / getSeconds).toFixed(0)} MiB/s), peak sampled RSS ${mib(getPeak.rss)} over ${getPeak.samples} samples`,
          `  child VmHWM (kernel peak RSS over its whole life): ${mib(final!.hwm)}; limit asserted: ${mib(RSS_LIMIT)}`,
        ].join('\n'),
      );
      expect(putPeak.samples).toBeGreaterThan(0);
      expect(getPeak.samples).toBeGreaterThan(0);
      expect(Math.max(putPeak.rss, getPeak.rss)).toBeLessThan(RSS_LIMIT);
      expect(final!.hwm).toBeLessThan(RSS_LIMIT);
    },
    TIMEOUT_MS,
  );
});
