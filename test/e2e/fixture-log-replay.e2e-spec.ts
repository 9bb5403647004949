// Upcasting on replay (issue #4 §4): a log written by a Sediment from before ObjectStored v2,
// committed as test/fixtures/event-log-v1.jsonl, is produced into a fresh topic exactly as it was
// written; the current service, started on it, must build the read model the fixture describes
// (ObjectStored v1 upcast to storageClass STANDARD) and keep writing the current version next to
// the v1 records.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import kafkajs from 'kafkajs';
import { EVENT_SCHEMA_VERSIONS } from '../../src/bucket-stream/sediment-event.js';
import { encodeEnvelope, type EventEnvelope } from '../../src/event-log/event-envelope.js';
import { ensureTopic } from '../../src/messaging/topics.js';
import { readTopic } from '../support/kafka-topic-reader.js';
import { deleteTopic, KAFKA_BROKERS, startSediment, type SedimentUnderTest } from '../support/sediment-under-test.js';

const { Kafka, Partitioners, logLevel } = kafkajs;

const FIXTURE = new URL('../fixtures/event-log-v1.jsonl', import.meta.url);
const PARTITIONS = 4;
const md5 = (body: string) => createHash('md5').update(body).digest('hex');
const objectId = (n: number) => `0b000000-0000-4000-8000-00000000000${n}`;
const owner = createHash('sha256').update('arn:aws:iam::000000000000:root').digest('hex');

interface FixtureRecord {
  key: string;
  headers: Record<string, string>;
  value: string;
}

/** The live objects the fixture leaves, with the payloads their etags were computed from. */
const LIVE = [
  { bucket: 'fixture-photos', key: 'albums/été 2024/plage.txt', objectId: objectId(4), body: 'sable et mer\n', contentType: 'text/plain; charset=utf-8', metadata: {}, at: '2025-01-02T03:13:05.015Z' },
  { bucket: 'fixture-photos', key: 'cat.jpg', objectId: objectId(2), body: 'second, better cat\n', contentType: 'image/jpeg', metadata: { camera: 'lens', 'taken-at': 'dawn' }, at: '2025-01-02T03:10:05.012Z' },
  { bucket: 'fixture-logs', key: '2025/01/03.log', objectId: objectId(6), body: 'line 1\nline 2\n', contentType: 'text/plain', metadata: {}, at: '2025-01-02T03:15:05.017Z' },
  { bucket: 'fixture-logs', key: 'empty', objectId: objectId(7), body: '', contentType: 'binary/octet-stream', metadata: {}, at: '2025-01-02T03:17:05.019Z' },
];

/** ObjectStored v2 as a newer writer records a class other than STANDARD; produced after the fixture. */
const coldV2: EventEnvelope = {
  id: 'e0000000-0000-4000-8000-000000000099',
  type: 'ObjectStored',
  schemaVersion: 2,
  time: '2025-02-01T00:00:00.000Z',
  principal: { accessKeyId: 'SEDIMENTLOCALROOT01', arn: 'arn:aws:iam::000000000000:root' },
  bucket: 'fixture-logs',
  data: {
    bucket: 'fixture-logs', key: 'cold/archive.bin', objectId: objectId(8), size: 4, etag: `"${md5('cold')}"`, contentType: 'application/octet-stream',
    userMetadata: [], owner, ownerDisplayName: 'root', bucketId: 'bb000000-0000-4000-8000-000000000003', storedAt: '2025-02-01T00:00:00.000Z',
    storageClass: 'GLACIER',
  },
};

async function readFixture(): Promise<FixtureRecord[]> {
  return (await readFile(FIXTURE, 'utf8'))
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as FixtureRecord);
}

