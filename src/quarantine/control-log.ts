import { isCoordinatorWarmingUp } from '../messaging/kafka-log.js';
import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { Admin, Consumer, Kafka, KafkaMessage } from 'kafkajs';
import { PoisonEventError } from '../event-log/event-envelope.js';
import { readLogRange } from '../messaging/bounded-log.reader.js';
import { decodeControlRecord } from './quarantine.events.js';
import { QuarantineList } from './quarantine-list.js';

const logger = new Logger('control');

/** Adds the decisions among `messages` to `list`; a record that is no decision is reported and ignored. */
function addDecisions(list: QuarantineList, partition: number, messages: KafkaMessage[]): void {
  for (const message of messages) {
    try {
      list.add(decodeControlRecord(message.value, { partition, offset: Number(message.offset) }));
    } catch (error) {
      if (!(error instanceof PoisonEventError)) throw error;
      // Every reader ignores it alike (live, replay, CLI), so they still agree on what is decided.
      logger.warn(`ignored a control record that is no decision: ${error.message}`);
    }
  }
}

/** The control topic's end offset (0 when it does not exist yet: nothing was ever decided). */
async function controlEnd(admin: Admin, topic: string): Promise<number> {
  if (!(await admin.listTopics()).includes(topic)) return 0;
  const offsets = await admin.fetchTopicOffsets(topic);
  return Number(offsets.find((o) => o.partition === 0)?.high ?? 0);
}

/** Every decision on the control topic as it is now: what a replay or an operator command reads first. */
export async function readDecisions(kafka: Kafka, admin: Admin, topic: string): Promise<QuarantineList> {
  const list = new QuarantineList();
  const end = await controlEnd(admin, topic);
  if (end === 0) return list;
  await readLogRange(kafka, topic, { from: new Map([[0, 0]]), to: new Map([[0, end]]) }, async (partition, messages) => {
    addDecisions(list, partition, messages);
    return { applied: messages.length, stop: false };
  });
  return list;
}

/**
 * The live service's view of the control topic: reads it from the start, resolves `start()`
 * once it has every decision that was there at boot (so the projections skip a quarantined
 * record instead of stopping on it first), then keeps adding the decisions operators record
 * while the service runs.
 */
export class ControlFollower {
  readonly decisions = new QuarantineList();
  private readonly consumer: Consumer;
  private stopped = false;
  private readonly stopSignal: Promise<void>;
  private signalStop!: () => void;

  constructor(
    kafka: Kafka,
    private readonly admin: Admin,
    private readonly topic: string,
    groupId: string,
  ) {
    this.consumer = kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 250,
      sessionTimeout: 10000,
      heartbeatInterval: 1000,
    });
    this.stopSignal = new Promise<void>((resolve) => (this.signalStop = resolve));
  }

  async start(): Promise<void> {
    const end = await controlEnd(this.admin, this.topic);
    let next = 0;
    let caughtUp!: () => void;
    let failed!: (error: Error) => void;
    const ready = new Promise<void>((resolve, reject) => {
      caughtUp = resolve;
      failed = reject;
    });
    if (end === 0) caughtUp();
    // Our own group and nothing committed: where to read is ours to say after every (re)join.
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => this.consumer.seek({ topic: this.topic, partition: 0, offset: String(next) }));
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      logger[payload.restart && isCoordinatorWarmingUp(payload.error) ? 'debug' : 'warn'](
        `control consumer crashed (restart: ${payload.restart}): ${payload.error.message}`,
      );
      if (!payload.restart) failed(payload.error);
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        addDecisions(this.decisions, batch.partition, batch.messages);
        const last = batch.messages[batch.messages.length - 1];
        if (last) next = Number(last.offset) + 1;
        if (next >= end) caughtUp();
      },
    });
    // A boot that failed elsewhere meanwhile stopped us during connect: stop what connect left running.
    if (this.stopped) await this.consumer.disconnect();
    await Promise.race([ready, this.stopSignal]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.signalStop();
    await this.consumer.disconnect();
  }

  /** Nest calls this on shutdown (a failed boot closes it through OPENED_RESOURCES instead). */
  onApplicationShutdown(): Promise<void> {
    return this.stop();
  }
}

export function controlGroupId(clientId: string, database: string): string {
  return `${clientId}.control.${database}.${randomUUID()}`;
}
