import { createHash } from 'node:crypto';
import type { EventEnvelope, LogPosition, RecordedEvent } from '../../src/event-log/event-envelope.js';
import { decodeRecord, encodeEnvelope } from '../../src/event-log/event-envelope.js';
import { EventLog } from '../../src/event-log/event-log.port.js';

/**
 * Unit-test double of the log: partitions by a hash of the bucket and hands each appended record,
 * encoded and decoded like Kafka's, to a subscriber on a later tick, as a consumer would.
 */
export class InMemoryEventLog extends EventLog {
  readonly partitions: string[][];
  private subscriber: ((recorded: RecordedEvent) => Promise<void>) | null = null;
  private delivery: Promise<void> = Promise.resolve();

  constructor(partitionCount = 4) {
    super();
    this.partitions = Array.from({ length: partitionCount }, () => []);
  }

  subscribe(handler: (recorded: RecordedEvent) => Promise<void>): void {
    this.subscriber = handler;
  }

  partitionOf(bucket: string): number {
    return createHash('md5').update(bucket).digest().readUInt32BE(0) % this.partitions.length;
  }

  async append(bucket: string, envelopes: EventEnvelope[]): Promise<LogPosition[]> {
    const partition = this.partitionOf(bucket);
    const positions = envelopes.map((env) => {
      const log = this.partitions[partition]!;
      log.push(encodeEnvelope(env).value);
      return { partition, offset: log.length - 1 };
    });
    for (const position of positions) {
      const value = this.partitions[position.partition]![position.offset]!;
      this.delivery = this.delivery.then(async () => {
        await new Promise((resolve) => setImmediate(resolve));
        await this.subscriber?.(decodeRecord(value, position));
      });
    }
    return positions;
  }

  async endOffsets(): Promise<Map<number, number>> {
    return new Map(this.partitions.map((log, partition) => [partition, log.length]));
  }

  /** Every record in log order per partition, decoded. */
  all(): RecordedEvent[] {
    return this.partitions.flatMap((log, partition) => log.map((value, offset) => decodeRecord(value, { partition, offset })));
  }
}
