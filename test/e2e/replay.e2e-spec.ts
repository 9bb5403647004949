// Replay is "run the projection from offset 0 into an empty database" (ADR 0001): the read model
// rebuilt from the log must equal the one built live, and a restart on an intact database must
// resume from the projection's checkpoints without changing anything.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { MongoClient, type Db, type Document } from 'mongodb';
import { fetchEndOffsets, readTopic } from '../support/kafka-topic-reader.js';
import { deleteTopic, MONGO_URL, startSediment, type SedimentUnderTest } from '../support/sediment-under-test.js';
import { readModelDocuments } from '../support/read-model-documents.js';
import { packedCollections } from '../../src/metadata/packed-collection.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

interface Snapshot {
  buckets: Document[];
  objects: Document[];
}

async function snapshot(db: Db): Promise<Snapshot> {
  return {
    buckets: await db.collection('buckets').find({}).sort({ _id: 1 }).toArray(),
    objects: await readModelDocuments(db, 'objects'),
  };
}

/** The checkpoints' positions (each also carries its partition's digest ledger, checked elsewhere). */
async function checkpoints(db: Db): Promise<Document[]> {
  const docs = await db.collection('projection_checkpoints').find({}).sort({ _id: 1 }).toArray();
  return docs.map(({ ledger: _ledger, ...position }) => position);
}

/** Payloads the workload leaves in place, by bucket and key: what GetObject must return after a rebuild. */
const expectedPayloads = new Map<string, { bucket: string; key: string; body: Buffer; contentType: string }>();

async function put(s3: SedimentUnderTest['s3'], bucket: string, key: string, body: Buffer, contentType: string, metadata?: Record<string, string>) {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType, Metadata: metadata }));
  expectedPayloads.set(`${bucket}/${key}`, { bucket, key, body, contentType });
}

async function del(s3: SedimentUnderTest['s3'], bucket: string, key: string) {
  await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  expectedPayloads.delete(`${bucket}/${key}`);
}

/** Several buckets, overwrites, deletes, a deleted bucket, a re-created name, unusual keys. */
async function workload(s3: SedimentUnderTest['s3']): Promise<void> {
  for (const bucket of ['replay-alpha', 'replay-beta', 'replay-gamma', 'replay-delta', 'replay-epsilon']) {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  }
  await put(s3, 'replay-alpha', 'docs/readme.md', Buffer.from('# readme\n'), 'text/markdown', { lang: 'en' });
  await put(s3, 'replay-alpha', 'été/naïve résumé.txt', randomBytes(700), 'text/plain; charset=utf-8', { 'x.y': 'dotted' });
  await put(s3, 'replay-alpha', 'with space/and more spaces.bin', randomBytes(1500), 'application/octet-stream');
  await put(s3, 'replay-alpha', '日本語/ファイル 🌊.dat', randomBytes(333), 'application/x-custom');
  await put(s3, 'replay-alpha', 'a/b/c/d/e/deep.json', Buffer.from('{"deep":true}'), 'application/json');
  await put(s3, 'replay-alpha', 'folder/', Buffer.alloc(0), 'application/x-directory');
  await put(s3, 'replay-alpha', 'a//double slash', randomBytes(90), 'text/plain');
  for (let version = 1; version <= 3; version++) {
    await put(s3, 'replay-beta', 'overwritten', randomBytes(100 * version), `application/x-v${version}`, {
      version: String(version),
    });
  }
  await put(s3, 'replay-beta', 'deleted later/ü.txt', randomBytes(64), 'text/plain');
  await put(s3, 'replay-beta', 'kept.txt', Buffer.from('kept'), 'text/plain');
  await del(s3, 'replay-beta', 'deleted later/ü.txt');
  // Stored, overwritten, then deleted: nothing of the key may come back.
  await put(s3, 'replay-beta', 'gone', randomBytes(10), 'text/plain');
  await put(s3, 'replay-beta', 'gone', randomBytes(20), 'text/plain');
  await del(s3, 'replay-beta', 'gone');
  // A bucket emptied and deleted.
  await put(s3, 'replay-gamma', 'only one', randomBytes(50), 'text/plain');
  await del(s3, 'replay-gamma', 'only one');
  await s3.send(new DeleteBucketCommand({ Bucket: 'replay-gamma' }));
  // A name deleted and created again: a new incarnation with its own bucketId.
  await s3.send(new DeleteBucketCommand({ Bucket: 'replay-delta' }));
  await s3.send(new CreateBucketCommand({ Bucket: 'replay-delta' }));
  await put(s3, 'replay-delta', 'second life', randomBytes(256), 'text/plain');
  await put(s3, 'replay-epsilon', '+plus&amp=equals?query#hash', randomBytes(40), 'text/plain');
}

