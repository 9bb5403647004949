import { isCoordinatorWarmingUp } from '../messaging/kafka-log.js';
import { Logger } from '@nestjs/common';
import kafkajs, { type Admin, type Consumer, type EachBatchPayload, type Kafka, type Producer } from 'kafkajs';
import { decodeRecord, PoisonEventError } from '../event-log/event-envelope.js';
import { decisionMatches, type QuarantineDecision, type QuarantineList } from '../quarantine/quarantine-list.js';
import type { NotificationDestinations } from './notification-destinations.js';
import { copyCursor, relayStep, type OutgoingNotification, type RelayCursor } from './notification-relay.state.js';
import type { RelayStateStore } from './notification-relay.store.js';

// Node's ESM loader cannot see kafkajs's CommonJS exports as named ones (ADR 0004).
const { CompressionTypes, Partitioners } = kafkajs;

export interface NotificationRelayOptions {
  /** The bucket topic. */
  topic: string;
  partitions: number;
  /** One stable group per bucket topic: its committed offsets say what has been delivered. */
  groupId: string;
  /** Records operators quarantined (ADR 0011): passed over, as the projections do. */
  quarantine?: QuarantineList;
}

/** Produce in pieces well under a record batch's limit (the broker's default is 1 MiB). */
const MAX_PENDING_BYTES = 256 * 1024;
/** Snapshots are a restart shortcut: saving one per batch would double the database's writes. */
const SNAPSHOT_INTERVAL_MS = 1000;

/**
 * Publishes S3 event messages for object events to the Kafka topics that bucket notification
 * configurations name. It reads the bucket topic in its own consumer group and folds each
 * bucket's configuration from the log itself, in partition order, so an event is notified iff
 * the configuration in force at its position matches it.
 *
 * At-least-once: a batch's messages are produced (idempotent producer, acks=all) before its
 * offset is committed to Kafka, so a crash or a failed send repeats messages, never skips
 * them; a slow or unreachable broker holds the batch (back-pressure), and the batch is retried
 * from the state before it.
 *
 * Restarts: the committed offset says what was delivered; a snapshot in MongoDB (a position
 * and the buckets folded up to it, one atomic document per partition) says where to resume the
 * fold. The relay reads on from the snapshot and stays quiet below the committed offset. A
 * snapshot is only a shortcut, correct at any age, so it is saved at most once a second and
 * on stop; without one (a dropped or new database) the fold starts at offset 0. Either way
 * nothing is lost, and nothing delivered before a graceful stop is sent again.
 */
export class NotificationRelay {
  private readonly logger = new Logger('notifications');
  private readonly consumer: Consumer;
  private readonly producer: Producer;
  private readonly cursors = new Map<number, RelayCursor>();
  /** Destination topics known to exist, so that each is checked once per run, not per message. */
  private readonly ensured = new Set<string>();
  private readonly savedAt = new Map<number, { next: number; at: number }>();
  /** Partitions paused on a poison record, by the offset of that record. */
  private readonly held = new Map<number, number>();
  private stopListening: () => void = () => undefined;

