import {
  IDENTITY_EVENT_SCHEMA_VERSIONS,
  type IdentityEvent,
} from '../identity-stream/identity.events.js';
import {
  decodeEnvelopeJson,
  encodeCloudEvent,
  type EventPrincipal,
  type KafkaRecordOut,
  type LogPosition,
} from './event-envelope.js';
import { assertStorable } from './storable.js';
import { IDENTITY_EVENT_UPCASTERS } from './upcasters.js';
import { SEDIMENT_ACCOUNT_ID } from './principal.js';

/**
 * The JSON value of every record on the identity topic (docs/events.md). `subject` names what
 * the event is about: `account/<id>`, `user/<name>` (`user/<account>/<name>`
 * outside the default account) or `bucket/<name>`; it is also the record key.
 */
export interface IdentityEnvelope<E extends IdentityEvent = IdentityEvent> {
  id: string;
  type: E['type'];
  schemaVersion: number;
  time: string;
  principal: EventPrincipal;
  subject: string;
  data: E['data'];
}

export interface RecordedIdentityEvent {
  envelope: IdentityEnvelope;
  event: IdentityEvent;
  position: LogPosition;
}

export function identitySubject(event: IdentityEvent): string {
  if (event.type === 'AccountCreated' || event.type === 'AccountDeleted') return `account/${event.data.accountId}`;
  if ('bucket' in event.data) return `bucket/${event.data.bucket}`;
  const { accountId, userName } = event.data;
  return accountId === SEDIMENT_ACCOUNT_ID ? `user/${userName}` : `user/${accountId}/${userName}`;
}

export function identityEnvelope(event: IdentityEvent, id: string, time: Date, principal: EventPrincipal): IdentityEnvelope {
  const env: IdentityEnvelope = {
    id,
    type: event.type,
    schemaVersion: IDENTITY_EVENT_SCHEMA_VERSIONS[event.type],
    time: time.toISOString(),
    principal: { accessKeyId: principal.accessKeyId, arn: principal.arn },
    subject: identitySubject(event),
    data: event.data,
  };
  // Never append what the identity projection could not apply.
  assertStorable(event.type, env);
  return env;
}

export function encodeIdentityEnvelope(env: IdentityEnvelope): KafkaRecordOut {
  return encodeCloudEvent(env, env.subject);
}

export function decodeIdentityRecord(value: Buffer | string | null, position: LogPosition): RecordedIdentityEvent {
  const env = decodeEnvelopeJson<IdentityEnvelope>(value, position, IDENTITY_EVENT_SCHEMA_VERSIONS, 'subject', IDENTITY_EVENT_UPCASTERS);
  return { envelope: env, event: { type: env.type, data: env.data } as IdentityEvent, position };
}
