import kafkajs from 'kafkajs';
import { fetchEndOffsets, readTopic, type TopicRecord } from './kafka-topic-reader.js';
import { KAFKA_BROKERS } from './sediment-under-test.js';

/** One record of an S3 event message, as much of it as the tests look at by name. */
export interface S3EventRecord {
  eventName: string;
  s3: { configurationId: string; object: { key: string; sequencer: string; size?: number; eTag?: string } };
}

export interface S3Event {
  Records: S3EventRecord[];
}

/** A notification as read from its Kafka topic. */
export interface NotificationRecord extends TopicRecord {
  kafkaKey: string | null;
  record: S3EventRecord;
}

/**
 * Every notification of `topic` once there are at least `atLeast`, ordered by sequencer: all
 * the tests' events are of one bucket, so that is the order the requests were made in.
 * Duplicates (at-least-once) keep their place next to the original.
 */
export async function waitForRecords(topic: string, atLeast: number, timeoutMs = 45_000): Promise<NotificationRecord[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const count = [...(await fetchEndOffsets(topic)).values()].reduce((a, b) => a + b, 0);
    if (count >= atLeast) break;
    if (Date.now() > deadline) throw new Error(`${topic}: ${count} of ${atLeast} notifications after ${timeoutMs} ms`);
    await sleep(200);
  }
  return (await readTopic(topic))
    .map((r) => {
      const event = r.value as S3Event;
      expect(event.Records).toHaveLength(1);
      return { ...r, kafkaKey: r.key, record: event.Records[0]! };
    })
    .sort((a, b) => (a.record.s3.object.sequencer < b.record.s3.object.sequencer ? -1 : a.record.s3.object.sequencer > b.record.s3.object.sequencer ? 1 : 0));
}

/** The notifications of `topic` once every one of `keys` (raw object keys) has one. */
export async function waitForKeys(topic: string, keys: string[], timeoutMs = 45_000): Promise<NotificationRecord[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const records = await waitForRecords(topic, 0);
    const seen = new Set(records.map((r) => objectKeyOf(r)));
    if (keys.every((k) => seen.has(k))) return records;
    if (Date.now() > deadline) throw new Error(`${topic}: no notification for ${keys.filter((k) => !seen.has(k)).join(', ')}`);
    await sleep(250);
  }
}

/** The raw key of a notification: S3 writes it form-encoded. */
export function objectKeyOf(r: NotificationRecord): string {
  return decodeURIComponent(r.record.s3.object.key.replaceAll('+', ' '));
}

/** Within each destination partition, messages are in sequencer (= log) order. */
export function expectInOrderPerPartition(records: NotificationRecord[]): void {
  const byPartition = new Map<number, NotificationRecord[]>();
  for (const r of records) byPartition.set(r.partition, [...(byPartition.get(r.partition) ?? []), r]);
  for (const list of byPartition.values()) {
    const sequencers = list.sort((a, b) => a.offset - b.offset).map((r) => r.record.s3.object.sequencer);
    expect([...sequencers].sort()).toEqual(sequencers);
  }
}

/** The sequencer Sediment gives an event at this position of the bucket topic. */
export function sequencerAt(record: TopicRecord): string {
  return record.partition.toString(16).toUpperCase().padStart(4, '0') + record.offset.toString(16).toUpperCase().padStart(16, '0');
}

/** Whether a topic exists, and the keep-forever settings it was created with. */
export async function describeTopic(topic: string): Promise<Record<string, string> | undefined> {
  const admin = new kafkajs.Kafka({ brokers: KAFKA_BROKERS.split(','), logLevel: kafkajs.logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(topic)) return undefined;
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: kafkajs.ConfigResourceTypes.TOPIC, name: topic, configNames: ['retention.ms', 'retention.bytes', 'cleanup.policy'] }],
    });
    return Object.fromEntries((described.resources[0]?.configEntries ?? []).map((e) => [e.configName, e.configValue]));
  } finally {
    await admin.disconnect();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
