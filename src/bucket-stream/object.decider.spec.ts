import { deciderSpec } from '../../test/support/decider-spec.js';
import type { BucketCreated } from './bucket.events.js';
import type { BucketVersioningConfigured } from './bucket.events.js';
import type { DeleteMarkerCreated, DeleteMarkerRemoved, ObjectCopied, ObjectDeleted, ObjectStored } from './object.events.js';
import { decideObject, type CopyObject, type DeleteObject, type DeleteObjects, type PutObject } from './object.decider.js';

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
  metadata: { now, newVersionId: `v-${objectId}` },
});
const stored = (objectId: string, replacedObjectId?: string): ObjectStored => ({
  type: 'ObjectStored',
  data: {
    ...put(objectId).data, bucketId: 'b-1', storedAt: now.toISOString(), storageClass: 'STANDARD',
    ...(replacedObjectId ? { replacedObjectId } : {}),
  },
});
const deleter = { owner: 'owner-a', ownerDisplayName: 'root' };
const del: DeleteObject = { type: 'DeleteObject', data: { bucket: 'docs', key: 'script.txt', ...deleter }, metadata: { now, newVersionId: 'm-1' } };
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
    it('records the content headers of the write, as given', () => {
      const headers = { cacheControl: 'max-age=60', contentDisposition: 'inline', contentEncoding: 'gzip', contentLanguage: 'fr', expires: 'whenever' };
      const withHeaders = put('o-1');
      spec.given(created).when({ ...withHeaders, data: { ...withHeaders.data, ...headers } }).then({ ...stored('o-1'), data: { ...stored('o-1').data, ...headers } });
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
    it('refuses If-None-Match naming the current ETag, and stores over any other or a missing key', () => {
      spec.given(created, stored('o-1')).when(withCondition('o-2', { ifNoneMatch: '"5d41402abc4b2a76b9719d911017c592"' })).thenRejects('PreconditionFailed');
      spec.given(created, stored('o-1')).when(withCondition('o-2', { ifNoneMatch: '"0000", 5d41402abc4b2a76b9719d911017c592' })).thenRejects('PreconditionFailed');
      spec.given(created, stored('o-1')).when(withCondition('o-2', { ifNoneMatch: '"0000"' })).then(stored('o-2', 'o-1'));
      spec.given(created).when(withCondition('o-1', { ifNoneMatch: '"5d41402abc4b2a76b9719d911017c592"' })).then(stored('o-1'));
    });
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
    const delMany = (...keys: string[]): DeleteObjects => ({
      type: 'DeleteObjects',
      data: { bucket: 'docs', objects: keys.map((key) => ({ key })), ...deleter },
      metadata: { now, newVersionId: () => 'm-1' },
    });

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

  describe('with versioning', () => {
    const versioning = (status: 'Enabled' | 'Suspended'): BucketVersioningConfigured => ({
      type: 'BucketVersioningConfigured',
      data: { bucket: 'docs', bucketId: 'b-1', status, configuredAt: now.toISOString() },
    });
    const storedVersion = (objectId: string, versionId: string, replacedObjectId?: string): ObjectStored => ({
      type: 'ObjectStored',
      data: { ...stored(objectId, replacedObjectId).data, versionId },
    });
    const marker = (versionId: string, replacedObjectId?: string): DeleteMarkerCreated => ({
      type: 'DeleteMarkerCreated',
      data: { bucket: 'docs', bucketId: 'b-1', key: 'script.txt', versionId, ...deleter, createdAt: now.toISOString(), ...(replacedObjectId ? { replacedObjectId } : {}) },
    });
    const delVersion = (versionId: string): DeleteObject => ({ ...del, data: { ...del.data, versionId } });
    const versionDeleted = (objectId: string, versionId: string): ObjectDeleted => ({
      type: 'ObjectDeleted',
      data: { ...deleted.data, objectId, versionId },
    });
    const markerRemoved = (versionId: string): DeleteMarkerRemoved => ({
      type: 'DeleteMarkerRemoved',
      data: { bucket: 'docs', bucketId: 'b-1', key: 'script.txt', versionId, removedAt: now.toISOString() },
    });
    const enabled = versioning('Enabled');
    const suspended = versioning('Suspended');

    it('gives each write a new version and releases nothing while Enabled', () =>
      spec.given(created, enabled, storedVersion('o-1', 'v-o-1')).when(put('o-2')).then(storedVersion('o-2', 'v-o-2')));
    it('keeps the null version written before versioning when a new version arrives', () =>
      spec.given(created, stored('o-1'), enabled).when(put('o-2')).then(storedVersion('o-2', 'v-o-2')));
    it('writes null versions while Suspended, replacing the previous null version', () =>
      spec.given(created, stored('o-1'), enabled, storedVersion('o-2', 'v-o-2'), suspended).when(put('o-3')).then(storedVersion('o-3', 'null', 'o-1')));
    it('replaces no Enabled-era version while Suspended', () =>
      spec.given(created, enabled, storedVersion('o-1', 'v-o-1'), suspended).when(put('o-2')).then(storedVersion('o-2', 'null')));
    it('deletes by adding a delete marker while Enabled', () =>
      spec.given(created, enabled, storedVersion('o-1', 'v-o-1')).when(del).then(marker('m-1')));
    it('adds a delete marker even when the key has no object, as S3 does', () => spec.given(created, enabled).when(del).then(marker('m-1')));
    it('makes the delete marker the null version while Suspended, releasing the old null version', () =>
      spec.given(created, stored('o-1'), suspended).when(del).then(marker('null', 'o-1')));
    it('deletes one version for good by its id', () =>
      spec.given(created, enabled, storedVersion('o-1', 'v-o-1'), storedVersion('o-2', 'v-o-2')).when(delVersion('v-o-1')).then(versionDeleted('o-1', 'v-o-1')));
    it('removes a delete marker by its id, naming the version that is newest again', () =>
      spec
        .given(created, enabled, storedVersion('o-1', 'v-o-1'), marker('m-1'))
        .when(delVersion('m-1'))
        .then({ ...markerRemoved('m-1'), data: { ...markerRemoved('m-1').data, newestVersionId: 'v-o-1' } }));
    it('names the next version when the newest is deleted, and null when none is left', () => {
      spec
        .given(created, enabled, storedVersion('o-1', 'v-o-1'), storedVersion('o-2', 'v-o-2'))
        .when(delVersion('v-o-2'))
        .then({ ...versionDeleted('o-2', 'v-o-2'), data: { ...versionDeleted('o-2', 'v-o-2').data, newestVersionId: 'v-o-1' } });
      spec
        .given(created, enabled, storedVersion('o-1', 'v-o-1'))
        .when(delVersion('v-o-1'))
        .then({ ...versionDeleted('o-1', 'v-o-1'), data: { ...versionDeleted('o-1', 'v-o-1').data, newestVersionId: null } });
    });
    it('deletes the null version by id null', () =>
      spec.given(created, stored('o-1'), enabled, storedVersion('o-2', 'v-o-2')).when(delVersion('null')).then(versionDeleted('o-1', 'null')));
    it('records nothing for a version id the key does not have', () =>
      spec.given(created, enabled, storedVersion('o-1', 'v-o-1')).when(delVersion('v-missing')).then());
    it('treats a key whose newest version is a delete marker as absent for If-None-Match: *', () =>
      spec.given(created, enabled, storedVersion('o-1', 'v-o-1'), marker('m-1')).when({ ...put('o-2'), condition: { ifNoneMatch: '*' } }).then(storedVersion('o-2', 'v-o-2')));
    it('deletes versions of several keys in one DeleteObjects', () =>
      spec
        .given(created, enabled, storedVersion('o-1', 'v-o-1'), storedVersion('o-2', 'v-o-2'))
        .when({
          type: 'DeleteObjects',
          data: { bucket: 'docs', objects: [{ key: 'script.txt', versionId: 'v-o-1' }, { key: 'script.txt' }], ...deleter },
          metadata: { now, newVersionId: () => 'm-9' },
        })
        .then(versionDeleted('o-1', 'v-o-1'), marker('m-9')));
    it('decides each deletion of one DeleteObjects after the ones before it', () =>
      spec
        .given(created, enabled, storedVersion('o-1', 'v-o-1'), storedVersion('o-2', 'v-o-2'))
        .when({
          type: 'DeleteObjects',
          data: { bucket: 'docs', objects: [{ key: 'script.txt', versionId: 'v-o-2' }, { key: 'script.txt', versionId: 'v-o-1' }], ...deleter },
          metadata: { now, newVersionId: () => 'm-9' },
        })
        .then(
          { ...versionDeleted('o-2', 'v-o-2'), data: { ...versionDeleted('o-2', 'v-o-2').data, newestVersionId: 'v-o-1' } },
          { ...versionDeleted('o-1', 'v-o-1'), data: { ...versionDeleted('o-1', 'v-o-1').data, newestVersionId: null } },
        ));
    it('copies into a new version of a versioned destination, naming the source version', () =>
      spec
        .given(created, versioning('Enabled'), storedVersion('o-1', 'v-1'), storedVersion('o-2', 'v-2'))
        .when({
          type: 'CopyObject',
          data: {
            bucket: 'docs', key: 'copy.txt', contentType: 'text/plain', userMetadata: [], owner: 'owner-a', ownerDisplayName: 'root',
            source: { bucket: 'docs', key: 'script.txt', objectId: 'o-1', size: 5, etag: '"e"', versionId: 'v-1' },
          },
          metadata: { now, newVersionId: 'v-c' },
        })
        .then({
          type: 'ObjectCopied',
          data: {
            bucket: 'docs', bucketId: 'b-1', key: 'copy.txt', objectId: 'o-1', size: 5, etag: '"e"', contentType: 'text/plain', userMetadata: [],
            owner: 'owner-a', ownerDisplayName: 'root', storedAt: now.toISOString(), storageClass: 'STANDARD',
            sourceBucket: 'docs', sourceKey: 'script.txt', sourceVersionId: 'v-1', versionId: 'v-c',
          },
        }));
  });

  describe('CopyObject', () => {
    const copy = (key: string, over: Partial<CopyObject['data']> = {}, condition?: CopyObject['condition']): CopyObject => ({
      type: 'CopyObject',
      data: {
        bucket: 'docs', key,
        source: { bucket: 'docs', key: 'script.txt', objectId: 'o-1', size: 5, etag: '"5d41402abc4b2a76b9719d911017c592"' },
        contentType: 'text/plain', userMetadata: [{ name: 'colour', value: 'blue' }], owner: 'owner-b', ownerDisplayName: 'bob',
        ...over,
      },
      ...(condition ? { condition } : {}),
      metadata: { now, newVersionId: 'v-copy' },
    });
    const copiedTo = (key: string, over: Partial<ObjectCopied['data']> = {}): ObjectCopied => ({
      type: 'ObjectCopied',
      data: {
        bucket: 'docs', bucketId: 'b-1', key, objectId: 'o-1', size: 5, etag: '"5d41402abc4b2a76b9719d911017c592"',
        contentType: 'text/plain', userMetadata: [{ name: 'colour', value: 'blue' }], owner: 'owner-b', ownerDisplayName: 'bob',
        storedAt: now.toISOString(), storageClass: 'STANDARD', sourceBucket: 'docs', sourceKey: 'script.txt', ...over,
      },
    });

    it('shares the source blob under the new key: no new objectId', () =>
      spec.given(created, stored('o-1')).when(copy('copy.txt')).then(copiedTo('copy.txt')));
    it('records the content headers the copy is given (the source\'s or the request\'s, chosen by the handler)', () =>
      spec.given(created, stored('o-1')).when(copy('copy.txt', { cacheControl: 'no-store', expires: 'Wed, 01 Dec 2094 16:00:00 GMT' }))
        .then(copiedTo('copy.txt', { cacheControl: 'no-store', expires: 'Wed, 01 Dec 2094 16:00:00 GMT' })));
    it('never releases the blob a REPLACE copy onto itself keeps referencing, whatever blob that is', () =>
      spec.given(created, stored('o-1'), stored('o-9')).when(copy('script.txt', { source: { ...copy('x').data.source, objectId: 'o-9' } }))
        .then(copiedTo('script.txt', { objectId: 'o-9' })));
    it('refuses a source larger than 5 GiB, as S3 does for CopyObject', () => {
      const at = (size: number) => copy('copy.txt', { source: { ...copy('x').data.source, size } });
      spec.given(created, stored('o-1')).when(at(5 * 1024 ** 3 + 1)).thenRejects('InvalidRequest');
      spec.given(created, stored('o-1')).when(at(5 * 1024 ** 3)).then(copiedTo('copy.txt', { size: 5 * 1024 ** 3 }));
    });
    it('never releases the shared blob when the key already references it (a copy onto itself)', () =>
      spec.given(created, stored('o-1')).when(copy('script.txt')).then(copiedTo('script.txt')));
    it('releases the destination’s other blob when copying over another object', () =>
      spec.given(created, stored('o-1'), { ...stored('o-2'), data: { ...stored('o-2').data, key: 'copy.txt' } })
        .when(copy('copy.txt')).then(copiedTo('copy.txt', { replacedObjectId: 'o-2' })));
    it('carries the parts of a multipart source and the tags', () => {
      const parts = [{ objectId: 'p-1', size: 3 }, { objectId: 'p-2', size: 2 }];
      const tags = [{ key: 'k', value: 'v' }];
      spec.given(created, stored('o-1')).when(copy('copy.txt', { source: { ...copy('x').data.source, parts }, tags }))
        .then(copiedTo('copy.txt', { parts, tags }));
    });
    it('refuses a source of the same bucket that is gone by the time of the decision', () =>
      spec.given(created).when(copy('copy.txt')).thenRejects('NoSuchKey'));
    it('refuses (for a retry) a same-bucket source overwritten since it was read: its blob was released', () =>
      spec.given(created, stored('o-1'), stored('o-2', 'o-1')).when(copy('copy.txt')).thenRejects('ServiceUnavailable'));
    it('takes a source of another bucket as read (that bucket has its own writer)', () =>
      spec.given(created).when(copy('copy.txt', { source: { ...copy('x').data.source, bucket: 'other' } }))
        .then(copiedTo('copy.txt', { sourceBucket: 'other' })));
    it('applies the destination write conditions against the authoritative state', () => {
      spec.given(created, stored('o-1')).when(copy('script.txt', {}, { ifNoneMatch: '*' })).thenRejects('PreconditionFailed');
      spec.given(created, stored('o-1')).when(copy('copy.txt', {}, { ifMatch: '"x"' })).thenRejects('NoSuchKey');
      spec.given(created, stored('o-1')).when(copy('copy.txt', {}, { ifNoneMatch: '*' })).then(copiedTo('copy.txt'));
    });
    it('refuses a missing destination bucket', () => spec.given().when(copy('copy.txt')).thenRejects('NoSuchBucket'));
  });
});
