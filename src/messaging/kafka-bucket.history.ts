import type { Kafka } from 'kafkajs';
import { BucketHistory, type BucketLogWindow } from '../event-log/bucket-history.port.js';
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
    const end = (await this.log.endOffsets()).get(partition) ?? 0;
    const to = Math.min(before ?? end, end);
    const from = Math.max(0, to - maxRecords);
    const events: RecordedEvent[] = [];
    await readLogRange(this.kafka, this.topic, { from: new Map([[partition, from]]), to: new Map([[partition, to]]) }, async (p, messages) => {
      for (const message of messages) {
        try {
          const recorded = decodeRecord(message.value, { partition: p, offset: Number(message.offset) });
          if (recorded.envelope.bucket === bucket) events.push(recorded);
        } catch (error) {
          if (!(error instanceof PoisonEventError)) throw error;
        }
      }
      return { applied: messages.length, stop: false };
    });
    return { partition, from, to, events };
  }
}
