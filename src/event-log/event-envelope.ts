import type { SedimentEvent } from '../bucket-stream/sediment-event.js';
import { EVENT_SCHEMA_VERSIONS } from '../bucket-stream/sediment-event.js';
import { assertStorable, findUnstorable } from './storable.js';
import { BUCKET_EVENT_UPCASTERS, upcast, type UpcasterTable } from './upcasters.js';

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
  const env: EventEnvelope<E> = {
    id,
    type: event.type,
    schemaVersion: EVENT_SCHEMA_VERSIONS[event.type],
    time: time.toISOString(),
    principal: { accessKeyId: principal.accessKeyId, arn: principal.arn },
    bucket,
    data: event.data,
  };
  // Never append what the projection could not apply: that would stop the bucket's partition.
  assertStorable(event.type, env);
  return env;
}

export interface KafkaRecordOut {
  key: string;
  value: string;
  headers: Record<string, string>;
}

const CE_SOURCE = '/sediment';

/** Kafka record for an envelope, with CloudEvents binary-mode headers for consumers that route on them. */
export function encodeEnvelope(env: EventEnvelope): KafkaRecordOut {
  return encodeCloudEvent(env, env.bucket);
}

/** The record of any Sediment envelope: keyed by its subject, the envelope JSON as value. */
export function encodeCloudEvent(
  env: { id: string; type: string; time: string; schemaVersion: number },
  subject: string,
): KafkaRecordOut {
  return {
    key: subject,
    value: JSON.stringify(env),
    headers: {
      ce_specversion: '1.0',
      ce_id: env.id,
      ce_type: env.type,
      ce_source: CE_SOURCE,
      ce_subject: subject,
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
  const env = decodeEnvelopeJson<EventEnvelope>(value, position, EVENT_SCHEMA_VERSIONS, 'bucket', BUCKET_EVENT_UPCASTERS);
  return { envelope: env, event: { type: env.type, data: env.data } as SedimentEvent, position };
}

/**
 * Checks what every envelope must hold: JSON, a known type at a schema version from 1 to the
 * current one, a string subject field and an object `data`; then upcasts `data` step by step to
 * the current version, so every reader sees one shape. Anything else is poison: a version above
 * the current one was written by a newer Sediment, and a missing upcaster step cannot be guessed.
 */
export function decodeEnvelopeJson<E extends { type: string; schemaVersion: number; data: object }>(
  value: Buffer | string | null,
  position: LogPosition,
  versions: Readonly<Record<E['type'], number>>,
  subjectField: string,
  upcasters: UpcasterTable = {},
): E {
  if (value === null) throw new PoisonEventError('empty record', position);
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString());
  } catch {
    throw new PoisonEventError('record is not JSON', position);
  }
  const env = parsed as Record<string, unknown>;
  if (typeof env !== 'object' || env === null || typeof env['type'] !== 'string') {
    throw new PoisonEventError('record has no event type', position);
  }
  const type = env['type'];
  if (!Object.hasOwn(versions, type)) {
    throw new PoisonEventError(`unknown event type ${JSON.stringify(type)}`, position);
  }
  if (typeof env[subjectField] !== 'string' || typeof env['data'] !== 'object' || env['data'] === null || Array.isArray(env['data'])) {
    throw new PoisonEventError(`malformed ${type} envelope`, position);
  }
  const current = versions[type as E['type']];
  let data: Record<string, unknown>;
  try {
    data = upcast(type, env['schemaVersion'], current, env['data'] as Record<string, unknown>, upcasters);
  } catch (error) {
    throw new PoisonEventError((error as Error).message, position);
  }
  const decoded = { ...env, schemaVersion: current, data };
  // The database would refuse it on every attempt: poison now, not an endless retry.
  const unstorable = findUnstorable(decoded);
  if (unstorable) throw new PoisonEventError(`${type} cannot be stored: ${unstorable.path} ${unstorable.reason}`, position);
  return decoded as unknown as E;
}