  constructor(
    kafka: Kafka,
    private readonly admin: Admin,
    private readonly store: RelayStateStore,
    private readonly destinations: NotificationDestinations,
    private readonly options: NotificationRelayOptions,
  ) {
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      allowAutoTopicCreation: false,
      readUncommitted: false,
      maxWaitTimeInMs: 250,
      sessionTimeout: 10000,
      heartbeatInterval: 1000,
    });
    // Java's murmur2 partitioner, like the event log's: a key lands where other clients expect it.
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  async start(): Promise<void> {
    await this.loadCursors();
    await this.producer.connect();
    this.stopListening = this.options.quarantine?.onDecision((decision) => this.onDecision(decision)) ?? this.stopListening;
    // Where to read is ours to say, not the group's: after every (re)join, seek to the cursors
    // (and a rejoin starts with nothing paused: pause the held partitions again).
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => {
      this.seekToCursors();
      if (this.held.size > 0) this.consumer.pause([{ topic: this.options.topic, partitions: [...this.held.keys()] }]);
    });
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) =>
      this.logger[payload.restart && isCoordinatorWarmingUp(payload.error) ? 'debug' : 'warn'](
        `consumer crashed (restart: ${payload.restart}): ${payload.error.message}`,
      ),
    );
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.options.topic, fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: Math.min(this.options.partitions, 4),
      eachBatch: (payload) => this.relayBatch(payload),
    });
  }

  async stop(): Promise<void> {
    this.stopListening();
    await this.consumer.disconnect();
    try {
      for (const [partition, cursor] of this.cursors) await this.saveSnapshot(partition, cursor, true);
    } finally {
      await this.producer.disconnect();
    }
  }

  private async loadCursors(): Promise<void> {
    const { topic, partitions, groupId } = this.options;
    const snapshots = await this.store.load(topic);
    const [committed] = await this.admin.fetchOffsets({ groupId, topics: [topic] });
    const delivered = new Map((committed?.partitions ?? []).map((p) => [p.partition, Math.max(0, Number(p.offset))]));
    for (let partition = 0; partition < partitions; partition++) {
      const snapshot = snapshots.get(partition);
      const next = snapshot?.next ?? 0;
      if (snapshot) this.savedAt.set(partition, { next, at: Date.now() });
      const quietBelow = Math.max(next, delivered.get(partition) ?? 0);
      if (quietBelow > next) {
        this.logger.log(`partition ${partition}: folding offsets ${next}..${quietBelow - 1} again, already delivered`);
      }
      this.cursors.set(partition, { next, quietBelow, buckets: new Map((snapshot?.buckets ?? []).map((b) => [b.name, b])) });
    }
  }

  private seekToCursors(): void {
    for (const [partition, cursor] of this.cursors) {
      this.consumer.seek({ topic: this.options.topic, partition, offset: String(cursor.next) });
    }
  }

  /**
   * One batch of one partition, worked on a copy of its cursor: the copy replaces the cursor
   * only once everything it produced is acknowledged, so a failed batch is retried from exactly
   * the state before it.
   */
  private async relayBatch({ batch, resolveOffset, heartbeat, isRunning, isStale, commitOffsetsIfNecessary }: EachBatchPayload): Promise<void> {
    const { partition } = batch;
    // A batch fetched before its partition was held: its first record is the poison one.
    if (this.held.has(partition)) return;
    const cursor = this.cursors.get(partition);
    if (!cursor) throw new Error(`partition ${partition} of ${batch.topic} is unknown to the relay`);
    const work = copyCursor(cursor);
    let pending: OutgoingNotification[] = [];
    let pendingBytes = 0;
    let poison: PoisonEventError | undefined;
    for (const message of batch.messages) {
      if (!isRunning() || isStale()) break;
      const offset = Number(message.offset);
      const decision = this.options.quarantine?.find(this.options.topic, partition, offset);
      if (decision && decisionMatches(decision, message.value)) {
        // Quarantined: nothing to notify, nothing to fold.
        if (offset >= work.next) work.next = offset + 1;
        continue;
      }
      let produced: OutgoingNotification[];
      try {
        produced = relayStep(work, decodeRecord(message.value, { partition, offset: Number(message.offset) }));
      } catch (error) {
        if (!(error instanceof PoisonEventError)) throw error;
        poison = error; // deliver what came before it, then stop
        break;
      }
      pending.push(...produced);
      pendingBytes += produced.reduce((n, m) => n + m.key.length + m.value.length, 0);
      if (pendingBytes >= MAX_PENDING_BYTES) {
        await this.publish(pending);
        pending = [];
        pendingBytes = 0;
        await heartbeat();
      }
    }
    await this.publish(pending);
    if (work.next > cursor.next) {
      this.cursors.set(partition, work);
      resolveOffset(String(work.next - 1));
      await commitOffsetsIfNecessary({ topics: [{ topic: this.options.topic, partitions: [{ partition, offset: String(work.next) }] }] });
      // Only a restart shortcut: a database hiccup must not hold up delivery.
      await this.saveSnapshot(partition, work, false).catch((error: Error) =>
        this.logger.warn(`partition ${partition}: snapshot not saved (${error.message}); a restart re-reads a little more`),
      );
    }
    if (poison) this.hold(partition, poison);
  }

  /** Saves the partition's fold unless it is saved already, or (unless forced) was saved lately. */
  private async saveSnapshot(partition: number, cursor: RelayCursor, force: boolean): Promise<void> {
    const saved = this.savedAt.get(partition);
    if (saved && saved.next >= cursor.next) return;
    if (!force && saved && Date.now() - saved.at < SNAPSHOT_INTERVAL_MS) return;
    await this.store.save(this.options.topic, partition, { next: cursor.next, buckets: [...cursor.buckets.values()] });
    this.savedAt.set(partition, { next: cursor.next, at: Date.now() });
  }

  /** Produces in order and resolves once every record is acknowledged by all in-sync replicas. */
  private async publish(messages: OutgoingNotification[]): Promise<void> {
    if (messages.length === 0) return;
    const byTopic = new Map<string, OutgoingNotification[]>();
    for (const m of messages) {
      const list = byTopic.get(m.topic);
      if (list) list.push(m);
      else byTopic.set(m.topic, [m]);
    }
    const fresh = [...byTopic.keys()].filter((topic) => !this.ensured.has(topic));
    if (fresh.length > 0) {
      await this.destinations.ensure(fresh);
      fresh.forEach((topic) => this.ensured.add(topic));
    }
    try {
      await this.producer.sendBatch({
        acks: -1,
        compression: CompressionTypes.None,
        topicMessages: [...byTopic].map(([topic, list]) => ({
          topic,
          messages: list.map((m) => ({ key: m.key, value: m.value, headers: { 'content-type': 'application/json' } })),
        })),
      });
    } catch (error) {
      // Perhaps a topic was deleted meanwhile: check them all again on the retry.
      this.ensured.clear();
      throw error;
    }
  }

  /**
   * Skipping an event unasked could drop a notification or apply a wrong configuration: its
   * partition waits on it instead, until an operator quarantines it; the others go on.
   */
  private hold(partition: number, error: PoisonEventError): void {
    this.consumer.pause([{ topic: this.options.topic, partitions: [partition] }]);
    this.held.set(partition, error.position.offset);
    this.logger.error(`partition ${partition} stopped on a poison event until it is quarantined: ${error.message}`);
  }

  private onDecision(decision: QuarantineDecision): void {
    if (decision.topic !== this.options.topic || this.held.get(decision.partition) !== decision.offset) return;
    this.held.delete(decision.partition);
    this.consumer.resume([{ topic: this.options.topic, partitions: [decision.partition] }]);
  }
}
