import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { MongoServerError } from 'mongodb';
import { encodeEnvelope, envelope, type RecordedEvent } from '../event-log/event-envelope.js';
import { ProjectionProgress } from './projection-progress.js';
import { quarantineEnvelope } from '../quarantine/quarantine.events.js';
import { QuarantineList, valueSha256, type QuarantineDecision } from '../quarantine/quarantine-list.js';
import type { RawRecord } from '../quarantine/quarantined-events.store.js';
import { ProjectionConsumer, type ProjectionHandler } from './projection-consumer.js';

const TOPIC = 'buckets';
const principal = { accessKeyId: 'ROOT', arn: 'arn:aws:iam::000000000000:root' };

/** The part of a kafkajs consumer the projection consumer drives, run by hand. */
class FakeConsumer {
  readonly events = { GROUP_JOIN: 'group-join', CRASH: 'crash' };
  readonly paused = new Set<number>();
  readonly listeners = new Map<string, (event: unknown) => void>();
  private eachBatch!: (payload: unknown) => Promise<void>;
  /** What the consumer had done when it asked for each heartbeat: the offsets resolved so far. */
  readonly heartbeats: string[][] = [];
  on(event: string, listener: (event: unknown) => void): void {
    this.listeners.set(event, listener);
  }
  async connect(): Promise<void> {}
  async subscribe(): Promise<void> {}
  async disconnect(): Promise<void> {}
  seek(): void {}
  async run(options: { eachBatch: (payload: unknown) => Promise<void> }): Promise<void> {
    this.eachBatch = options.eachBatch;
  }
  pause(topics: Array<{ partitions: number[] }>): void {
    topics.forEach((t) => t.partitions.forEach((p) => this.paused.add(p)));
  }
  resume(topics: Array<{ partitions: number[] }>): void {
    topics.forEach((t) => t.partitions.forEach((p) => this.paused.delete(p)));
  }

  /** Hands a fetched batch over as kafkajs would; resolves with the offsets the consumer resolved. */
  async deliver(partition: number, messages: KafkaMessage[]): Promise<string[]> {
    const resolved: string[] = [];
    await this.eachBatch({
      batch: { topic: TOPIC, partition, messages },
      resolveOffset: (offset: string) => resolved.push(offset),
      heartbeat: async () => void this.heartbeats.push([...resolved]),
      isRunning: () => true,
      isStale: () => false,
    });
    return resolved;
  }
}

function message(offset: number, value: string, key = 'photos'): KafkaMessage {
  return { offset: String(offset), key: Buffer.from(key), value: Buffer.from(value), headers: { 'content-type': Buffer.from('application/json') }, timestamp: '1767225600000', attributes: 0 } as KafkaMessage;
}

const created = (offset: number, bucket = 'photos') =>
  message(
    offset,
    encodeEnvelope(
      envelope(
        { type: 'BucketCreated', data: { bucket, bucketId: `id-${offset}`, owner: 'o', ownerDisplayName: 'o', region: 'r', createdAt: '2026-01-01T00:00:00.000Z' } },
        bucket,
        `00000000-0000-4000-8000-${String(offset).padStart(12, '0')}`,
        new Date('2026-01-01T00:00:00.000Z'),
        principal,
      ),
    ).value,
    bucket,
  );

const ferretNul = () =>
  new MongoServerError({ ok: 0, code: 1, codeName: 'InternalError', errmsg: '[a.go:1 f] ERROR: unsupported Unicode escape sequence (SQLSTATE 22P05)' });

