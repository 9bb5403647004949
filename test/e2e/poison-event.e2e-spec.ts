// A poison record already in the log (issue #10, item 1): one that is not JSON and one whose key
// holds a NUL, which PostgreSQL under FerretDB cannot store, produced straight onto the service's
// topics as a foreign producer or an old bug would. Each stops only its own partition (reported
// on /health, writes there answer 503 at once, other partitions take writes); a restart opens
// the port and serves reads; `sediment quarantine-event` gets the partitions going again
// without a restart and loses nothing; `sediment replay` then rebuilds to the same digest.
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { CreateUserCommand } from '@aws-sdk/client-iam';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutBucketNotificationConfigurationCommand,
  PutObjectCommand,
  type S3ServiceException,
} from '@aws-sdk/client-s3';
import { jest } from '@jest/globals';
import { Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import { Binary, MongoClient } from 'mongodb';
import { EventLog } from '../../src/event-log/event-log.port.js';
import { activeReadModel } from '../../src/replay/read-model.control.js';
import { digestReadModel } from '../../src/replay/read-model.digest.js';
import { assertTopicsMatchContract } from '../support/event-contract.js';
import { eventually } from '../support/eventually.js';
import { createUserWithKey, iamClient, policy } from '../support/iam-helpers.js';
import { fetchEndOffsets, readAllRecords, readTopic } from '../support/kafka-topic-reader.js';
import { objectKeyOf, waitForKeys } from '../support/notification-records.js';
import type { Credentials } from '../support/raw-s3-request.js';
import { sedimentCli } from '../support/operator-cli.js';
import { deleteTopic, KAFKA_BROKERS, MONGO_URL, s3Client, startSediment, type SedimentUnderTest } from '../support/sediment-under-test.js';

// A write that waited for the apply timeout instead of being refused would outlive the test.
jest.setTimeout(120_000);
const APPLY_TIMEOUT_MS = '600000';

interface Poison {
  topic: string;
  partition: number;
  offset: number;
  key: Buffer;
  value: Buffer;
}

let sediment: SedimentUnderTest;
let overrides: Record<string, string>;
let mongo: MongoClient;
let producer: Producer;
let reader: Credentials;
/** Buckets on three different partitions: one gets a record that is not JSON, one a NUL key, one nothing. */
const bucket = { notJson: '', nul: '', healthy: '' };
let notJson: Poison;
let nul: Poison;
let identity: Poison;
/** Where the bucket with the record that is not JSON sends its notifications. */
let notifications: string;

const health = async () => {
  const res = await fetch(`${sediment.adminUrl}/health`);
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};

async function produce(topic: string, key: Buffer, value: Buffer): Promise<Poison> {
  const [meta] = await producer.send({ topic, messages: [{ key, value, headers: { 'content-type': 'application/json' } }] });
  return { topic, partition: meta!.partition, offset: Number(meta!.baseOffset), key, value };
}

const put = (b: string, key: string, s3 = sediment.s3) => s3.send(new PutObjectCommand({ Bucket: b, Key: key, Body: `${b}/${key}` }));
const read = async (b: string, key: string) => (await sediment.s3.send(new GetObjectCommand({ Bucket: b, Key: key }))).Body!.transformToString();
const failure = (work: Promise<unknown>) => work.then(() => undefined, (e: unknown) => e as S3ServiceException);
const endOffset = async (topic: string, partition: number) => (await fetchEndOffsets(topic)).get(partition);

const stoppedMessage = (p: Poison) =>
  `Partition ${p.partition} of ${p.topic} is stopped at offset ${p.offset} on an event the read model cannot apply`;
const quarantineHint = (p: Poison) => `sediment quarantine-event --topic ${p.topic} --partition ${p.partition} --offset ${p.offset} --reason "<why>"`;

beforeAll(async () => {
  expect(existsSync('dist/cli/main.js')).toBe(true); // scripts/test.sh builds before the e2e tier
  const id = randomUUID().slice(0, 8);
  overrides = {
    MONGO_DATABASE: `e2e_poison_${id}`,
    SEDIMENT_BUCKET_TOPIC: `e2e.poison.bucket-events.${id}`,
    SEDIMENT_IDENTITY_TOPIC: `e2e.poison.identity-events.${id}`,
    SEDIMENT_CONTROL_TOPIC: `e2e.poison.control-events.${id}`,
    SEDIMENT_APPLY_TIMEOUT_MS: APPLY_TIMEOUT_MS,
  };
  notifications = `e2e.poison.notify.${id}`;
  sediment = await startSediment(overrides);
  overrides.SEDIMENT_BLOB_DIR = sediment.config.SEDIMENT_BLOB_DIR;
  mongo = await new MongoClient(MONGO_URL).connect();
  producer = new Kafka({ brokers: KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING }).producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();

  // Three buckets on three partitions (murmur2 of the name, as the service computes it).
  const log = sediment.app.get(EventLog);
  const taken = new Set<number>();
  const names = Array.from({ length: 64 }, (_, i) => `poison-${i}`).filter((name) => {
    const partition = log.partitionOf(name);
    return taken.has(partition) ? false : (taken.add(partition), true);
  });
  [bucket.notJson, bucket.nul, bucket.healthy] = names;
  for (const b of Object.values(bucket)) await sediment.s3.send(new CreateBucketCommand({ Bucket: b }));
  await sediment.s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket: bucket.notJson,
      NotificationConfiguration: {
        TopicConfigurations: [{ TopicArn: `arn:aws:sns:us-east-1:000000000000:${notifications}`, Events: ['s3:ObjectCreated:*'] }],
      },
    }),
  );
  for (const b of Object.values(bucket)) await put(b, 'before');
  reader = await createUserWithKey(iamClient(sediment.url), 'poison-reader', {
    read: policy({ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: '*' }),
  });
});

