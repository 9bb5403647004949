import { accountCanonicalId, anonymousPrincipal, rootPrincipal, userPrincipal, type Principal } from '../../event-log/principal.js';
import { IdentityDirectory } from '../../identity-stream/identity.directory.js';
import { Authorizer, type AccessDecision, type BucketAccessInfo } from './authorizer.js';
import type { PublicAccessBlock } from '../../bucket-stream/bucket-access-controls.js';
import { ALL_USERS_GROUP, AUTHENTICATED_USERS_GROUP, type AclGrant } from '../../identity-stream/canned-acl.js';

const alice = userPrincipal('AKIAALICE0000000001', { userName: 'alice', userId: 'AIDAALICE', arn: 'arn:aws:iam::000000000000:user/alice' });
const bob = userPrincipal('AKIABOB000000000001', { userName: 'bob', userId: 'AIDABOB', arn: 'arn:aws:iam::000000000000:user/bob' });
const root = rootPrincipal('SEDIMENTROOTKEY0001');
const anonymous = anonymousPrincipal();

const NO_BLOCK: PublicAccessBlock = { blockPublicAcls: false, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: false };

const doc = (...statements: Array<Record<string, unknown>>) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

/** given(identity documents).when(principal, action, resource).then(decision) */
function given(
  setup: (d: IdentityDirectory) => void,
  current: string | Partial<BucketAccessInfo> = 'b-1',
  owner = '000000000000',
  /** The objects of `photos` by key, with their ACL (absent: private). */
  objects?: Record<string, { owner: string; grants?: AclGrant[] }>,
) {
  const directory = new IdentityDirectory();
  setup(directory);
  const info: BucketAccessInfo = { bucketId: 'b-1', owner: accountCanonicalId(owner), ...(typeof current === 'string' ? { bucketId: current } : current) };
  const authorizer = new Authorizer(
    directory,
    async (bucket) => (bucket === 'photos' ? info : undefined),
    // Without objects, as before object ACLs: the policies and the bucket ACL alone.
    objects && (async (bucket, key) => (bucket === 'photos' ? objects[key] : undefined)),
  );
  return (principal: Principal, action: string, key?: string): Promise<AccessDecision> =>
    authorizer.authorize({
      principal,
      action,
      resource: key === undefined ? 'arn:aws:s3:::photos' : `arn:aws:s3:::photos/${key}`,
      bucket: 'photos',
      ...(key !== undefined ? { object: { key } } : {}),
      context: { 'aws:username': principal.userName, 'aws:sourceip': '127.0.0.1' },
    });
}

const userPolicy = (userName: string, policyDocument: string) => (d: IdentityDirectory) =>
  d.apply({ op: 'put', doc: { _id: `userPolicy:${userName}/p`, kind: 'userPolicy', userName, policyName: 'p', policyDocument, offset: 1 } });
const bucketPolicy = (policy: string, bucketId = 'b-1') => (d: IdentityDirectory) =>
  d.apply({ op: 'put', doc: { _id: 'bucketPolicy:photos', kind: 'bucketPolicy', bucket: 'photos', bucketId, policy, offset: 2 } });
const bucketAcl = (acl: 'public-read' | 'public-read-write', bucketId = 'b-1') => (d: IdentityDirectory) =>
  d.apply({ op: 'put', doc: { _id: 'bucketAcl:photos', kind: 'bucketAcl', bucket: 'photos', bucketId, acl, offset: 3 } });
const all = (...steps: Array<(d: IdentityDirectory) => void>) => (d: IdentityDirectory) => steps.forEach((s) => s(d));

