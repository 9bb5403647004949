import type { BucketPatch } from '../../metadata/read-model-mutations.js';
import type { BucketNotificationConfigured } from '../../bucket-stream/bucket.events.js';
import type { LogPosition } from '../../event-log/event-envelope.js';
import { COLLECTIONS } from '../../metadata/metadata.documents.js';

/** The read model's share of BucketNotificationConfigured (bucket-metadata projection). */
export function projectBucketNotification(event: BucketNotificationConfigured, position: LogPosition): BucketPatch[] {
  const { bucket, configuration } = event.data;
  return [
    {
      collection: COLLECTIONS.buckets,
      op: 'patchBucket',
      id: bucket,
      field: 'notification',
      value: configuration.topicConfigurations.length > 0 ? configuration : null,
      position,
    },
  ];
}
