import { randomUUID } from 'node:crypto';
import { jest } from '@jest/globals';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { envelope, decodeRecord } from '../../src/event-log/event-envelope.js';
import { KafkaEventLog } from '../../src/messaging/kafka-event.log.js';
import { ensureTopic } from '../../src/messaging/topics.js';
import type { SedimentEvent } from '../../src/bucket-stream/sediment-event.js';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const principal = { accessKeyId: 'AKIDEXAMPLE', arn: 'arn:aws:iam::000000000000:root' };
const created = (bucket: string): SedimentEvent => ({
  type: 'BucketCreated',
  data: { bucket, bucketId: randomUUID(), owner: 'o', ownerDisplayName: 'root', region: 'us-east-1', createdAt: new Date().toISOString() },
});

describe('KafkaEventLog on the real broker', () => {
  const kafka = new Kafka({ brokers, clientId: 'int-event-log', logLevel: logLevel.NOTHING });
  const topic = `int.event-log.${randomUUID()}`;
  let admin: Admin;
  let log: KafkaEventLog;

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
    await ensureTopic(admin, { topic, partitions: 6, replicationFactor: 1, minInsyncReplicas: 1 });
    log = new KafkaEventLog(kafka, admin, topic, 6);
    await log.connect();
  });

  afterAll(async () => {
    await log.disconnect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('creates the topic with its fixed partition count and infinite retention', async () => {
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(metadata.topics[0]!.partitions).toHaveLength(6);
    const described = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: topic, configNames: ['retention.ms', 'retention.bytes', 'cleanup.policy'] }] });
    const entries = Object.fromEntries(described.resources[0]!.configEntries.map((e) => [e.configName, e.configValue]));
    expect(entries).toEqual({ 'retention.ms': '-1', 'retention.bytes': '-1', 'cleanup.policy': 'delete' });
  });

  it('refuses to run against the topic with another partition count', async () => {
    await expect(ensureTopic(admin, { topic, partitions: 12, replicationFactor: 1, minInsyncReplicas: 1 })).rejects.toThrow(/6 partitions/);
  });

  it('refuses a topic whose retention or compaction would lose events, naming the setting', async () => {
    const lossy = `int.lossy.${randomUUID()}`;
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic: lossy, numPartitions: 6, configEntries: [{ name: 'retention.ms', value: '604800000' }, { name: 'cleanup.policy', value: 'compact' }] }],
    });
    try {
      const spec = { topic: lossy, partitions: 6, replicationFactor: 1, minInsyncReplicas: 1 };
      await expect(ensureTopic(admin, spec)).rejects.toThrow(/retention\.ms=604800000, cleanup\.policy=compact, which would lose events/);
    } finally {
      await admin.deleteTopics({ topics: [lossy] });
    }
  });

  it('sets the configured min.insync.replicas on a topic it creates', async () => {
    const strict = `int.strict.${randomUUID()}`;
    try {
      await ensureTopic(admin, { topic: strict, partitions: 2, replicationFactor: 1, minInsyncReplicas: 2 });
      const described = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: strict, configNames: ['min.insync.replicas'] }] });
      expect(described.resources[0]!.configEntries[0]!.configValue).toBe('2');
    } finally {
      await admin.deleteTopics({ topics: [strict] });
    }
  });

  const topicSettings = async (name: string): Promise<Record<string, string>> => {
    const described = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name }] });
    return Object.fromEntries(described.resources[0]!.configEntries.map((e) => [e.configName, e.configValue]));
  };

  it('makes a single-replica topic fsync every append before it is acknowledged (flush.messages=1)', async () => {
    expect((await topicSettings(topic))['flush.messages']).toBe('1');
  });

  it('gives flush.messages=1 to a single-replica topic made without it, keeping the settings it has', async () => {
    const older = `int.older.${randomUUID()}`;
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: [{ topic: older, numPartitions: 2, replicationFactor: 1, configEntries: [{ name: 'retention.ms', value: '-1' }, { name: 'retention.bytes', value: '-1' }, { name: 'max.message.bytes', value: '2000000' }] }],
      });
      expect((await topicSettings(older))['flush.messages']).not.toBe('1');
      await ensureTopic(admin, { topic: older, partitions: 2, replicationFactor: 1, minInsyncReplicas: 1 });
      const settings = await topicSettings(older);
      expect(settings).toMatchObject({ 'flush.messages': '1', 'retention.ms': '-1', 'retention.bytes': '-1', 'max.message.bytes': '2000000' });
    } finally {
      await admin.deleteTopics({ topics: [older] });
    }
  });

  it('appends a bucket\'s events to the partition partitionOf names, in order, with consecutive offsets', async () => {
    const buckets = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf'];
    for (const bucket of buckets) {
      const envs = [created(bucket), created(bucket)].map((e) => envelope(e, bucket, randomUUID(), new Date(), principal));
      const positions = await log.append(bucket, envs);
      expect(positions.map((p) => p.partition)).toEqual([log.partitionOf(bucket), log.partitionOf(bucket)]);
      expect(positions[1]!.offset).toBe(positions[0]!.offset + 1);
    }
    const ends = await log.endOffsets();
    const total = [...ends.values()].reduce((a, b) => a + b, 0);
    expect(total).toBe(buckets.length * 2);
  });

  it('sends appends made while a send is in flight together, and tells each the exact position of its records', async () => {
    const calls = Array.from({ length: 60 }, (_, i) => {
      const bucket = `group-${i % 12}`;
      return { bucket, envs: [created(bucket), created(bucket)].map((e) => envelope(e, bucket, randomUUID(), new Date(), principal)) };
    });
    const sends = jest.spyOn((log as unknown as { producer: { send: (...args: unknown[]) => unknown } }).producer, 'send');
    const positions = await Promise.all(calls.map(({ bucket, envs }) => log.append(bucket, envs)));
    // Fewer sends than calls: the ones that waited went as one.
    expect(sends.mock.calls.length).toBeLessThan(calls.length / 2);
    sends.mockRestore();
    const expected = new Map<string, string>();
    calls.forEach(({ bucket, envs }, i) => {
      expect(positions[i]!.map((p) => p.partition)).toEqual([log.partitionOf(bucket), log.partitionOf(bucket)]);
      envs.forEach((env, j) => expected.set(`${positions[i]![j]!.partition}:${positions[i]![j]!.offset}`, env.id));
    });
    expect(expected.size).toBe(calls.length * 2);
    const consumer = kafka.consumer({ groupId: `int-reader-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const found = new Map<string, string>();
    await new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ partition, message }) => {
          const at = `${partition}:${message.offset}`;
          if (expected.has(at)) found.set(at, decodeRecord(message.value!, { partition, offset: Number(message.offset) }).envelope.id);
          if (found.size === expected.size) resolve();
        },
      });
    });
    await consumer.disconnect();
    expect(found).toEqual(expected);
  });

  it('writes records a separate consumer decodes back to the same envelope, keyed by bucket', async () => {
    const env = envelope(created('hotel'), 'hotel', randomUUID(), new Date(), principal);
    const [position] = await log.append('hotel', [env]);
    const consumer = kafka.consumer({ groupId: `int-reader-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const seen = await new Promise<{ key: string; headers: Record<string, string>; value: Buffer }>((resolve) => {
      void consumer.run({
        eachMessage: async ({ partition, message }) => {
          if (partition === position!.partition && Number(message.offset) === position!.offset) {
            const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
            resolve({ key: String(message.key), headers, value: message.value! });
          }
        },
      });
    });
    await consumer.disconnect();
    expect(seen.key).toBe('hotel');
    expect(seen.headers).toMatchObject({ ce_id: env.id, ce_type: 'BucketCreated', ce_specversion: '1.0', 'content-type': 'application/json' });
    expect(decodeRecord(seen.value, position!).envelope).toEqual(env);
  });
});
