// The admin listener (issue #4 §3, §6): /metrics and /health on a port of their own, and a poison
// event reported everywhere an operator looks (log line, /health, metrics, `sediment
// inspect-event`) while the projection stays stopped: reported, never skipped.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { jest } from '@jest/globals';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3ServiceException,
} from '@aws-sdk/client-s3';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { eventually } from '../support/eventually.js';
import { deleteTopic, KAFKA_BROKERS, MONGO_URL, startSediment, type SedimentUnderTest } from '../support/sediment-under-test.js';

jest.setTimeout(60_000);
const execFileAsync = promisify(execFile);
const BUCKET = 'obs-bucket';

/** The value of one exact series (`name{labels}`) in an exposition, or undefined if absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** Every series of a metric name with its value. */
function series(text: string, name: string): Map<string, number> {
  return new Map(
    text
      .split('\n')
      .filter((l) => l.startsWith(`${name}{`))
      .map((l) => [l.slice(0, l.lastIndexOf(' ')), Number(l.slice(l.lastIndexOf(' ') + 1))]),
  );
}

describe('admin listener: metrics, health and poison events (e2e)', () => {
  let sediment: SedimentUnderTest;
  let poison: { partition: number; offset: number };

  const metrics = async () => {
    const res = await fetch(`${sediment.adminUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    return res.text();
  };
  const health = async () => {
    const res = await fetch(`${sediment.adminUrl}/health`);
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };

  beforeAll(async () => {
    sediment = await startSediment();
  });

  afterAll(async () => {
    if (!sediment) return;
    // A service whose projection stopped must still stop, promptly. keepData: the poisoned topic
    // cannot pass the harness's event-contract check, so it is cleaned up here instead.
    const started = Date.now();
    await sediment.stop({ keepData: true });
    expect(Date.now() - started).toBeLessThan(15_000);
    await expect(fetch(`${sediment.adminUrl}/health`)).rejects.toThrow(); // the admin listener closed with it
    const mongo = await new MongoClient(sediment.config.MONGO_URL).connect();
    await mongo.db(sediment.config.MONGO_DATABASE).dropDatabase().catch(() => undefined);
    await mongo.close();
    await deleteTopic(sediment.config.SEDIMENT_BUCKET_TOPIC);
    await deleteTopic(sediment.config.SEDIMENT_IDENTITY_TOPIC);
    await deleteTopic(sediment.config.SEDIMENT_CONTROL_TOPIC);
    await rm(sediment.config.SEDIMENT_BLOB_DIR, { recursive: true, force: true });
  });

  it('serves /metrics and /health on its own port, so a bucket named "metrics" is just a bucket', async () => {
    expect(new URL(sediment.adminUrl).port).not.toBe(new URL(sediment.url).port);
    await sediment.s3.send(new CreateBucketCommand({ Bucket: 'metrics' }));
    const listed = await sediment.s3.send(new ListObjectsV2Command({ Bucket: 'metrics' }));
    expect(listed.KeyCount).toBe(0);
    expect((await fetch(`${sediment.adminUrl}/nothing-here`)).status).toBe(404);
    expect((await fetch(`${sediment.adminUrl}/metrics`, { method: 'POST' })).status).toBe(405);
  });

  it('counts S3 requests by operation and status, with a latency histogram per operation', async () => {
    await sediment.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    for (const key of ['a', 'b', 'c']) await sediment.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: key }));
    await (await sediment.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'a' }))).Body!.transformToString();
    await expect(sediment.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'missing' }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 404 },
    });
    const text = await eventually(metrics, (t) => sample(t, 'sediment_s3_requests_total{operation="HeadObject",status="404"}') === 1);
    expect(sample(text, 'sediment_s3_requests_total{operation="CreateBucket",status="200"}')).toBe(2);
    expect(sample(text, 'sediment_s3_requests_total{operation="ListObjectsV2",status="200"}')).toBe(1);
    expect(sample(text, 'sediment_s3_requests_total{operation="PutObject",status="200"}')).toBe(3);
    expect(sample(text, 'sediment_s3_requests_total{operation="GetObject",status="200"}')).toBe(1);
    expect(sample(text, 'sediment_s3_requests_total{operation="HeadObject",status="404"}')).toBe(1);
    expect(sample(text, 'sediment_s3_request_duration_seconds_count{operation="PutObject"}')).toBe(3);
    expect(sample(text, 'sediment_s3_request_duration_seconds_bucket{operation="PutObject",le="+Inf"}')).toBe(3);
    expect(sample(text, 'sediment_s3_request_duration_seconds_bucket{operation="PutObject",le="10"}')).toBe(3);
    expect(sample(text, 'sediment_s3_request_duration_seconds_sum{operation="PutObject"}')).toBeGreaterThan(0);
  });

  it('shows no lag once writes are acknowledged, and counts every event applied', async () => {
    const before = sample(await metrics(), 'sediment_projection_events_applied_total{projection="bucket-metadata"}')!;
    expect(before).toBeGreaterThanOrEqual(5); // 2 buckets, 3 objects
    await sediment.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'd', Body: 'd' }));
    const text = await metrics();
    expect(sample(text, 'sediment_projection_events_applied_total{projection="bucket-metadata"}')).toBe(before + 1);
    const lag = series(text, 'sediment_projection_lag_events');
    expect(lag).toEqual(
      new Map([
        ...[0, 1, 2, 3].map((p) => [`sediment_projection_lag_events{projection="bucket-metadata",partition="${p}"}`, 0] as const),
        ['sediment_projection_lag_events{projection="identity",partition="0"}', 0],
      ]),
    );
    expect(series(text, 'sediment_projection_stopped')).toEqual(
      new Map([
        ['sediment_projection_stopped{projection="bucket-metadata"}', 0],
        ['sediment_projection_stopped{projection="identity"}', 0],
      ]),
    );
    expect(series(text, 'sediment_projection_poison_event_info').size).toBe(0);
    expect(sample(text, 'sediment_dependency_up{dependency="kafka"}')).toBe(1);
    expect(sample(text, 'sediment_dependency_up{dependency="mongodb"}')).toBe(1);
  });

  it('is healthy (200) with both projections running', async () => {
    expect(await health()).toEqual({
      status: 200,
      body: {
        status: 'ok',
        kafka: { ok: true },
        mongodb: { ok: true },
        projections: { 'bucket-metadata': { state: 'running', lag: 0 }, identity: { state: 'running', lag: 0 } },
      },
    });
  });

  it('reports a poison event on /health (503) and in the metrics, and the projection stays stopped', async () => {
    const kafka = new Kafka({ brokers: KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING });
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    try {
      // Keyed by the bucket, so it lands in the bucket's partition, as its next event would.
      const [meta] = await producer.send({ topic: sediment.config.SEDIMENT_BUCKET_TOPIC, messages: [{ key: BUCKET, value: '{"type": garbage' }] });
      poison = { partition: meta!.partition, offset: Number(meta!.baseOffset) };
    } finally {
      await producer.disconnect();
    }
    const report = await eventually(health, (h) => h.status === 503);
    expect(report).toEqual({
      status: 503,
      body: {
        status: 'down',
        kafka: { ok: true },
        mongodb: { ok: true },
        projections: {
          'bucket-metadata': { state: 'stopped', lag: 1, poison: [{ ...poison, reason: 'record is not JSON', since: expect.any(String) }] },
          identity: { state: 'running', lag: 0 },
        },
      },
    });
    const text = await metrics();
    expect(sample(text, 'sediment_projection_stopped{projection="bucket-metadata"}')).toBe(1);
    expect(sample(text, 'sediment_projection_stopped{projection="identity"}')).toBe(0);
    expect(series(text, 'sediment_projection_poison_event_info')).toEqual(
      new Map([
        [
          `sediment_projection_poison_event_info{projection="bucket-metadata",partition="${poison.partition}",offset="${poison.offset}",reason="record is not JSON"}`,
          1,
        ],
      ]),
    );
    expect(sample(text, `sediment_projection_lag_events{projection="bucket-metadata",partition="${poison.partition}"}`)).toBe(1);
  });

  it('answers a write to the poisoned partition with 503 naming the stop, not after the apply timeout', async () => {
    const error = (await sediment.s3
      .send(new PutObjectCommand({ Bucket: BUCKET, Key: 'after-poison', Body: 'x' }))
      .then(() => undefined, (e: unknown) => e)) as S3ServiceException | undefined;
    expect(error?.name).toBe('ServiceUnavailable');
    expect(error?.$metadata.httpStatusCode).toBe(503);
    // Refused up front by the stopped partition, which the message names with the way out; a
    // write that waited for its apply instead would end in "the metadata projection is behind the
    // log" after the harness's 120 s apply timeout (past this test's own timeout).
    expect(error?.message).toContain(`Partition ${poison.partition} of ${sediment.config.SEDIMENT_BUCKET_TOPIC} is stopped at offset ${poison.offset}`);
    expect(error?.message).toContain(`sediment quarantine-event --topic ${sediment.config.SEDIMENT_BUCKET_TOPIC} --partition ${poison.partition} --offset ${poison.offset}`);
    const text = await eventually(metrics, (t) => sample(t, 'sediment_s3_requests_total{operation="PutObject",status="503"}') === 1);
    expect(sample(text, 'sediment_s3_requests_total{operation="PutObject",status="503"}')).toBe(1);
  });

  it('`sediment inspect-event` (the built CLI) prints the poison record and why it cannot be applied', async () => {
    expect(existsSync('dist/cli/main.js')).toBe(true); // scripts/test.sh builds before the e2e tier
    const { config } = sediment;
    const env = {
      PATH: process.env.PATH ?? '',
      KAFKA_BROKERS: config.KAFKA_BROKERS,
      MONGO_URL: config.MONGO_URL,
      MONGO_DATABASE: config.MONGO_DATABASE,
      SEDIMENT_BUCKET_TOPIC: config.SEDIMENT_BUCKET_TOPIC,
      SEDIMENT_IDENTITY_TOPIC: config.SEDIMENT_IDENTITY_TOPIC,
      SEDIMENT_TOPIC_PARTITIONS: String(config.SEDIMENT_TOPIC_PARTITIONS),
      SEDIMENT_ROOT_ACCESS_KEY_ID: config.SEDIMENT_ROOT_ACCESS_KEY_ID,
      SEDIMENT_ROOT_SECRET_ACCESS_KEY: config.SEDIMENT_ROOT_SECRET_ACCESS_KEY,
      SEDIMENT_MASTER_KEY: config.SEDIMENT_MASTER_KEY,
    };
    const inspect = (offset: number) =>
      execFileAsync(
        process.execPath,
        ['dist/cli/main.js', 'inspect-event', '--topic', config.SEDIMENT_BUCKET_TOPIC, '--partition', String(poison.partition), '--offset', String(offset)],
        { env, timeout: 45_000 },
      );
    // Async child processes: the in-process service's consumers keep heartbeating meanwhile.
    const [bad, good] = await Promise.all([inspect(poison.offset), inspect(poison.offset - 1)]);
    expect(bad.stdout).toContain(`partition: ${poison.partition}\noffset:    ${poison.offset}\n`);
    expect(bad.stdout).toContain(`key:       ${BUCKET}\n`);
    expect(bad.stdout).toContain('value (16 bytes, not JSON):\n  utf-8: "{\\"type\\": garbage"\n');
    expect(bad.stdout).toContain(
      `verdict:   POISON: record is not JSON. The bucket-metadata projection stops partition ${poison.partition} at this record and ` +
        `applies nothing after it there until it is quarantined: sediment quarantine-event --topic ${config.SEDIMENT_BUCKET_TOPIC} ` +
        `--partition ${poison.partition} --offset ${poison.offset} --reason "<why>"`,
    );
    expect(good.stdout).toMatch(/value \(\d+ bytes, JSON\):\n {2}\{\n/);
    expect(good.stdout).toMatch(/verdict: {3}ok: the bucket-metadata projection reads it as \w+ \(schema v\d+\) of bucket [a-z-]+\n/);
    // An offset the log does not hold is an error naming the range, not a hang.
    const missing = await inspect(poison.offset + 1000).then(
      () => undefined,
      (e: { code?: number; stderr?: string }) => e,
    );
    expect(missing?.code).toBe(66);
    expect(missing?.stderr).toContain(`partition ${poison.partition} has no offset ${poison.offset + 1000}`);
  });
});

describe('admin listener: a taken port (e2e)', () => {
  it('stops the boot with a message naming SEDIMENT_ADMIN_PORT, and the boot closes what it opened', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    const id = randomBytes(5).toString('hex');
    const overrides = {
      SEDIMENT_ADMIN_PORT: String(port),
      MONGO_DATABASE: `e2e_${id}`,
      SEDIMENT_BUCKET_TOPIC: `e2e.bucket-events.${id}`,
      SEDIMENT_IDENTITY_TOPIC: `e2e.identity-events.${id}`,
    };
    let retried: SedimentUnderTest | undefined;
    try {
      await expect(startSediment(overrides)).rejects.toThrow(`cannot listen on 127.0.0.1:${port} (SEDIMENT_ADMIN_HOST / SEDIMENT_ADMIN_PORT)`);
      // The writer lease was released: a second boot on the same topic and database succeeds at once.
      retried = await startSediment({ ...overrides, SEDIMENT_ADMIN_PORT: '0' });
    } finally {
      blocker.close();
      if (retried) await retried.stop(); // drops its database and topics
      else {
        await deleteTopic(overrides.SEDIMENT_BUCKET_TOPIC);
        await deleteTopic(overrides.SEDIMENT_IDENTITY_TOPIC);
        await deleteTopic(`${overrides.SEDIMENT_BUCKET_TOPIC}.control`);
        const mongo = await new MongoClient(MONGO_URL).connect();
        await mongo.db(overrides.MONGO_DATABASE).dropDatabase().catch(() => undefined);
        await mongo.close();
      }
    }
  });
});
