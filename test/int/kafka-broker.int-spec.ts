// Proves, against the real broker started by `scripts/infra.sh up`, the kafkajs 2.2.4
// features Sediment relies on: admin topic creation with configs, describeConfigs,
// fetchTopicOffsets, the idempotent producer, consumer groups with manual commits and
// resume, transactions (commit/abort, read_committed) and producer fencing.
//
// Env: KAFKA_BROKERS (default 127.0.0.1:9092). Topic and group names are unique per run.
import { randomBytes } from 'node:crypto';
import kafkajs from 'kafkajs';
import type { Admin, Consumer, EachBatchPayload, IHeaders, KafkaMessage, Producer, RecordMetadata } from 'kafkajs';

const { Kafka, logLevel, Partitioners, ConfigResourceTypes } = kafkajs;

const BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const RUN = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
const EVENTS_TOPIC = `sediment-int-events-${RUN}`;
const TX_TOPIC = `sediment-int-tx-${RUN}`;
const GROUP = `sediment-int-group-${RUN}`;
const TX_ID = `sediment-int-txid-${RUN}`;
const PARTITIONS = 3;

const kafka = new Kafka({
  clientId: `sediment-int-${RUN}`,
  brokers: BROKERS,
  logLevel: logLevel.NOTHING,
  connectionTimeout: 3000,
  retry: { retries: 8, initialRetryTime: 100, maxRetryTime: 2000 },
});

// Every client made here is disconnected in afterAll, whatever happened.
const clients: Array<Admin | Producer | Consumer> = [];
function track<T extends Admin | Producer | Consumer>(client: T): T {
  clients.push(client);
  return client;
}

function idempotentProducer(extra: { transactionalId?: string } = {}): Producer {
  return track(
    kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
      ...extra,
    }),
  );
}

function fastConsumer(groupId: string, readUncommitted = false): Consumer {
  return track(
    kafka.consumer({
      groupId,
      readUncommitted,
      maxWaitTimeInMs: 250,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      retry: { retries: 8, initialRetryTime: 100, maxRetryTime: 2000 },
    }),
  );
}

function header(headers: IHeaders | undefined, name: string): string | undefined {
  const v = headers?.[name];
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v.map(String).join(',') : v.toString();
}

