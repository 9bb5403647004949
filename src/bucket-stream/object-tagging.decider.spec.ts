import { deciderSpec } from '../../test/support/decider-spec.js';
import type { BucketCreated } from './bucket.events.js';
import type { ObjectTag } from './object-tags.js';
import { decideObjectTagging, type DeleteObjectTagging, type PutObjectTagging } from './object-tagging.decider.js';
import type { ObjectDeleted, ObjectStored, ObjectTaggingDeleted, ObjectTaggingPut } from './object.events.js';

const now = new Date('2026-11-27T10:00:00.000Z');
const at = now.toISOString();
const spec = deciderSpec(decideObjectTagging);

const created: BucketCreated = {
  type: 'BucketCreated',
  data: { bucket: 'docs', bucketId: 'b-1', owner: 'owner-a', ownerDisplayName: 'root', region: 'us-east-1', createdAt: at },
};
const stored = (objectId: string, tags?: ObjectTag[]): ObjectStored => ({
  type: 'ObjectStored',
  data: {
    bucket: 'docs', bucketId: 'b-1', key: 'a.txt', objectId, size: 1, etag: '"0cc175b9c0f1b6a831c399e269772661"',
    contentType: 'text/plain', userMetadata: [], owner: 'owner-a', ownerDisplayName: 'root', storedAt: at, storageClass: 'STANDARD',
    ...(tags ? { tags } : {}),
  },
});
const blue: ObjectTag[] = [{ key: 'colour', value: 'blue' }];
const put = (tags: ObjectTag[]): PutObjectTagging => ({ type: 'PutObjectTagging', data: { bucket: 'docs', key: 'a.txt', tags }, metadata: { now } });
const del: DeleteObjectTagging = { type: 'DeleteObjectTagging', data: { bucket: 'docs', key: 'a.txt' }, metadata: { now } };
const tagged = (objectId: string, tags: ObjectTag[]): ObjectTaggingPut => ({
  type: 'ObjectTaggingPut',
  data: { bucket: 'docs', bucketId: 'b-1', key: 'a.txt', objectId, tags, taggedAt: at, versionId: 'null' },
});
const untagged = (objectId: string): ObjectTaggingDeleted => ({
  type: 'ObjectTaggingDeleted',
  data: { bucket: 'docs', bucketId: 'b-1', key: 'a.txt', objectId, deletedAt: at, versionId: 'null' },
});
const deleted: ObjectDeleted = { type: 'ObjectDeleted', data: { bucket: 'docs', bucketId: 'b-1', key: 'a.txt', objectId: 'o-1', deletedAt: at } };

describe('object tagging decider', () => {
  describe('PutObjectTagging', () => {
    it('tags the current object, naming it by objectId', () => spec.given(created, stored('o-1')).when(put(blue)).then(tagged('o-1', blue)));
    it('tags the object that replaced an earlier one', () =>
      spec.given(created, stored('o-1'), tagged('o-1', blue), stored('o-2')).when(put(blue)).then(tagged('o-2', blue)));
    it('records an empty tag set (it removes the tags)', () => spec.given(created, stored('o-1', blue)).when(put([])).then(tagged('o-1', [])));
    it('refuses a missing key', () => spec.given(created).when(put(blue)).thenRejects('NoSuchKey'));
    it('refuses a deleted key', () => spec.given(created, stored('o-1'), deleted).when(put(blue)).thenRejects('NoSuchKey'));
    it('refuses a missing bucket', () => spec.given().when(put(blue)).thenRejects('NoSuchBucket'));
    it('refuses more than 10 tags', () =>
      spec
        .given(created, stored('o-1'))
        .when(put(Array.from({ length: 11 }, (_, i) => ({ key: `k${i}`, value: '' }))))
        .thenRejects('BadRequest'));
    it('refuses duplicate keys', () =>
      spec.given(created, stored('o-1')).when(put([...blue, { key: 'colour', value: 'red' }])).thenRejects('InvalidTag'));
  });

  describe('DeleteObjectTagging', () => {
    it('removes the tags put on the object', () => spec.given(created, stored('o-1'), tagged('o-1', blue)).when(del).then(untagged('o-1')));
    it('removes the tags the object was stored with', () => spec.given(created, stored('o-1', blue)).when(del).then(untagged('o-1')));
    it('records nothing for an object without tags', () => spec.given(created, stored('o-1')).when(del).then());
    it('records nothing once the tags are gone', () => spec.given(created, stored('o-1', blue), untagged('o-1')).when(del).then());
    it('records nothing when a new object replaced the tagged one', () =>
      spec.given(created, stored('o-1'), tagged('o-1', blue), stored('o-2')).when(del).then());
    it('refuses a missing key', () => spec.given(created).when(del).thenRejects('NoSuchKey'));
  });

  describe('on a versioned bucket', () => {
    const enabled = { type: 'BucketVersioningConfigured', data: { bucket: 'docs', bucketId: 'b-1', status: 'Enabled', configuredAt: at } } as const;
    const storedVersion = (objectId: string, versionId: string): ObjectStored => ({ ...stored(objectId), data: { ...stored(objectId).data, versionId } });
    const putVersion = (versionId: string): PutObjectTagging => ({ ...put(blue), data: { ...put(blue).data, versionId } });
    const marker = { type: 'DeleteMarkerCreated', data: { bucket: 'docs', bucketId: 'b-1', key: 'a.txt', versionId: 'm-1', owner: 'owner-a', ownerDisplayName: 'root', createdAt: at } } as const;

    it('tags the version named, not the current one', () =>
      spec
        .given(created, enabled, storedVersion('o-1', 'v-1'), storedVersion('o-2', 'v-2'))
        .when(putVersion('v-1'))
        .then({ ...tagged('o-1', blue), data: { ...tagged('o-1', blue).data, versionId: 'v-1' } }));
    it('tags the current version by default, naming it', () =>
      spec
        .given(created, enabled, storedVersion('o-1', 'v-1'), storedVersion('o-2', 'v-2'))
        .when(put(blue))
        .then({ ...tagged('o-2', blue), data: { ...tagged('o-2', blue).data, versionId: 'v-2' } }));
    it('refuses a version the key does not have', () =>
      spec.given(created, enabled, storedVersion('o-1', 'v-1')).when(putVersion('v-9')).thenRejects('NoSuchVersion'));
    it('answers NoSuchKey behind a delete marker, and MethodNotAllowed for the marker itself', () => {
      spec.given(created, enabled, storedVersion('o-1', 'v-1'), marker).when(put(blue)).thenRejects('NoSuchKey');
      spec.given(created, enabled, storedVersion('o-1', 'v-1'), marker).when(putVersion('m-1')).thenRejects('MethodNotAllowed');
    });
  });
});
