import type { AclGrant } from './canned-acl.js';
import { randomBytes } from 'node:crypto';
import { projectIdentity } from '../projections/identity/identity.projection.js';
import { S3Error } from '../errors/s3.error.js';
import { IdentityDirectory } from './identity.directory.js';
import { IamError } from '../errors/iam.error.js';
import { SecretBox } from './secret-box.js';
import { decideIdentity, MAX_USER_INLINE_POLICY_CHARS, type IdentityCommand } from './identity.decider.js';
import type { IdentityEvent } from './identity.events.js';
import { accountCanonicalId } from '../event-log/principal.js';

const now = new Date('2026-11-27T10:00:00.000Z');
const at = now.toISOString();
const box = new SecretBox(randomBytes(32).toString('base64'));
const sealed = box.seal('s'.repeat(40), 'AKIAAAAAAAAAAAAAAAA1');

function directoryOf(...past: IdentityEvent[]): IdentityDirectory {
  const directory = new IdentityDirectory();
  past.forEach((event, offset) => projectIdentity(event, offset, (id) => directory.get(id)).forEach((m) => directory.apply(m)));
  return directory;
}

/** given(past events) — folded through the real projection into a directory — .when(command).then(events) */
function given(...past: IdentityEvent[]) {
  const directory = directoryOf(...past);
  return {
    when: (command: IdentityCommand) => ({
      then: (...expected: IdentityEvent[]) => expect(decideIdentity(command, directory, now)).toEqual(expected),
      thenRejects: (code: string, message?: RegExp) => {
        let thrown: unknown;
        try {
          decideIdentity(command, directory, now);
        } catch (error) {
          thrown = error;
        }
        expect(thrown instanceof IamError || thrown instanceof S3Error).toBe(true);
        expect((thrown as IamError | S3Error).code).toBe(code);
        if (message) expect((thrown as Error).message).toMatch(message);
      },
    }),
  };
}

const userCreated = (userName = 'alice'): IdentityEvent => ({
  type: 'UserCreated',
  data: { accountId: '000000000000', userName, userId: `AIDA${userName.toUpperCase()}`, arn: `arn:aws:iam::000000000000:user/${userName}`, path: '/', createdAt: at },
});
const keyCreated = (accessKeyId: string, userName = 'alice'): IdentityEvent => ({
  type: 'AccessKeyCreated',
  data: { accountId: '000000000000', userName, accessKeyId, status: 'Active', secret: sealed, createdAt: at },
});
const READ_ONLY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
const policyPut = (policyName = 'ro', policyDocument = READ_ONLY): IdentityEvent => ({
  type: 'UserPolicyPut',
  data: { accountId: '000000000000', userName: 'alice', policyName, policyDocument, putAt: at },
});
const bucketPolicy = (statement: Record<string, unknown>) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', ...statement }] });

const ACCOUNT_B = '111122223333';
const accountCreated = (accountId = ACCOUNT_B, name = 'team-b', rootAccessKeyId = 'AKIAROOTOFTEAMB00001'): IdentityEvent => ({
  type: 'AccountCreated',
  data: { accountId, name, canonicalId: accountCanonicalId(accountId), rootAccessKeyId, rootSecret: sealed, createdAt: at },
});
const createAccount = (accountId = ACCOUNT_B, name = 'team-b', rootAccessKeyId = 'AKIAROOTOFTEAMB00001'): IdentityCommand => ({
  type: 'CreateAccount',
  data: { accountId, name, rootAccessKeyId, rootSecret: sealed },
});

