// The upload story end to end: a real S3 client against the real service, then the same facts
// checked where they live: the Kafka topic (docs/events.md), the MongoDB read model and the blob
// directory. Finally, commands S3 refuses must leave the log untouched.
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListBucketsCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { Partitioners } from 'kafkajs';
import { filesUnder } from '../support/concurrency-helpers.js';
import { fetchEndOffsets, readTopic, type TopicRecord } from '../support/kafka-topic-reader.js';
import { crc32Base64 } from '../support/raw-s3-request.js';
import { sdkError } from '../support/s3-api-assertions.js';
import { ROOT_ACCESS_KEY_ID, startSediment, type SedimentUnderTest } from '../support/sediment-under-test.js';
import { readModelDocuments } from '../support/read-model-documents.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const RFC3339_UTC_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ROOT_ARN = 'arn:aws:iam::000000000000:root';
const PARTITIONS = 4;

const BUCKET = 'bucket-to-share';
const KEY = 'script.txt';
const BODY = randomBytes(5 * 1024 + 123);
const CONTENT_TYPE = 'text/x-shellscript; charset=utf-8';
// Given out of order and partly upper-case: the contract lower-cases names and sorts by name.
const METADATA = { 'Story-Chapter': 'one', 'story-author': 'Ada Lovelace' };
const STORED_METADATA = { 'story-author': 'Ada Lovelace', 'story-chapter': 'one' };

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');

interface Envelope {
  id: string;
  type: string;
  schemaVersion: number;
  time: string;
  principal: { accessKeyId: string; arn: string };
  bucket: string;
  data: Record<string, unknown>;
}
const envelopeOf = (record: TopicRecord) => record.value as Envelope;

/** The partition Kafka's default (murmur2) partitioner gives a key, computed independently of the service. */
function murmur2Partition(key: string): number {
  const partitioner = Partitioners.DefaultPartitioner();
  const partitionMetadata = Array.from({ length: PARTITIONS }, (_, partitionId) => ({
    partitionId,
    leader: 0,
    replicas: [0],
    isr: [0],
    partitionErrorCode: 0,
    offlineReplicas: [],
  }));
  return partitioner({ topic: 't', partitionMetadata, message: { key, value: null } });
}

/** The CloudEvents binary-mode headers docs/events.md promises for an envelope. */
function expectedHeaders(env: Envelope): Record<string, string> {
  return {
    ce_specversion: '1.0',
    ce_id: env.id,
    ce_type: env.type,
    ce_source: '/sediment',
    ce_subject: env.bucket,
    ce_time: env.time,
    ce_dataschemaversion: String(env.schemaVersion),
    'content-type': 'application/json',
  };
}

function expectTimeWithin(value: unknown, from: Date, to: Date): void {
  expect(value).toMatch(RFC3339_UTC_MS);
  const t = Date.parse(value as string);
  expect(t).toBeGreaterThanOrEqual(from.getTime());
  expect(t).toBeLessThanOrEqual(to.getTime());
}

const s3ErrorName = async (promise: Promise<unknown>): Promise<string> => (await sdkError(promise)).name;

