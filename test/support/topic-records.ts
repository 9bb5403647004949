import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import type { EventEnvelope } from '../../src/event-log/event-envelope.js';
import { KAFKA_BROKERS } from './sediment-under-test.js';

/** One record of the bucket topic, decoded, with where it sits in the log. */
export interface TopicRecord {
  partition: number;
  offset: number;
  key: string | null;
  headers: Record<string, string>;
  envelope: EventEnvelope;
}

/**
 * Reads a topic from offset 0 up to the end offsets `admin.fetchTopicOffsets` reports at the
 * moment of the call, with a kafkajs consumer of its own (fresh group, nothing committed) that
 * is independent of the service under test. Records come back ordered by partition, then offset
 * (so per bucket, in log order).
 */
export async function readTopicRecords(topic: string, timeoutMs = 20_000): Promise<TopicRecord[]> {
  const kafka = new Kafka({
    clientId: `e2e-topic-reader-${randomBytes(3).toString('hex')}`,
    brokers: KAFKA_BROKERS.split(','),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  let ends: Map<number, number>;
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    ends = new Map(offsets.map((o) => [o.partition, Number(o.high)]));
  } finally {
    await admin.disconnect();
  }
  // Partitions still to be read up to their end offset (exclusive).
  const remaining = new Set([...ends].filter(([, end]) => end > 0).map(([p]) => p));
  if (remaining.size === 0) return [];

  const records: TopicRecord[] = [];
  const consumer = kafka.consumer({
    groupId: `e2e-topic-reader-${randomBytes(6).toString('hex')}`,
    maxWaitTimeInMs: 100,
    allowAutoTopicCreation: false,
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`readTopicRecords(${topic}): partitions ${[...remaining].join(',')} not read to their end in ${timeoutMs} ms`)),
        timeoutMs,
      );
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            const offset = Number(message.offset);
            const end = ends.get(partition) ?? 0;
            if (offset >= end) return; // appended after the snapshot of end offsets
            const headers: Record<string, string> = {};
            for (const [name, value] of Object.entries(message.headers ?? {})) {
              if (value !== undefined) headers[name] = Array.isArray(value) ? value.map(String).join(',') : String(value);
            }
            records.push({
              partition,
              offset,
              key: message.key === null ? null : message.key.toString('utf8'),
              headers,
              envelope: JSON.parse(message.value!.toString('utf8')) as EventEnvelope,
            });
            if (offset === end - 1) {
              remaining.delete(partition);
              if (remaining.size === 0) {
                clearTimeout(timer);
                resolve();
              }
            }
          },
        })
        .catch((error: unknown) => {
          clearTimeout(timer);
          reject(error);
        });
    });
  } finally {
    await consumer.disconnect();
  }
  // kafkajs may redeliver a batch after a rebalance: keep one copy of each log position.
  const unique = new Map(records.map((r) => [`${r.partition}:${r.offset}`, r]));
  return [...unique.values()].sort((a, b) => a.partition - b.partition || a.offset - b.offset);
}

/** The records of one bucket (its stream), in log order. */
export function bucketStream(records: TopicRecord[], bucket: string): TopicRecord[] {
  return records.filter((r) => r.envelope.bucket === bucket).sort((a, b) => a.offset - b.offset);
}
