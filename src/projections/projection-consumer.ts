import { Logger } from '@nestjs/common';
import { isCoordinatorWarmingUp } from '../messaging/kafka-log.js';
import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import { decodeRecord, type LogPosition, type RecordedEvent } from '../event-log/event-envelope.js';
import { clip, describeStop, type ProjectionProgress } from './projection-progress.js';
import { decisionMatches, type QuarantineDecision, type QuarantineList } from '../quarantine/quarantine-list.js';
import { rawRecord, type RawRecord } from '../quarantine/quarantined-events.store.js';
import { ApplyFailures, DEFAULT_RETRY_POLICY, type FailureVerdict, type RetryPolicy } from '../messaging/apply-failures.js';

export interface ProjectionHandler<R = RecordedEvent> {
  readonly name: string;
  /** Loads the projection's checkpoints (last applied offset per partition). */
  start(): Promise<Map<number, number>>;
  apply(recorded: R): Promise<void>;
  /**
   * Applies consecutive records of one partition at once, with the outcome of applying them one
   * by one (the bucket projection batches its writes). Optional; a failure is retried one by one,
   * which finds the record at fault.
   */
  applyBatch?(records: R[]): Promise<void>;
  /** Passes over a quarantined record: keeps its copy and counts its position as applied. */
  skip(record: RawRecord, decision: QuarantineDecision): Promise<void>;
  checkpoint(partition: number): Promise<void>;
  /** The next offset to consume for a partition: one past the last applied event. */
  resumeOffset(partition: number): number;
  /** Persists every pending checkpoint. */
  flush(): Promise<void>;
}

export interface ProjectionConsumerOptions<R> {
  topic: string;
  partitions: number;
  handler: ProjectionHandler<R>;
  /** Unique per start (see the class comment). */
  groupId: string;
  /** Where stopped partitions are reported, and waiters answered. */
  progress: ProjectionProgress;
  /** Turns a record into what the handler applies; throws PoisonEventError if it cannot. */
  decode?: (value: Buffer | null, position: LogPosition) => R;
  /** The operators' decisions: records at these positions are skipped, not applied. */
  quarantine?: QuarantineList;
  retry?: RetryPolicy;
}

/**
 * Runs one projection as a Kafka consumer group. The read model's own checkpoints, not Kafka's
 * committed offsets, decide where consumption resumes, so a rebuilt or restored database is
 * always fed from the right place. That is also why each process joins a group of its own
 * (the caller makes the id unique per start): joining never waits for the session of a
 * predecessor that was killed, and nothing is committed to Kafka.
 *
 * A record that cannot be applied stops its partition only (ADR 0011): the partition is paused
 * on it, retried with backoff while the failure may be passing, then reported as stopped; the
 * other partitions go on. Skipping it unasked would silently corrupt the read model, so only an
 * operator's quarantine decision gets the partition past it, without a restart.
 */
export class ProjectionConsumer<R = RecordedEvent> {
  private readonly logger: Logger;
  private readonly consumer: Consumer;
  private readonly topic: string;
  private readonly handler: ProjectionHandler<R>;
  private readonly progress: ProjectionProgress;
  private readonly decode: (value: Buffer | null, position: LogPosition) => R;
  private readonly failures: ApplyFailures;
  /** Partitions paused on a record that failed, and the timer that tries it again (if any). */
  private readonly held = new Map<number, { offset: number; timer: NodeJS.Timeout | null }>();
  private stopListening: () => void = () => undefined;

