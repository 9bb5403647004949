import type { Kafka } from 'kafkajs';
import { BucketHistory, type BucketLogPrefix, type BucketLogWindow } from '../event-log/bucket-history.port.js';
import { decodeRecord, PoisonEventError, type RecordedEvent } from '../event-log/event-envelope.js';
import type { EventLog } from '../event-log/event-log.port.js';
import { readLogRange } from './bounded-log.reader.js';

/**
 * The bucket's events read from Kafka, a bounded window of its partition at a time: the cost of a
 * call is at most `maxRecords` records, whatever the log's length. A record that cannot be decoded
 * is left out here; stopping on it is the projection's business, not a viewer's.
 */
export class KafkaBucketHistory extends BucketHistory {
  constructor(
    private readonly kafka: Kafka,
    private readonly topic: string,
    private readonly log: EventLog,
  ) {
    super();
  }

  async readBefore(bucket: string, before: number | undefined, maxRecords: number): Promise<BucketLogWindow> {
    const partition = this.log.partitionOf(bucket);
    const end = await this.endOf(partition);
    const to = Math.min(before ?? end, end);
    const from = Math.max(0, to - maxRecords);
    const { events } = await this.read(bucket, partition, from, to, () => false);
    return { partition, from, to, events };
  }

  async readFromStart(bucket: string, stop: (event: RecordedEvent) => boolean, maxRecords: number): Promise<BucketLogPrefix> {
    const partition = this.log.partitionOf(bucket);
    const end = await this.endOf(partition);
    const to = Math.min(end, maxRecords);
    const { events, stopped } = await this.read(bucket, partition, 0, to, stop);
    return { partition, events, complete: stopped || to === end };
  }

  private async endOf(partition: number): Promise<number> {
    return (await this.log.endOffsets()).get(partition) ?? 0;
  }

  /** The bucket's events among the records [from, to) of the partition, until `stop` holds for one. */
  private async read(bucket: string, partition: number, from: number, to: number, stop: (event: RecordedEvent) => boolean) {
    const events: RecordedEvent[] = [];
    let stopped = false;
    await readLogRange(this.kafka, this.topic, { from: new Map([[partition, from]]), to: new Map([[partition, to]]) }, async (p, messages) => {
      for (const [i, message] of messages.entries()) {
        let recorded: RecordedEvent;
        try {
          recorded = decodeRecord(message.value, { partition: p, offset: Number(message.offset) });
        } catch (error) {
          if (!(error instanceof PoisonEventError)) throw error;
          continue;
        }
        if (recorded.envelope.bucket !== bucket) continue;
        if (stop(recorded)) {
          stopped = true;
          return { applied: i + 1, stop: true };
        }
        events.push(recorded);
      }
      return { applied: messages.length, stop: false };
    });
    return { events, stopped };
  }
}