describe('identity decider', () => {
  describe('accounts', () => {
    it('creates an account whose id and name are free; its canonical id is the SHA-256 of its root ARN', () =>
      given().when(createAccount()).then(accountCreated()));
    it('refuses an id in use, the default account included: EntityAlreadyExists', () => {
      given(accountCreated()).when(createAccount(ACCOUNT_B, 'other', 'AKIAROOTOFOTHER00001')).thenRejects('EntityAlreadyExists', /111122223333/);
      given().when(createAccount('000000000000', 'other')).thenRejects('EntityAlreadyExists');
    });
    it('refuses a name in use, whatever its case, and the default account\'s name', () => {
      given(accountCreated()).when(createAccount('444455556666', 'TEAM-B', 'AKIAROOTOFOTHER00001')).thenRejects('EntityAlreadyExists', /TEAM-B/);
      given().when(createAccount('444455556666', 'root')).thenRejects('EntityAlreadyExists');
    });
    it('refuses a root access key id already in use', () =>
      given(userCreated(), keyCreated('AKIAAAAAAAAAAAAAAAA1'))
        .when(createAccount(ACCOUNT_B, 'team-b', 'AKIAAAAAAAAAAAAAAAA1'))
        .thenRejects('EntityAlreadyExists'));
    it('deletes an account without users', () =>
      given(accountCreated())
        .when({ type: 'DeleteAccount', data: { accountId: ACCOUNT_B } })
        .then({ type: 'AccountDeleted', data: { accountId: ACCOUNT_B, deletedAt: at } }));
    it('refuses to delete an unknown account (NoSuchEntity) or the default one (DeleteConflict)', () => {
      given().when({ type: 'DeleteAccount', data: { accountId: ACCOUNT_B } }).thenRejects('NoSuchEntity');
      given().when({ type: 'DeleteAccount', data: { accountId: '000000000000' } }).thenRejects('DeleteConflict');
    });
    it('refuses to delete an account that still has users: DeleteConflict', () =>
      given(accountCreated(), {
        type: 'UserCreated',
        data: { accountId: ACCOUNT_B, userName: 'bob', userId: 'AIDABOB', arn: `arn:aws:iam::${ACCOUNT_B}:user/bob`, path: '/', createdAt: at },
      })
        .when({ type: 'DeleteAccount', data: { accountId: ACCOUNT_B } })
        .thenRejects('DeleteConflict', /users/));
    it('keeps user names per account: the same name in another account is another user, with an ARN there', () => {
      given(accountCreated(), userCreated())
        .when({ type: 'CreateUser', data: { accountId: ACCOUNT_B, userName: 'alice', path: '/', userId: 'AIDAALICEB' } })
        .then({ type: 'UserCreated', data: { accountId: ACCOUNT_B, userName: 'alice', userId: 'AIDAALICEB', arn: `arn:aws:iam::${ACCOUNT_B}:user/alice`, path: '/', createdAt: at } });
      given(userCreated())
        .when({ type: 'CreateAccessKey', data: { accountId: ACCOUNT_B, userName: 'alice', accessKeyId: 'AKIAAAAAAAAAAAAAAAA1', secret: sealed } })
        .thenRejects('NoSuchEntity');
      given().when({ type: 'CreateUser', data: { accountId: ACCOUNT_B, userName: 'alice', path: '/', userId: 'AIDAALICEB' } }).thenRejects('NoSuchEntity', /account/);
    });
    it("refuses a user's key id that is an account's root key id", () =>
      given(accountCreated(), userCreated())
        .when({ type: 'CreateAccessKey', data: { accountId: '000000000000', userName: 'alice', accessKeyId: 'AKIAROOTOFTEAMB00001', secret: sealed } })
        .thenRejects('EntityAlreadyExists'));
    it('a bucket policy may name an existing account, by id or root ARN, but not an unknown one', () => {
      const put = (principal: string): IdentityCommand => ({
        type: 'PutBucketPolicy',
        data: { bucket: 'photos', bucketId: 'b-1', policy: bucketPolicy({ Principal: { AWS: principal }, Resource: 'arn:aws:s3:::photos/*' }) },
      });
      expect(decideIdentity(put(ACCOUNT_B), directoryOf(accountCreated()), now)).toHaveLength(1);
      expect(decideIdentity(put(`arn:aws:iam::${ACCOUNT_B}:root`), directoryOf(accountCreated()), now)).toHaveLength(1);
      given().when(put(ACCOUNT_B)).thenRejects('MalformedPolicy', /Invalid principal/);
      given().when(put('arn:aws:iam::444455556666:root')).thenRejects('MalformedPolicy', /Invalid principal/);
    });
  });

  describe('users', () => {
    it('creates a user whose name is free', () =>
      given().when({ type: 'CreateUser', data: { accountId: '000000000000', userName: 'alice', path: '/', userId: 'AIDAALICE' } }).then(userCreated()));
    it('refuses a name in use: EntityAlreadyExists', () =>
      given(userCreated())
        .when({ type: 'CreateUser', data: { accountId: '000000000000', userName: 'alice', path: '/', userId: 'AIDAOTHER' } })
        .thenRejects('EntityAlreadyExists', /alice already exists/));
    it('puts the path into the ARN', () =>
      given()
        .when({ type: 'CreateUser', data: { accountId: '000000000000', userName: 'bob', path: '/ops/', userId: 'AIDABOB' } })
        .then({ type: 'UserCreated', data: { accountId: '000000000000', userName: 'bob', userId: 'AIDABOB', arn: 'arn:aws:iam::000000000000:user/ops/bob', path: '/ops/', createdAt: at } }));
    it('deletes a user without keys or policies', () =>
      given(userCreated())
        .when({ type: 'DeleteUser', data: { accountId: '000000000000', userName: 'alice' } })
        .then({ type: 'UserDeleted', data: { accountId: '000000000000', userName: 'alice', userId: 'AIDAALICE', deletedAt: at } }));
    it('refuses to delete a user that still has keys: DeleteConflict', () =>
      given(userCreated(), keyCreated('AKIAAAAAAAAAAAAAAAA1'))
        .when({ type: 'DeleteUser', data: { accountId: '000000000000', userName: 'alice' } })
        .thenRejects('DeleteConflict', /access keys/));
    it('refuses to delete a user that still has policies: DeleteConflict', () =>
      given(userCreated(), policyPut()).when({ type: 'DeleteUser', data: { accountId: '000000000000', userName: 'alice' } }).thenRejects('DeleteConflict', /policies/));
    it('refuses an unknown user: NoSuchEntity', () =>
      given().when({ type: 'DeleteUser', data: { accountId: '000000000000', userName: 'ghost' } }).thenRejects('NoSuchEntity'));
    it('allows the name again after deletion', () =>
      given(userCreated(), { type: 'UserDeleted', data: { accountId: '000000000000', userName: 'alice', userId: 'AIDAALICE', deletedAt: at } })
        .when({ type: 'CreateUser', data: { accountId: '000000000000', userName: 'alice', path: '/', userId: 'AIDAALICE' } })
        .then(userCreated()));
  });

  describe('access keys', () => {
    const create = (accessKeyId: string): IdentityCommand => ({ type: 'CreateAccessKey', data: { accountId: '000000000000', userName: 'alice', accessKeyId, secret: sealed } });
    it('creates an Active key carrying only the sealed secret', () =>
      given(userCreated()).when(create('AKIAAAAAAAAAAAAAAAA1')).then(keyCreated('AKIAAAAAAAAAAAAAAAA1')));
    it('refuses a third key: LimitExceeded', () =>
      given(userCreated(), keyCreated('AKIAAAAAAAAAAAAAAAA1'), keyCreated('AKIAAAAAAAAAAAAAAAA2'))
        .when(create('AKIAAAAAAAAAAAAAAAA3'))
        .thenRejects('LimitExceeded', /AccessKeysPerUser: 2/));
    it('refuses a key for an unknown user', () => given().when(create('AKIAAAAAAAAAAAAAAAA1')).thenRejects('NoSuchEntity'));
    it('deactivates a key', () =>
      given(userCreated(), keyCreated('AKIAAAAAAAAAAAAAAAA1'))
        .when({ type: 'UpdateAccessKey', data: { accountId: '000000000000', userName: 'alice', accessKeyId: 'AKIAAAAAAAAAAAAAAAA1', status: 'Inactive' } })
        .then({ type: 'AccessKeyStatusChanged', data: { accountId: '000000000000', userName: 'alice', accessKeyId: 'AKIAAAAAAAAAAAAAAAA1', status: 'Inactive', changedAt: at } }));
    it('records nothing when the status does not change', () =>
      given(userCreated(), keyCreated('AKIAAAAAAAAAAAAAAAA1'))
        .when({ type: 'UpdateAccessKey', data: { accountId: '000000000000', userName: 'alice', accessKeyId: 'AKIAAAAAAAAAAAAAAAA1', status: 'Active' } })
        .then());
    it("refuses another user's key: NoSuchEntity", () =>
      given(userCreated(), userCreated('bob'), keyCreated('AKIAAAAAAAAAAAAAAAA1', 'bob'))
        .when({ type: 'DeleteAccessKey', data: { accountId: '000000000000', userName: 'alice', accessKeyId: 'AKIAAAAAAAAAAAAAAAA1' } })
        .thenRejects('NoSuchEntity', /AKIAAAAAAAAAAAAAAAA1/));
    it('deletes a key', () =>
      given(userCreated(), keyCreated('AKIAAAAAAAAAAAAAAAA1'))
        .when({ type: 'DeleteAccessKey', data: { accountId: '000000000000', userName: 'alice', accessKeyId: 'AKIAAAAAAAAAAAAAAAA1' } })
        .then({ type: 'AccessKeyDeleted', data: { accountId: '000000000000', userName: 'alice', accessKeyId: 'AKIAAAAAAAAAAAAAAAA1', deletedAt: at } }));
  });

  describe('user policies', () => {
    const put = (policyDocument: string, policyName = 'ro'): IdentityCommand => ({
      type: 'PutUserPolicy',
      data: { accountId: '000000000000', userName: 'alice', policyName, policyDocument },
    });
    it('puts a valid policy', () => given(userCreated()).when(put(READ_ONLY)).then(policyPut()));
    it('records nothing for the same document again', () => given(userCreated(), policyPut()).when(put(READ_ONLY)).then());
    it.each([
      ['not JSON', '{"Version":'],
      ['an unknown Effect', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Maybe', Action: '*', Resource: '*' }] })],
      ['a Principal (identity policies have none)', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] })],
    ])('refuses %s whole: MalformedPolicyDocument', (_, doc) => given(userCreated()).when(put(doc)).thenRejects('MalformedPolicyDocument'));
    it('refuses policies beyond the per-user size quota: LimitExceeded', () => {
      const big = JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${'b'.repeat(MAX_USER_INLINE_POLICY_CHARS)}/*` }],
      });
      given(userCreated()).when(put(big)).thenRejects('LimitExceeded');
    });
    it('deletes a policy; an absent one is NoSuchEntity', () => {
      given(userCreated(), policyPut())
        .when({ type: 'DeleteUserPolicy', data: { accountId: '000000000000', userName: 'alice', policyName: 'ro' } })
        .then({ type: 'UserPolicyDeleted', data: { accountId: '000000000000', userName: 'alice', policyName: 'ro', deletedAt: at } });
      given(userCreated()).when({ type: 'DeleteUserPolicy', data: { accountId: '000000000000', userName: 'alice', policyName: 'ro' } }).thenRejects('NoSuchEntity');
    });
  });

  describe('bucket policies and ACLs', () => {
    const put = (policy: string): IdentityCommand => ({ type: 'PutBucketPolicy', data: { bucket: 'photos', bucketId: 'b-2', policy } });
    it('puts a policy naming the bucket and a known user', () => {
      const policy = bucketPolicy({ Principal: { AWS: 'arn:aws:iam::000000000000:user/alice' }, Resource: 'arn:aws:s3:::photos/*' });
      given(userCreated()).when(put(policy)).then({ type: 'BucketPolicyPut', data: { bucket: 'photos', bucketId: 'b-2', policy, putAt: at } });
    });
    it('refuses a resource of another bucket: MalformedPolicy', () =>
      given().when(put(bucketPolicy({ Principal: '*', Resource: 'arn:aws:s3:::other/*' }))).thenRejects('MalformedPolicy', /invalid resource/));
    it('refuses an unknown principal: MalformedPolicy', () =>
      given()
        .when(put(bucketPolicy({ Principal: { AWS: 'arn:aws:iam::000000000000:user/ghost' }, Resource: 'arn:aws:s3:::photos/*' })))
        .thenRejects('MalformedPolicy', /Invalid principal/));
    it('refuses a policy without a Principal: MalformedPolicy', () =>
      given().when(put(bucketPolicy({ Resource: 'arn:aws:s3:::photos/*' }))).thenRejects('MalformedPolicy'));
    it('ignores a delete when only an earlier bucket of that name had a policy', () =>
      given({ type: 'BucketPolicyPut', data: { bucket: 'photos', bucketId: 'b-1', policy: '{}', putAt: at } })
        .when({ type: 'DeleteBucketPolicy', data: { bucket: 'photos', bucketId: 'b-2' } })
        .then());
    it('records an ACL change, and nothing when it is already in force', () => {
      given()
        .when({ type: 'PutBucketAcl', data: { bucket: 'photos', bucketId: 'b-2', acl: 'public-read' } })
        .then({ type: 'BucketAclPut', data: { bucket: 'photos', bucketId: 'b-2', acl: 'public-read', putAt: at } });
      given().when({ type: 'PutBucketAcl', data: { bucket: 'photos', bucketId: 'b-2', acl: 'private' } }).then();
    });
    it('records a grant list that is no canned ACL as BucketAclGrantsPut, and nothing when it is in force', () => {
      const grants: AclGrant[] = [{ grantee: { type: 'CanonicalUser', id: 'c'.repeat(64), displayName: 'team-b' }, permission: 'READ' }];
      const grantsPut = { type: 'BucketAclGrantsPut' as const, data: { bucket: 'photos', bucketId: 'b-2', grants, putAt: at } };
      given().when({ type: 'PutBucketAcl', data: { bucket: 'photos', bucketId: 'b-2', acl: { grants } } }).then(grantsPut);
      given(grantsPut).when({ type: 'PutBucketAcl', data: { bucket: 'photos', bucketId: 'b-2', acl: { grants } } }).then();
      given(grantsPut)
        .when({ type: 'PutBucketAcl', data: { bucket: 'photos', bucketId: 'b-2', acl: 'private' } })
        .then({ type: 'BucketAclPut', data: { bucket: 'photos', bucketId: 'b-2', acl: 'private', putAt: at } });
    });
  });
});