function setup(options: { failing?: (recorded: RecordedEvent) => Error | undefined; batches?: string[][] } = {}) {
  const fake = new FakeConsumer();
  const progress = new ProjectionProgress();
  const quarantine = new QuarantineList();
  const applied: string[] = [];
  const skipped: Array<{ record: RawRecord; decision: QuarantineDecision }> = [];
  const handler: ProjectionHandler = {
    name: 'bucket-metadata',
    start: async () => new Map(),
    apply: async (recorded) => {
      const error = options.failing?.(recorded);
      if (error) throw error;
      applied.push(`${recorded.position.partition}:${recorded.position.offset}`);
      progress.markApplied(recorded.position.partition, recorded.position.offset);
    },
    ...(options.batches
      ? {
          // All or nothing, as the store's bulk path: one refused record fails the whole batch.
          applyBatch: async (records: RecordedEvent[]) => {
            const error = records.map((r) => options.failing?.(r)).find(Boolean);
            if (error) throw error;
            options.batches!.push(records.map((r) => `${r.position.partition}:${r.position.offset}`));
            applied.push(...records.map((r) => `${r.position.partition}:${r.position.offset}`));
            const last = records[records.length - 1]!;
            progress.markApplied(last.position.partition, last.position.offset);
          },
        }
      : {}),
    skip: async (record, decision) => {
      skipped.push({ record, decision });
      progress.markApplied(record.partition, record.offset);
    },
    checkpoint: async () => undefined,
    resumeOffset: (partition) => progress.appliedOffset(partition) + 1,
    flush: async () => undefined,
  };
  const consumer = new ProjectionConsumer({ consumer: () => fake } as unknown as Kafka, {
    topic: TOPIC,
    partitions: 4,
    handler,
    groupId: 'g',
    progress,
    quarantine,
    retry: { attempts: 3, firstDelayMs: 100, poisonRetryMs: 10_000 },
  });
  const decide = (partition: number, offset: number, value: string | null) =>
    quarantine.add({
      envelope: quarantineEnvelope(
        { topic: TOPIC, partition, offset, valueSha256: valueSha256(value === null ? null : Buffer.from(value)), reason: 'hand-made', operator: 'ops@host' },
        'decision-1',
        new Date('2026-01-02T00:00:00.000Z'),
        principal,
      ),
      position: { partition: 0, offset: 0 },
    });
  return { fake, progress, consumer, applied, skipped, decide };
}

