import { deciderSpec } from '../../test/support/decider-spec.js';
import type { BucketNotificationConfiguration } from './notification-configuration.js';
import type { BucketCreated, BucketDeleted, BucketNotificationConfigured } from './bucket.events.js';
import { decideBucket, type ConfigureBucketNotification } from './bucket.decider.js';

const now = new Date('2026-11-27T10:00:00.000Z');
const spec = deciderSpec(decideBucket);

const created: BucketCreated = {
  type: 'BucketCreated',
  data: { bucket: 'photos', bucketId: 'b-1', owner: 'owner-a', ownerDisplayName: 'root', region: 'us-east-1', createdAt: now.toISOString() },
};
const deleted: BucketDeleted = { type: 'BucketDeleted', data: { bucket: 'photos', bucketId: 'b-1', deletedAt: now.toISOString() } };
const jpegs: BucketNotificationConfiguration = {
  topicConfigurations: [
    { id: 'jpegs', topicArn: 'arn:aws:sns:us-east-1:000000000000:jpegs', events: ['s3:ObjectCreated:*'], filter: { suffix: '.jpg' } },
  ],
};
const none: BucketNotificationConfiguration = { topicConfigurations: [] };
const configure = (configuration: BucketNotificationConfiguration): ConfigureBucketNotification => ({
  type: 'ConfigureBucketNotification',
  data: { bucket: 'photos', configuration },
  metadata: { now },
});
const configured = (configuration: BucketNotificationConfiguration): BucketNotificationConfigured => ({
  type: 'BucketNotificationConfigured',
  data: { bucket: 'photos', bucketId: 'b-1', configuration, configuredAt: now.toISOString() },
});

describe('bucket decider: ConfigureBucketNotification', () => {
  it('records the configuration of an existing bucket', () => spec.given(created).when(configure(jpegs)).then(configured(jpegs)));
  it('refuses a missing bucket', () => spec.given().when(configure(jpegs)).thenRejects('NoSuchBucket'));
  it('refuses a deleted bucket', () => spec.given(created, deleted).when(configure(jpegs)).thenRejects('NoSuchBucket'));
  it('records the removal of a configuration in force', () =>
    spec.given(created, configured(jpegs)).when(configure(none)).then(configured(none)));
  it('records nothing when the configuration is already in force', () =>
    spec.given(created, configured(jpegs)).when(configure(structuredClone(jpegs))).then());
  it('records nothing when removing a configuration the bucket does not have', () =>
    spec.given(created).when(configure(none)).then());
  it('does not carry a configuration over to a bucket created again', () =>
    spec.given(created, configured(jpegs), deleted, created).when(configure(jpegs)).then(configured(jpegs)));
});
