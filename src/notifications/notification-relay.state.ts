import type { RecordedEvent } from '../event-log/event-envelope.js';
import {
  destinationTopicOf,
  matchingConfigurations,
  type BucketNotificationConfiguration,
} from '../bucket-stream/notification-configuration.js';
import { isNotifiedObjectEvent, s3EventNameOf, s3EventRecord } from './s3-event-message.js';

/** What the relay knows of one bucket of a partition: enough to write and route its messages. */
export interface RelayBucket {
  name: string;
  bucketId: string;
  owner: string;
  region: string;
  /** The configuration in force; absent when the bucket has none. */
  configuration?: BucketNotificationConfiguration;
}

/**
 * The relay's position in one partition of the bucket topic and the bucket state folded up to
 * it. `next` is the next offset to handle; below `quietBelow` events are folded but their
 * notifications were already delivered (Kafka holds that commit), so nothing is produced.
 */
export interface RelayCursor {
  next: number;
  quietBelow: number;
  /** By bucket name; entries are replaced, never mutated, so a shallow copy is a snapshot. */
  buckets: Map<string, RelayBucket>;
}

export interface OutgoingNotification {
  topic: string;
  /** `<bucket>/<key>`: one key's messages share a destination partition, so they stay in order. */
  key: string;
  value: string;
}

export function copyCursor(cursor: RelayCursor): RelayCursor {
  return { next: cursor.next, quietBelow: cursor.quietBelow, buckets: new Map(cursor.buckets) };
}

/**
 * Handles the next event of the partition: the notifications it causes under the configuration
 * in force at its position (the state before it), then the event folded into the state.
 * Events before `cursor.next` were handled already (a redelivery) and change nothing.
 */
export function relayStep(cursor: RelayCursor, recorded: RecordedEvent): OutgoingNotification[] {
  const { offset } = recorded.position;
  if (offset < cursor.next) return [];
  const out = offset >= cursor.quietBelow ? notificationsFor(cursor.buckets, recorded) : [];
  foldRelayBucket(cursor.buckets, recorded);
  cursor.next = offset + 1;
  return out;
}

export function notificationsFor(buckets: ReadonlyMap<string, RelayBucket>, recorded: RecordedEvent): OutgoingNotification[] {
  const { event } = recorded;
  if (!isNotifiedObjectEvent(event, recorded.envelope.principal)) return [];
  const bucket = buckets.get(event.data.bucket);
  // A bucketId of another incarnation cannot follow in a well-formed log; never notify for it.
  if (!bucket?.configuration || bucket.bucketId !== event.data.bucketId) return [];
  return matchingConfigurations(bucket.configuration, s3EventNameOf(event.type, recorded.envelope.principal)!, event.data.key).map((config) => ({
    topic: destinationTopicOf(config.topicArn),
    key: `${bucket.name}/${event.data.key}`,
    value: JSON.stringify({
      Records: [s3EventRecord({ envelope: recorded.envelope, event, position: recorded.position }, bucket, config.id)],
    }),
  }));
}

/** The same fold as the bucket stream's evolve, kept to what notifications need. */
export function foldRelayBucket(buckets: Map<string, RelayBucket>, { event }: RecordedEvent): void {
  switch (event.type) {
    case 'BucketCreated': {
      const { bucket, bucketId, owner, region } = event.data;
      buckets.set(bucket, { name: bucket, bucketId, owner, region });
      return;
    }
    case 'BucketDeleted':
      // The configuration goes with the bucket: a bucket created again under the name starts without one.
      buckets.delete(event.data.bucket);
      return;
    case 'BucketNotificationConfigured': {
      const current = buckets.get(event.data.bucket);
      if (!current || current.bucketId !== event.data.bucketId) return;
      const { configuration: _previous, ...rest } = current;
      const { configuration } = event.data;
      buckets.set(event.data.bucket, configuration.topicConfigurations.length > 0 ? { ...rest, configuration } : rest);
      return;
    }
    default:
      return; // object events change no bucket
  }
}