/** Creates the topic as the service would (partitions, keep-forever configs) and appends the records in order. */
async function produce(topic: string, records: FixtureRecord[]): Promise<void> {
  const kafka = new Kafka({ clientId: 'fixture-producer', brokers: KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  try {
    await ensureTopic(admin, { topic, partitions: PARTITIONS, replicationFactor: 1, minInsyncReplicas: 1 });
    await producer.connect();
    // One send: kafkajs keeps the order of each key's records, which is all the log promises.
    await producer.send({ topic, acks: -1, messages: records.map(({ key, value, headers }) => ({ key, value, headers })) });
  } finally {
    await producer.disconnect();
    await admin.disconnect();
  }
}

/** The payloads of the live objects, where the blob store would have them, so GET works too. */
async function writeBlobs(blobDir: string): Promise<void> {
  for (const { objectId: id, body } of LIVE) {
    const path = join(blobDir, 'objects', id.slice(0, 2), id.slice(2, 4), id);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, body);
  }
}

describe('a v1 event log replayed by the current service', () => {
  let blobDir: string;
  let topic: string;
  let fixture: FixtureRecord[];
  let sediment: SedimentUnderTest | undefined;

  beforeAll(async () => {
    fixture = await readFixture();
    topic = `e2e.fixture-v1.bucket-events.${randomBytes(5).toString('hex')}`;
    blobDir = await mkdtemp(join(tmpdir(), 'sediment-fixture-blobs-'));
    await produce(topic, [...fixture, encodeEnvelope(coldV2)]);
    await writeBlobs(blobDir);
    sediment = await startSediment({ SEDIMENT_BUCKET_TOPIC: topic, SEDIMENT_BLOB_DIR: blobDir, SEDIMENT_TOPIC_PARTITIONS: String(PARTITIONS) });
  }, 30_000);

  afterAll(async () => {
    if (sediment) await sediment.stop();
    else if (topic) await deleteTopic(topic);
    if (blobDir) await rm(blobDir, { recursive: true, force: true });
  }, 30_000);

  it('the fixture is a v1 log: every record at schema version 1, with its CloudEvents headers', () => {
    expect(fixture).toHaveLength(13);
    for (const record of fixture) {
      const env = JSON.parse(record.value) as EventEnvelope;
      expect({ schemaVersion: env.schemaVersion, header: record.headers['ce_dataschemaversion'], key: record.key }).toEqual({
        schemaVersion: 1,
        header: '1',
        key: env.bucket,
      });
      if (env.type === 'ObjectStored') expect(env.data).not.toHaveProperty('storageClass');
    }
  });

  it('lists the buckets the fixture leaves, not the deleted one', async () => {
    const out = await sediment!.s3.send(new ListBucketsCommand({}));
    expect(out.Buckets?.map((b) => ({ name: b.Name, created: b.CreationDate?.toISOString() }))).toEqual([
      { name: 'fixture-logs', created: '2025-01-02T03:11:05.013Z' },
      { name: 'fixture-photos', created: '2025-01-02T03:05:05.007Z' },
    ]);
    const gone = await sediment!.s3.send(new HeadBucketCommand({ Bucket: 'fixture-archive' })).catch((e: { $metadata: { httpStatusCode: number } }) => e);
    expect(gone.$metadata.httpStatusCode).toBe(404);
  });

  it('lists the live objects with the StorageClass the upcaster gave them', async () => {
    for (const bucket of ['fixture-photos', 'fixture-logs']) {
      const out = await sediment!.s3.send(new ListObjectsV2Command({ Bucket: bucket }));
      const expected = LIVE.filter((o) => o.bucket === bucket).map((o) => ({
        Key: o.key,
        Size: Buffer.byteLength(o.body),
        ETag: `"${md5(o.body)}"`,
        LastModified: o.at,
        StorageClass: 'STANDARD',
      }));
      if (bucket === 'fixture-logs') {
        expected.splice(1, 0, { Key: 'cold/archive.bin', Size: 4, ETag: `"${md5('cold')}"`, LastModified: '2025-02-01T00:00:00.000Z', StorageClass: 'GLACIER' });
      }
      expect(out.Contents?.map((c) => ({ Key: c.Key, Size: c.Size, ETag: c.ETag, LastModified: c.LastModified?.toISOString(), StorageClass: c.StorageClass }))).toEqual(expected);
    }
  });

  it('answers HEAD and GET with the stored metadata and payload; x-amz-storage-class only for non-STANDARD', async () => {
    for (const o of LIVE) {
      const head = await sediment!.s3.send(new HeadObjectCommand({ Bucket: o.bucket, Key: o.key }));
      expect({ key: o.key, type: head.ContentType, length: head.ContentLength, etag: head.ETag, metadata: head.Metadata, class: head.StorageClass, modified: head.LastModified?.toUTCString() }).toEqual({
        key: o.key,
        type: o.contentType,
        length: Buffer.byteLength(o.body),
        etag: `"${md5(o.body)}"`,
        metadata: o.metadata,
        class: undefined,
        modified: new Date(o.at).toUTCString(),
      });
      const got = await sediment!.s3.send(new GetObjectCommand({ Bucket: o.bucket, Key: o.key }));
      expect(await got.Body!.transformToString()).toBe(o.body);
    }
    const cold = await sediment!.s3.send(new HeadObjectCommand({ Bucket: 'fixture-logs', Key: 'cold/archive.bin' }));
    expect(cold.StorageClass).toBe('GLACIER');
  });

  it('shows no object the fixture overwrote or deleted', async () => {
    const dog = await sediment!.s3.send(new HeadObjectCommand({ Bucket: 'fixture-photos', Key: 'dog.png' })).catch((e: { $metadata: { httpStatusCode: number } }) => e);
    expect(dog.$metadata.httpStatusCode).toBe(404);
  });

  it('records the payloads the v1 overwrite and deletes released, at their event times', async () => {
    const released = await sediment!.db.collection('released_blobs').find({}).sort({ _id: 1 }).toArray();
    expect(released.map((r) => ({ id: r._id, bucket: r.bucket, key: r.key, at: (r.releasedAt as Date).toISOString() }))).toEqual([
      { id: objectId(1), bucket: 'fixture-photos', key: 'cat.jpg', at: '2025-01-02T03:10:05.012Z' },
      { id: objectId(3), bucket: 'fixture-photos', key: 'dog.png', at: '2025-01-02T03:14:05.016Z' },
      { id: objectId(5), bucket: 'fixture-archive', key: 'old.tar', at: '2025-01-02T03:12:05.014Z' },
    ]);
  });

  it('writes ObjectStored at the current version after the v1 records, deciding against the state they built', async () => {
    await sediment!.s3.send(new PutObjectCommand({ Bucket: 'fixture-photos', Key: 'cat.jpg', Body: 'third cat\n', ContentType: 'image/jpeg' }));
    const records = await readTopic(topic);
    const v1 = records.filter((r) => (r.value as EventEnvelope).schemaVersion === 1);
    expect(v1).toHaveLength(fixture.length);
    const last = records.filter((r) => r.key === 'fixture-photos').at(-1)!;
    expect(last.headers['ce_dataschemaversion']).toBe(String(EVENT_SCHEMA_VERSIONS.ObjectStored));
    expect(last.value).toMatchObject({
      type: 'ObjectStored',
      schemaVersion: EVENT_SCHEMA_VERSIONS.ObjectStored,
      data: { key: 'cat.jpg', storageClass: 'STANDARD', replacedObjectId: objectId(2) },
    });
    const listed = await sediment!.s3.send(new ListObjectsV2Command({ Bucket: 'fixture-photos', Prefix: 'cat' }));
    expect(listed.Contents?.map((c) => [c.Key, c.Size, c.StorageClass])).toEqual([['cat.jpg', 10, 'STANDARD']]);
  });
});
