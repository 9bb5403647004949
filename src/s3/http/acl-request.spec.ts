import { ALL_USERS_GROUP, AUTHENTICATED_USERS_GROUP } from '../../identity-stream/canned-acl.js';
import { aclHeadersSent, grantHeaderGrants } from './acl-request.js';

const KNOWN = 'c'.repeat(64);
const accounts = (id: string) => (id === KNOWN ? { accountId: '111122223333', name: 'team-b' } : undefined);
const code = (f: () => unknown) => {
  try {
    f();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
};

describe('x-amz-grant-* headers', () => {
  it('reads each header into grants of its permission, ids and groups, quoted or not', () => {
    expect(
      grantHeaderGrants(
        { 'x-amz-grant-read': `uri="${ALL_USERS_GROUP}", id="${KNOWN}"`, 'x-amz-grant-write-acp': `uri=${AUTHENTICATED_USERS_GROUP}`, 'x-amz-grant-full-control': `id=${KNOWN}` },
        accounts,
      ),
    ).toEqual([
      { grantee: { type: 'Group', uri: ALL_USERS_GROUP }, permission: 'READ' },
      { grantee: { type: 'CanonicalUser', id: KNOWN, displayName: 'team-b' }, permission: 'READ' },
      { grantee: { type: 'Group', uri: AUTHENTICATED_USERS_GROUP }, permission: 'WRITE_ACP' },
      { grantee: { type: 'CanonicalUser', id: KNOWN, displayName: 'team-b' }, permission: 'FULL_CONTROL' },
    ]);
  });

  it('is undefined without any grant header, and tells whether any ACL header was sent', () => {
    expect(grantHeaderGrants({}, accounts)).toBeUndefined();
    expect(aclHeadersSent({})).toBe(false);
    expect(aclHeadersSent({ 'x-amz-acl': 'private' })).toBe(true);
    expect(aclHeadersSent({ 'x-amz-grant-read-acp': `id="${KNOWN}"` })).toBe(true);
  });

  it.each([
    [`id="${'d'.repeat(64)}"`, 'InvalidArgument'], // no such account
    ['id="not-hex"', 'InvalidArgument'],
    ['uri="http://acs.amazonaws.com/groups/s3/LogDelivery"', 'InvalidArgument'],
    ['uri="http://example.com/group"', 'InvalidArgument'],
    ['emailAddress="a@example.com"', 'UnresolvableGrantByEmailAddress'],
    ['name="x"', 'InvalidArgument'],
    ['id', 'InvalidArgument'],
    ['', 'InvalidArgument'],
  ])('refuses %s with %s', (value, expected) => expect(code(() => grantHeaderGrants({ 'x-amz-grant-read': value }, accounts))).toBe(expected));

  it('refuses more than 100 grants', () => {
    const many = Array.from({ length: 101 }, () => `uri="${ALL_USERS_GROUP}"`).join(', ');
    expect(code(() => grantHeaderGrants({ 'x-amz-grant-read': many }, accounts))).toBe('MalformedACLError');
  });
});
