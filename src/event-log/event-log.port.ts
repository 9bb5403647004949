import type { EventEnvelope, LogPosition } from './event-envelope.js';

/** The one way the write side reaches the log. Kafka sits behind it (kafkajs is unmaintained). */
export abstract class EventLog {
  /** Appends a bucket's events in order, durably (acks=all); resolves with their positions. */
  abstract append(bucket: string, envelopes: EventEnvelope[]): Promise<LogPosition[]>;
  /** The partition every event of this bucket goes to. */
  abstract partitionOf(bucket: string): number;
  /** The next offset to be written, per partition (Kafka's high watermark). */
  abstract endOffsets(): Promise<Map<number, number>>;
}
