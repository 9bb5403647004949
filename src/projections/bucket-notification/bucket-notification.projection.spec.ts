import { InMemoryMetadataStore } from '../../../test/support/in-memory-metadata.store.js';
import type { BucketNotificationConfigured } from '../../bucket-stream/bucket.events.js';
import type { BucketDocument } from '../../metadata/metadata.documents.js';
import type { BucketNotificationConfiguration } from '../../bucket-stream/notification-configuration.js';
import { projectBucketNotification } from './bucket-notification.projection.js';

const t = '2026-11-27T10:00:00.000Z';
const bucketDoc: BucketDocument = {
  _id: 'photos', bucketId: 'b-1', owner: 'o', ownerDisplayName: 'root', region: 'us-east-1', createdAt: new Date(t), partition: 3, offset: 0,
};
const jpegs: BucketNotificationConfiguration = {
  topicConfigurations: [{ id: 'j', topicArn: 'arn:aws:sns:us-east-1:000000000000:j', events: ['s3:ObjectCreated:*'] }],
};
const configured = (configuration: BucketNotificationConfiguration): BucketNotificationConfigured => ({
  type: 'BucketNotificationConfigured',
  data: { bucket: 'photos', bucketId: 'b-1', configuration, configuredAt: t },
});

/** given(bucket document).when(events at offsets).then(bucket document) */
async function apply(...events: [BucketNotificationConfigured, number][]): Promise<InMemoryMetadataStore> {
  const store = new InMemoryMetadataStore();
  await store.applyMutation({ collection: 'buckets', op: 'upsert', doc: bucketDoc });
  for (const [event, offset] of events) {
    for (const m of projectBucketNotification(event, { partition: 3, offset })) await store.applyMutation(m);
  }
  return store;
}

describe('bucket notification projection', () => {
  it('sets the configuration on the bucket document and stamps it', async () => {
    const store = await apply([configured(jpegs), 5]);
    expect(store.buckets.get('photos')).toEqual({ ...bucketDoc, notification: jpegs, offset: 5 });
  });

  it('removes it for an empty configuration', async () => {
    const store = await apply([configured(jpegs), 5], [configured({ topicConfigurations: [] }), 6]);
    expect(store.buckets.get('photos')).toEqual({ ...bucketDoc, offset: 6 });
  });

  it('ignores a redelivered older configuration', async () => {
    const store = await apply([configured({ topicConfigurations: [] }), 7], [configured(jpegs), 5]);
    expect(store.buckets.get('photos')?.notification).toBeUndefined();
  });

  it('never creates a bucket document', async () => {
    const store = new InMemoryMetadataStore();
    for (const m of projectBucketNotification(configured(jpegs), { partition: 3, offset: 9 })) await store.applyMutation(m);
    expect(store.buckets.size).toBe(0);
  });
});