afterAll(async () => {
  await producer?.disconnect();
  if (sediment) {
    await sediment.stop({ keepData: true });
    // The poisoned topics cannot pass the harness's event-contract check; the decisions must.
    await assertTopicsMatchContract({ control: sediment.config.SEDIMENT_CONTROL_TOPIC });
    const databases = (await mongo.db().admin().listDatabases()).databases.map((d) => d.name);
    for (const name of databases.filter((n) => n.startsWith(overrides.MONGO_DATABASE))) await mongo.db(name).dropDatabase();
    for (const topic of ['SEDIMENT_BUCKET_TOPIC', 'SEDIMENT_IDENTITY_TOPIC', 'SEDIMENT_CONTROL_TOPIC']) await deleteTopic(overrides[topic]!);
    await deleteTopic(notifications);
    await rm(sediment.config.SEDIMENT_BLOB_DIR, { recursive: true, force: true });
  }
  await mongo?.close();
});

describe('a poison event already in the log (e2e)', () => {
  it('a record that is not JSON stops its partition only, and /health names projection, partition, offset and reason', async () => {
    notJson = await produce(sediment.config.SEDIMENT_BUCKET_TOPIC, Buffer.from(bucket.notJson), Buffer.from('{"type": garbage'));
    expect(notJson.partition).toBe(sediment.app.get(EventLog).partitionOf(bucket.notJson));
    const { status, body } = await eventually(health, (h) => h.status === 503);
    expect([status, body.status]).toEqual([503, 'down']);
    expect(body.projections['bucket-metadata'].poison).toEqual([
      { partition: notJson.partition, offset: notJson.offset, reason: 'record is not JSON', since: expect.any(String) },
    ]);
    expect(body.projections.identity).toEqual({ state: 'running', lag: 0 });
  });

  it('answers a write to the stopped partition with 503 naming the record and the command, and appends nothing', async () => {
    const before = await endOffset(notJson.topic, notJson.partition);
    const error = await failure(put(bucket.notJson, 'refused'));
    expect(error?.$metadata.httpStatusCode).toBe(503);
    expect(error?.name).toBe('ServiceUnavailable');
    expect(error?.message).toContain(stoppedMessage(notJson));
    expect(error?.message).toContain('(record is not JSON)');
    expect(error?.message).toContain(quarantineHint(notJson));
    expect(await endOffset(notJson.topic, notJson.partition)).toBe(before);
  });

  it('takes writes to buckets on the other partitions, and serves reads from the stopped one', async () => {
    await put(bucket.healthy, 'during');
    await put(bucket.nul, 'during');
    expect(await read(bucket.healthy, 'during')).toBe(`${bucket.healthy}/during`);
    expect(await read(bucket.notJson, 'before')).toBe(`${bucket.notJson}/before`);
  });

  it('a valid event that the database refuses stops its partition after a few attempts', async () => {
    // The bucket's own last event, as a foreign producer could write it: a key of 3,000 random
    // characters, storable text but too long for the read model's index (the edge allows 1,024
    // bytes). A NUL is caught before the database (storable.ts), so it cannot stand in here.
    const [stored] = (await readAllRecords(sediment.config.SEDIMENT_BUCKET_TOPIC))
      .filter((r) => r.key === bucket.nul && r.headers['ce_type'] === 'ObjectStored')
      .slice(-1);
    const envelope = JSON.parse(stored!.value!) as { id: string; data: { key: string; objectId: string } };
    envelope.id = randomUUID();
    envelope.data.key = randomBytes(1500).toString('hex');
    envelope.data.objectId = randomUUID();
    nul = await produce(sediment.config.SEDIMENT_BUCKET_TOPIC, Buffer.from(bucket.nul), Buffer.from(JSON.stringify(envelope)));
    const report = await eventually(health, (h) => h.body.projections['bucket-metadata'].poison?.length === 2, 30_000);
    const poison = report.body.projections['bucket-metadata'].poison as Array<{ partition: number; offset: number; reason: string }>;
    expect(poison.find((p) => p.partition === nul.partition)).toEqual({
      partition: nul.partition,
      offset: nul.offset,
      reason: expect.stringMatching(/^applying it failed 5 times: Mongo(Server|BulkWrite)Error: .*index row size \d+ exceeds btree version 4 maximum/),
      since: expect.any(String),
    });
    const error = await failure(put(bucket.nul, 'refused'));
    expect(error?.$metadata.httpStatusCode).toBe(503);
    expect(error?.message).toContain(stoppedMessage(nul));
    await put(bucket.healthy, 'still');
  });

  it('a poison identity record stops identity writes only; whatever only reads identities keeps working', async () => {
    identity = await produce(sediment.config.SEDIMENT_IDENTITY_TOPIC, Buffer.from('user/nobody'), Buffer.from('not json either'));
    const report = await eventually(health, (h) => h.body.projections.identity.state === 'stopped');
    expect(report.body.projections.identity.poison).toEqual([
      { partition: 0, offset: identity.offset, reason: 'record is not JSON', since: expect.any(String) },
    ]);
    const error = await failure(iamClient(sediment.url).send(new CreateUserCommand({ UserName: 'not-now' })));
    expect(error?.$metadata.httpStatusCode).toBe(503);
    expect(error?.name).toBe('ServiceUnavailable');
    // The user's key and policy are in force: authenticating and authorizing read identities only.
    const asReader = s3Client(sediment.url, reader);
    expect((await asReader.send(new ListObjectsV2Command({ Bucket: bucket.healthy }))).KeyCount).toBe(3);
    await expect(put(bucket.healthy, 'denied', asReader)).rejects.toMatchObject({ name: 'AccessDenied' });
    await put(bucket.healthy, 'as-root');
  });

  it('a restart opens the S3 port despite the stopped partitions, serves reads, and its boot log says what to run', async () => {
    await sediment.stop({ keepData: true });
    const lines: string[] = [];
    const capture = (stream: NodeJS.WriteStream) =>
      jest.spyOn(stream, 'write').mockImplementation((chunk: unknown) => (lines.push(String(chunk)), true));
    const spies = [capture(process.stdout), capture(process.stderr)];
    try {
      sediment = await startSediment(overrides);
    } finally {
      spies.forEach((spy) => spy.mockRestore());
    }
    const boot = lines.join('');
    for (const p of [notJson, nul, identity]) {
      expect(boot).toContain(`opening with partition ${p.partition} of ${p.topic} is stopped at offset ${p.offset}`);
      expect(boot).toContain(quarantineHint(p));
    }
    expect(await read(bucket.notJson, 'before')).toBe(`${bucket.notJson}/before`);
    expect(await read(bucket.nul, 'during')).toBe(`${bucket.nul}/during`);
    expect(await read(bucket.healthy, 'as-root')).toBe(`${bucket.healthy}/as-root`);
    const report = await health();
    expect(report.status).toBe(503);
    expect(report.body.projections['bucket-metadata'].poison.map((p: Poison) => [p.partition, p.offset])).toEqual(
      [notJson, nul].sort((a, b) => a.partition - b.partition).map((p) => [p.partition, p.offset]),
    );
    expect((await failure(put(bucket.notJson, 'refused')))?.message).toContain(stoppedMessage(notJson));
    await put(bucket.healthy, 'after-restart');
  });

  it('`sediment quarantine-event` gets each partition going again without a restart, and keeps the record', async () => {
    for (const p of [notJson, nul, identity]) {
      const { stdout } = await sedimentCli(sediment.config, [
        'quarantine-event', '--topic', p.topic, '--partition', String(p.partition), '--offset', String(p.offset), '--reason', 'e2e: hand-made poison',
      ]);
      expect(stdout).toContain(`the live service skipped it: partition ${p.partition} of ${p.topic} goes on after offset ${p.offset}`);
    }
    expect(await eventually(health, (h) => h.status === 200)).toMatchObject({ status: 200, body: { status: 'ok' } });
    await put(bucket.notJson, 'after');
    await put(bucket.nul, 'after');
    await iamClient(sediment.url).send(new CreateUserCommand({ UserName: 'now-fine' }));
    expect(await read(bucket.nul, 'after')).toBe(`${bucket.nul}/after`);
    // The notification relay waited on the record too, and goes on past it.
    expect((await waitForKeys(notifications, ['before', 'after'])).map(objectKeyOf)).toEqual(['before', 'after']);

    // Nothing is lost: each record is still in the log, and its bytes are in quarantined_events.
    const kept = mongo.db(await activeReadModel(mongo.db(overrides.MONGO_DATABASE!))).collection('quarantined_events');
    for (const p of [notJson, nul, identity]) {
      const doc = await kept.findOne({ _id: `${p.topic}/${p.partition}/${p.offset}` as never });
      expect(doc).toMatchObject({ topic: p.topic, partition: p.partition, offset: p.offset, reason: 'e2e: hand-made poison' });
      expect(Buffer.from((doc!['key'] as Binary).buffer)).toEqual(p.key);
      expect(Buffer.from((doc!['value'] as Binary).buffer)).toEqual(p.value);
    }
    // Asked again, the command says so and records nothing more.
    const again = await sedimentCli(sediment.config, [
      'quarantine-event', '--topic', nul.topic, '--partition', String(nul.partition), '--offset', String(nul.offset), '--reason', 'twice',
    ]);
    expect(again.stdout).toContain('already quarantined by decision');
    expect(await readTopic(sediment.config.SEDIMENT_CONTROL_TOPIC)).toHaveLength(3);
  });

  it('refuses the control topic as a notification destination: only operators write decisions', async () => {
    const refused = await failure(
      sediment.s3.send(
        new PutBucketNotificationConfigurationCommand({
          Bucket: bucket.healthy,
          NotificationConfiguration: {
            TopicConfigurations: [{ TopicArn: `arn:aws:sns:us-east-1:000000000000:${sediment.config.SEDIMENT_CONTROL_TOPIC}`, Events: ['s3:ObjectCreated:*'] }],
          },
        }),
      ),
    );
    expect(refused?.$metadata.httpStatusCode).toBe(400);
    expect(refused?.name).toBe('InvalidArgument');
  });

  it('refuses to quarantine a record the live read model has already applied', async () => {
    const applied = (await readAllRecords(sediment.config.SEDIMENT_BUCKET_TOPIC)).find((r) => r.key === bucket.healthy)!;
    const refused = await sedimentCli(sediment.config, [
      'quarantine-event', '--topic', sediment.config.SEDIMENT_BUCKET_TOPIC, '--partition', String(applied.partition), '--offset', String(applied.offset), '--reason', 'wrong one',
    ]).then(() => undefined, (e: { code?: number; stderr?: string }) => e);
    expect(refused?.code).toBe(65);
    expect(refused?.stderr).toContain('has already applied');
    expect(await readTopic(sediment.config.SEDIMENT_CONTROL_TOPIC)).toHaveLength(3);
  });

  it('`sediment replay` skips exactly the quarantined records and switches: the digests are equal', async () => {
    const before = await digestReadModel(mongo.db(await activeReadModel(mongo.db(overrides.MONGO_DATABASE!))));
    const { stdout } = await sedimentCli(sediment.config, ['replay']);
    expect(stdout).toContain(`digest ${before.digest}`);
    expect(stdout).toMatch(/switched to \S+: digest sha256:\w+ matched the live model/);
    const rebuilt = mongo.db(await activeReadModel(mongo.db(overrides.MONGO_DATABASE!)));
    expect(rebuilt.databaseName).not.toBe(overrides.MONGO_DATABASE);
    expect(await rebuilt.collection('quarantined_events').countDocuments()).toBe(3);
    expect(await read(bucket.nul, 'after')).toBe(`${bucket.nul}/after`);
    await put(bucket.notJson, 'after-replay');
  });
});
