import { ALL_USERS_GROUP, AUTHENTICATED_USERS_GROUP, type AclGrant } from '../identity-stream/canned-acl.js';
import { S3Error } from '../errors/s3.error.js';
import { cannedObjectAclGrants, objectAclAllows, parseCannedObjectAcl, CANNED_OBJECT_ACLS } from './object-acl.js';

const owner = { id: 'a'.repeat(64), displayName: 'writer' };
const bucketOwner = { id: 'b'.repeat(64), displayName: 'bucket-owner' };
const group = (uri: string, permission: AclGrant['permission']): AclGrant => ({ grantee: { type: 'Group', uri }, permission });
const full = (who: typeof owner): AclGrant => ({ grantee: { type: 'CanonicalUser', id: who.id, displayName: who.displayName }, permission: 'FULL_CONTROL' });

describe('object ACLs', () => {
  it('accepts every canned ACL S3 has for objects, case-sensitively', () => {
    for (const acl of CANNED_OBJECT_ACLS) expect(parseCannedObjectAcl(acl)).toBe(acl);
    expect(parseCannedObjectAcl(undefined)).toBeUndefined();
    expect(() => parseCannedObjectAcl('Public-Read')).toThrow(S3Error);
    expect(() => parseCannedObjectAcl('log-delivery-write')).toThrow(expect.objectContaining({ code: 'NotImplemented' }));
  });

  it.each([
    ['private', [full(owner)]],
    ['public-read', [full(owner), group(ALL_USERS_GROUP, 'READ')]],
    ['public-read-write', [full(owner), group(ALL_USERS_GROUP, 'READ'), group(ALL_USERS_GROUP, 'WRITE')]],
    ['authenticated-read', [full(owner), group(AUTHENTICATED_USERS_GROUP, 'READ')]],
    ['bucket-owner-read', [full(owner), { ...full(bucketOwner), permission: 'READ' }]],
    ['bucket-owner-full-control', [full(owner), full(bucketOwner)]],
  ] as const)('expands %s as AWS\'s Canned ACL table', (acl, grants) => expect(cannedObjectAclGrants(acl, owner, bucketOwner)).toEqual(grants));

  it('adds nothing for the bucket owner when it owns the object', () =>
    expect(cannedObjectAclGrants('bucket-owner-full-control', bucketOwner, bucketOwner)).toEqual([full(bucketOwner)]));

  it('maps each permission to the object actions AWS maps it to; WRITE grants nothing on an object', () => {
    const anyone = { anonymous: true, canonicalId: '', accountGrants: false, ignorePublic: false };
    const allows = (permission: AclGrant['permission'], action: string) => objectAclAllows([group(ALL_USERS_GROUP, permission)], action, anyone);
    expect(allows('READ', 's3:GetObject')).toBe(true);
    expect(allows('READ', 's3:GetObjectVersion')).toBe(true);
    expect(allows('READ', 's3:GetObjectAcl')).toBe(false);
    expect(allows('READ_ACP', 's3:GetObjectVersionAcl')).toBe(true);
    expect(allows('WRITE_ACP', 's3:PutObjectAcl')).toBe(true);
    expect(allows('WRITE', 's3:PutObject')).toBe(false);
    expect(allows('FULL_CONTROL', 's3:PutObjectVersionAcl')).toBe(true);
    expect(allows('FULL_CONTROL', 's3:DeleteObject')).toBe(false);
  });

  it('lets a grant to an account count only where its grants count, and ignores public grants when asked', () => {
    const caller = { anonymous: false, canonicalId: owner.id, accountGrants: true, ignorePublic: false };
    expect(objectAclAllows([full(owner)], 's3:GetObject', caller)).toBe(true);
    expect(objectAclAllows([full(owner)], 's3:GetObject', { ...caller, accountGrants: false })).toBe(false);
    expect(objectAclAllows([full(owner)], 's3:GetObject', { ...caller, canonicalId: bucketOwner.id })).toBe(false);
    expect(objectAclAllows([group(AUTHENTICATED_USERS_GROUP, 'READ')], 's3:GetObject', caller)).toBe(true);
    expect(objectAclAllows([group(AUTHENTICATED_USERS_GROUP, 'READ')], 's3:GetObject', { ...caller, anonymous: true })).toBe(false);
    expect(objectAclAllows([group(ALL_USERS_GROUP, 'READ')], 's3:GetObject', { ...caller, ignorePublic: true })).toBe(false);
  });
});
