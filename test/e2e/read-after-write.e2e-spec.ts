// Read-after-write (ADR 0001 §3–4): a mutation is answered only after the read model applied
// its event, so a read issued right after the answer must see it. Several workers run at once
// (each on its own keys, so every expected value is unambiguous); each key is overwritten many
// times, so a read served from a lagging read model would return an older version and count as
// a miss. Latencies are printed, never asserted.
import { createHash, randomBytes } from 'node:crypto';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { mean, outcomeOf, percentile } from '../support/concurrency-helpers.js';
import { s3Client, startSediment, type SedimentUnderTest } from '../support/sediment-under-test.js';

const TIMEOUT_MS = 60_000;
const WORKERS = 8;

const md5 = (data: Buffer) => `"${createHash('md5').update(data).digest('hex')}"`;

interface Miss {
  kind: string;
  key: string;
  detail: unknown;
}

describe('read-after-write (e2e, real S3 clients)', () => {
  let sediment: SedimentUnderTest;
  const clients: S3Client[] = [];
  const putMs: number[] = [];
  const getMs: number[] = [];

  beforeAll(async () => {
    sediment = await startSediment();
    for (let w = 0; w < WORKERS; w++) clients.push(s3Client(sediment.url));
  }, TIMEOUT_MS);
  afterAll(async () => {
    const stats = (xs: number[]) =>
      `n=${xs.length} mean=${mean(xs).toFixed(1)} ms p50=${percentile(xs, 50).toFixed(1)} ms p99=${percentile(xs, 99).toFixed(1)} ms`;
    console.log(`read-after-write latencies with ${WORKERS} concurrent workers\n  PUT ${stats(putMs)}\n  GET ${stats(getMs)}`);
    for (const client of clients) client.destroy();
    await sediment?.stop();
  }, TIMEOUT_MS);

  async function timedPut(client: S3Client, bucket: string, key: string, body: Buffer): Promise<string | undefined> {
    const started = performance.now();
    const { ETag } = await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    putMs.push(performance.now() - started);
    return ETag;
  }

  /** A body that differs on every write, with a varying size. */
  function bodyFor(w: number, i: number): Buffer {
    return Buffer.concat([Buffer.from(`w${w}-i${i}-`), randomBytes(256 + ((w * 131 + i * 977) % 8192))]);
  }

  async function perWorker(prefix: string, run: (client: S3Client, bucket: string, w: number) => Promise<void>): Promise<void> {
    const buckets = Array.from({ length: WORKERS }, (_, w) => `raw-${prefix}-${w}-${randomBytes(3).toString('hex')}`);
    await Promise.all(buckets.map((Bucket) => sediment.s3.send(new CreateBucketCommand({ Bucket }))));
    await Promise.all(clients.map((client, w) => run(client, buckets[w]!, w)));
  }

  it('PUT then GET: every GET returns the bytes of the PUT just answered (240 pairs, overwrites included)', async () => {
    const ITERATIONS = 30;
    const KEYS_PER_WORKER = 6; // each key is overwritten 5 times
    const misses: Miss[] = [];
    let pairs = 0;
    await perWorker('get', async (client, bucket, w) => {
      for (let i = 0; i < ITERATIONS; i++) {
        const key = `obj/${String(i % KEYS_PER_WORKER).padStart(2, '0')}`;
        const body = bodyFor(w, i);
        const etag = await timedPut(client, bucket, key, body);
        if (etag !== md5(body)) misses.push({ kind: 'put-etag', key, detail: { etag, expected: md5(body) } });
        const started = performance.now();
        const got = await outcomeOf(client.send(new GetObjectCommand({ Bucket: bucket, Key: key })));
        const bytes = got.value ? Buffer.from(await got.value.Body!.transformToByteArray()) : undefined;
        getMs.push(performance.now() - started);
        pairs++;
        if (got.status !== 200 || !bytes?.equals(body) || got.value?.ETag !== md5(body)) {
          misses.push({
            kind: 'get',
            key,
            detail: { status: got.status, code: got.code, etag: got.value?.ETag, expected: md5(body), head: bytes?.subarray(0, 12).toString() },
          });
        }
      }
    });
    expect(pairs).toBeGreaterThanOrEqual(200);
    expect({ misses: misses.length, first: misses.slice(0, 5) }).toEqual({ misses: 0, first: [] });
  }, TIMEOUT_MS);

  it('PUT then LIST: ListObjectsV2 with the key as prefix shows the key with the new ETag (208 pairs, overwrites included)', async () => {
    const ITERATIONS = 26;
    const KEYS_PER_WORKER = 4;
    const misses: Miss[] = [];
    let pairs = 0;
    await perWorker('list', async (client, bucket, w) => {
      for (let i = 0; i < ITERATIONS; i++) {
        // Same-length keys: none is a prefix of another, so the listing must hold exactly one entry.
        const key = `list/k${String(i % KEYS_PER_WORKER).padStart(2, '0')}.bin`;
        const body = bodyFor(w, i);
        const etag = await timedPut(client, bucket, key, body);
        const listed = await outcomeOf(client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: key })));
        pairs++;
        const contents = listed.value?.Contents?.map((c) => ({ key: c.Key, etag: c.ETag, size: c.Size })) ?? [];
        const expected = [{ key, etag: md5(body), size: body.length }];
        if (listed.status !== 200 || etag !== md5(body) || JSON.stringify(contents) !== JSON.stringify(expected)) {
          misses.push({ kind: 'list', key, detail: { status: listed.status, code: listed.code, contents, expected } });
        }
      }
    });
    expect(pairs).toBeGreaterThanOrEqual(200);
    expect({ misses: misses.length, first: misses.slice(0, 5) }).toEqual({ misses: 0, first: [] });
  }, TIMEOUT_MS);

  it('DELETE then HEAD: the object is gone (404) right after DeleteObject answers (80 pairs)', async () => {
    const ITERATIONS = 10;
    const misses: Miss[] = [];
    let pairs = 0;
    await perWorker('delete', async (client, bucket, w) => {
      for (let i = 0; i < ITERATIONS; i++) {
        const key = `gone/${String(i % 3).padStart(2, '0')}`;
        await timedPut(client, bucket, key, bodyFor(w, i));
        const deleted = await outcomeOf(client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })));
        const head = await outcomeOf(client.send(new HeadObjectCommand({ Bucket: bucket, Key: key })));
        const get = await outcomeOf(client.send(new GetObjectCommand({ Bucket: bucket, Key: key })));
        const listed = await outcomeOf(client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: key })));
        pairs++;
        if (deleted.status !== 204 || head.status !== 404) {
          misses.push({ kind: 'head', key, detail: { delete: deleted.status, head: head.status } });
        }
        if (get.status !== 404 || get.code !== 'NoSuchKey') {
          misses.push({ kind: 'get-after-delete', key, detail: { status: get.status, code: get.code } });
        }
        if (listed.status !== 200 || (listed.value?.KeyCount ?? -1) !== 0) {
          misses.push({ kind: 'list-after-delete', key, detail: { status: listed.status, keys: listed.value?.Contents?.map((c) => c.Key) } });
        }
      }
    });
    expect(pairs).toBe(WORKERS * ITERATIONS);
    expect({ misses: misses.length, first: misses.slice(0, 5) }).toEqual({ misses: 0, first: [] });
  }, TIMEOUT_MS);
});