describe('upload story: bucket-to-share / script.txt', () => {
  let sediment: SedimentUnderTest;
  let topic: string;
  // Shared by the chapters of the story, in order.
  let storyStart: Date;
  let storyEnd: Date;
  let owner: { id: string; displayName: string };
  let lastModified: Date;
  let putEtag: string | undefined;

  beforeAll(async () => {
    sediment = await startSediment();
    topic = sediment.config.SEDIMENT_BUCKET_TOPIC;
  }, 30_000);
  afterAll(async () => {
    await sediment?.stop();
  }, 30_000);

  it('stores the upload and gives back the same bytes, type, length, ETag, Last-Modified and metadata', async () => {
    storyStart = new Date();
    await sediment.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const put = await sediment.s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: KEY, Body: BODY, ContentType: CONTENT_TYPE, Metadata: METADATA }),
    );
    putEtag = put.ETag;
    expect(put.ETag).toBe(`"${md5(BODY)}"`);

    const got = await sediment.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: KEY }));
    const bytes = await got.Body!.transformToByteArray();
    storyEnd = new Date();
    expect(bytes.length).toBe(BODY.length);
    expect(sha256(bytes)).toBe(sha256(BODY));
    expect(got.ContentType).toBe(CONTENT_TYPE);
    expect(got.ContentLength).toBe(BODY.length);
    expect(got.ETag).toBe(`"${md5(BODY)}"`);
    expect(got.Metadata).toEqual(STORED_METADATA);
    expect(got.LastModified).toBeInstanceOf(Date);
    lastModified = got.LastModified!;
    // HTTP dates have whole seconds.
    expect(lastModified.getTime()).toBeGreaterThanOrEqual(Math.floor(storyStart.getTime() / 1000) * 1000);
    expect(lastModified.getTime()).toBeLessThanOrEqual(storyEnd.getTime());

    const { Owner, Buckets } = await sediment.s3.send(new ListBucketsCommand({}));
    expect(Buckets?.map((b) => b.Name)).toEqual([BUCKET]);
    expect(Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
    owner = { id: Owner!.ID!, displayName: Owner!.DisplayName! };
  });

  it('(a) appended BucketCreated, its ownership controls, then ObjectStored with the documented envelope, headers and data', async () => {
    const records = await readTopic(topic);
    expect(records.map((r) => envelopeOf(r).type)).toEqual(['BucketCreated', 'BucketOwnershipControlsConfigured', 'ObjectStored']);
    const [created, ownership, stored] = records as [TopicRecord, TopicRecord, TopicRecord];

    // One bucket, one stream: same partition (the murmur2 one of the key), BucketCreated first.
    expect(created.key).toBe(BUCKET);
    expect(stored.key).toBe(BUCKET);
    expect(stored.partition).toBe(created.partition);
    expect(created.partition).toBe(murmur2Partition(BUCKET));
    expect(ownership.partition).toBe(created.partition);
    expect(created.offset).toBe(0);
    expect(ownership.offset).toBe(1);
    expect(stored.offset).toBe(2);

    const createdEnv = envelopeOf(created);
    expect(createdEnv).toStrictEqual({
      id: expect.stringMatching(UUID),
      type: 'BucketCreated',
      schemaVersion: 1,
      time: expect.stringMatching(RFC3339_UTC_MS),
      principal: { accessKeyId: ROOT_ACCESS_KEY_ID, arn: ROOT_ARN },
      bucket: BUCKET,
      data: {
        bucket: BUCKET,
        bucketId: expect.stringMatching(UUID),
        owner: owner.id,
        ownerDisplayName: owner.displayName,
        region: sediment.config.SEDIMENT_REGION,
        createdAt: expect.stringMatching(RFC3339_UTC_MS),
      },
    });
    expect(created.headers).toStrictEqual(expectedHeaders(createdEnv));
    expectTimeWithin(createdEnv.time, storyStart, storyEnd);
    expectTimeWithin(createdEnv.data.createdAt, storyStart, storyEnd);

    // A new bucket has ACLs off, as in AWS, recorded in the same decision as the bucket.
    const ownershipEnv = envelopeOf(ownership);
    expect(ownershipEnv).toStrictEqual({
      id: expect.stringMatching(UUID),
      type: 'BucketOwnershipControlsConfigured',
      schemaVersion: 1,
      time: createdEnv.time,
      principal: { accessKeyId: ROOT_ACCESS_KEY_ID, arn: ROOT_ARN },
      bucket: BUCKET,
      data: { bucket: BUCKET, bucketId: createdEnv.data.bucketId, objectOwnership: 'BucketOwnerEnforced', configuredAt: createdEnv.data.createdAt },
    });
    expect(ownership.headers).toStrictEqual(expectedHeaders(ownershipEnv));

    const storedEnv = envelopeOf(stored);
    expect(storedEnv).toStrictEqual({
      id: expect.stringMatching(UUID),
      type: 'ObjectStored',
      schemaVersion: 4,
      time: expect.stringMatching(RFC3339_UTC_MS),
      principal: { accessKeyId: ROOT_ACCESS_KEY_ID, arn: ROOT_ARN },
      bucket: BUCKET,
      data: {
        bucket: BUCKET,
        bucketId: createdEnv.data.bucketId,
        key: KEY,
        objectId: expect.stringMatching(UUID),
        size: BODY.length,
        etag: `"${md5(BODY)}"`,
        contentType: CONTENT_TYPE,
        userMetadata: [
          { name: 'story-author', value: 'Ada Lovelace' },
          { name: 'story-chapter', value: 'one' },
        ],
        owner: owner.id,
        ownerDisplayName: owner.displayName,
        storedAt: expect.stringMatching(RFC3339_UTC_MS),
        storageClass: 'STANDARD',
        // first write of the key: no replacedObjectId
        // the CRC32 the SDK sends by default (as an aws-chunked trailer), verified and kept
        checksum: { algorithm: 'CRC32', value: crc32Base64(BODY), type: 'FULL_OBJECT' },
      },
    });
    expect(stored.headers).toStrictEqual(expectedHeaders(storedEnv));
    expect(storedEnv.id).not.toBe(createdEnv.id);
    expectTimeWithin(storedEnv.time, storyStart, storyEnd);
    // storedAt is S3's Last-Modified (which HTTP truncates to seconds), and the etag what PUT returned.
    expect(Math.floor(Date.parse(storedEnv.data.storedAt as string) / 1000) * 1000).toBe(lastModified.getTime());
    expect(storedEnv.data.etag).toBe(putEtag);
  });

  it('(b) projected the bucket and object documents, stamped with the records\' positions', async () => {
    const [created, ownership, stored] = (await readTopic(topic)) as [TopicRecord, TopicRecord, TopicRecord];
    const createdData = envelopeOf(created).data;
    const storedData = envelopeOf(stored).data;

    const buckets = await sediment.db.collection('buckets').find({}).toArray();
    expect(buckets).toEqual([
      {
        _id: BUCKET,
        bucketId: createdData.bucketId,
        owner: owner.id,
        ownerDisplayName: owner.displayName,
        region: sediment.config.SEDIMENT_REGION,
        createdAt: new Date(createdData.createdAt as string),
        objectOwnership: 'BucketOwnerEnforced',
        partition: ownership.partition,
        offset: ownership.offset,
      },
    ]);

    const objects = await readModelDocuments(sediment.db, 'objects');
    expect(objects).toEqual([
      {
        _id: `${BUCKET}/${KEY}`,
        bucket: BUCKET,
        bucketId: createdData.bucketId,
        key: KEY,
        objectId: storedData.objectId,
        size: BODY.length,
        etag: `"${md5(BODY)}"`,
        contentType: CONTENT_TYPE,
        userMetadata: [
          { name: 'story-author', value: 'Ada Lovelace' },
          { name: 'story-chapter', value: 'one' },
        ],
        owner: owner.id,
        ownerDisplayName: owner.displayName,
        lastModified: new Date(storedData.storedAt as string),
        storageClass: 'STANDARD',
        checksum: { algorithm: 'CRC32', value: crc32Base64(BODY), type: 'FULL_OBJECT' },
        partition: stored.partition,
        offset: stored.offset,
      },
    ]);
  });

  it('(c) wrote the payload to a blob path named by the objectId, not by the key', async () => {
    const [, , stored] = (await readTopic(topic)) as [TopicRecord, TopicRecord, TopicRecord];
    const objectId = envelopeOf(stored).data.objectId as string;
    const blobDir = sediment.config.SEDIMENT_BLOB_DIR;

    const files = await filesUnder(blobDir);
    const blobs = files.filter((f) => f.includes(objectId));
    expect(blobs).toHaveLength(1);
    const blob = blobs[0]!;
    expect(relative(blobDir, blob)).not.toContain(KEY);
    expect(files.filter((f) => relative(blobDir, f).includes(KEY))).toEqual([]);
    expect(sha256(await readFile(blob))).toBe(sha256(BODY));
  });

  it('DeleteObject then DeleteBucket append ObjectDeleted and BucketDeleted and remove the documents', async () => {
    const before = await readTopic(topic);
    expect(before).toHaveLength(3);
    const createdEnv = envelopeOf(before[0]!);
    const storedEnv = envelopeOf(before[2]!);

    const from = new Date();
    await sediment.s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: KEY }));
    expect(await sediment.db.collection('objects').countDocuments({})).toBe(0);
    await sediment.s3.send(new DeleteBucketCommand({ Bucket: BUCKET }));
    const to = new Date();
    expect(await sediment.db.collection('buckets').countDocuments({})).toBe(0);

    const after = await readTopic(topic);
    expect(after.slice(0, 3)).toEqual(before);
    expect(after.map((r) => envelopeOf(r).type)).toEqual(['BucketCreated', 'BucketOwnershipControlsConfigured', 'ObjectStored', 'ObjectDeleted', 'BucketDeleted']);
    const [objectDeleted, bucketDeleted] = after.slice(3) as [TopicRecord, TopicRecord];
    for (const [record, offset] of [
      [objectDeleted, 3],
      [bucketDeleted, 4],
    ] as const) {
      expect(record.key).toBe(BUCKET);
      expect(record.partition).toBe(before[0]!.partition);
      expect(record.offset).toBe(offset);
    }

    const objectDeletedEnv = envelopeOf(objectDeleted);
    expect(objectDeletedEnv).toStrictEqual({
      id: expect.stringMatching(UUID),
      type: 'ObjectDeleted',
      schemaVersion: 1,
      time: expect.stringMatching(RFC3339_UTC_MS),
      principal: { accessKeyId: ROOT_ACCESS_KEY_ID, arn: ROOT_ARN },
      bucket: BUCKET,
      data: {
        bucket: BUCKET,
        bucketId: createdEnv.data.bucketId,
        key: KEY,
        objectId: storedEnv.data.objectId,
        deletedAt: expect.stringMatching(RFC3339_UTC_MS),
      },
    });
    expect(objectDeleted.headers).toStrictEqual(expectedHeaders(objectDeletedEnv));
    expectTimeWithin(objectDeletedEnv.time, from, to);
    expectTimeWithin(objectDeletedEnv.data.deletedAt, from, to);

    const bucketDeletedEnv = envelopeOf(bucketDeleted);
    expect(bucketDeletedEnv).toStrictEqual({
      id: expect.stringMatching(UUID),
      type: 'BucketDeleted',
      schemaVersion: 1,
      time: expect.stringMatching(RFC3339_UTC_MS),
      principal: { accessKeyId: ROOT_ACCESS_KEY_ID, arn: ROOT_ARN },
      bucket: BUCKET,
      data: {
        bucket: BUCKET,
        bucketId: createdEnv.data.bucketId,
        deletedAt: expect.stringMatching(RFC3339_UTC_MS),
      },
    });
    expect(bucketDeleted.headers).toStrictEqual(expectedHeaders(bucketDeletedEnv));
    expectTimeWithin(bucketDeletedEnv.time, from, to);
    expectTimeWithin(bucketDeletedEnv.data.deletedAt, from, to);
    expect(new Set(after.map((r) => envelopeOf(r).id)).size).toBe(5);

    const { Buckets } = await sediment.s3.send(new ListBucketsCommand({}));
    expect(Buckets ?? []).toEqual([]);
  });

  it('appends no event for a command S3 refuses, nor for deleting a missing key', async () => {
    const bucket = 'refusals-bucket';
    await sediment.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await sediment.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'keep.txt', Body: 'kept' }));

    const records = await readTopic(topic);
    const ends = await fetchEndOffsets(topic);
    const blobs = await filesUnder(sediment.config.SEDIMENT_BLOB_DIR);
    const types = records.filter((r) => r.key === bucket).map((r) => envelopeOf(r).type);
    expect(types).toEqual(['BucketCreated', 'BucketOwnershipControlsConfigured', 'ObjectStored']);

    // Each refusal is checked against the end offsets right away, the full log once at the end.
    expect(await s3ErrorName(sediment.s3.send(new CreateBucketCommand({ Bucket: bucket })))).toBe(
      'BucketAlreadyOwnedByYou',
    );
    expect(await fetchEndOffsets(topic)).toEqual(ends);

    expect(await s3ErrorName(sediment.s3.send(new DeleteBucketCommand({ Bucket: bucket })))).toBe('BucketNotEmpty');
    expect(await fetchEndOffsets(topic)).toEqual(ends);

    expect(
      await s3ErrorName(
        sediment.s3.send(new PutObjectCommand({ Bucket: 'no-such-bucket-here', Key: 'x.txt', Body: randomBytes(2048) })),
      ),
    ).toBe('NoSuchBucket');
    expect(await fetchEndOffsets(topic)).toEqual(ends);

    // S3 answers 204 for a missing key; nothing happened, so nothing is recorded.
    const deleted = await sediment.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'never-written.txt' }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    expect(await fetchEndOffsets(topic)).toEqual(ends);

    expect(await readTopic(topic)).toEqual(records);
    // The refused PUT left no payload behind either.
    expect(await filesUnder(sediment.config.SEDIMENT_BLOB_DIR)).toEqual(blobs);
    // And the state is what it was.
    expect(await sediment.db.collection('buckets').find({}).project({ _id: 1 }).toArray()).toEqual([{ _id: bucket }]);
    expect(await sediment.db.collection('objects').find({}).project({ _id: 1 }).toArray()).toEqual([
      { _id: `${bucket}/keep.txt` },
    ]);
  });
});
