import { deciderSpec } from '../../test/support/decider-spec.js';
import type { BucketCreated, BucketOwnershipControlsConfigured, BucketPublicAccessBlockConfigured } from './bucket.events.js';
import { decideObjectAcl, type PutObjectAcl } from './object-acl.decider.js';
import { decideObject, type CopyObject, type PutObject } from './object.decider.js';
import type { ObjectAclPut, ObjectCopied, ObjectStored } from './object.events.js';
import type { ObjectOwnership } from './bucket-access-controls.js';
import { ALL_USERS_GROUP, type AclGrant } from '../identity-stream/canned-acl.js';
import type { RequestedObjectAcl } from './object-acl.js';

const now = new Date('2026-12-07T10:00:00.000Z');
const at = now.toISOString();
const objectSpec = deciderSpec(decideObject);
const aclSpec = deciderSpec(decideObjectAcl);

const OWNER = 'a'.repeat(64);
const WRITER = 'b'.repeat(64);
const created: BucketCreated = { type: 'BucketCreated', data: { bucket: 'pics', bucketId: 'b-1', owner: OWNER, ownerDisplayName: 'owner', region: 'us-east-1', createdAt: at } };
const ownership = (objectOwnership: ObjectOwnership): BucketOwnershipControlsConfigured => ({
  type: 'BucketOwnershipControlsConfigured',
  data: { bucket: 'pics', bucketId: 'b-1', objectOwnership, configuredAt: at },
});
const blockPublicAcls: BucketPublicAccessBlockConfigured = {
  type: 'BucketPublicAccessBlockConfigured',
  data: { bucket: 'pics', bucketId: 'b-1', configuredAt: at, publicAccessBlock: { blockPublicAcls: true, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: false } },
};

const writerFull: AclGrant = { grantee: { type: 'CanonicalUser', id: WRITER, displayName: 'writer' }, permission: 'FULL_CONTROL' };
const ownerFull: AclGrant = { grantee: { type: 'CanonicalUser', id: OWNER, displayName: 'owner' }, permission: 'FULL_CONTROL' };
const allUsersRead: AclGrant = { grantee: { type: 'Group', uri: ALL_USERS_GROUP }, permission: 'READ' };

const put = (acl?: RequestedObjectAcl): PutObject => ({
  type: 'PutObject',
  data: { bucket: 'pics', key: 'cat.jpg', objectId: 'o-1', size: 3, etag: '"e"', contentType: 'image/jpeg', userMetadata: [], owner: WRITER, ownerDisplayName: 'writer' },
  ...(acl ? { acl } : {}),
  metadata: { now, newVersionId: 'v-1' },
});
const stored = (owner: { id: string; name: string } = { id: WRITER, name: 'writer' }): ObjectStored => ({
  type: 'ObjectStored',
  data: { ...put().data, owner: owner.id, ownerDisplayName: owner.name, bucketId: 'b-1', storedAt: at, storageClass: 'STANDARD' },
});
const aclPut = (grants: AclGrant[], objectId = 'o-1'): ObjectAclPut => ({
  type: 'ObjectAclPut',
  data: { bucket: 'pics', bucketId: 'b-1', key: 'cat.jpg', objectId, versionId: 'null', grants, putAt: at },
});
const putAcl = (grants: AclGrant[], versionId?: string): PutObjectAcl => ({
  type: 'PutObjectAcl',
  data: { bucket: 'pics', key: 'cat.jpg', grants, ...(versionId ? { versionId } : {}) },
  metadata: { now },
});
const byBucketOwner = { id: OWNER, name: 'owner' };

