import {
  decodeEnvelopeJson,
  encodeCloudEvent,
  PoisonEventError,
  type EventPrincipal,
  type KafkaRecordOut,
  type LogPosition,
} from '../event-log/event-envelope.js';

/**
 * An operator's decision that one record of the bucket or identity topic is not applied: the
 * projections skip exactly that position (if it still holds the same bytes) and keep a copy of
 * the record in `quarantined_events` (ADR 0011). It lives on the control topic, which every
 * reader of the log reads first, so a replay makes the same choice before it reaches the record.
 */
export type EventQuarantined = {
  type: 'EventQuarantined';
  data: {
    topic: string;
    partition: number;
    offset: number;
    /** SHA-256 (hex) of the record's value as it was inspected; null for a record without value. */
    valueSha256: string | null;
    reason: string;
    /** Who ran the command: `<user>@<host>` of the operator's machine. */
    operator: string;
  };
};

export type ControlEvent = EventQuarantined;

export const CONTROL_EVENT_SCHEMA_VERSIONS: Readonly<Record<ControlEvent['type'], number>> = { EventQuarantined: 1 };

export interface ControlEnvelope {
  id: string;
  type: ControlEvent['type'];
  schemaVersion: number;
  time: string;
  principal: EventPrincipal;
  /** `<topic>/<partition>/<offset>` of the record decided about; also the record key. */
  subject: string;
  data: ControlEvent['data'];
}

export interface RecordedControlEvent {
  envelope: ControlEnvelope;
  position: LogPosition;
}

const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;
export const MAX_REASON_LENGTH = 1024;

export function recordSubject(topic: string, partition: number, offset: number): string {
  return `${topic}/${partition}/${offset}`;
}

export function quarantineEnvelope(data: EventQuarantined['data'], id: string, time: Date, principal: EventPrincipal): ControlEnvelope {
  return {
    id,
    type: 'EventQuarantined',
    schemaVersion: CONTROL_EVENT_SCHEMA_VERSIONS.EventQuarantined,
    time: time.toISOString(),
    principal: { accessKeyId: principal.accessKeyId, arn: principal.arn },
    subject: recordSubject(data.topic, data.partition, data.offset),
    data,
  };
}

export function encodeControlEnvelope(env: ControlEnvelope): KafkaRecordOut {
  return encodeCloudEvent(env, env.subject);
}

/** What is wrong with a reason an operator gave, if anything: it is stored and shown as text. */
export function reasonProblem(reason: string): string | undefined {
  if (reason.trim() === '') return 'the reason is empty';
  if (reason.length > MAX_REASON_LENGTH) return `the reason is longer than ${MAX_REASON_LENGTH} characters`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(reason)) return 'the reason contains control characters';
  return undefined;
}

/**
 * Decodes a control record; throws PoisonEventError for anything that is not a well-formed
 * decision (the readers ignore those: a malformed decision decides nothing).
 */
export function decodeControlRecord(value: Buffer | string | null, position: LogPosition): RecordedControlEvent {
  const env = decodeEnvelopeJson<ControlEnvelope>(value, position, CONTROL_EVENT_SCHEMA_VERSIONS, 'subject');
  const { topic, partition, offset, valueSha256, reason, operator } = env.data as Partial<EventQuarantined['data']>;
  const wellFormed =
    typeof topic === 'string' &&
    TOPIC_NAME.test(topic) &&
    Number.isSafeInteger(partition) &&
    partition! >= 0 &&
    Number.isSafeInteger(offset) &&
    offset! >= 0 &&
    (valueSha256 === null || (typeof valueSha256 === 'string' && /^[0-9a-f]{64}$/.test(valueSha256))) &&
    typeof reason === 'string' &&
    reasonProblem(reason) === undefined &&
    typeof operator === 'string' &&
    env.subject === recordSubject(topic, partition!, offset!);
  if (!wellFormed) throw new PoisonEventError(`malformed ${env.type} decision`, position);
  return { envelope: env, position };
}
