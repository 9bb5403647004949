import type { BucketNotificationConfigured } from '../../buckets/domain/bucket.events.js';
import type { LogPosition } from '../../event-log/event-envelope.js';
import { COLLECTIONS } from '../../metadata/metadata.documents.js';
import type { BucketNotificationConfiguration } from '../../notifications/notification-configuration.js';

/**
 * Sets (or, with null, removes) the `notification` field of a bucket document. Unlike the
 * other mutations it does not carry the whole document: the event only knows the
 * configuration. It applies only to a document stamped with an earlier position, never
 * creates one: a configuration cannot outlive its bucket, and a later BucketCreated of the
 * name writes a document without it.
 */
export interface BucketNotificationPatch {
  collection: typeof COLLECTIONS.buckets;
  op: 'setNotification';
  id: string;
  notification: BucketNotificationConfiguration | null;
  position: LogPosition;
}

/** The read model's share of BucketNotificationConfigured (bucket-metadata projection). */
export function projectBucketNotification(event: BucketNotificationConfigured, position: LogPosition): BucketNotificationPatch[] {
  const { bucket, configuration } = event.data;
  return [
    {
      collection: COLLECTIONS.buckets,
      op: 'setNotification',
      id: bucket,
      notification: configuration.topicConfigurations.length > 0 ? configuration : null,
      position,
    },
  ];
}