  constructor(
    kafka: Kafka,
    private readonly options: ProjectionConsumerOptions<R>,
  ) {
    this.topic = options.topic;
    this.handler = options.handler;
    this.progress = options.progress;
    this.decode = options.decode ?? (decodeRecord as unknown as (value: Buffer | null, position: LogPosition) => R);
    this.failures = new ApplyFailures(options.retry ?? DEFAULT_RETRY_POLICY);
    this.logger = new Logger(`projection:${options.handler.name}`);
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      allowAutoTopicCreation: false,
      readUncommitted: false,
      maxWaitTimeInMs: 250,
      // Nobody else is in this process's group, so a short session only bounds how long a
      // replaced member of our own (after a consumer restart) can stall a rejoin.
      sessionTimeout: 10000,
      heartbeatInterval: 1000,
    });
  }

  async start(): Promise<void> {
    await this.handler.start();
    this.stopListening = this.options.quarantine?.onDecision((decision) => this.onDecision(decision)) ?? this.stopListening;
    // kafkajs restarts a crashed consumer and rejoins with a fresh group state: resume from what
    // was applied, not from the beginning of the topic, and keep held partitions paused.
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => {
      this.seekToApplied();
      if (this.held.size > 0) this.consumer.pause([{ topic: this.topic, partitions: [...this.held.keys()] }]);
    });
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      // A coordinator still loading on a fresh broker is expected at boot, and kafkajs rejoins.
      const log = payload.restart && isCoordinatorWarmingUp(payload.error) ? 'debug' : 'warn';
      this.logger[log](`consumer crashed (restart: ${payload.restart}): ${payload.error.message}`);
      // Not restarted: nothing is applied any more, which /health and every write must say.
      if (!payload.restart) this.progress.stop(payload.error);
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: Math.min(this.options.partitions, 4),
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        // A batch fetched before its partition was held: its first record is the one that failed.
        if (this.held.has(batch.partition)) return;
        const partition = batch.partition;
        /** Decoded records not yet applied: applied together, up to a record that needs its own turn. */
        let run: Array<{ message: KafkaMessage; recorded: R }> = [];
        const applyRun = async (): Promise<boolean> => {
          const records = run;
          run = [];
          if (records.length === 0) return true;
          if (this.handler.applyBatch && records.length > 1 && (await this.appliedTogether(partition, records))) {
            resolveOffset(records[records.length - 1]!.message.offset);
            await heartbeat();
            return true;
          }
          for (const { message } of records) {
            if (!(await this.applyOne(partition, message))) return false;
            resolveOffset(message.offset);
            // kafkajs heartbeats only when asked (at most once per heartbeatInterval): a long
            // batch applied one by one must not outlast the session and get this member evicted,
            // which would apply it all again after the rejoin.
            await heartbeat();
          }
          return true;
        };
        let going = true;
        for (const message of batch.messages) {
          if (!isRunning() || isStale()) {
            going = false;
            break;
          }
          const position = { partition, offset: Number(message.offset) };
          const recorded = this.quarantined(position, message.value) ? undefined : this.decodeQuietly(message.value, position);
          if (recorded !== undefined) {
            run.push({ message, recorded });
            continue;
          }
          // A quarantined record, or one that does not decode (applyOne says why): on its own.
          if (!(await applyRun()) || !(await this.applyOne(partition, message))) {
            going = false;
            break;
          }
          resolveOffset(message.offset);
          await heartbeat();
        }
        if (going) await applyRun();
        await heartbeat();
        await this.handler.checkpoint(partition);
      },
    });
    // A first join that failed (a coordinator still loading) leaves the consumer restarting, and
    // seeking throws until it has joined; the GROUP_JOIN handler seeks then.
    try {
      this.seekToApplied();
    } catch (error) {
      this.logger.debug(`seek deferred to the next group join: ${(error as Error).message}`);
    }
  }

  private decodeQuietly(value: Buffer | null, position: LogPosition): R | undefined {
    try {
      return this.decode(value, position);
    } catch {
      return undefined;
    }
  }

  /** Applies a run of records in one batch; false when that failed (they are then tried one by one). */
  private async appliedTogether(partition: number, records: Array<{ message: KafkaMessage; recorded: R }>): Promise<boolean> {
    try {
      await this.handler.applyBatch!(records.map((r) => r.recorded));
    } catch (error) {
      this.logger.debug(`a batch of ${records.length} records of partition ${partition} failed, applying them one by one: ${(error as Error).message}`);
      return false;
    }
    this.applied(partition, Number(records[records.length - 1]!.message.offset));
    return true;
  }

  /** Applies (or skips, if quarantined) one record; false when its partition is now held on it. */
  private async applyOne(partition: number, message: KafkaMessage): Promise<boolean> {
    const position = { partition, offset: Number(message.offset) };
    try {
      const decision = this.quarantined(position, message.value);
      if (decision) {
        await this.handler.skip(rawRecord(this.topic, partition, message), decision);
        this.logger.log(
          `skipped partition ${partition} offset ${position.offset}: quarantined by decision ${decision.decisionId} ` +
            `(${clip(decision.reason)}); the record stays in the log and a copy is in quarantined_events`,
        );
      } else {
        await this.handler.apply(this.decode(message.value, position));
      }
    } catch (error) {
      const verdict = this.failures.record(partition, position.offset, error);
      if (verdict.kind === 'transient') throw error; // kafkajs retries the batch, forever
      this.hold(position, verdict);
      return false;
    }
    this.applied(partition, position.offset);
    return true;
  }

  /** The partition is past `offset`: a stop on a record before it is over. */
  private applied(partition: number, offset: number): void {
    this.failures.clear(partition);
    if (this.progress.stoppedAt(partition)) {
      this.progress.resume(partition);
      this.logger.log(`partition ${partition} of ${this.topic} is past offset ${offset} and runs again`);
    }
  }

  private quarantined(position: LogPosition, value: Buffer | null): QuarantineDecision | undefined {
    const decision = this.options.quarantine?.find(this.topic, position.partition, position.offset);
    if (!decision || decisionMatches(decision, value)) return decision;
    this.logger.error(
      `decision ${decision.decisionId} quarantines partition ${position.partition} offset ${position.offset} of ${this.topic}, ` +
        'but the record there is not the one it names (its value has another SHA-256): it is applied as any other',
    );
    return undefined;
  }

  /** Pauses the partition on its failed record; tries it again later unless it cannot change. */
  private hold(position: LogPosition, verdict: Exclude<FailureVerdict, { kind: 'transient' }>): void {
    const { partition, offset } = position;
    this.consumer.pause([{ topic: this.topic, partitions: [partition] }]);
    const previous = this.held.get(partition);
    if (previous?.timer) clearTimeout(previous.timer);
    const delay = verdict.kind === 'retry' ? verdict.delayMs : verdict.retryInMs;
    const timer = delay === undefined ? null : setTimeout(() => this.release(partition), delay);
    timer?.unref();
    this.held.set(partition, { offset, timer });
    if (verdict.kind !== 'poison' || this.progress.stoppedAt(partition)) return;
    const stop = { topic: this.topic, partition, offset, reason: verdict.reason, since: new Date() };
    this.progress.halt(stop);
    this.logger.error(`stopped on a poison event: ${describeStop(stop)}`);
  }

  private release(partition: number): void {
    const held = this.held.get(partition);
    if (!held) return;
    if (held.timer) clearTimeout(held.timer);
    this.held.delete(partition);
    this.consumer.resume([{ topic: this.topic, partitions: [partition] }]);
  }

  /** A decision about the record a partition is held on lets it go at once. */
  private onDecision(decision: QuarantineDecision): void {
    if (decision.topic === this.topic && this.held.get(decision.partition)?.offset === decision.offset) this.release(decision.partition);
  }

  private seekToApplied(): void {
    for (let partition = 0; partition < this.options.partitions; partition++) {
      this.consumer.seek({ topic: this.topic, partition, offset: String(this.handler.resumeOffset(partition)) });
    }
  }

  async stop(): Promise<void> {
    this.stopListening();
    for (const { timer } of this.held.values()) if (timer) clearTimeout(timer);
    await this.consumer.disconnect();
    await this.handler.flush();
  }
}