describe('ProjectionConsumer: a poison record stops its partition only (ADR 0011)', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['error', 'warn', 'log']));
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('stops on a record that does not decode, paused there, while the other partitions go on', async () => {
    const { fake, progress, consumer, applied } = setup();
    await consumer.start();
    expect(await fake.deliver(1, [created(0), message(1, '{"type": garbage'), created(2)])).toEqual(['0']);
    expect(progress.stoppedAt(1)).toMatchObject({ topic: TOPIC, partition: 1, offset: 1, reason: 'record is not JSON' });
    expect(fake.paused).toEqual(new Set([1]));
    expect(await fake.deliver(2, [created(0, 'videos')])).toEqual(['0']);
    // A batch fetched before the pause changes nothing; and a decode failure is never tried again.
    expect(await fake.deliver(1, [message(1, '{"type": garbage'), created(2)])).toEqual([]);
    jest.advanceTimersByTime(60_000);
    expect(fake.paused).toEqual(new Set([1]));
    expect(applied).toEqual(['1:0', '2:0']);
  });

  it('retries a record the database refuses with backoff, then reports it stopped, and runs again once it applies', async () => {
    let refuse = true;
    const { fake, progress, consumer, applied } = setup({ failing: (r) => (refuse && r.position.offset === 0 ? ferretNul() : undefined) });
    await consumer.start();
    for (const delay of [100, 200]) {
      expect(await fake.deliver(0, [created(0)])).toEqual([]);
      expect(fake.paused.has(0)).toBe(true);
      expect(progress.stoppedAt(0)).toBeUndefined(); // may still pass: not reported yet
      jest.advanceTimersByTime(delay - 1);
      expect(fake.paused.has(0)).toBe(true);
      jest.advanceTimersByTime(1);
      expect(fake.paused.has(0)).toBe(false);
    }
    expect(await fake.deliver(0, [created(0)])).toEqual([]);
    expect(progress.stoppedAt(0)).toMatchObject({
      offset: 0,
      reason: 'applying it failed 3 times: MongoServerError: ERROR: unsupported Unicode escape sequence (SQLSTATE 22P05)',
    });
    // A misjudged outage heals itself: the record is tried again later, and passes.
    jest.advanceTimersByTime(10_000);
    expect(fake.paused.has(0)).toBe(false);
    refuse = false;
    expect(await fake.deliver(0, [created(0), created(1)])).toEqual(['0', '1']);
    expect(progress.stoppedAt(0)).toBeUndefined();
    expect(applied).toEqual(['0:0', '0:1']);
  });

  it('applies a fetched run of records in one batch, and resolves its last offset', async () => {
    const batches: string[][] = [];
    const { fake, consumer, applied } = setup({ batches });
    await consumer.start();
    expect(await fake.deliver(1, [created(0), created(1), created(2)])).toEqual(['2']);
    expect(batches).toEqual([['1:0', '1:1', '1:2']]);
    expect(applied).toEqual(['1:0', '1:1', '1:2']);
  });

  it('asks for a heartbeat after each record of a batch applied one by one, so a long batch keeps its group session', async () => {
    const { fake, consumer, applied } = setup();
    await consumer.start();
    expect(await fake.deliver(2, [created(0), created(1), created(2)])).toEqual(['0', '1', '2']);
    expect(applied).toEqual(['2:0', '2:1', '2:2']);
    expect(fake.heartbeats.slice(0, 3)).toEqual([['0'], ['0', '1'], ['0', '1', '2']]);
  });

  it('retries a failed batch one by one, so the records before the one at fault apply and it alone is held', async () => {
    const batches: string[][] = [];
    const { fake, consumer, applied } = setup({ batches, failing: (r) => (r.position.offset === 2 ? ferretNul() : undefined) });
    await consumer.start();
    expect(await fake.deliver(0, [created(0), created(1), created(2), created(3)])).toEqual(['0', '1']);
    expect(batches).toEqual([]);
    expect(applied).toEqual(['0:0', '0:1']);
    expect(fake.paused.has(0)).toBe(true);
  });

  it('lets the partition go at once on a quarantine decision, skips exactly that record with its bytes, applies the rest', async () => {
    const { fake, progress, consumer, applied, skipped, decide } = setup();
    await consumer.start();
    await fake.deliver(3, [message(4, 'not json', 'photos\u0000')]);
    expect(progress.stoppedAt(3)).toBeDefined();
    decide(3, 4, 'not json');
    expect(fake.paused.has(3)).toBe(false);
    expect(await fake.deliver(3, [message(4, 'not json', 'photos\u0000'), created(5)])).toEqual(['4', '5']);
    expect(progress.stoppedAt(3)).toBeUndefined();
    expect(applied).toEqual(['3:5']);
    expect(skipped).toHaveLength(1);
    expect(skipped[0]!.record).toEqual({
      topic: TOPIC,
      partition: 3,
      offset: 4,
      key: Buffer.from('photos\u0000'),
      value: Buffer.from('not json'),
      headers: [{ name: 'content-type', value: Buffer.from('application/json') }],
      timestamp: '1767225600000',
    });
    expect(skipped[0]!.decision).toMatchObject({ decisionId: 'decision-1', reason: 'hand-made', partition: 3, offset: 4 });
  });

  it('skips a record decided about before it is reached, without stopping', async () => {
    const { fake, progress, consumer, skipped, decide } = setup();
    await consumer.start();
    decide(2, 0, 'not json');
    expect(await fake.deliver(2, [message(0, 'not json'), created(1)])).toEqual(['0', '1']);
    expect(progress.stoppedPartitions()).toEqual([]);
    expect(skipped.map((s) => s.record.offset)).toEqual([0]);
  });

  it('does not skip a record other than the one the decision names (another value at that position)', async () => {
    const { fake, progress, consumer, skipped, decide } = setup();
    await consumer.start();
    decide(2, 0, 'the bytes the operator saw');
    expect(await fake.deliver(2, [message(0, 'other bytes')])).toEqual([]);
    expect(progress.stoppedAt(2)).toMatchObject({ offset: 0, reason: 'record is not JSON' });
    expect(skipped).toEqual([]);
  });

  it('throws a transient error for kafkajs to retry the batch, holding nothing and blaming no record', async () => {
    const error = Object.assign(new Error('connection closed'), { name: 'KafkaJSConnectionError' });
    const { fake, progress, consumer } = setup({ failing: () => error });
    await consumer.start();
    await expect(fake.deliver(0, [created(0)])).rejects.toBe(error);
    expect(fake.paused.size).toBe(0);
    expect(progress.stoppedPartitions()).toEqual([]);
  });

  it('reports the whole projection stopped when kafkajs gives up on the consumer, and not when it restarts it', async () => {
    const { fake, progress, consumer } = setup();
    await consumer.start();
    const crash = fake.listeners.get('crash')!;
    crash({ payload: { error: new Error('rebalance failed'), restart: true } });
    expect(progress.stoppedBy).toBeNull();
    crash({ payload: { error: new Error('KafkaJSNonRetriableError: request is not a function'), restart: false } });
    expect(progress.stoppedBy?.message).toBe('KafkaJSNonRetriableError: request is not a function');
  });
});