async function expectPayloads(s3: SedimentUnderTest['s3']): Promise<void> {
  for (const { bucket, key, body, contentType } of expectedPayloads.values()) {
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const bytes = await got.Body!.transformToByteArray();
    expect({ bucket, key, sha256: sha256(bytes), contentType: got.ContentType }).toEqual({
      bucket,
      key,
      sha256: sha256(body),
      contentType,
    });
  }
}

describe('replay of the bucket topic', () => {
  let blobDir: string;
  let overrides: Record<string, string>;
  let sediment: SedimentUnderTest | undefined;
  let mongo: MongoClient;
  let db: Db;
  /** The read model as the live service built it. */
  let live: Snapshot;

  /** Stops the service keeping its topic, database and blobs (a graceful stop flushes checkpoints). */
  const stopKeepingData = async (): Promise<void> => {
    await sediment?.stop({ keepData: true });
    sediment = undefined;
  };
  const restart = async (): Promise<SedimentUnderTest> => {
    await stopKeepingData();
    sediment = await startSediment(overrides);
    return sediment;
  };
  /** The last offset of every partition that holds records. */
  const lastOffsets = async (): Promise<Map<number, number>> => {
    const last = new Map<number, number>();
    for (const r of await readTopic(overrides.SEDIMENT_BUCKET_TOPIC)) {
      last.set(r.partition, Math.max(last.get(r.partition) ?? -1, r.offset));
    }
    return last;
  };
  const expectedCheckpoints = (last: Map<number, number>) =>
    [...last]
      .map(([partition, offset]) => ({
        _id: `bucket-metadata:${overrides.SEDIMENT_BUCKET_TOPIC}:${partition}`,
        projection: 'bucket-metadata',
        topic: overrides.SEDIMENT_BUCKET_TOPIC,
        partition,
        offset,
      }))
      .sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));

  beforeAll(async () => {
    blobDir = await mkdtemp(join(tmpdir(), 'sediment-replay-blobs-'));
    const id = randomBytes(5).toString('hex');
    overrides = {
      MONGO_DATABASE: `e2e_replay_${id}`,
      SEDIMENT_BUCKET_TOPIC: `e2e.replay.bucket-events.${id}`,
      SEDIMENT_BLOB_DIR: blobDir,
    };
    mongo = await new MongoClient(MONGO_URL).connect();
    db = mongo.db(overrides.MONGO_DATABASE);
    sediment = await startSediment(overrides);
    await workload(sediment.s3);
    live = await snapshot(db);
  }, 30_000);

  afterAll(async () => {
    // The final stop drops the database and deletes the topic; without a running service
    // (a test failed mid-restart) do both here.
    if (sediment) {
      await sediment.stop();
    } else if (overrides) {
      await db?.dropDatabase().catch(() => undefined);
      await deleteTopic(overrides.SEDIMENT_BUCKET_TOPIC);
    }
    await mongo?.close();
    if (blobDir) await rm(blobDir, { recursive: true, force: true });
  }, 30_000);

  it('the workload produced the read model it describes', async () => {
    expect(live.buckets.map((b) => b._id)).toEqual(['replay-alpha', 'replay-beta', 'replay-delta', 'replay-epsilon']);
    expect(live.objects.map((o) => o._id).sort()).toEqual([...expectedPayloads.keys()].sort());
    const overwritten = live.objects.find((o) => o._id === 'replay-beta/overwritten');
    expect(overwritten).toMatchObject({ size: 300, contentType: 'application/x-v3', userMetadata: [{ name: 'version', value: '3' }] });
    const records = await readTopic(overrides.SEDIMENT_BUCKET_TOPIC);
    const delta = records.filter((r) => r.key === 'replay-delta').map((r) => r.value as { type: string; data: { bucketId: string } });
    // CreateBucket records the new bucket's ownership controls right after it.
    expect(delta.map((e) => e.type)).toEqual([
      'BucketCreated', 'BucketOwnershipControlsConfigured', 'BucketDeleted', 'BucketCreated', 'BucketOwnershipControlsConfigured', 'ObjectStored',
    ]);
    expect(live.buckets.find((b) => b._id === 'replay-delta')?.bucketId).toBe(delta[3]!.data.bucketId);
    expect(delta[3]!.data.bucketId).not.toBe(delta[0]!.data.bucketId);

    // Overwrites name the payload they replace; a delete names the payload that was current.
    type ObjectEvent = { type: string; data: { key: string; objectId: string; replacedObjectId?: string } };
    const beta = records.filter((r) => r.key === 'replay-beta').map((r) => r.value as ObjectEvent);
    const overwrites = beta.filter((e) => e.data.key === 'overwritten');
    expect(overwrites.map((e) => e.data.replacedObjectId)).toEqual([
      undefined,
      overwrites[0]!.data.objectId,
      overwrites[1]!.data.objectId,
    ]);
    expect(overwritten?.objectId).toBe(overwrites[2]!.data.objectId);
    const gone = beta.filter((e) => e.data.key === 'gone');
    expect(gone.map((e) => e.type)).toEqual(['ObjectStored', 'ObjectStored', 'ObjectDeleted']);
    expect(gone[2]!.data.objectId).toBe(gone[1]!.data.objectId);
    expect(new Set(gone.map((e) => e.data.objectId)).size).toBe(2);
  });

  it('rebuilds the same buckets and objects from the log into an empty database', async () => {
    await sediment!.stop({ keepData: true });
    sediment = undefined;
    await db.dropDatabase();
    expect(await snapshot(db)).toEqual({ buckets: [], objects: [] });
    expect(await checkpoints(db)).toEqual([]); // so the projection must start from offset 0

    sediment = await startSediment(overrides);
    // Boot waits for catch-up: the rebuilt read model is complete as soon as the service is up.
    const rebuilt = await snapshot(db);
    expect(rebuilt).toEqual(live);
    expect(rebuilt.objects.length).toBeGreaterThan(0);

    await expectPayloads(sediment.s3);
    const listed = await sediment.s3.send(new ListObjectsV2Command({ Bucket: 'replay-alpha' }));
    // S3 lists keys in UTF-8 byte order.
    expect(listed.Contents?.map((c) => c.Key)).toEqual(
      live.objects
        .filter((o) => o.bucket === 'replay-alpha')
        .map((o) => o.key as string)
        .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))),
    );
  }, 20_000);

  it('restarts on an intact database from its checkpoints, with nothing new in the log, and the state is unchanged', async () => {
    const endsBefore = await fetchEndOffsets(overrides.SEDIMENT_BUCKET_TOPIC);
    await restart();
    expect(await snapshot(db)).toEqual(live);
    expect(await fetchEndOffsets(overrides.SEDIMENT_BUCKET_TOPIC)).toEqual(endsBefore);
    await expectPayloads(sediment!.s3);
  }, 20_000);

  it('does not re-apply events at or below a partition\'s checkpoint after a restart', async () => {
    const records = await readTopic(overrides.SEDIMENT_BUCKET_TOPIC);
    const victim = live.objects.find((o) => o._id === 'replay-alpha/docs/readme.md')!;
    const partition = victim.partition as number;
    const lastOfPartition = Math.max(...records.filter((r) => r.partition === partition).map((r) => r.offset));
    expect(victim.offset).toBeLessThan(lastOfPartition);

    await stopKeepingData();
    const checkpoint = await db
      .collection<{ _id: string; offset: number }>('projection_checkpoints')
      .findOne({ _id: `bucket-metadata:${overrides.SEDIMENT_BUCKET_TOPIC}:${partition}` });
    expect(checkpoint?.offset).toBe(lastOfPartition);
    // Remove a document behind the projection's back: replaying from offset 0 would bring it
    // back; resuming after the checkpoint must not.
    await db.collection('objects').deleteOne({ _id: victim._id });
    sediment = await startSediment(overrides);
    expect(await db.collection('objects').findOne({ _id: victim._id })).toBeNull();

    // Put it back as it was, so the read model matches the log again.
    await packedCollections(db).objects.insertOne(victim as never);
    expect(await snapshot(db)).toEqual(live);
  }, 20_000);

  it('records the last applied offset of every partition used in projection_checkpoints', async () => {
    const last = await lastOffsets();
    expect(last.size).toBeGreaterThan(1);
    // Checkpoints may lag while the service runs (re-applying is a no-op); a graceful stop saves them.
    await stopKeepingData();
    expect(await checkpoints(db)).toEqual(expectedCheckpoints(last));

    // New writes move the checkpoints of their partitions to their last record, and only those.
    sediment = await startSediment(overrides);
    for (let i = 0; i < 4; i++) {
      await sediment.s3.send(new PutObjectCommand({ Bucket: 'replay-beta', Key: `after-restart-${i}`, Body: `new ${i}` }));
    }
    const records = await readTopic(overrides.SEDIMENT_BUCKET_TOPIC);
    const newest = records.filter((r) => r.key === 'replay-beta').at(-1)!;
    expect(newest.offset).toBe(last.get(newest.partition)! + 4);
    await restart();
    expect(await checkpoints(db)).toEqual(expectedCheckpoints(new Map([...last, [newest.partition, newest.offset]])));
  }, 20_000);
});
