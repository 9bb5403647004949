import { deciderSpec } from '../../test/support/decider-spec.js';
import type { BucketCreated, BucketDeleted } from './bucket.events.js';
import type { ObjectStored } from './object.events.js';
import { decideBucket, type CreateBucket, type DeleteBucket } from './bucket.decider.js';

const now = new Date('2026-11-27T10:00:00.000Z');
const spec = deciderSpec(decideBucket);

const create = (owner = 'owner-a'): CreateBucket => ({
  type: 'CreateBucket',
  data: { bucket: 'photos', bucketId: 'b-1', owner, ownerDisplayName: 'root', region: 'us-east-1' },
  metadata: { now },
});
const created: BucketCreated = {
  type: 'BucketCreated',
  data: { bucket: 'photos', bucketId: 'b-1', owner: 'owner-a', ownerDisplayName: 'root', region: 'us-east-1', createdAt: now.toISOString() },
};
const deleteBucket: DeleteBucket = { type: 'DeleteBucket', data: { bucket: 'photos' }, metadata: { now } };
const deleted: BucketDeleted = { type: 'BucketDeleted', data: { bucket: 'photos', bucketId: 'b-1', deletedAt: now.toISOString() } };
const stored = (key: string): ObjectStored => ({
  type: 'ObjectStored',
  data: {
    bucket: 'photos', bucketId: 'b-1', key, objectId: `o-${key}`, size: 1, etag: '"x"', contentType: 'text/plain',
    userMetadata: [], owner: 'owner-a', ownerDisplayName: 'root', storedAt: now.toISOString(), storageClass: 'STANDARD',
  },
});

describe('bucket decider', () => {
  describe('CreateBucket', () => {
    it('creates a bucket whose name is free', () => spec.given().when(create()).then(created));
    it('refuses a name another owner holds', () =>
      spec.given(created).when(create('owner-b')).thenRejects('BucketAlreadyExists'));
    it('tells the owner they already own it', () =>
      spec.given(created).when(create('owner-a')).thenRejects('BucketAlreadyOwnedByYou'));
    it('allows the name again once the bucket is deleted', () =>
      spec.given(created, deleted).when(create()).then(created));
    it('records the ownership controls it is created with, right after the bucket', () => {
      const withOwnership = create();
      withOwnership.data.objectOwnership = 'BucketOwnerEnforced';
      spec.given().when(withOwnership).then(created, {
        type: 'BucketOwnershipControlsConfigured',
        data: { bucket: 'photos', bucketId: 'b-1', objectOwnership: 'BucketOwnerEnforced', configuredAt: now.toISOString() },
      });
    });
  });

  describe('DeleteBucket', () => {
    it('deletes an empty bucket', () => spec.given(created).when(deleteBucket).then(deleted));
    it('refuses a missing bucket', () => spec.given().when(deleteBucket).thenRejects('NoSuchBucket'));
    it('refuses a bucket that holds objects', () =>
      spec.given(created, stored('a.txt')).when(deleteBucket).thenRejects('BucketNotEmpty'));
    it('deletes a bucket whose objects were all deleted', () =>
      spec
        .given(created, stored('a.txt'), {
          type: 'ObjectDeleted',
          data: { bucket: 'photos', bucketId: 'b-1', key: 'a.txt', objectId: 'o-a.txt', deletedAt: now.toISOString() },
        })
        .when(deleteBucket)
        .then(deleted));
  });
});
