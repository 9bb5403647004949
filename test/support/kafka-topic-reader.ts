import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type IHeaders } from 'kafkajs';
import type { EventEnvelope } from '../../src/event-log/event-envelope.js';
import { KAFKA_BROKERS } from './endpoints.js';

/** One record of a topic as a test sees it: position, key, headers as strings, value parsed as JSON. */
export interface TopicRecord {
  partition: number;
  offset: number;
  key: string | null;
  headers: Record<string, string>;
  value: unknown;
}

/** One record exactly as it is in the log: key, headers and value as UTF-8 text (null when absent). */
export interface RawTopicRecord {
  partition: number;
  offset: number;
  key: string | null;
  headers: Record<string, string>;
  value: string | null;
}

export interface ReadTopicOptions {
  brokers?: string;
  /** How long the whole read may take before it fails (default 20 s). */
  timeoutMs?: number;
}

function kafkaFor(brokers: string, clientId: string): Kafka {
  return new Kafka({
    clientId,
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3000,
    retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 1000 },
  });
}

/** Whether `topic` exists on the broker. */
export async function topicExists(topic: string, brokers = KAFKA_BROKERS): Promise<boolean> {
  const admin = kafkaFor(brokers, `topic-reader-admin-${randomUUID()}`).admin();
  await admin.connect();
  try {
    return (await admin.listTopics()).includes(topic);
  } finally {
    await admin.disconnect();
  }
}

/** The topic's end offsets (the offset the next record of each partition will get), by partition. */
export async function fetchEndOffsets(topic: string, brokers = KAFKA_BROKERS): Promise<Map<number, number>> {
  const admin = kafkaFor(brokers, `topic-reader-admin-${randomUUID()}`).admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((o) => [o.partition, Number(o.high)]));
  } finally {
    await admin.disconnect();
  }
}

function headerStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    out[name] = Array.isArray(value) ? value.map((v) => v.toString()).join(',') : value.toString();
  }
  return out;
}

function parseValue({ value, partition, offset }: RawTopicRecord): unknown {
  if (value === null) return null;
  try {
    return JSON.parse(value);
  } catch {
    throw new Error(`record at partition ${partition} offset ${offset} is not JSON: ${value.slice(0, 200)}`);
  }
}

/**
 * Reads every record of `topic` from offset 0 up to the end offsets it has when the call starts,
 * with a kafkajs client and consumer of its own (a fresh group id, never committing), so it sees
 * the log exactly as any other consumer would. Records appended after the call started are left
 * out. Sorted by partition, then offset. Values parsed as JSON (a record that is not JSON fails
 * the read); `readAllRecords` gives them as they are.
 */
export async function readTopic(topic: string, options: ReadTopicOptions = {}): Promise<TopicRecord[]> {
  return (await readAllRecords(topic, options)).map((record) => ({ ...record, value: parseValue(record) }));
}

/** Every record of `topic` as `readTopic` reads them, with values left as text: for checks of the raw log. */
export async function readAllRecords(topic: string, options: ReadTopicOptions = {}): Promise<RawTopicRecord[]> {
  const brokers = options.brokers ?? KAFKA_BROKERS;
  const timeoutMs = options.timeoutMs ?? 20_000;
  const runId = randomUUID();
  const kafka = kafkaFor(brokers, `topic-reader-${runId}`);

  const admin = kafka.admin();
  await admin.connect();
  let ends: Map<number, { low: number; high: number }>;
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    ends = new Map(offsets.map((o) => [o.partition, { low: Number(o.low), high: Number(o.high) }]));
  } catch (error) {
    await admin.disconnect();
    throw error;
  }

  const pending = new Set([...ends].filter(([, { low, high }]) => high > low).map(([partition]) => partition));
  if (pending.size === 0) {
    await admin.disconnect();
    return [];
  }
  if ([...ends.values()].some(({ low }) => low !== 0)) {
    await admin.disconnect();
    throw new Error(`readTopic(${topic}): the log no longer starts at offset 0 (${JSON.stringify([...ends])})`);
  }

  const groupId = `topic-reader-${runId}`;
  const consumer = kafka.consumer({
    groupId,
    allowAutoTopicCreation: false,
    maxWaitTimeInMs: 100,
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
    retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 1000 },
  });
  const records: RawTopicRecord[] = [];
  const reached = new Map<number, number>();
  let timer: NodeJS.Timeout | undefined;
  try {
    const done = new Promise<void>((resolve, reject) => {
      timer = setTimeout(() => {
        const behind = [...pending]
          .sort((a, b) => a - b)
          .map((p) => `partition ${p} at offset ${reached.get(p) ?? 'none'} of end ${ends.get(p)!.high}`);
        reject(new Error(`readTopic(${topic}): timed out after ${timeoutMs} ms; not read to the end: ${behind.join(', ')}`));
      }, timeoutMs);
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        reject(new Error(`readTopic(${topic}): consumer crashed: ${payload.error?.message ?? 'unknown error'}`));
      });
      consumer
        .connect()
        .then(() => consumer.subscribe({ topic, fromBeginning: true }))
        .then(() =>
          consumer.run({
            autoCommit: false,
            eachMessage: async ({ partition, message }) => {
              const offset = Number(message.offset);
              const end = ends.get(partition)?.high ?? 0;
              if (offset >= end) return; // appended after the read started
              if (offset <= (reached.get(partition) ?? -1)) return; // redelivered after a rebalance
              records.push({
                partition,
                offset,
                key: message.key === null ? null : message.key.toString('utf8'),
                headers: headerStrings(message.headers),
                value: message.value === null ? null : message.value.toString('utf8'),
              });
              reached.set(partition, offset);
              if (offset >= end - 1) {
                pending.delete(partition);
                if (pending.size === 0) resolve();
              }
            },
          }),
        )
        .catch(reject);
    });
    await done;
  } finally {
    clearTimeout(timer);
    await consumer.disconnect().catch(() => undefined);
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }

  records.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
  for (const [partition, { high }] of ends) {
    const got = records.filter((r) => r.partition === partition).map((r) => r.offset);
    const expected = Array.from({ length: high }, (_, i) => i);
    if (got.length !== expected.length || got.some((o, i) => o !== expected[i])) {
      throw new Error(`readTopic(${topic}): partition ${partition} read offsets [${got}] instead of 0..${high - 1}`);
    }
  }
  return records;
}

/** A record of the bucket topic with its value read as the event envelope (docs/events.md). */
export interface BucketStreamRecord extends TopicRecord {
  envelope: EventEnvelope;
}

/** The records of one bucket (its stream) among `records` (as `readTopic` returns them), in log order. */
export function bucketStream(records: TopicRecord[], bucket: string): BucketStreamRecord[] {
  return records
    .map((r) => ({ ...r, envelope: r.value as EventEnvelope }))
    .filter((r) => r.envelope.bucket === bucket)
    .sort((a, b) => a.offset - b.offset);
}