/** Resolves when predicate() is true, polling; rejects after timeoutMs. */
async function until(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Received {
  partition: number;
  offset: string;
  key: string;
  value: string;
  seq: string | undefined;
  eventType: string | undefined;
}

/** A consumed message as these tests compare it. */
function receivedOf(partition: number, m: KafkaMessage): Received {
  return {
    partition,
    offset: m.offset,
    key: m.key!.toString(),
    value: m.value!.toString(),
    seq: header(m.headers, 'seq'),
    eventType: header(m.headers, 'event-type'),
  };
}

let admin: Admin;
let producer: Producer;
/** What the idempotent producer sent, with the partition/offset the broker acknowledged. */
const sent: Array<{ key: string; seq: number; partition: number; offset: string }> = [];

beforeAll(async () => {
  admin = track(kafka.admin());
  await admin.connect();
}, 30_000);

afterAll(async () => {
  for (const client of clients.reverse()) {
    await client.disconnect().catch(() => undefined);
  }
  // Best effort: do not leave test topics behind on a long-lived dev broker.
  const cleaner = kafka.admin();
  try {
    await cleaner.connect();
    await cleaner.deleteTopics({ topics: [EVENTS_TOPIC, TX_TOPIC], timeout: 5000 });
  } catch {
    /* ignore */
  } finally {
    await cleaner.disconnect().catch(() => undefined);
  }
}, 60_000);

describe(`kafkajs against the broker at ${BROKERS.join(',')}`, () => {
  it('admin.createTopics with numPartitions and configEntries; describeConfigs reads them back', async () => {
    const configEntries = [
      { name: 'retention.ms', value: '-1' },
      { name: 'retention.bytes', value: '-1' },
      { name: 'cleanup.policy', value: 'delete' },
      { name: 'min.insync.replicas', value: '1' },
    ];
    const created = await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: EVENTS_TOPIC, numPartitions: PARTITIONS, replicationFactor: 1, configEntries },
        { topic: TX_TOPIC, numPartitions: 1, replicationFactor: 1, configEntries },
      ],
    });
    expect(created).toBe(true);
    // A second create of an existing topic is not an error: kafkajs resolves false.
    await expect(
      admin.createTopics({ waitForLeaders: true, topics: [{ topic: EVENTS_TOPIC, numPartitions: PARTITIONS }] }),
    ).resolves.toBe(false);

    expect(await admin.listTopics()).toEqual(expect.arrayContaining([EVENTS_TOPIC, TX_TOPIC]));
    const meta = await admin.fetchTopicMetadata({ topics: [EVENTS_TOPIC] });
    expect(meta.topics[0].partitions).toHaveLength(PARTITIONS);

    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [
        { type: ConfigResourceTypes.TOPIC, name: EVENTS_TOPIC, configNames: configEntries.map((c) => c.name) },
      ],
    });
    expect(described.resources).toHaveLength(1);
    expect(described.resources[0].errorCode).toBe(0);
    const actual = Object.fromEntries(described.resources[0].configEntries.map((e) => [e.configName, e.configValue]));
    expect(actual).toEqual({
      'retention.ms': '-1',
      'retention.bytes': '-1',
      'cleanup.policy': 'delete',
      'min.insync.replicas': '1',
    });
  }, 30_000);

  it('fetchTopicOffsets of a new topic: every partition at 0', async () => {
    const offsets = await admin.fetchTopicOffsets(EVENTS_TOPIC);
    expect(offsets).toHaveLength(PARTITIONS);
    for (const p of offsets) {
      expect(p).toMatchObject({ offset: '0', high: '0', low: '0' });
    }
  });

  it('idempotent producer (acks -1) returns partition/offset; one key stays in one partition', async () => {
    producer = idempotentProducer();
    await producer.connect();
    const keys = ['bucket-a/obj-1', 'bucket-b/obj-2', 'bucket-c/obj-3', 'bucket-d/obj-4'];
    for (let seq = 1; seq <= 5; seq++) {
      for (const key of keys) {
        const res: RecordMetadata[] = await producer.send({
          topic: EVENTS_TOPIC,
          acks: -1,
          messages: [
            {
              key,
              value: JSON.stringify({ key, seq }),
              headers: { 'event-type': 'ObjectPut', seq: String(seq), 'content-type': 'application/json' },
            },
          ],
        });
        expect(res).toHaveLength(1);
        expect(res[0].topicName).toBe(EVENTS_TOPIC);
        expect(res[0].errorCode).toBe(0);
        expect(res[0].partition).toBeGreaterThanOrEqual(0);
        expect(res[0].partition).toBeLessThan(PARTITIONS);
        expect(res[0].baseOffset).toMatch(/^\d+$/);
        sent.push({ key, seq, partition: res[0].partition, offset: res[0].baseOffset! });
      }
    }
    // Same key -> same partition, and offsets strictly increase within that partition.
    for (const key of keys) {
      const mine = sent.filter((s) => s.key === key);
      expect(new Set(mine.map((s) => s.partition)).size).toBe(1);
      const offs = mine.map((s) => Number(s.offset));
      expect(offs).toEqual([...offs].sort((a, b) => a - b));
    }
    // Offsets are dense per partition (0..n-1): no duplicates from the idempotent producer.
    for (let p = 0; p < PARTITIONS; p++) {
      const offs = sent.filter((s) => s.partition === p).map((s) => Number(s.offset)).sort((a, b) => a - b);
      expect(offs).toEqual(offs.map((_, i) => i));
    }
    // A batch send of several messages reports the base offset of the batch.
    const batch = await producer.send({
      topic: EVENTS_TOPIC,
      acks: -1,
      messages: [6, 7].map((seq) => ({ key: keys[0], value: JSON.stringify({ key: keys[0], seq }), headers: { 'event-type': 'ObjectPut', seq: String(seq) } })),
    });
    expect(batch).toHaveLength(1);
    const p0 = sent.find((s) => s.key === keys[0])!.partition;
    expect(batch[0].partition).toBe(p0);
    const last = Math.max(...sent.filter((s) => s.partition === p0).map((s) => Number(s.offset)));
    expect(batch[0].baseOffset).toBe(String(last + 1));
    sent.push({ key: keys[0], seq: 6, partition: p0, offset: String(last + 1) });
    sent.push({ key: keys[0], seq: 7, partition: p0, offset: String(last + 2) });

    const offsets = await admin.fetchTopicOffsets(EVENTS_TOPIC);
    const total = offsets.reduce((n, p) => n + Number(p.high), 0);
    expect(total).toBe(sent.length);
    for (const p of offsets) {
      expect(Number(p.high)).toBe(sent.filter((s) => s.partition === p.partition).length);
      expect(p.low).toBe('0');
    }
  }, 30_000);

  it('consumer group: eachBatch + resolveOffset + commitOffsets, in order, headers intact; a second member resumes from the commit', async () => {
    // First member: reads everything from the beginning and commits manually.
    const received: Received[] = [];
    const c1 = fastConsumer(GROUP);
    await c1.connect();
    await c1.subscribe({ topics: [EVENTS_TOPIC], fromBeginning: true });
    await c1.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload) => {
        for (const m of batch.messages) {
          if (!isRunning() || isStale()) break;
          received.push(receivedOf(batch.partition, m));
          resolveOffset(m.offset);
          await heartbeat();
        }
        const last = batch.messages[batch.messages.length - 1];
        if (last) {
          await c1.commitOffsets([
            { topic: batch.topic, partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() },
          ]);
        }
      },
    });
    await until(() => received.length >= sent.length, 30_000, `${sent.length} messages`);
    await c1.disconnect();

    expect(received).toHaveLength(sent.length);
    for (const key of new Set(sent.map((s) => s.key))) {
      const got = received.filter((r) => r.key === key);
      const exp = sent.filter((s) => s.key === key);
      // Same partition as the producer was told, same offsets, same order, headers intact.
      expect(got.map((r) => [r.partition, r.offset, r.seq])).toEqual(exp.map((s) => [s.partition, s.offset, String(s.seq)]));
      expect(got.every((r) => r.eventType === 'ObjectPut')).toBe(true);
      expect(got.map((r) => JSON.parse(r.value).seq)).toEqual(exp.map((s) => s.seq));
    }

    // The commits are visible through the admin API.
    const committed = await admin.fetchOffsets({ groupId: GROUP, topics: [EVENTS_TOPIC] });
    const highs = await admin.fetchTopicOffsets(EVENTS_TOPIC);
    for (const p of committed[0].partitions) {
      expect(p.offset).toBe(highs.find((h) => h.partition === p.partition)!.high);
    }

    // Meanwhile, new events arrive.
    const more: RecordMetadata[] = await producer.send({
      topic: EVENTS_TOPIC,
      acks: -1,
      messages: ['after-1', 'after-2', 'after-3'].map((v, i) => ({
        key: `bucket-z/${i}`,
        value: v,
        headers: { 'event-type': 'ObjectDeleted', seq: String(100 + i) },
      })),
    });
    expect(more.length).toBeGreaterThan(0);

    // Second member of the same group: subscribes fromBeginning, yet resumes at the commit.
    const resumed: Received[] = [];
    const c2 = fastConsumer(GROUP);
    await c2.connect();
    await c2.subscribe({ topics: [EVENTS_TOPIC], fromBeginning: true });
    await c2.run({
      autoCommit: true,
      autoCommitThreshold: 1,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, commitOffsetsIfNecessary }: EachBatchPayload) => {
        for (const m of batch.messages) {
          resumed.push(receivedOf(batch.partition, m));
          resolveOffset(m.offset);
        }
        await commitOffsetsIfNecessary();
      },
    });
    await until(() => resumed.length >= 3, 30_000, '3 new messages');
    // Give it a moment to (wrongly) deliver anything older before checking.
    await new Promise((r) => setTimeout(r, 500));
    await c2.disconnect();

    expect(resumed.map((r) => r.value).sort()).toEqual(['after-1', 'after-2', 'after-3']);
    expect(resumed.every((r) => r.eventType === 'ObjectDeleted')).toBe(true);
    const committed2 = await admin.fetchOffsets({ groupId: GROUP, topics: [EVENTS_TOPIC] });
    const highs2 = await admin.fetchTopicOffsets(EVENTS_TOPIC);
    for (const p of committed2[0].partitions) {
      expect(p.offset).toBe(highs2.find((h) => h.partition === p.partition)!.high);
    }
  }, 90_000);

  it('transactions: commit and abort; a read_committed consumer sees only committed records', async () => {
    const txProducer = idempotentProducer({ transactionalId: `${TX_ID}-a` });
    await txProducer.connect();

    const t1 = await txProducer.transaction();
    await t1.send({ topic: TX_TOPIC, acks: -1, messages: [{ key: 'k', value: 'committed-1', headers: { n: '1' } }] });
    await t1.commit();

    const t2 = await txProducer.transaction();
    await t2.send({ topic: TX_TOPIC, acks: -1, messages: [{ key: 'k', value: 'aborted-1' }, { key: 'k', value: 'aborted-2' }] });
    await t2.abort();

    const t3 = await txProducer.transaction();
    await t3.send({ topic: TX_TOPIC, acks: -1, messages: [{ key: 'k', value: 'committed-2', headers: { n: '2' } }] });
    await t3.commit();
    await txProducer.disconnect();

    // 2 committed + 2 aborted records + 3 control markers end up in the log. commit()/abort()
    // resolve once the coordinator has logged the decision; the partition markers follow
    // asynchronously, so poll.
    let high = -1;
    const deadline = Date.now() + 10_000;
    while (high !== 7 && Date.now() < deadline) {
      const [tp] = await admin.fetchTopicOffsets(TX_TOPIC);
      high = Number(tp.high);
      if (high !== 7) await new Promise((r) => setTimeout(r, 50));
    }
    expect(high).toBe(7);

    const values: string[] = [];
    const headers: Array<string | undefined> = [];
    const c = fastConsumer(`${GROUP}-tx`, false);
    await c.connect();
    await c.subscribe({ topics: [TX_TOPIC], fromBeginning: true });
    await c.run({
      eachBatch: async ({ batch }: EachBatchPayload) => {
        for (const m of batch.messages) {
          values.push(m.value!.toString());
          headers.push(header(m.headers, 'n'));
        }
      },
    });
    await until(() => values.includes('committed-2'), 30_000, 'committed-2');
    await c.disconnect();
    expect(values).toEqual(['committed-1', 'committed-2']);
    expect(headers).toEqual(['1', '2']);

    // Control: the aborted records are in the log; a read_uncommitted consumer gets them.
    const dirty: string[] = [];
    const u = fastConsumer(`${GROUP}-tx-dirty`, true);
    await u.connect();
    await u.subscribe({ topics: [TX_TOPIC], fromBeginning: true });
    await u.run({
      eachBatch: async ({ batch }: EachBatchPayload) => {
        for (const m of batch.messages) dirty.push(m.value!.toString());
      },
    });
    await until(() => dirty.includes('committed-2'), 30_000, 'committed-2 (read_uncommitted)');
    await u.disconnect();
    expect(dirty).toEqual(['committed-1', 'aborted-1', 'aborted-2', 'committed-2']);
  }, 60_000);

  it('a second producer with the same transactionalId fences the first', async () => {
    const txId = `${TX_ID}-fence`;
    const first = idempotentProducer({ transactionalId: txId });
    await first.connect();
    const ft = await first.transaction();
    await ft.send({ topic: TX_TOPIC, acks: -1, messages: [{ key: 'f', value: 'zombie' }] });

    // The second producer's InitProducerId bumps the epoch and aborts the open transaction.
    const second = idempotentProducer({ transactionalId: txId });
    await second.connect();
    const st = await second.transaction();
    await st.send({ topic: TX_TOPIC, acks: -1, messages: [{ key: 'f', value: 'successor' }] });
    await st.commit();

    let fenced: unknown;
    try {
      await ft.commit();
    } catch (e) {
      fenced = e;
    }
    // kafkajs speaks pre-KIP-588 API versions, so the broker answers INVALID_PRODUCER_EPOCH
    // (47), not PRODUCER_FENCED (90). The fenced producer is left in state COMMITTING and
    // refuses new transactions: it must be thrown away and recreated.
    expect(fenced).toBeDefined();
    expect((fenced as { type?: string }).type).toBe('INVALID_PRODUCER_EPOCH');
    await expect(first.transaction()).rejects.toThrow(/beginTransaction/);
    await first.disconnect();

    // The fenced producer's record never becomes visible to read_committed readers.
    const values: string[] = [];
    const c = fastConsumer(`${GROUP}-fence`, false);
    await c.connect();
    await c.subscribe({ topics: [TX_TOPIC], fromBeginning: true });
    await c.run({
      eachBatch: async ({ batch }: EachBatchPayload) => {
        for (const m of batch.messages) values.push(m.value!.toString());
      },
    });
    await until(() => values.includes('successor'), 30_000, 'successor');
    await c.disconnect();
    expect(values).toEqual(['committed-1', 'committed-2', 'successor']);
    await second.disconnect();
  }, 60_000);
});