describe('object ACL decisions', () => {
  describe('a write', () => {
    it('records no ACL fact for private, the default', () => {
      objectSpec.given(created, ownership('ObjectWriter')).when(put()).then(stored());
      objectSpec.given(created, ownership('ObjectWriter')).when(put({ canned: 'private' })).then(stored());
    });
    it('records the ACL a canned ACL expands to right after the version', () =>
      objectSpec.given(created, ownership('ObjectWriter')).when(put({ canned: 'public-read' })).then(stored(), aclPut([writerFull, allUsersRead])));
    it('records the grants of grant headers as given', () =>
      objectSpec.given(created).when(put({ grants: [allUsersRead] })).then(stored(), aclPut([allUsersRead])));
    it("gives the bucket owner READ or FULL_CONTROL with bucket-owner-read / -full-control", () => {
      objectSpec.given(created).when(put({ canned: 'bucket-owner-read' })).then(stored(), aclPut([writerFull, { ...ownerFull, permission: 'READ' }]));
      objectSpec.given(created, ownership('ObjectWriter')).when(put({ canned: 'bucket-owner-full-control' })).then(stored(), aclPut([writerFull, ownerFull]));
    });
    it('makes the bucket owner own every object under BucketOwnerEnforced, and refuses any other ACL there', () => {
      objectSpec.given(created).when(put()).then(stored());
      objectSpec.given(created, ownership('BucketOwnerEnforced')).when(put()).then(stored(byBucketOwner));
      objectSpec.given(created, ownership('BucketOwnerEnforced')).when(put({ canned: 'bucket-owner-full-control' })).then(stored(byBucketOwner));
      objectSpec.given(created, ownership('BucketOwnerEnforced')).when(put({ canned: 'private' })).then(stored(byBucketOwner));
      objectSpec.given(created, ownership('BucketOwnerEnforced')).when(put({ canned: 'public-read' })).thenRejects('AccessControlListNotSupported');
      objectSpec.given(created, ownership('BucketOwnerEnforced')).when(put({ grants: [allUsersRead] })).thenRejects('AccessControlListNotSupported');
    });
    it('gives the bucket owner what is written with bucket-owner-full-control under BucketOwnerPreferred, and nothing else', () => {
      objectSpec.given(created, ownership('BucketOwnerPreferred')).when(put({ canned: 'bucket-owner-full-control' })).then(stored(byBucketOwner));
      objectSpec.given(created, ownership('BucketOwnerPreferred')).when(put()).then(stored());
    });
    it('refuses a public grant under BlockPublicAcls', () => {
      objectSpec.given(created, ownership('ObjectWriter'), blockPublicAcls).when(put({ canned: 'public-read' })).thenRejects('AccessDenied');
      objectSpec.given(created, ownership('ObjectWriter'), blockPublicAcls).when(put({ canned: 'bucket-owner-read' })).then(stored(), aclPut([writerFull, { ...ownerFull, permission: 'READ' }]));
    });
    it("gives a copy its own ACL, never the source's", () => {
      const copy: CopyObject = {
        type: 'CopyObject',
        data: {
          bucket: 'pics', key: 'copy.jpg', source: { bucket: 'pics', key: 'cat.jpg', objectId: 'o-1', size: 3, etag: '"e"' },
          contentType: 'image/jpeg', userMetadata: [], owner: WRITER, ownerDisplayName: 'writer',
        },
        acl: { canned: 'public-read' },
        metadata: { now, newVersionId: 'v-2' },
      };
      const copied: ObjectCopied = {
        type: 'ObjectCopied',
        data: { ...stored().data, key: 'copy.jpg', sourceBucket: 'pics', sourceKey: 'cat.jpg' },
      };
      const publicSource = aclPut([writerFull, allUsersRead]);
      objectSpec.given(created, stored(), publicSource).when({ ...copy, acl: { canned: 'private' } }).then(copied);
      objectSpec.given(created, stored()).when(copy).then(copied, { ...publicSource, data: { ...publicSource.data, key: 'copy.jpg' } });
    });
  });

  describe('PutObjectAcl', () => {
    it("records the version's grants from here on", () => aclSpec.given(created, stored()).when(putAcl([writerFull, allUsersRead])).then(aclPut([writerFull, allUsersRead])));
    it('refuses a key or version that is not there', () => {
      aclSpec.given(created).when(putAcl([writerFull])).thenRejects('NoSuchKey');
      aclSpec.given(created, stored()).when(putAcl([writerFull], 'v-9')).thenRejects('NoSuchVersion');
    });
    it('refuses a bucket that is not there', () => aclSpec.given().when(putAcl([writerFull])).thenRejects('NoSuchBucket'));
  });
});
