import {
  bucketAclAllows,
  bucketAclOf,
  ALL_USERS_GROUP,
  AUTHENTICATED_USERS_GROUP,
  CANNED_BUCKET_ACLS,
  cannedAclAllows,
  cannedAclFromGrants,
  cannedAclGrants,
  parseCannedAcl,
  type AclGrant,
  type CannedBucketAcl,
} from './canned-acl.js';
import { s3ErrorOf } from '../../test/support/s3-error-of.js';

const OWNER = { id: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be', displayName: 'owner' };
const ownerFull: AclGrant = { grantee: { type: 'CanonicalUser', ...OWNER }, permission: 'FULL_CONTROL' };
const allUsers = (permission: AclGrant['permission']): AclGrant => ({ grantee: { type: 'Group', uri: ALL_USERS_GROUP }, permission });
const authUsers = (permission: AclGrant['permission']): AclGrant => ({
  grantee: { type: 'Group', uri: AUTHENTICATED_USERS_GROUP },
  permission,
});

describe('parseCannedAcl', () => {
  it('is undefined without the header', () => {
    expect(parseCannedAcl(undefined)).toBeUndefined();
  });

  it.each<[string, CannedBucketAcl]>([
    ['private', 'private'],
    ['public-read', 'public-read'],
    ['public-read-write', 'public-read-write'],
    ['authenticated-read', 'authenticated-read'],
    // Object ACLs S3 ignores on a bucket: the owner keeps FULL_CONTROL alone.
    ['bucket-owner-read', 'private'],
    ['bucket-owner-full-control', 'private'],
  ])('reads %j as %s', (header, acl) => {
    expect(parseCannedAcl(header)).toBe(acl);
  });

  it.each(['aws-exec-read', 'log-delivery-write'])('refuses %j, valid in S3 but not served, as NotImplemented', (header) => {
    expect(s3ErrorOf(() => parseCannedAcl(header)).code).toBe('NotImplemented');
  });

  it.each(['privatee', 'Private', 'PUBLIC-READ', ' private', '', 'public-read,private'])(
    'refuses %j as S3 does: InvalidArgument, empty message, the header named',
    (header) => {
      const error = s3ErrorOf(() => parseCannedAcl(header));
      expect(error.code).toBe('InvalidArgument');
      expect(error.status).toBe(400);
      expect(error.message).toBe('');
      expect(error.details).toEqual({ ArgumentName: 'x-amz-acl', ArgumentValue: header });
    },
  );
});

describe('cannedAclGrants', () => {
  it.each<[CannedBucketAcl, AclGrant[]]>([
    ['private', [ownerFull]],
    ['public-read', [ownerFull, allUsers('READ')]],
    ['public-read-write', [ownerFull, allUsers('READ'), allUsers('WRITE')]],
    ['authenticated-read', [ownerFull, authUsers('READ')]],
  ])('expands %s', (acl, grants) => {
    expect(cannedAclGrants(acl, OWNER)).toEqual(grants);
  });
});

describe('cannedAclFromGrants', () => {
  it.each(CANNED_BUCKET_ACLS)('recognises the expansion of %s', (acl) => {
    expect(cannedAclFromGrants(cannedAclGrants(acl, OWNER), OWNER.id)).toBe(acl);
  });

  it('ignores order, duplicates and display names', () => {
    const renamed: AclGrant = { grantee: { type: 'CanonicalUser', id: OWNER.id, displayName: 'other name' }, permission: 'FULL_CONTROL' };
    expect(cannedAclFromGrants([allUsers('WRITE'), renamed, allUsers('READ'), allUsers('READ')], OWNER.id)).toBe('public-read-write');
  });

  it.each<[string, AclGrant[]]>([
    ['no grants', []],
    ['no owner grant', [allUsers('READ')]],
    ['an owner grant short of FULL_CONTROL', [{ ...ownerFull, permission: 'READ' }]],
    ['FULL_CONTROL for someone else', [{ grantee: { type: 'CanonicalUser', id: 'someone', displayName: '' }, permission: 'FULL_CONTROL' }]],
    ['a grant to another account', [ownerFull, { grantee: { type: 'CanonicalUser', id: 'someone', displayName: '' }, permission: 'READ' }]],
    ['WRITE without READ for everyone', [ownerFull, allUsers('WRITE')]],
    ['READ_ACP for everyone', [ownerFull, allUsers('READ'), allUsers('READ_ACP')]],
    ['both groups', [ownerFull, allUsers('READ'), authUsers('READ')]],
    ['the log delivery group', [ownerFull, { grantee: { type: 'Group', uri: 'http://acs.amazonaws.com/groups/s3/LogDelivery' }, permission: 'WRITE' }]],
  ])('is undefined for %s', (_name, grants) => {
    expect(cannedAclFromGrants(grants, OWNER.id)).toBeUndefined();
  });
});

describe('cannedAclAllows', () => {
  const anonymous = { anonymous: true };
  const signed = { anonymous: false };

  it.each<[CannedBucketAcl, string, { anonymous: boolean }, boolean]>([
    // The owner's grant is never consulted: IAM users of the account need policies.
    ['private', 's3:ListBucket', signed, false],
    ['private', 's3:PutBucketAcl', signed, false],
    ['private', 's3:ListBucket', anonymous, false],
    // public-read: READ for everyone lists the bucket, its versions and its uploads.
    ['public-read', 's3:ListBucket', anonymous, true],
    ['public-read', 's3:ListBucketVersions', anonymous, true],
    ['public-read', 's3:ListBucketMultipartUploads', signed, true],
    ['public-read', 's3:listbucket', anonymous, true],
    ['public-read', 's3:PutObject', anonymous, false],
    ['public-read', 's3:GetBucketAcl', anonymous, false],
    // A bucket ACL never grants object reads.
    ['public-read', 's3:GetObject', anonymous, false],
    // public-read-write: WRITE creates objects; deleting stays with owners.
    ['public-read-write', 's3:ListBucket', anonymous, true],
    ['public-read-write', 's3:PutObject', anonymous, true],
    ['public-read-write', 's3:DeleteObject', anonymous, false],
    ['public-read-write', 's3:DeleteObjectVersion', anonymous, false],
    ['public-read-write', 's3:PutBucketAcl', anonymous, false],
    ['public-read-write', 's3:DeleteBucket', anonymous, false],
    // authenticated-read: any signed request, never an anonymous one.
    ['authenticated-read', 's3:ListBucket', signed, true],
    ['authenticated-read', 's3:ListBucketVersions', signed, true],
    ['authenticated-read', 's3:ListBucket', anonymous, false],
    ['authenticated-read', 's3:PutObject', signed, false],
    ['authenticated-read', 's3:*', signed, false],
  ])('%s allows %s for %j: %s', (acl, action, caller, allowed) => {
    expect(cannedAclAllows(acl, action, caller)).toBe(allowed);
  });
});

describe('bucket ACLs of grants', () => {
  const B = 'c'.repeat(64);
  const owner = 'a'.repeat(64);
  const acl = {
    grants: [
      { grantee: { type: 'CanonicalUser' as const, id: owner, displayName: 'a' }, permission: 'FULL_CONTROL' as const },
      { grantee: { type: 'CanonicalUser' as const, id: B, displayName: 'b' }, permission: 'WRITE' as const },
      { grantee: { type: 'Group' as const, uri: AUTHENTICATED_USERS_GROUP }, permission: 'READ_ACP' as const },
    ],
  };
  it('stores a grant list that is exactly a canned ACL as that canned ACL', () => {
    expect(bucketAclOf([acl.grants[0]!, { grantee: { type: 'Group', uri: ALL_USERS_GROUP }, permission: 'READ' }], owner)).toBe('public-read');
    expect(bucketAclOf(acl.grants, owner)).toEqual(acl);
  });
  it("grants an account what its grant maps to, groups theirs, and nothing public under IgnorePublicAcls", () => {
    const asB = { anonymous: false, canonicalId: B, ignorePublic: false };
    expect(bucketAclAllows(acl, 's3:PutObject', asB)).toBe(true);
    expect(bucketAclAllows(acl, 's3:ListBucket', asB)).toBe(false);
    expect(bucketAclAllows(acl, 's3:PutObject', { anonymous: false, ignorePublic: false })).toBe(false);
    expect(bucketAclAllows(acl, 's3:GetBucketAcl', { anonymous: false, ignorePublic: false })).toBe(true);
    expect(bucketAclAllows(acl, 's3:GetBucketAcl', { anonymous: true, ignorePublic: false })).toBe(false);
    expect(bucketAclAllows(acl, 's3:GetBucketAcl', { anonymous: false, ignorePublic: true })).toBe(false);
    expect(bucketAclAllows(acl, 's3:PutObject', { ...asB, ignorePublic: true })).toBe(true);
    expect(bucketAclAllows('public-read', 's3:ListBucket', { anonymous: true, ignorePublic: true })).toBe(false);
  });
});
