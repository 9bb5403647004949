import { randomUUID } from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';

export interface LogRange {
  /** First offset to read, per partition. */
  from: Map<number, number>;
  /** Offset to stop before (a snapshot of the end offsets), per partition. */
  to: Map<number, number>;
}

/**
 * What the caller made of a batch: `applied` records were consumed (a prefix of the batch);
 * `stop` ends the partition early (e.g. past `--until`).
 */
export interface BatchVerdict {
  applied: number;
  stop: boolean;
}

/**
 * Reads a fixed range of a topic, each partition in order, handing over one batch of records at
 * a time, and resolves once every partition has reached its end (or was stopped). A consumer
 * group of its own, nothing committed: where to start is the caller's business (the target read
 * model's checkpoints).
 */
export async function readLogRange(
  kafka: Kafka,
  topic: string,
  range: LogRange,
  onBatch: (partition: number, messages: KafkaMessage[]) => Promise<BatchVerdict>,
): Promise<void> {
  const pending = new Set([...range.to].filter(([p, end]) => (range.from.get(p) ?? 0) < end).map(([p]) => p));
  if (pending.size === 0) return;
  const consumer = kafka.consumer({
    groupId: `sediment-replay-${randomUUID()}`,
    allowAutoTopicCreation: false,
    maxWaitTimeInMs: 100,
    // Large fetches make large batches, which the store writes in a few round trips each.
    maxBytesPerPartition: 8 * 1024 * 1024,
    maxBytes: 32 * 1024 * 1024,
    // A slow database makes long batches; a lost session only means rejoining (the group has no
    // other member) and seeking back to `next`.
    sessionTimeout: 60_000,
    heartbeatInterval: 3_000,
  });
  /** The next offset to hand over, per partition: advanced only once a batch is applied. */
  const next = new Map(range.from);
  let finish!: () => void;
  let fail!: (error: unknown) => void;
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const complete = (partition: number) => {
    pending.delete(partition);
    consumer.pause([{ topic, partitions: [partition] }]);
    if (pending.size === 0) finish();
  };
  const seekAll = () => {
    for (const partition of pending) consumer.seek({ topic, partition, offset: String(next.get(partition) ?? 0) });
  };
  try {
    consumer.on(consumer.events.GROUP_JOIN, seekAll);
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) fail(payload.error);
    });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 4,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        const partition = batch.partition;
        if (!pending.has(partition) || !isRunning() || isStale()) return;
        const start = next.get(partition) ?? 0;
        const end = range.to.get(partition) ?? 0;
        const messages = batch.messages.filter((m) => Number(m.offset) >= start && Number(m.offset) < end);
        try {
          const verdict = messages.length > 0 ? await onBatch(partition, messages) : { applied: 0, stop: false };
          const last = messages[verdict.applied - 1];
          if (last) {
            next.set(partition, Number(last.offset) + 1);
            resolveOffset(last.offset);
          }
          if (verdict.stop || (next.get(partition) ?? 0) >= end) complete(partition);
          await heartbeat();
        } catch (error) {
          // Losing the group session is recoverable: kafkajs rejoins and GROUP_JOIN seeks to `next`.
          const type = (error as { type?: string }).type;
          if (type !== 'UNKNOWN_MEMBER_ID' && type !== 'REBALANCE_IN_PROGRESS' && type !== 'ILLEGAL_GENERATION') fail(error);
          throw error;
        }
      },
    });
    seekAll();
    await done;
  } finally {
    await consumer.disconnect().catch(() => undefined);
  }
}
