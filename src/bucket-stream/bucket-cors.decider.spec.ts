import { deciderSpec } from '../../test/support/decider-spec.js';
import { decideBucketCors, type ConfigureBucketCors } from './bucket-cors.decider.js';
import type { BucketCorsConfigured, BucketCreated, BucketDeleted } from './bucket.events.js';
import type { BucketCorsConfiguration } from './cors-configuration.js';

const now = new Date('2026-11-27T10:00:00.000Z');
const spec = deciderSpec(decideBucketCors);

const created: BucketCreated = {
  type: 'BucketCreated',
  data: { bucket: 'site', bucketId: 'b-1', owner: 'owner-a', ownerDisplayName: 'root', region: 'us-east-1', createdAt: now.toISOString() },
};
const deleted: BucketDeleted = { type: 'BucketDeleted', data: { bucket: 'site', bucketId: 'b-1', deletedAt: now.toISOString() } };
const web: BucketCorsConfiguration = {
  rules: [{ id: 'web', allowedMethods: ['GET'], allowedOrigins: ['https://example.com'], allowedHeaders: [], exposeHeaders: [], maxAgeSeconds: 60 }],
};
const configure = (configuration: BucketCorsConfiguration | null): ConfigureBucketCors => ({
  type: 'ConfigureBucketCors',
  data: { bucket: 'site', configuration },
  metadata: { now },
});
const configured = (configuration: BucketCorsConfiguration | null): BucketCorsConfigured => ({
  type: 'BucketCorsConfigured',
  data: { bucket: 'site', bucketId: 'b-1', configuration, configuredAt: now.toISOString() },
});

describe('bucket CORS decider', () => {
  it('records the configuration of an existing bucket', () => spec.given(created).when(configure(web)).then(configured(web)));
  it('records a replacement', () => {
    const other: BucketCorsConfiguration = { rules: [{ ...web.rules[0]!, allowedMethods: ['PUT'] }] };
    spec.given(created, configured(web)).when(configure(other)).then(configured(other));
  });
  it('records nothing when the configuration is already in force', () =>
    spec.given(created, configured(web)).when(configure(structuredClone(web))).then());
  it('records the removal of a configuration in force', () => spec.given(created, configured(web)).when(configure(null)).then(configured(null)));
  it('records nothing when removing a configuration the bucket does not have', () =>
    spec.given(created, configured(web), configured(null)).when(configure(null)).then());
  it('refuses a missing or deleted bucket', () => {
    spec.given().when(configure(web)).thenRejects('NoSuchBucket');
    spec.given(created, deleted).when(configure(null)).thenRejects('NoSuchBucket');
  });
  it('refuses an invalid configuration', () =>
    spec.given(created).when(configure({ rules: [{ ...web.rules[0]!, allowedMethods: ['PATCH'] }] })).thenRejects('InvalidRequest'));
  it('does not carry a configuration over to a bucket created again', () =>
    spec.given(created, configured(web), deleted, created).when(configure(web)).then(configured(web)));
});
