import type { KafkaMessage } from 'kafkajs';
import { Binary, type Collection, type Db } from 'mongodb';
import { recordSubject } from './quarantine.events.js';
import type { QuarantineDecision } from './quarantine-list.js';

export const QUARANTINED_EVENTS = 'quarantined_events';

/** A Kafka record exactly as it is in the log. */
export interface RawRecord {
  topic: string;
  partition: number;
  offset: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: Array<{ name: string; value: Buffer }>;
  /** The record's timestamp (milliseconds since the epoch, as text, as Kafka gives it). */
  timestamp: string;
}

/** A record as kafkajs hands it over, every header value as bytes. */
export function rawRecord(topic: string, partition: number, message: KafkaMessage): RawRecord {
  const headers = Object.entries(message.headers ?? {}).flatMap(([name, value]) =>
    (Array.isArray(value) ? value : value === undefined ? [] : [value]).map((v) => ({ name, value: Buffer.from(v) })),
  );
  return { topic, partition, offset: Number(message.offset), key: message.key, value: message.value, headers, timestamp: message.timestamp };
}

/**
 * A quarantined record, kept in the read model so an operator can look at it and re-apply it by
 * hand. Bytes are stored as BSON binary, never as strings: the record is quarantined precisely
 * because something in it may not be storable as text (a NUL, invalid UTF-8).
 */
export interface QuarantinedEventDocument {
  _id: string;
  topic: string;
  partition: number;
  offset: number;
  key: Binary | null;
  value: Binary | null;
  headers: Array<{ name: Binary; value: Binary }>;
  timestamp: string;
  reason: string;
  decisionId: string;
  decidedAt: string;
  controlOffset: number;
}

export function quarantinedDocument(record: RawRecord, decision: QuarantineDecision): QuarantinedEventDocument {
  const bytes = (buffer: Buffer) => new Binary(buffer);
  return {
    _id: recordSubject(record.topic, record.partition, record.offset),
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    key: record.key === null ? null : bytes(record.key),
    value: record.value === null ? null : bytes(record.value),
    headers: record.headers.map((h) => ({ name: bytes(Buffer.from(h.name, 'utf8')), value: bytes(h.value) })),
    timestamp: record.timestamp,
    reason: decision.reason,
    decisionId: decision.decisionId,
    decidedAt: decision.decidedAt,
    controlOffset: decision.controlOffset,
  };
}

/** Where a projection keeps the copy of a record it skips. */
export interface QuarantineSink {
  keep(record: RawRecord, decision: QuarantineDecision): Promise<void>;
}

/** For projectors built without a place to keep copies: skipping would lose the record. */
export const NO_QUARANTINE_SINK: QuarantineSink = {
  keep: () => Promise.reject(new Error('this projector has nowhere to keep a quarantined record')),
};

/** The `quarantined_events` collection of one read-model database. */
export class QuarantinedEvents implements QuarantineSink {
  private readonly collection: Collection<QuarantinedEventDocument>;

  constructor(db: Db) {
    this.collection = db.collection<QuarantinedEventDocument>(QUARANTINED_EVENTS);
  }

  /** Idempotent: keeping the same record twice (a retried batch, a replay) writes the same document. */
  async keep(record: RawRecord, decision: QuarantineDecision): Promise<void> {
    const doc = quarantinedDocument(record, decision);
    await this.collection.replaceOne({ _id: doc._id }, doc, { upsert: true });
  }

  find(topic: string, partition: number, offset: number): Promise<QuarantinedEventDocument | null> {
    return this.collection.findOne({ _id: recordSubject(topic, partition, offset) });
  }
}
