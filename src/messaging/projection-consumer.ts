import { Logger } from '@nestjs/common';
import type { Consumer, Kafka } from 'kafkajs';
import { decodeRecord, PoisonEventError, type LogPosition, type RecordedEvent } from '../event-log/event-envelope.js';

export interface ProjectionHandler<R = RecordedEvent> {
  readonly name: string;
  /** Loads the projection's checkpoints (last applied offset per partition). */
  start(): Promise<Map<number, number>>;
  apply(recorded: R): Promise<void>;
  checkpoint(partition: number): Promise<void>;
  /** The next offset to consume for a partition: one past the last applied event. */
  resumeOffset(partition: number): number;
  /** Persists every pending checkpoint. */
  flush(): Promise<void>;
}

/**
 * Runs one projection as a Kafka consumer group. The read model's own checkpoints, not Kafka's
 * committed offsets, decide where consumption resumes, so a rebuilt or restored database is
 * always fed from the right place. That is also why each process joins a group of its own
 * (the caller makes the id unique per start): joining never waits for the session of a
 * predecessor that was killed, and nothing is committed to Kafka. A poison event stops the
 * projection: skipping it would silently corrupt the read model.
 */
export class ProjectionConsumer<R = RecordedEvent> {
  private readonly logger: Logger;
  private readonly consumer: Consumer;
  private stopped: Error | null = null;

  constructor(
    kafka: Kafka,
    private readonly topic: string,
    private readonly partitions: number,
    private readonly handler: ProjectionHandler<R>,
    groupId: string,
    private readonly onStop: (error: Error) => void,
    /** Turns a record into what the handler applies; throws PoisonEventError if it cannot. */
    private readonly decode: (value: Buffer | null, position: LogPosition) => R = decodeRecord as unknown as (
      value: Buffer | null,
      position: LogPosition,
    ) => R,
  ) {
    this.logger = new Logger(`projection:${handler.name}`);
    this.consumer = kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      readUncommitted: false,
      maxWaitTimeInMs: 250,
      // Nobody else is in this process's group, so a short session only bounds how long a
      // replaced member of our own (after a consumer restart) can stall a rejoin.
      sessionTimeout: 10000,
      heartbeatInterval: 1000,
    });
  }

  get failure(): Error | null {
    return this.stopped;
  }

  async start(): Promise<void> {
    await this.handler.start();
    // kafkajs restarts a crashed consumer and rejoins; resume from what was applied, not from
    // the beginning of the topic.
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => this.seekToApplied());
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) =>
      this.logger.warn(`consumer crashed (restart: ${payload.restart}): ${payload.error.message}`),
    );
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: Math.min(this.partitions, 4),
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        for (const message of batch.messages) {
          if (!isRunning() || isStale()) break;
          const position = { partition: batch.partition, offset: Number(message.offset) };
          try {
            await this.handler.apply(this.decode(message.value, position));
          } catch (error) {
            if (error instanceof PoisonEventError) return this.halt(error);
            throw error; // transient (e.g. database down): kafkajs retries the batch
          }
          resolveOffset(message.offset);
          await heartbeat();
        }
        await this.handler.checkpoint(batch.partition);
      },
    });
    this.seekToApplied();
  }

  private seekToApplied(): void {
    for (let partition = 0; partition < this.partitions; partition++) {
      this.consumer.seek({ topic: this.topic, partition, offset: String(this.handler.resumeOffset(partition)) });
    }
  }

  private async halt(error: PoisonEventError): Promise<void> {
    this.stopped = error;
    const { partition, offset } = error.position;
    this.logger.error(
      `stopped on a poison event of topic ${this.topic}: ${error.message}. Nothing after it is applied and writes ` +
        `answer 503 until it is dealt with; see it with: sediment inspect-event --topic ${this.topic} --partition ${partition} --offset ${offset}`,
    );
    this.onStop(error);
    // Stopping from inside eachBatch would deadlock on itself; let the batch return first.
    setImmediate(() => void this.consumer.stop().catch(() => undefined));
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
    if (!this.stopped) await this.handler.flush();
  }
}
