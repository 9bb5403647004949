import { deciderSpec } from '../../test/support/decider-spec.js';
import { decideBucketTagging, type ConfigureBucketTagging } from './bucket-tagging.decider.js';
import type { BucketCreated, BucketDeleted, BucketTaggingConfigured } from './bucket.events.js';
import type { ObjectTag } from './object-tags.js';

const now = new Date('2026-12-07T10:00:00.000Z');
const spec = deciderSpec(decideBucketTagging);

const created: BucketCreated = {
  type: 'BucketCreated',
  data: { bucket: 'site', bucketId: 'b-1', owner: 'owner-a', ownerDisplayName: 'root', region: 'us-east-1', createdAt: now.toISOString() },
};
const deleted: BucketDeleted = { type: 'BucketDeleted', data: { bucket: 'site', bucketId: 'b-1', deletedAt: now.toISOString() } };
const team: ObjectTag[] = [{ key: 'team', value: 'web' }, { key: 'cost-centre', value: '42' }];
const configure = (tags: ObjectTag[] | null): ConfigureBucketTagging => ({ type: 'ConfigureBucketTagging', data: { bucket: 'site', tags }, metadata: { now } });
const configured = (tags: ObjectTag[] | null): BucketTaggingConfigured => ({
  type: 'BucketTaggingConfigured',
  data: { bucket: 'site', bucketId: 'b-1', tags, configuredAt: now.toISOString() },
});
const tagsNumbered = (count: number): ObjectTag[] => Array.from({ length: count }, (_, i) => ({ key: `k${i}`, value: `v${i}` }));

describe('bucket tagging decider', () => {
  it('records the tags of an existing bucket, and a replacement', () => {
    spec.given(created).when(configure(team)).then(configured(team));
    spec.given(created, configured(team)).when(configure([{ key: 'team', value: 'data' }])).then(configured([{ key: 'team', value: 'data' }]));
  });
  it('records nothing when the same tags are in force', () => spec.given(created, configured(team)).when(configure(structuredClone(team))).then());
  it('records the removal of tags in force, and takes an empty tag set as a removal', () => {
    spec.given(created, configured(team)).when(configure(null)).then(configured(null));
    spec.given(created, configured(team)).when(configure([])).then(configured(null));
  });
  it('records nothing when removing tags the bucket does not have', () => {
    spec.given(created).when(configure(null)).then();
    spec.given(created, configured(team), configured(null)).when(configure([])).then();
  });
  it('takes up to 50 tags, and refuses 51 with InvalidTag', () => {
    spec.given(created).when(configure(tagsNumbered(50))).then(configured(tagsNumbered(50)));
    spec.given(created).when(configure(tagsNumbered(51))).thenRejects('InvalidTag');
  });
  it('refuses a tag S3 refuses: a duplicate key, an aws: prefix, a key too long', () => {
    spec.given(created).when(configure([{ key: 'a', value: '1' }, { key: 'a', value: '2' }])).thenRejects('InvalidTag');
    spec.given(created).when(configure([{ key: 'aws:owner', value: 'x' }])).thenRejects('InvalidTag');
    spec.given(created).when(configure([{ key: 'k'.repeat(129), value: 'x' }])).thenRejects('InvalidTag');
  });
  it('refuses a missing or deleted bucket', () => {
    spec.given().when(configure(team)).thenRejects('NoSuchBucket');
    spec.given(created, deleted).when(configure(null)).thenRejects('NoSuchBucket');
  });
});