describe('Authorizer', () => {
  it('lets the root do anything when no policy says otherwise', async () => {
    expect(await given(() => undefined)(root, 's3:DeleteObject', 'k')).toEqual({ allowed: true, reason: 'root' });
  });

  it('denies a user without policies, and anonymous callers, by default', async () => {
    const ask = given(() => undefined);
    expect(await ask(alice, 's3:GetObject', 'k')).toEqual({ allowed: false, reason: 'implicit-deny' });
    expect(await ask(anonymous, 's3:ListBucket')).toEqual({ allowed: false, reason: 'implicit-deny' });
  });

  it("grants what the user's policy allows, and only that", async () => {
    const ask = given(userPolicy('alice', doc({ Effect: 'Allow', Action: 's3:Get*', Resource: 'arn:aws:s3:::photos/public/*' })));
    expect(await ask(alice, 's3:GetObject', 'public/a.jpg')).toEqual({ allowed: true, reason: 'identity-policy' });
    expect(await ask(alice, 's3:GetObject', 'private/a.jpg')).toMatchObject({ allowed: false });
    expect(await ask(alice, 's3:PutObject', 'public/a.jpg')).toMatchObject({ allowed: false });
    expect(await ask(bob, 's3:GetObject', 'public/a.jpg')).toMatchObject({ allowed: false });
  });

  it('lets an explicit Deny win over an Allow, in either policy', async () => {
    const ask = given(
      all(
        userPolicy('alice', doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }, { Effect: 'Deny', Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::photos/keep/*' })),
        bucketPolicy(doc({ Effect: 'Deny', Principal: { AWS: alice.arn }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::photos/ro/*' })),
      ),
    );
    expect(await ask(alice, 's3:DeleteObject', 'keep/x')).toEqual({ allowed: false, reason: 'explicit-deny' });
    expect(await ask(alice, 's3:PutObject', 'ro/x')).toEqual({ allowed: false, reason: 'explicit-deny' });
    expect(await ask(alice, 's3:PutObject', 'rw/x')).toEqual({ allowed: true, reason: 'identity-policy' });
  });

  it('grants through a bucket policy naming another user', async () => {
    const ask = given(bucketPolicy(doc({ Effect: 'Allow', Principal: { AWS: bob.arn }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::photos/*' })));
    expect(await ask(bob, 's3:GetObject', 'x')).toEqual({ allowed: true, reason: 'bucket-policy' });
    expect(await ask(alice, 's3:GetObject', 'x')).toMatchObject({ allowed: false });
  });

  it('does not carry a grant to a user re-created under the name the policy names', async () => {
    const grant = doc({ Effect: 'Allow', Principal: { AWS: bob.arn }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::photos/*' });
    const bobCreatedAt = (offset: number) => (d: IdentityDirectory) =>
      d.apply({ op: 'put', doc: { _id: 'user:bob', kind: 'user', userName: 'bob', userId: 'AIDABOB', arn: bob.arn, path: '/', createDate: '', offset } });
    // The policy was put at offset 2: bob created at 1 is the bob it names; bob created at 5 is not.
    expect(await given(all(bobCreatedAt(1), bucketPolicy(grant)))(bob, 's3:GetObject', 'x')).toMatchObject({ allowed: true });
    expect(await given(all(bobCreatedAt(5), bucketPolicy(grant)))(bob, 's3:GetObject', 'x')).toMatchObject({ allowed: false });
  });

  it('denies the root what the bucket policy denies it, except managing that policy', async () => {
    const ask = given(bucketPolicy(doc({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::photos', 'arn:aws:s3:::photos/*'] })));
    expect(await ask(root, 's3:GetObject', 'x')).toEqual({ allowed: false, reason: 'explicit-deny' });
    expect(await ask(root, 's3:DeleteBucketPolicy')).toEqual({ allowed: true, reason: 'root' });
  });

  it('lets a public-read ACL list the bucket for anyone, but never read objects', async () => {
    const ask = given(bucketAcl('public-read'));
    expect(await ask(anonymous, 's3:ListBucket')).toEqual({ allowed: true, reason: 'acl' });
    expect(await ask(anonymous, 's3:GetObject', 'x')).toMatchObject({ allowed: false });
    expect(await ask(anonymous, 's3:PutObject', 'x')).toMatchObject({ allowed: false });
  });

  it('lets an explicit Deny win over a public ACL', async () => {
    const ask = given(all(bucketAcl('public-read-write'), bucketPolicy(doc({ Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: 'arn:aws:s3:::photos/*' }))));
    expect(await ask(anonymous, 's3:PutObject', 'x')).toEqual({ allowed: false, reason: 'explicit-deny' });
  });

  it('ignores the policy and ACL of an earlier bucket of the same name', async () => {
    const ask = given(
      all(bucketAcl('public-read', 'b-0'), bucketPolicy(doc({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::photos/*' }), 'b-0')),
      'b-1',
    );
    expect(await ask(anonymous, 's3:GetObject', 'x')).toMatchObject({ allowed: false });
    expect(await ask(anonymous, 's3:ListBucket')).toMatchObject({ allowed: false });
  });

  it('substitutes ${aws:username} in Version 2012-10-17 policies', async () => {
    const ask = given(
      all(
        userPolicy('alice', doc({ Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::photos/home/${aws:username}/*' })),
        userPolicy('bob', doc({ Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::photos/home/${aws:username}/*' })),
      ),
    );
    expect(await ask(alice, 's3:PutObject', 'home/alice/x')).toMatchObject({ allowed: true });
    expect(await ask(alice, 's3:PutObject', 'home/bob/x')).toMatchObject({ allowed: false });
    expect(await ask(bob, 's3:PutObject', 'home/bob/x')).toMatchObject({ allowed: true });
  });

  describe('ownership controls and the public access block', () => {
    const block = (settings: Partial<PublicAccessBlock>): PublicAccessBlock => ({ ...NO_BLOCK, ...settings });
    const publicRead = doc({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::photos/*' });

    it('ignores the bucket ACL while ACLs are off (BucketOwnerEnforced), and counts it under the other two', async () => {
      expect(await given(bucketAcl('public-read'), { objectOwnership: 'BucketOwnerEnforced' })(anonymous, 's3:ListBucket')).toEqual({ allowed: false, reason: 'implicit-deny' });
      expect(await given(bucketAcl('public-read'), { objectOwnership: 'BucketOwnerPreferred' })(anonymous, 's3:ListBucket')).toEqual({ allowed: true, reason: 'acl' });
      expect(await given(bucketAcl('public-read'), { objectOwnership: 'ObjectWriter' })(anonymous, 's3:ListBucket')).toEqual({ allowed: true, reason: 'acl' });
    });

    it('ignores a public ACL under IgnorePublicAcls, and only then', async () => {
      expect(await given(bucketAcl('public-read'), { publicAccessBlock: block({ ignorePublicAcls: true }) })(anonymous, 's3:ListBucket')).toEqual({ allowed: false, reason: 'implicit-deny' });
      expect(await given(bucketAcl('public-read'), { publicAccessBlock: block({ blockPublicAcls: true, blockPublicPolicy: true }) })(anonymous, 's3:ListBucket')).toEqual({ allowed: true, reason: 'acl' });
    });

    it('under RestrictPublicBuckets, a public policy grants nobody outside the owner account, while a policy naming a principal still does', async () => {
      const restrict = { publicAccessBlock: block({ restrictPublicBuckets: true }) };
      expect(await given(bucketPolicy(publicRead), restrict)(anonymous, 's3:GetObject', 'a.jpg')).toEqual({ allowed: false, reason: 'implicit-deny' });
      // The owner's own users are still granted by it.
      expect(await given(bucketPolicy(publicRead), restrict)(alice, 's3:GetObject', 'a.jpg')).toEqual({ allowed: true, reason: 'bucket-policy' });
      // Without the setting the same policy grants everyone.
      expect(await given(bucketPolicy(publicRead))(anonymous, 's3:GetObject', 'a.jpg')).toEqual({ allowed: true, reason: 'bucket-policy' });
      const namesAlice = doc({ Effect: 'Allow', Principal: { AWS: alice.arn }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::photos/*' });
      expect(await given(all(bucketPolicy(namesAlice)), restrict)(alice, 's3:GetObject', 'a.jpg')).toEqual({ allowed: true, reason: 'bucket-policy' });
    });
  });

  describe('across accounts', () => {
    const B = '111122223333';
    const teamB = { accountId: B, name: 'team-b' };
    const rootB = rootPrincipal('AKIAROOTOFTEAMB00001', teamB);
    const carol = userPrincipal('AKIACAROL0000000001', { userName: 'carol', userId: 'AIDACAROL', arn: `arn:aws:iam::${B}:user/carol` }, teamB);
    const accountB = (d: IdentityDirectory) =>
      d.apply({
        op: 'put',
        doc: {
          _id: `account:${B}`,
          kind: 'account',
          accountId: B,
          name: 'team-b',
          canonicalId: accountCanonicalId(B),
          rootAccessKeyId: 'AKIAROOTOFTEAMB00001',
          rootSecret: { alg: 'AES-256-GCM', keyId: 'k', iv: 'aXY=', ciphertext: 'Y3Q=', tag: 'dGFn' },
          createDate: '2026-11-27T10:00:00.000Z',
          offset: 0,
        },
      });
    const carolMayRead = (d: IdentityDirectory) =>
      d.apply({
        op: 'put',
        doc: { _id: `userPolicy:${B}/carol/p`, kind: 'userPolicy', accountId: B, userName: 'carol', policyName: 'p', policyDocument: doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }), offset: 1 },
      });
    const readsFor = (principal: string | Record<string, unknown>) =>
      bucketPolicy(doc({ Effect: 'Allow', Principal: typeof principal === 'string' ? { AWS: principal } : principal, Action: 's3:GetObject', Resource: 'arn:aws:s3:::photos/*' }));

    it("denies another account's root and users what the bucket owner did not grant", async () => {
      const ask = given(all(accountB, carolMayRead));
      expect(await ask(rootB, 's3:GetObject', 'k')).toEqual({ allowed: false, reason: 'implicit-deny' });
      expect(await ask(rootB, 's3:PutBucketPolicy')).toEqual({ allowed: false, reason: 'implicit-deny' });
      expect(await ask(carol, 's3:GetObject', 'k')).toEqual({ allowed: false, reason: 'implicit-deny' });
    });

    it("lets the root of an account the bucket policy names in, by id or root ARN, and no further", async () => {
      for (const named of [B, `arn:aws:iam::${B}:root`]) {
        const ask = given(all(accountB, readsFor(named)));
        expect(await ask(rootB, 's3:GetObject', 'k')).toEqual({ allowed: true, reason: 'bucket-policy' });
        expect(await ask(rootB, 's3:PutObject', 'k')).toMatchObject({ allowed: false });
      }
    });

    it("needs both sides for a foreign user: the owner's grant (to the user or its account) and the user's own policy", async () => {
      for (const named of [B, carol.arn, '*']) {
        expect(await given(all(accountB, readsFor(named)))(carol, 's3:GetObject', 'k')).toEqual({ allowed: false, reason: 'implicit-deny' });
        expect(await given(all(accountB, readsFor(named), carolMayRead))(carol, 's3:GetObject', 'k')).toEqual({ allowed: true, reason: 'bucket-policy' });
      }
    });

    it("lets a foreign caller in through the owner's ACL, and lets any explicit Deny win", async () => {
      expect(await given(all(accountB, bucketAcl('public-read')))(rootB, 's3:ListBucket')).toEqual({ allowed: true, reason: 'acl' });
      const denied = given(
        all(accountB, carolMayRead, bucketAcl('public-read'), bucketPolicy(doc({ Effect: 'Deny', Principal: { AWS: B }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::photos/*' }))),
      );
      expect(await denied(rootB, 's3:GetObject', 'k')).toEqual({ allowed: false, reason: 'explicit-deny' });
      expect(await denied(carol, 's3:GetObject', 'k')).toEqual({ allowed: false, reason: 'explicit-deny' });
    });

    it('keeps other accounts out under RestrictPublicBuckets while the policy is public, and ignores the ACL with ACLs off', async () => {
      const restrict = { publicAccessBlock: { ...NO_BLOCK, restrictPublicBuckets: true } };
      expect(await given(all(accountB, readsFor('*')))(rootB, 's3:GetObject', 'k')).toEqual({ allowed: true, reason: 'bucket-policy' });
      expect(await given(all(accountB, readsFor('*')), restrict)(rootB, 's3:GetObject', 'k')).toEqual({ allowed: false, reason: 'implicit-deny' });
      // A policy that names the account is not public: the setting leaves it alone.
      expect(await given(all(accountB, readsFor(B)), restrict)(rootB, 's3:GetObject', 'k')).toEqual({ allowed: true, reason: 'bucket-policy' });
      expect(await given(all(accountB, bucketAcl('public-read')), { objectOwnership: 'BucketOwnerEnforced' })(rootB, 's3:ListBucket')).toEqual({
        allowed: false,
        reason: 'implicit-deny',
      });
    });

    it("judges a bucket of the caller's own account as before, and the default root as a stranger there", async () => {
      const ask = given(accountB, 'b-1', B);
      expect(await ask(rootB, 's3:DeleteObject', 'k')).toEqual({ allowed: true, reason: 'root' });
      expect(await ask(root, 's3:GetObject', 'k')).toEqual({ allowed: false, reason: 'implicit-deny' });
    });

    it("keeps a bucket's policy to its owner's account, whatever the policy grants", async () => {
      const ask = given(all(accountB, bucketPolicy(doc({ Effect: 'Allow', Principal: { AWS: B }, Action: 's3:*Policy', Resource: 'arn:aws:s3:::photos' }))));
      expect(await ask(rootB, 's3:GetBucketPolicy')).toEqual({ allowed: false, reason: 'implicit-deny' });
      expect(await ask(rootB, 's3:PutBucketPolicy')).toEqual({ allowed: false, reason: 'implicit-deny' });
    });

    describe('object ACLs', () => {
      const ownerA = accountCanonicalId('000000000000');
      const full: AclGrant = { grantee: { type: 'CanonicalUser', id: ownerA, displayName: 'sediment' }, permission: 'FULL_CONTROL' };
      const grant = (grantee: AclGrant['grantee'], permission: AclGrant['permission']): AclGrant => ({ grantee, permission });
      const objects = {
        'public.jpg': { owner: ownerA, grants: [full, grant({ type: 'Group', uri: ALL_USERS_GROUP }, 'READ')] },
        'members.jpg': { owner: ownerA, grants: [full, grant({ type: 'Group', uri: AUTHENTICATED_USERS_GROUP }, 'READ')] },
        'for-b.jpg': { owner: ownerA, grants: [full, grant({ type: 'CanonicalUser', id: accountCanonicalId(B), displayName: 'team-b' }, 'FULL_CONTROL')] },
        'private.jpg': { owner: ownerA },
      };
      const acls = (current: Partial<BucketAccessInfo> = { objectOwnership: 'ObjectWriter' }) => given(accountB, current, '000000000000', objects);

      it('lets anyone read an object whose ACL grants AllUsers READ, and only read it', async () => {
        const ask = acls();
        expect(await ask(anonymous, 's3:GetObject', 'public.jpg')).toEqual({ allowed: true, reason: 'object-acl' });
        expect(await ask(anonymous, 's3:GetObjectVersion', 'public.jpg')).toEqual({ allowed: true, reason: 'object-acl' });
        expect(await ask(anonymous, 's3:GetObjectAcl', 'public.jpg')).toEqual({ allowed: false, reason: 'implicit-deny' });
        expect(await ask(anonymous, 's3:PutObject', 'public.jpg')).toEqual({ allowed: false, reason: 'implicit-deny' });
        expect(await ask(anonymous, 's3:GetObject', 'private.jpg')).toEqual({ allowed: false, reason: 'implicit-deny' });
        expect(await ask(alice, 's3:GetObject', 'public.jpg')).toEqual({ allowed: true, reason: 'object-acl' });
      });

      it('says when the object a denied read names does not exist', async () => {
        expect(await acls()(anonymous, 's3:GetObject', 'missing.jpg')).toEqual({ allowed: false, reason: 'implicit-deny', objectMissing: true });
      });

      it('grants AuthenticatedUsers to signed callers only', async () => {
        const ask = acls();
        expect(await ask(anonymous, 's3:GetObject', 'members.jpg')).toMatchObject({ allowed: false });
        expect(await ask(rootB, 's3:GetObject', 'members.jpg')).toEqual({ allowed: true, reason: 'object-acl' });
      });

      it("lets another account's root in by a grant to its canonical id; its users also need their own Allow", async () => {
        expect(await acls()(rootB, 's3:GetObjectAcl', 'for-b.jpg')).toEqual({ allowed: true, reason: 'object-acl' });
        expect(await acls()(rootB, 's3:GetObject', 'private.jpg')).toMatchObject({ allowed: false });
        expect(await acls()(carol, 's3:GetObject', 'for-b.jpg')).toMatchObject({ allowed: false });
        expect(await given(all(accountB, carolMayRead), { objectOwnership: 'ObjectWriter' }, '000000000000', objects)(carol, 's3:GetObject', 'for-b.jpg')).toEqual({
          allowed: true,
          reason: 'object-acl',
        });
        // A public grant is not enough for another account's user either.
        expect(await acls()(carol, 's3:GetObject', 'public.jpg')).toMatchObject({ allowed: false });
      });

      it('counts for nothing with ACLs off (BucketOwnerEnforced), and its public grants nothing under IgnorePublicAcls', async () => {
        expect(await acls({ objectOwnership: 'BucketOwnerEnforced' })(anonymous, 's3:GetObject', 'public.jpg')).toMatchObject({ allowed: false });
        const ignoring = { objectOwnership: 'ObjectWriter' as const, publicAccessBlock: { ...NO_BLOCK, ignorePublicAcls: true } };
        expect(await acls(ignoring)(anonymous, 's3:GetObject', 'public.jpg')).toMatchObject({ allowed: false });
        expect(await acls(ignoring)(rootB, 's3:GetObject', 'for-b.jpg')).toEqual({ allowed: true, reason: 'object-acl' });
      });

      describe("an object another account owns (written by B under ObjectWriter)", () => {
        const ownerB = accountCanonicalId(B);
        const fullB: AclGrant = { grantee: { type: 'CanonicalUser', id: ownerB, displayName: 'team-b' }, permission: 'FULL_CONTROL' };
        const fromB = {
          'b-private.jpg': { owner: ownerB },
          'b-shares.jpg': { owner: ownerB, grants: [fullB, grant({ type: 'CanonicalUser', id: ownerA, displayName: 'sediment' }, 'READ')] },
          'b-public.jpg': { owner: ownerB, grants: [fullB, grant({ type: 'Group', uri: ALL_USERS_GROUP }, 'READ')] },
        };
        const aliceMayRead = userPolicy('alice', doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }));
        const readsForAll = readsFor('*');
        const owned = (...steps: Array<(d: IdentityDirectory) => void>) => given(all(accountB, ...steps), { objectOwnership: 'ObjectWriter' }, '000000000000', fromB);

        it("refuses the bucket owner's root and users what only the bucket owner's policies grant", async () => {
          const ask = owned(aliceMayRead, readsForAll);
          expect(await ask(root, 's3:GetObject', 'b-private.jpg')).toEqual({ allowed: false, reason: 'implicit-deny' });
          expect(await ask(alice, 's3:GetObject', 'b-private.jpg')).toEqual({ allowed: false, reason: 'implicit-deny' });
          expect(await ask(anonymous, 's3:GetObject', 'b-private.jpg')).toEqual({ allowed: false, reason: 'implicit-deny' });
          // An object the bucket owner owns is judged by its policies as ever.
          expect(await ask(alice, 's3:GetObject', 'private.jpg')).toEqual({ allowed: true, reason: 'identity-policy' });
        });

        it("lets the bucket owner in through the owner's ACL grant (its users also by their own Allow)", async () => {
          expect(await owned()(root, 's3:GetObject', 'b-shares.jpg')).toEqual({ allowed: true, reason: 'object-acl' });
          expect(await owned()(alice, 's3:GetObject', 'b-shares.jpg')).toEqual({ allowed: false, reason: 'implicit-deny' });
          expect(await owned(aliceMayRead)(alice, 's3:GetObject', 'b-shares.jpg')).toEqual({ allowed: true, reason: 'object-acl' });
          expect(await owned()(anonymous, 's3:GetObject', 'b-public.jpg')).toEqual({ allowed: true, reason: 'object-acl' });
        });

        it("lets the object's own account read it without the bucket owner's grant: its root, and its users by their policies", async () => {
          expect(await owned()(rootB, 's3:GetObject', 'b-private.jpg')).toEqual({ allowed: true, reason: 'object-owner' });
          expect(await owned()(rootB, 's3:GetObjectAcl', 'b-private.jpg')).toEqual({ allowed: true, reason: 'object-owner' });
          expect(await owned()(carol, 's3:GetObject', 'b-private.jpg')).toEqual({ allowed: false, reason: 'implicit-deny' });
          expect(await owned(carolMayRead)(carol, 's3:GetObject', 'b-private.jpg')).toEqual({ allowed: true, reason: 'identity-policy' });
        });

        it("still lets the bucket owner deny it, and leaves actions an ACL cannot grant to the bucket's policies", async () => {
          const deny = bucketPolicy(doc({ Effect: 'Deny', Principal: { AWS: B }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::photos/*' }));
          expect(await owned(deny)(rootB, 's3:GetObject', 'b-private.jpg')).toEqual({ allowed: false, reason: 'explicit-deny' });
          // Deleting any object of the bucket is the bucket owner's to allow.
          expect(await owned()(root, 's3:DeleteObject', 'b-private.jpg')).toEqual({ allowed: true, reason: 'root' });
        });

        it('leaves the bucket owner in charge once ACLs are off (BucketOwnerEnforced)', async () => {
          const enforced = given(all(accountB), { objectOwnership: 'BucketOwnerEnforced' }, '000000000000', fromB);
          expect(await enforced(root, 's3:GetObject', 'b-private.jpg')).toEqual({ allowed: true, reason: 'root' });
        });
      });

      it('never overrides an explicit Deny', async () => {
        const deny = bucketPolicy(doc({ Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::photos/*' }));
        expect(await given(all(accountB, deny), { objectOwnership: 'ObjectWriter' }, '000000000000', objects)(anonymous, 's3:GetObject', 'public.jpg')).toEqual({
          allowed: false,
          reason: 'explicit-deny',
        });
      });
    });

    it('judges CreateBucket of a name another account holds as a request in one\'s own account', async () => {
      expect(await given(accountB)(rootB, 's3:CreateBucket')).toEqual({ allowed: true, reason: 'root' });
    });
  });
});
