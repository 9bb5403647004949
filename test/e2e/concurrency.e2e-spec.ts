// Concurrency guarantees of the single writer per bucket stream (ADR 0001), observed from the
// outside: real S3 clients racing each other, the Kafka topic read back with a consumer of our
// own, and the MongoDB read model inspected directly.
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { ObjectStored } from '../../src/bucket-stream/object.events.js';
import { filesUnder, outcomeOf } from '../support/concurrency-helpers.js';
import { bucketStream, readTopic } from '../support/kafka-topic-reader.js';
import { s3Client, startSediment, type SedimentUnderTest } from '../support/sediment-under-test.js';
import { readModelDocument, readModelDocuments } from '../support/read-model-documents.js';

const TIMEOUT_MS = 60_000;

const md5 = (data: Buffer) => `"${createHash('md5').update(data).digest('hex')}"`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('concurrency (e2e, real S3 clients, real Kafka and FerretDB)', () => {
  let sediment: SedimentUnderTest;
  const clients: S3Client[] = [];

  beforeAll(async () => {
    sediment = await startSediment();
  }, TIMEOUT_MS);
  afterAll(async () => {
    for (const client of clients) client.destroy();
    await sediment?.stop();
  }, TIMEOUT_MS);

  /** A fresh client with its own connection pool, destroyed after the file. */
  function newClient(): S3Client {
    const client = s3Client(sediment.url);
    clients.push(client);
    return client;
  }

  it('20 clients creating one bucket name at once: one 200, nineteen 409 BucketAlreadyOwnedByYou, one BucketCreated', async () => {
    const N = 20;
    const racers = Array.from({ length: N }, () => newClient());
    // Open every client's connection first, so the CreateBucket requests really start together.
    await Promise.all(racers.map((c) => c.send(new ListBucketsCommand({}))));

    const bucket = `race-create-${randomBytes(4).toString('hex')}`;
    const outcomes = await Promise.all(racers.map((c) => outcomeOf(c.send(new CreateBucketCommand({ Bucket: bucket })))));

    const ok = outcomes.filter((o) => o.status === 200);
    const owned = outcomes.filter((o) => o.status === 409 && o.code === 'BucketAlreadyOwnedByYou');
    const other = outcomes.filter((o) => !ok.includes(o) && !owned.includes(o));
    expect(other.map((o) => ({ status: o.status, code: o.code }))).toEqual([]);
    expect({ ok: ok.length, owned: owned.length }).toEqual({ ok: 1, owned: N - 1 });

    const { Buckets } = await sediment.s3.send(new ListBucketsCommand({}));
    expect(Buckets?.filter((b) => b.Name === bucket)).toHaveLength(1);
    expect(await sediment.db.collection('buckets').countDocuments({ _id: bucket as never })).toBe(1);

    const stream = bucketStream(await readTopic(sediment.config.SEDIMENT_BUCKET_TOPIC), bucket);
    expect(stream.map((r) => r.envelope.type)).toEqual(['BucketCreated', 'BucketOwnershipControlsConfigured']);
    // The read model holds the incarnation the log recorded, not one of the refused attempts.
    const doc = await sediment.db.collection('buckets').findOne({ _id: bucket as never });
    expect(doc?.bucketId).toBe((stream[0]!.envelope.data as { bucketId: string }).bucketId);
  }, TIMEOUT_MS);

  it('DeleteBucket racing PutObject on fresh buckets: exactly one wins, and a deleted bucket never keeps an object', async () => {
    const ROUNDS = 16;
    const objectsDir = join(sediment.config.SEDIMENT_BLOB_DIR, 'objects');
    const deleter = newClient();
    const putter = newClient();
    const tally = { deleteWon: 0, putWon: 0 };
    const buckets: { bucket: string; winner: 'delete' | 'put'; etag: string }[] = [];

    // Calibrate: how long a PutObject of this size takes here, so the DeleteBucket can be
    // started at points spread across the PutObject's lifetime (before its bucket check, while
    // its blob streams, around its decision) and both orders get exercised.
    const calibration = `race-calibrate-${randomBytes(3).toString('hex')}`;
    await sediment.s3.send(new CreateBucketCommand({ Bucket: calibration }));
    const putMs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      await putter.send(new PutObjectCommand({ Bucket: calibration, Key: `c${i}`, Body: randomBytes(32 * 1024) }));
      putMs.push(performance.now() - started);
    }
    const typicalPutMs = putMs.sort((a, b) => a - b)[2]!;

    for (let round = 0; round < ROUNDS; round++) {
      const bucket = `race-del-put-${round}-${randomBytes(3).toString('hex')}`;
      const key = `k/${round}`;
      await sediment.s3.send(new CreateBucketCommand({ Bucket: bucket }));
      const body = randomBytes(32 * 1024);
      const blobsBefore = (await filesUnder(objectsDir)).length;

      const deleteDelay = (typicalPutMs * round) / (ROUNDS - 1);
      const [del, put] = await Promise.all([
        sleep(deleteDelay).then(() => outcomeOf(deleter.send(new DeleteBucketCommand({ Bucket: bucket })))),
        outcomeOf(putter.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }))),
      ]);
      const seen = { round, delete: [del.status, del.code], put: [put.status, put.code] };

      const deleteWon = del.status === 204 && put.status === 404 && put.code === 'NoSuchBucket';
      const putWon = put.status === 200 && del.status === 409 && del.code === 'BucketNotEmpty';
      expect({ ...seen, exactlyOneOutcome: deleteWon !== putWon }).toEqual({ ...seen, exactlyOneOutcome: true });

      const head = await outcomeOf(sediment.s3.send(new HeadBucketCommand({ Bucket: bucket })));
      const headObject = await outcomeOf(sediment.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })));
      const getObject = await outcomeOf(sediment.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })));
      const gotBytes = getObject.value ? Buffer.from(await getObject.value.Body!.transformToByteArray()) : undefined;
      const list = await outcomeOf(sediment.s3.send(new ListObjectsV2Command({ Bucket: bucket })));
      const objectDocs = (await readModelDocuments(sediment.db, 'objects', (doc) => doc.bucket === bucket)).length;
      const blobsAfter = (await filesUnder(objectsDir)).length;

      if (deleteWon) {
        tally.deleteWon++;
        expect({ round, head: head.status }).toEqual({ round, head: 404 });
        // Nothing is left anywhere for a deleted bucket (HEAD has no body, so GET names the error).
        expect({ round, headObject: headObject.status }).toEqual({ round, headObject: 404 });
        expect({ round, getObject: [getObject.status, getObject.code] }).toEqual({ round, getObject: [404, 'NoSuchBucket'] });
        expect({ round, list: [list.status, list.code] }).toEqual({ round, list: [404, 'NoSuchBucket'] });
        expect({ round, objectDocs }).toEqual({ round, objectDocs: 0 });
        // A refused PutObject releases its blob before answering.
        expect({ round, newBlobs: blobsAfter - blobsBefore }).toEqual({ round, newBlobs: 0 });
        buckets.push({ bucket, winner: 'delete', etag: '' });
      } else {
        tally.putWon++;
        expect({ round, head: head.status }).toEqual({ round, head: 200 });
        expect({ round, headObject: [headObject.status, headObject.value?.ETag] }).toEqual({
          round,
          headObject: [200, md5(body)],
        });
        expect({ round, got: [getObject.status, getObject.value?.ETag, gotBytes?.equals(body)] }).toEqual({
          round,
          got: [200, md5(body), true],
        });
        expect({ round, listed: list.value?.Contents?.map((c) => [c.Key, c.ETag]) }).toEqual({
          round,
          listed: [[key, md5(body)]],
        });
        expect({ round, objectDocs }).toEqual({ round, objectDocs: 1 });
        expect({ round, newBlobs: blobsAfter - blobsBefore }).toEqual({ round, newBlobs: 1 });
        buckets.push({ bucket, winner: 'put', etag: md5(body) });
      }
    }
    console.log(
      `DeleteBucket vs PutObject over ${ROUNDS} rounds (typical PutObject ${typicalPutMs.toFixed(1)} ms): ` +
        `delete won ${tally.deleteWon}, put won ${tally.putWon}`,
    );

    // The log agrees with what the clients were told, and never stores into a deleted bucket.
    const records = await readTopic(sediment.config.SEDIMENT_BUCKET_TOPIC);
    for (const { bucket, winner, etag } of buckets) {
      const stream = bucketStream(records, bucket);
      const types = stream.map((r) => r.envelope.type);
      const deletedAt = types.indexOf('BucketDeleted');
      const storedAfterDelete = deletedAt === -1 ? [] : types.slice(deletedAt + 1).filter((t) => t === 'ObjectStored');
      expect({ bucket, storedAfterDelete }).toEqual({ bucket, storedAfterDelete: [] });
      if (winner === 'delete') {
        expect({ bucket, types }).toEqual({ bucket, types: ['BucketCreated', 'BucketOwnershipControlsConfigured', 'BucketDeleted'] });
      } else {
        expect({ bucket, types }).toEqual({ bucket, types: ['BucketCreated', 'BucketOwnershipControlsConfigured', 'ObjectStored'] });
        expect((stream[2]!.envelope.data as ObjectStored['data']).etag).toBe(etag);
      }
    }
  }, TIMEOUT_MS);

  it('25 concurrent overwrites of one key: the last ObjectStored in the log is what GetObject and the read model show', async () => {
    const N = 25;
    const bucket = `race-overwrite-${randomBytes(4).toString('hex')}`;
    const key = 'contended/key.bin';
    await sediment.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const writers = Array.from({ length: N }, () => newClient());
    await Promise.all(writers.map((c) => c.send(new ListBucketsCommand({}))));

    // Distinct bodies of different sizes, each tagged with its writer's number.
    const bodies = Array.from({ length: N }, (_, i) => Buffer.concat([Buffer.from(`writer-${i}:`), randomBytes(512 + i * 997)]));
    const byEtag = new Map(bodies.map((b) => [md5(b), b]));
    expect(byEtag.size).toBe(N);

    const outcomes = await Promise.all(
      writers.map((c, i) => outcomeOf(c.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bodies[i] })))),
    );
    expect(outcomes.map((o) => o.status)).toEqual(Array(N).fill(200));
    expect(outcomes.map((o) => o.value?.ETag)).toEqual(bodies.map(md5));

    const stream = bucketStream(await readTopic(sediment.config.SEDIMENT_BUCKET_TOPIC), bucket);
    const stored = stream.filter((r) => r.envelope.type === 'ObjectStored').map((r) => r.envelope.data as ObjectStored['data']);
    expect(stored).toHaveLength(N);
    expect(stored.every((d) => d.key === key)).toBe(true);
    expect(new Set(stored.map((d) => d.etag))).toEqual(new Set(byEtag.keys()));
    // Serialised decisions: each write replaced exactly the one recorded before it.
    expect(stored[0]!.replacedObjectId).toBeUndefined();
    for (let i = 1; i < N; i++) expect(stored[i]!.replacedObjectId).toBe(stored[i - 1]!.objectId);

    const last = stored[N - 1]!;
    const got = await sediment.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const bytes = Buffer.from(await got.Body!.transformToByteArray());
    expect(got.ETag).toBe(last.etag);
    expect(md5(bytes)).toBe(last.etag);
    expect(bytes.equals(byEtag.get(last.etag)!)).toBe(true);

    const doc = await readModelDocument(sediment.db, 'objects', `${bucket}/${key}`);
    expect(doc?.objectId).toBe(last.objectId);
    expect(doc?.etag).toBe(last.etag);
  }, TIMEOUT_MS);
});
