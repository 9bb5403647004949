import { deciderSpec } from '../../../test/support/decider-spec.js';
import type { BucketCreated } from '../../buckets/domain/bucket.events.js';
import type { ObjectDeleted, ObjectStored } from './object.events.js';
import { decideObject, type DeleteObject, type DeleteObjects, type PutObject } from './object.decider.js';

const now = new Date('2026-11-27T10:00:00.000Z');
const spec = deciderSpec(decideObject);

const created: BucketCreated = {
  type: 'BucketCreated',
  data: { bucket: 'docs', bucketId: 'b-1', owner: 'owner-a', ownerDisplayName: 'root', region: 'us-east-1', createdAt: now.toISOString() },
};
const put = (objectId: string, key = 'script.txt'): PutObject => ({
  type: 'PutObject',
  data: {
    bucket: 'docs', key, objectId, size: 5, etag: '"5d41402abc4b2a76b9719d911017c592"', contentType: 'text/plain',
    userMetadata: [{ name: 'colour', value: 'blue' }], owner: 'owner-a', ownerDisplayName: 'root',
  },
  metadata: { now },
});
const stored = (objectId: string, replacedObjectId?: string): ObjectStored => ({
  type: 'ObjectStored',
  data: {
    ...put(objectId).data, bucketId: 'b-1', storedAt: now.toISOString(), storageClass: 'STANDARD',
    ...(replacedObjectId ? { replacedObjectId } : {}),
  },
});
const del: DeleteObject = { type: 'DeleteObject', data: { bucket: 'docs', key: 'script.txt' }, metadata: { now } };
const deleted: ObjectDeleted = {
  type: 'ObjectDeleted',
  data: { bucket: 'docs', bucketId: 'b-1', key: 'script.txt', objectId: 'o-1', deletedAt: now.toISOString() },
};

describe('object decider', () => {
  describe('PutObject', () => {
    it('stores an object in an existing bucket', () => spec.given(created).when(put('o-1')).then(stored('o-1')));
    it('records the tags of x-amz-tagging', () => {
      const tags = [{ key: 'colour', value: 'blue' }];
      const tagged = put('o-1');
      spec.given(created).when({ ...tagged, data: { ...tagged.data, tags } }).then({ ...stored('o-1'), data: { ...stored('o-1').data, tags } });
    });
    it('records which object an overwrite replaced', () =>
      spec.given(created, stored('o-1')).when(put('o-2')).then(stored('o-2', 'o-1')));
    it('refuses a missing bucket', () => spec.given().when(put('o-1')).thenRejects('NoSuchBucket'));
    it('refuses a deleted bucket', () =>
      spec
        .given(created, { type: 'BucketDeleted', data: { bucket: 'docs', bucketId: 'b-1', deletedAt: now.toISOString() } })
        .when(put('o-1'))
        .thenRejects('NoSuchBucket'));
  });

  describe('PutObject with a write condition', () => {
    const withCondition = (objectId: string, condition: PutObject['condition']): PutObject => ({ ...put(objectId), condition });
    it('creates a missing key under If-None-Match: *', () =>
      spec.given(created).when(withCondition('o-1', { ifNoneMatch: '*' })).then(stored('o-1')));
    it('refuses If-None-Match: * when the key exists', () =>
      spec.given(created, stored('o-1')).when(withCondition('o-2', { ifNoneMatch: '*' })).thenRejects('PreconditionFailed'));
    it('replaces the object If-Match names, quoted or not', () => {
      spec.given(created, stored('o-1')).when(withCondition('o-2', { ifMatch: '"5d41402abc4b2a76b9719d911017c592"' })).then(stored('o-2', 'o-1'));
      spec.given(created, stored('o-1')).when(withCondition('o-2', { ifMatch: '5d41402abc4b2a76b9719d911017c592' })).then(stored('o-2', 'o-1'));
    });
    it('refuses If-Match with another ETag', () =>
      spec.given(created, stored('o-1')).when(withCondition('o-2', { ifMatch: '"0000"' })).thenRejects('PreconditionFailed'));
    it('answers If-Match on a missing key with NoSuchKey', () =>
      spec.given(created).when(withCondition('o-1', { ifMatch: '"5d41402abc4b2a76b9719d911017c592"' })).thenRejects('NoSuchKey'));
  });

  describe('DeleteObject', () => {
    it('deletes the current object of the key', () => spec.given(created, stored('o-1')).when(del).then(deleted));
    it('records nothing for a missing key', () => spec.given(created).when(del).then());
    it('records nothing for a key already deleted', () => spec.given(created, stored('o-1'), deleted).when(del).then());
    it('refuses a missing bucket', () => spec.given().when(del).thenRejects('NoSuchBucket'));
  });

  describe('DeleteObjects', () => {
    const storedAt = (key: string, objectId: string): ObjectStored => ({
      type: 'ObjectStored',
      data: { ...put(objectId, key).data, bucketId: 'b-1', storedAt: now.toISOString(), storageClass: 'STANDARD' },
    });
    const deletedAt = (key: string, objectId: string): ObjectDeleted => ({
      type: 'ObjectDeleted',
      data: { bucket: 'docs', bucketId: 'b-1', key, objectId, deletedAt: now.toISOString() },
    });
    const delMany = (...keys: string[]): DeleteObjects => ({ type: 'DeleteObjects', data: { bucket: 'docs', keys }, metadata: { now } });

    it('deletes every named key that exists, in the order named', () =>
      spec
        .given(created, storedAt('a', 'o-a'), storedAt('b', 'o-b'), storedAt('c', 'o-c'))
        .when(delMany('c', 'a'))
        .then(deletedAt('c', 'o-c'), deletedAt('a', 'o-a')));
    it('records nothing for keys that do not exist', () =>
      spec.given(created, storedAt('a', 'o-a')).when(delMany('missing', 'a', 'gone')).then(deletedAt('a', 'o-a')));
    it('records nothing when no named key exists', () => spec.given(created).when(delMany('x', 'y')).then());
    it('deletes a key named twice once', () =>
      spec.given(created, storedAt('a', 'o-a')).when(delMany('a', 'a')).then(deletedAt('a', 'o-a')));
    it('deletes the current object of a key that was overwritten', () =>
      spec.given(created, storedAt('a', 'o-1'), storedAt('a', 'o-2')).when(delMany('a')).then(deletedAt('a', 'o-2')));
    it('records nothing for a key already deleted', () =>
      spec.given(created, storedAt('a', 'o-a'), deletedAt('a', 'o-a')).when(delMany('a')).then());
    it('refuses a missing bucket', () => spec.given().when(delMany('a')).thenRejects('NoSuchBucket'));
  });
});
