import { deciderSpec } from '../../test/support/decider-spec.js';
import { decideBucketLifecycle, type ConfigureBucketLifecycle } from './bucket-lifecycle.decider.js';
import type { BucketCreated, BucketDeleted, BucketLifecycleConfigured } from './bucket.events.js';
import type { BucketLifecycleConfiguration } from './lifecycle-configuration.js';

const now = new Date('2026-12-07T10:00:00.000Z');
const spec = deciderSpec(decideBucketLifecycle);

const created: BucketCreated = {
  type: 'BucketCreated',
  data: { bucket: 'logs', bucketId: 'b-1', owner: 'owner-a', ownerDisplayName: 'root', region: 'us-east-1', createdAt: now.toISOString() },
};
const deleted: BucketDeleted = { type: 'BucketDeleted', data: { bucket: 'logs', bucketId: 'b-1', deletedAt: now.toISOString() } };
const monthly: BucketLifecycleConfiguration = { rules: [{ id: 'month', status: 'Enabled', filter: { prefix: 'tmp/' }, expiration: { days: 30 } }] };
const configure = (configuration: BucketLifecycleConfiguration | null): ConfigureBucketLifecycle => ({
  type: 'ConfigureBucketLifecycle',
  data: { bucket: 'logs', configuration },
  metadata: { now },
});
const configured = (configuration: BucketLifecycleConfiguration | null): BucketLifecycleConfigured => ({
  type: 'BucketLifecycleConfigured',
  data: { bucket: 'logs', bucketId: 'b-1', configuration, configuredAt: now.toISOString() },
});

describe('bucket lifecycle decider', () => {
  it('records the configuration of an existing bucket, and a replacement', () => {
    spec.given(created).when(configure(monthly)).then(configured(monthly));
    const weekly: BucketLifecycleConfiguration = { rules: [{ id: 'week', status: 'Enabled', filter: {}, expiration: { days: 7 } }] };
    spec.given(created, configured(monthly)).when(configure(weekly)).then(configured(weekly));
  });
  it('records nothing when the same configuration is in force, or when deleting none', () => {
    spec.given(created, configured(monthly)).when(configure(structuredClone(monthly))).then();
    spec.given(created).when(configure(null)).then();
  });
  it('records the removal of a configuration in force', () => spec.given(created, configured(monthly)).when(configure(null)).then(configured(null)));
  it('refuses a configuration S3 refuses, recording nothing', () => {
    spec.given(created).when(configure({ rules: [{ id: 'none', status: 'Enabled', filter: {} }] })).thenRejects('InvalidRequest');
    spec.given(created).when(configure({ rules: [{ ...monthly.rules[0]!, expiration: { days: 0 } }] })).thenRejects('InvalidArgument');
  });
  it('refuses a missing or deleted bucket', () => {
    spec.given().when(configure(monthly)).thenRejects('NoSuchBucket');
    spec.given(created, deleted).when(configure(null)).thenRejects('NoSuchBucket');
  });
});
