import type { SedimentEvent } from '../bucket-stream/sediment-event.js';
import type { EventEnvelope, EventPrincipal, LogPosition } from '../event-log/event-envelope.js';
import type { MultipartUploadCompleted } from '../bucket-stream/multipart.events.js';
import type { DeleteMarkerCreated, DeleteMarkerRemoved, ObjectCopied, ObjectDeleted, ObjectStored } from '../bucket-stream/object.events.js';
import { isLifecyclePrincipal } from '../event-log/principal.js';

/** The object events that notifications report. */
export type NotifiedObjectEvent = ObjectStored | ObjectCopied | MultipartUploadCompleted | ObjectDeleted | DeleteMarkerCreated | DeleteMarkerRemoved;

/** `principal`: the event's; the lifecycle worker's deletions are notified under their own names. */
export function isNotifiedObjectEvent(event: SedimentEvent, principal: EventPrincipal): event is NotifiedObjectEvent {
  return s3EventNameOf(event.type, principal) !== undefined;
}

/** What the event message says about the bucket; folded from its BucketCreated. */
export interface NotifiedBucket {
  name: string;
  /** Canonical id of the bucket owner. */
  owner: string;
  region: string;
}

/**
 * The S3 event name a bucket-topic event is notified as, if any. What the lifecycle worker
 * removed (its events carry LIFECYCLE_PRINCIPAL, ADR 0022) is `s3:LifecycleExpiration:*`, not
 * `s3:ObjectRemoved:*`, as in S3: a version removed for good (an object, or an expired delete
 * marker) is Delete, a delete marker put over an expired object DeleteMarkerCreated.
 */
export function s3EventNameOf(
  type: string,
  principal?: EventPrincipal,
):
  | 's3:ObjectCreated:Put'
  | 's3:ObjectCreated:Copy'
  | 's3:ObjectCreated:CompleteMultipartUpload'
  | 's3:ObjectRemoved:Delete'
  | 's3:ObjectRemoved:DeleteMarkerCreated'
  | 's3:LifecycleExpiration:Delete'
  | 's3:LifecycleExpiration:DeleteMarkerCreated'
  | undefined {
  if (principal && isLifecyclePrincipal(principal)) {
    if (type === 'ObjectDeleted' || type === 'DeleteMarkerRemoved') return 's3:LifecycleExpiration:Delete';
    if (type === 'DeleteMarkerCreated') return 's3:LifecycleExpiration:DeleteMarkerCreated';
    return undefined;
  }
  if (type === 'ObjectStored') return 's3:ObjectCreated:Put';
  if (type === 'ObjectCopied') return 's3:ObjectCreated:Copy';
  if (type === 'MultipartUploadCompleted') return 's3:ObjectCreated:CompleteMultipartUpload';
  if (type === 'ObjectDeleted') return 's3:ObjectRemoved:Delete';
  if (type === 'DeleteMarkerCreated') return 's3:ObjectRemoved:DeleteMarkerCreated';
  return undefined;
}

/**
 * AWS's `sequencer`: a hex string that orders the events of one key ("compare the strings
 * after padding the shorter one with zeros"). Ours is the event's log position, partition then
 * offset, both fixed-width upper-case hex, so plain string comparison orders them: every event
 * of a key is in its bucket's partition, in log order. Never the wall clock, which can step back.
 */
export function sequencerOf(position: LogPosition): string {
  if (position.partition < 0 || position.partition > 0xffff || position.offset < 0 || !Number.isSafeInteger(position.offset)) {
    throw new Error(`no sequencer for position ${JSON.stringify(position)}`);
  }
  return position.partition.toString(16).toUpperCase().padStart(4, '0') + position.offset.toString(16).toUpperCase().padStart(16, '0');
}

/** Characters AWS leaves as they are in an event's object key: form encoding, with '/' kept. */
const KEPT = /[A-Za-z0-9\-_.*/]/;

/**
 * The object key as S3 writes it into event messages: URL form encoding, so a space becomes '+'
 * and a '+' becomes %2B, every other special or non-ASCII character %XX of its UTF-8 bytes,
 * and '/' stays. Consumers decode it with e.g. Python's unquote_plus.
 */
export function encodeEventKey(key: string): string {
  let out = '';
  for (const char of key) {
    if (char === ' ') out += '+';
    else if (KEPT.test(char)) out += char;
    else for (const byte of Buffer.from(char, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Who caused the event, from the envelope: the caller's ARN, `anonymous`, or S3's own `s3.amazonaws.com` for the lifecycle. */
function principalIdOf(envelope: EventEnvelope): string {
  if (isLifecyclePrincipal(envelope.principal)) return 's3.amazonaws.com';
  return envelope.principal.arn === '*' || envelope.principal.arn === '' ? 'anonymous' : envelope.principal.arn;
}

export interface S3EventRecord {
  eventVersion: '2.1';
  eventSource: 'aws:s3';
  awsRegion: string;
  eventTime: string;
  eventName: string;
  userIdentity: { principalId: string };
  requestParameters: Record<string, string>;
  responseElements: Record<string, string>;
  s3: {
    s3SchemaVersion: '1.0';
    configurationId: string;
    bucket: { name: string; ownerIdentity: { principalId: string }; arn: string };
    object: { key: string; size?: number; eTag?: string; versionId?: string; sequencer: string };
  };
}

/**
 * One record of AWS's event message format (event structure version 2.1) for an object event.
 * Sediment records neither the source IP nor the request id in its events, so
 * `requestParameters` and `responseElements` are empty. `versionId` is there when the event
 * created or removed a version of a bucket with versioning configured. eventTime is when the change was decided, the event's own time.
 */
export function s3EventRecord(
  recorded: { envelope: EventEnvelope; event: NotifiedObjectEvent; position: LogPosition },
  bucket: NotifiedBucket,
  configurationId: string,
): S3EventRecord {
  const { envelope, event, position } = recorded;
  const versionId = event.data.versionId;
  const object: S3EventRecord['s3']['object'] =
    event.type === 'ObjectStored' || event.type === 'ObjectCopied' || event.type === 'MultipartUploadCompleted'
      ? { key: encodeEventKey(event.data.key), size: event.data.size, eTag: unquote(event.data.etag), ...(versionId !== undefined ? { versionId } : {}), sequencer: sequencerOf(position) }
      : { key: encodeEventKey(event.data.key), ...(versionId !== undefined ? { versionId } : {}), sequencer: sequencerOf(position) };
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: bucket.region,
    eventTime: envelope.time,
    eventName: s3EventNameOf(event.type, envelope.principal)!.slice('s3:'.length),
    userIdentity: { principalId: principalIdOf(envelope) },
    requestParameters: {},
    responseElements: {},
    s3: {
      s3SchemaVersion: '1.0',
      configurationId,
      bucket: { name: bucket.name, ownerIdentity: { principalId: bucket.owner }, arn: `arn:aws:s3:::${bucket.name}` },
      object,
    },
  };
}

/** S3 writes the ETag into event messages without its quotes. */
function unquote(etag: string): string {
  return etag.length >= 2 && etag.startsWith('"') && etag.endsWith('"') ? etag.slice(1, -1) : etag;
}
