import { randomUUID } from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';

export interface LogRange {
  /** First offset to read, per partition. */
  from: Map<number, number>;
  /** Offset to stop before (a snapshot of the end offsets), per partition. */
  to: Map<number, number>;
}

/** What to do after a record: go on, or stop reading this partition (e.g. past `--until`). */
export type RecordVerdict = 'continue' | 'stop-partition';

/**
 * Reads a fixed range of a topic, each partition in order, and resolves once every partition has
 * reached its end (or was stopped). A consumer group of its own, nothing committed: where to
 * start is the caller's business (the target read model's checkpoints).
 */
export async function readLogRange(
  kafka: Kafka,
  topic: string,
  range: LogRange,
  onRecord: (partition: number, message: KafkaMessage) => Promise<RecordVerdict>,
  onBatchEnd: (partition: number) => Promise<void>,
): Promise<void> {
  const pending = new Set([...range.to].filter(([p, end]) => (range.from.get(p) ?? 0) < end).map(([p]) => p));
  if (pending.size === 0) return;
  const consumer = kafka.consumer({
    groupId: `sediment-replay-${randomUUID()}`,
    allowAutoTopicCreation: false,
    maxWaitTimeInMs: 100,
    // A slow database makes long batches; heartbeats go out between records, and a lost session
    // only means rejoining (the group has no other member) and seeking back to `next`.
    sessionTimeout: 60_000,
    heartbeatInterval: 3_000,
  });
  /** The next offset to hand to onRecord, per partition: where a rejoin seeks to. */
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
        const end = range.to.get(partition) ?? 0;
        try {
          for (const message of batch.messages) {
            if (!pending.has(partition) || !isRunning() || isStale()) break;
            const offset = Number(message.offset);
            if (offset < (next.get(partition) ?? 0)) continue; // redelivered after a rejoin
            if (offset >= end) {
              complete(partition);
              break;
            }
            const verdict = await onRecord(partition, message);
            next.set(partition, offset + 1);
            resolveOffset(message.offset);
            await heartbeat();
            if (verdict === 'stop-partition' || offset + 1 >= end) complete(partition);
          }
          await onBatchEnd(partition);
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
