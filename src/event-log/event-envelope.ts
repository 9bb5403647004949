import type { SedimentEvent, SedimentEventType } from './sediment-event.js';
import { EVENT_SCHEMA_VERSIONS, SEDIMENT_EVENT_TYPES } from './sediment-event.js';

/** Who caused an event, as recorded in the log (no secrets). */
export interface EventPrincipal {
  accessKeyId: string;
  arn: string;
}

/**
 * The JSON value of every Kafka record on the bucket topic (schema documented in
 * docs/events.md). `data` is the event's payload; everything else is envelope.
 */
export interface EventEnvelope<E extends SedimentEvent = SedimentEvent> {
  id: string;
  type: E['type'];
  schemaVersion: number;
  time: string;
  principal: EventPrincipal;
  bucket: string;
  data: E['data'];
}

export interface LogPosition {
  partition: number;
  offset: number;
}

export interface RecordedEvent<E extends SedimentEvent = SedimentEvent> {
  envelope: EventEnvelope<E>;
  event: E;
  position: LogPosition;
}

export function envelope<E extends SedimentEvent>(
  event: E,
  bucket: string,
  id: string,
  time: Date,
  principal: EventPrincipal,
): EventEnvelope<E> {
  return {
    id,
    type: event.type,
    schemaVersion: EVENT_SCHEMA_VERSIONS[event.type],
    time: time.toISOString(),
    principal: { accessKeyId: principal.accessKeyId, arn: principal.arn },
    bucket,
    data: event.data,
  };
}

export interface KafkaRecordOut {
  key: string;
  value: string;
  headers: Record<string, string>;
}

const CE_SOURCE = '/sediment';

/** Kafka record for an envelope, with CloudEvents binary-mode headers for consumers that route on them. */
export function encodeEnvelope(env: EventEnvelope): KafkaRecordOut {
  return {
    key: env.bucket,
    value: JSON.stringify(env),
    headers: {
      ce_specversion: '1.0',
      ce_id: env.id,
      ce_type: env.type,
      ce_source: CE_SOURCE,
      ce_subject: env.bucket,
      ce_time: env.time,
      ce_dataschemaversion: String(env.schemaVersion),
      'content-type': 'application/json',
    },
  };
}

/** An event the projection cannot interpret: it must stop, never skip (skipping corrupts state). */
export class PoisonEventError extends Error {
  constructor(
    message: string,
    readonly position: LogPosition,
  ) {
    super(`${message} at partition ${position.partition} offset ${position.offset}`);
    this.name = 'PoisonEventError';
  }
}

export function decodeRecord(value: Buffer | string | null, position: LogPosition): RecordedEvent {
  if (value === null) throw new PoisonEventError('empty record', position);
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString());
  } catch {
    throw new PoisonEventError('record is not JSON', position);
  }
  const env = parsed as Partial<EventEnvelope>;
  if (typeof env !== 'object' || env === null || typeof env.type !== 'string') {
    throw new PoisonEventError('record has no event type', position);
  }
  if (!SEDIMENT_EVENT_TYPES.includes(env.type as SedimentEventType)) {
    throw new PoisonEventError(`unknown event type ${JSON.stringify(env.type)}`, position);
  }
  const type = env.type as SedimentEventType;
  if (env.schemaVersion !== EVENT_SCHEMA_VERSIONS[type]) {
    throw new PoisonEventError(`unsupported schema version ${env.schemaVersion} of ${type}`, position);
  }
  if (typeof env.bucket !== 'string' || typeof env.data !== 'object' || env.data === null) {
    throw new PoisonEventError(`malformed ${type} envelope`, position);
  }
  const full = env as EventEnvelope;
  return { envelope: full, event: { type, data: full.data } as SedimentEvent, position };
}
