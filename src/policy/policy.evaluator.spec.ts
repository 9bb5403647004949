import { parsePolicyDocument } from './policy-document.js';
import { evaluate, type AuthorizationRequest, type Decision, type MatchedStatement } from './policy.evaluator.js';
import { s3ResourceArn } from './s3-resource-arn.js';

type Statement = Record<string, unknown>;
const doc = (...Statement: Statement[]) => ({ Version: '2012-10-17', Statement });
const alice = { arn: 'arn:aws:iam::111122223333:user/alice', anonymous: false };
const bob = { arn: 'arn:aws:iam::111122223333:user/bob', anonymous: false };
const stranger = { arn: 'arn:aws:iam::444455556666:user/eve', anonymous: false };
const anonymous = { arn: '', anonymous: true };
const accountRoot = { arn: 'arn:aws:iam::111122223333:root', anonymous: false };

const given = (policies: { identity?: object[]; resource?: object }) => ({
  when: (request: Partial<AuthorizationRequest>) => ({
    then: (decision: Decision, matched?: Partial<MatchedStatement>) => {
      const result = evaluate(
        { action: 's3:GetObject', resource: s3ResourceArn('examplebucket', 'photo.jpg'), principal: alice, context: {}, ...request },
        {
          identity: (policies.identity ?? []).map((p) => parsePolicyDocument(JSON.stringify(p), 'identity')),
          ...(policies.resource ? { resource: parsePolicyDocument(JSON.stringify(policies.resource), 'resource') } : {}),
        },
      );
      expect(result.decision).toBe(decision);
      if (matched) expect(result.matched).toMatchObject(matched);
      if (decision === 'ImplicitDeny') expect(result.matched).toBeUndefined();
    },
  }),
});

const publicRead = doc({ Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::examplebucket/*' });
const userRead = doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::examplebucket/*' });

describe('policy evaluator', () => {
  describe('AWS example: bucket policy granting anonymous read', () => {
    it('allows anonymous GetObject', () =>
      given({ resource: publicRead }).when({ principal: anonymous }).then('Allow', { source: 'resource', sid: 'PublicRead' }));
    it('allows any signed principal too', () => given({ resource: publicRead }).when({ principal: stranger }).then('Allow'));
    it('does not allow PutObject', () =>
      given({ resource: publicRead }).when({ principal: anonymous, action: 's3:PutObject' }).then('ImplicitDeny'));
    it('does not cover the bucket itself', () =>
      given({ resource: publicRead }).when({ action: 's3:GetObject', resource: s3ResourceArn('examplebucket') }).then('ImplicitDeny'));
    it('does not cover another bucket', () =>
      given({ resource: publicRead }).when({ resource: s3ResourceArn('examplebucket2', 'a') }).then('ImplicitDeny'));
    it('{"AWS": "*"} also reaches anonymous callers', () =>
      given({ resource: doc({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::examplebucket/*' }) })
        .when({ principal: anonymous }).then('Allow'));
  });

  describe('anonymous requests', () => {
    it('ignore identity policies', () => given({ identity: [userRead] }).when({ principal: anonymous }).then('ImplicitDeny'));
    it('are not allowed by a statement naming a principal', () =>
      given({ resource: doc({ Effect: 'Allow', Principal: { AWS: alice.arn }, Action: 's3:*', Resource: '*' }) })
        .when({ principal: anonymous }).then('ImplicitDeny'));
    it('are not allowed by Allow + NotPrincipal', () =>
      given({ resource: doc({ Effect: 'Allow', NotPrincipal: { AWS: bob.arn }, Action: 's3:*', Resource: '*' }) })
        .when({ principal: anonymous }).then('ImplicitDeny'));
    it('are denied by Deny + NotPrincipal', () =>
      given({ resource: doc(
        { Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' },
        { Effect: 'Deny', NotPrincipal: { AWS: alice.arn }, Action: 's3:*', Resource: '*' },
      ) }).when({ principal: anonymous }).then('Deny'));
  });

  describe('identity and resource policies', () => {
    it('an identity Allow grants', () => given({ identity: [userRead] }).when({}).then('Allow', { source: 'identity', policyIndex: 0 }));
    it('a bucket policy Allow naming the principal grants', () =>
      given({ resource: doc({ Effect: 'Allow', Principal: { AWS: [bob.arn, alice.arn] }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::examplebucket/*' }) })
        .when({}).then('Allow', { source: 'resource' }));
    it('a bucket policy for someone else does not grant', () =>
      given({ resource: doc({ Effect: 'Allow', Principal: { AWS: bob.arn }, Action: 's3:GetObject', Resource: '*' }) }).when({}).then('ImplicitDeny'));
    it('an account principal in an Allow grants no IAM user by itself: it delegates to IAM', () => {
      const byAccount = (id: string) => doc({ Effect: 'Allow', Principal: { AWS: id }, Action: 's3:GetObject', Resource: '*' });
      for (const id of ['111122223333', 'arn:aws:iam::111122223333:root']) {
        given({ resource: byAccount(id) }).when({}).then('ImplicitDeny');
        given({ resource: byAccount(id), identity: [userRead] }).when({}).then('Allow', { source: 'identity' });
        given({ resource: byAccount(id) }).when({ principal: accountRoot }).then('Allow', { source: 'resource' });
        given({ resource: byAccount(id) }).when({ principal: stranger }).then('ImplicitDeny');
      }
    });
    it('an account principal in a Deny denies every principal of the account', () => {
      const denyAccount = (id: string) => doc({ Effect: 'Deny', Principal: { AWS: id }, Action: 's3:GetObject', Resource: '*' });
      for (const id of ['111122223333', 'arn:aws:iam::111122223333:root']) {
        given({ resource: denyAccount(id), identity: [userRead] }).when({}).then('Deny', { source: 'resource' });
        given({ resource: denyAccount(id) }).when({ principal: accountRoot }).then('Deny');
        given({ resource: denyAccount(id), identity: [userRead] }).when({ principal: stranger }).then('Allow');
      }
    });
    it('Deny + NotPrincipal exempts a user only when the user and its account are both named', () => {
      const denyAllBut = (...ids: string[]) =>
        doc({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' }, { Effect: 'Deny', NotPrincipal: { AWS: ids }, Action: 's3:GetObject', Resource: '*' });
      given({ resource: denyAllBut(alice.arn) }).when({}).then('Deny');
      given({ resource: denyAllBut(alice.arn, accountRoot.arn) }).when({}).then('Allow');
      given({ resource: denyAllBut(alice.arn, '111122223333') }).when({ principal: bob }).then('Deny');
      given({ resource: denyAllBut(accountRoot.arn) }).when({}).then('Deny');
      given({ resource: denyAllBut(accountRoot.arn) }).when({ principal: accountRoot }).then('Allow');
    });
    it('Allow + NotPrincipal naming the account grants none of its principals', () => {
      const p = doc({ Effect: 'Allow', NotPrincipal: { AWS: '111122223333' }, Action: 's3:GetObject', Resource: '*' });
      given({ resource: p }).when({}).then('ImplicitDeny');
      given({ resource: p }).when({ principal: accountRoot }).then('ImplicitDeny');
      given({ resource: p }).when({ principal: stranger }).then('Allow');
    });
    it('Allow + NotPrincipal grants everyone else', () => {
      const p = doc({ Effect: 'Allow', NotPrincipal: { AWS: bob.arn }, Action: 's3:GetObject', Resource: '*' });
      given({ resource: p }).when({}).then('Allow');
      given({ resource: p }).when({ principal: bob }).then('ImplicitDeny');
    });
    it('nothing applicable is an implicit deny', () => given({}).when({}).then('ImplicitDeny'));
  });

  describe('explicit deny wins', () => {
    const denyAll = doc({ Sid: 'NoReads', Effect: 'Deny', Action: 's3:GetObject', Resource: '*' });
    it('within one identity policy', () =>
      given({ identity: [doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }, { Sid: 'Stop', Effect: 'Deny', Action: 's3:Get*', Resource: '*' })] })
        .when({}).then('Deny', { source: 'identity', statementIndex: 1, sid: 'Stop', effect: 'Deny' }));
    it('an identity Deny beats a bucket policy Allow', () =>
      given({ identity: [denyAll], resource: publicRead }).when({}).then('Deny', { source: 'identity', sid: 'NoReads' }));
    it('a bucket policy Deny beats an identity Allow', () =>
      given({ identity: [userRead], resource: doc({ Effect: 'Deny', Principal: { AWS: alice.arn }, Action: 's3:GetObject', Resource: '*' }) })
        .when({}).then('Deny', { source: 'resource' }));
    it('a Deny in a second identity policy beats an Allow in the first', () =>
      given({ identity: [userRead, denyAll] }).when({}).then('Deny', { policyIndex: 1 }));
  });

  describe('AWS example: deny requests not over HTTPS', () => {
    const secureOnly = doc(
      { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::examplebucket/*' },
      { Sid: 'AllowSSLRequestsOnly', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::examplebucket', 'arn:aws:s3:::examplebucket/*'], Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
    );
    it('denies plain HTTP', () =>
      given({ resource: secureOnly }).when({ context: { 'aws:securetransport': 'false' } }).then('Deny', { sid: 'AllowSSLRequestsOnly' }));
    it('allows HTTPS', () => given({ resource: secureOnly }).when({ context: { 'aws:securetransport': 'true' } }).then('Allow'));
  });

  describe('AWS example: allow only from an IP range', () => {
    const fromOffice = doc({
      Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::examplebucket/*',
      Condition: { IpAddress: { 'aws:SourceIp': ['192.0.2.0/24', '2001:db8::/32'] }, NotIpAddress: { 'aws:SourceIp': '192.0.2.188/32' } },
    });
    it.each([
      ['192.0.2.10', 'Allow'], ['2001:db8::1', 'Allow'], ['192.0.2.188', 'ImplicitDeny'], ['198.51.100.1', 'ImplicitDeny'], [undefined, 'ImplicitDeny'],
    ] as const)('from %s is %s', (ip, decision) => given({ resource: fromOffice }).when({ principal: anonymous, context: { 'aws:sourceip': ip } }).then(decision));
  });

  describe('AWS example: ListBucket limited to a prefix with s3:prefix StringLike', () => {
    const homeOnly = doc({
      Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::examplebucket',
      Condition: { StringLike: { 's3:prefix': ['', 'home/', 'home/${aws:username}/*'] } },
    });
    const list = (prefix?: string) => ({
      action: 's3:ListBucket', resource: s3ResourceArn('examplebucket'), context: { 's3:prefix': prefix, 'aws:username': 'alice' },
    });
    it('lists the home folder', () => given({ identity: [homeOnly] }).when(list('home/alice/photos/')).then('Allow'));
    it('lists the root', () => given({ identity: [homeOnly] }).when(list('')).then('Allow'));
    it('refuses another user\'s folder', () => given({ identity: [homeOnly] }).when(list('home/bob/')).then('ImplicitDeny'));
    it('refuses a listing without a prefix', () => given({ identity: [homeOnly] }).when(list(undefined)).then('ImplicitDeny'));
  });

  describe('policy variables in Resource', () => {
    const ownFolder = (version: string) => ({ Version: version, Statement: { Effect: 'Allow', Action: 's3:*Object', Resource: 'arn:aws:s3:::examplebucket/home/${aws:username}/*' } });
    it('resolve from the context', () =>
      given({ identity: [ownFolder('2012-10-17')] }).when({ resource: s3ResourceArn('examplebucket', 'home/alice/a.txt'), context: { 'aws:username': 'alice' } }).then('Allow'));
    it('do not reach another user', () =>
      given({ identity: [ownFolder('2012-10-17')] }).when({ resource: s3ResourceArn('examplebucket', 'home/bob/a.txt'), context: { 'aws:username': 'alice' } }).then('ImplicitDeny'));
    it('never match when unresolved', () =>
      given({ identity: [ownFolder('2012-10-17')] }).when({ resource: s3ResourceArn('examplebucket', 'home//a.txt') }).then('ImplicitDeny'));
    it('are literal text in 2008-10-17', () =>
      given({ identity: [ownFolder('2008-10-17')] }).when({ resource: s3ResourceArn('examplebucket', 'home/${aws:username}/a'), context: { 'aws:username': 'alice' } }).then('Allow'));
    it('an unresolved NotResource variable lets a Deny apply but never an Allow', () => {
      const notOwn = (Effect: string) => doc({ Effect, Action: 's3:GetObject', NotResource: 'arn:aws:s3:::examplebucket/home/${aws:username}/*' });
      given({ identity: [notOwn('Deny'), doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' })] }).when({}).then('Deny');
      given({ identity: [notOwn('Allow')] }).when({}).then('ImplicitDeny');
    });
  });

  describe('Action / NotAction', () => {
    it.each([
      ['s3:GetObject', 's3:getobject', 'Allow'], ['s3:Get*', 's3:GetObjectAcl', 'Allow'], ['s3:*', 's3:PutObject', 'Allow'],
      ['*', 's3:PutObject', 'Allow'], ['s3:?etObject', 's3:GetObject', 'Allow'], ['s3:Get*', 's3:PutObject', 'ImplicitDeny'],
      ['s3:?etObject', 's3:GetObjects', 'ImplicitDeny'], ['iam:*', 's3:GetObject', 'ImplicitDeny'],
    ] as const)('%s against %s is %s', (pattern, action, decision) =>
      given({ identity: [doc({ Effect: 'Allow', Action: pattern, Resource: '*' })] }).when({ action }).then(decision));
    it('NotAction allows everything but the named actions', () => {
      const p = doc({ Effect: 'Allow', NotAction: ['s3:Delete*', 's3:PutBucketPolicy'], Resource: '*' });
      given({ identity: [p] }).when({ action: 's3:PutObject' }).then('Allow');
      given({ identity: [p] }).when({ action: 's3:DeleteObject' }).then('ImplicitDeny');
      given({ identity: [p] }).when({ action: 's3:putbucketpolicy' }).then('ImplicitDeny');
    });
    it('Deny + NotAction denies everything but the named actions', () => {
      const p = [doc({ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', NotAction: 's3:Get*', Resource: '*' })];
      given({ identity: p }).when({ action: 's3:GetObject' }).then('Allow');
      given({ identity: p }).when({ action: 's3:PutObject' }).then('Deny');
    });
  });

  describe('Resource / NotResource', () => {
    it.each([
      ['arn:aws:s3:::examplebucket/*', 'photo.jpg', 'Allow'], ['arn:aws:s3:::example*', 'photo.jpg', 'Allow'],
      ['arn:aws:s3:::examplebucket/photo.???', 'photo.jpg', 'Allow'], ['arn:aws:s3:::examplebucket/Photo.jpg', 'photo.jpg', 'ImplicitDeny'],
      ['arn:aws:s3:::ExampleBucket/*', 'photo.jpg', 'ImplicitDeny'], ['arn:aws:s3:::examplebucket/photo.???', 'photo.jpeg', 'ImplicitDeny'],
      ['*', 'photo.jpg', 'Allow'], ['arn:aws:s3:::examplebucket/a/*', 'a/b/c.txt', 'Allow'],
    ] as const)('%s against key %s is %s', (pattern, key, decision) =>
      given({ identity: [doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: pattern })] })
        .when({ resource: s3ResourceArn('examplebucket', key) }).then(decision));
    it('NotResource covers everything but the named resources', () => {
      const p = [doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }, { Effect: 'Deny', Action: 's3:*', NotResource: ['arn:aws:s3:::examplebucket', 'arn:aws:s3:::examplebucket/*'] })];
      given({ identity: p }).when({}).then('Allow');
      given({ identity: p }).when({ resource: s3ResourceArn('otherbucket', 'x') }).then('Deny');
    });
    it('ListAllMyBuckets matches "*" and arn:aws:s3:::*', () => {
      for (const Resource of ['*', 'arn:aws:s3:::*']) {
        given({ identity: [doc({ Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource })] })
          .when({ action: 's3:ListAllMyBuckets', resource: s3ResourceArn() }).then('Allow');
      }
    });
  });

  it('a statement whose condition fails does not apply, for Allow or Deny', () => {
    const maxKeys = (Effect: string) => doc({ Effect, Action: 's3:ListBucket', Resource: '*', Condition: { NumericGreaterThan: { 's3:max-keys': '100' } } });
    given({ identity: [maxKeys('Allow')] }).when({ action: 's3:ListBucket', context: { 's3:max-keys': '10' } }).then('ImplicitDeny');
    given({ identity: [maxKeys('Allow')] }).when({ action: 's3:ListBucket', context: { 's3:max-keys': '1000' } }).then('Allow');
    given({ identity: [userRead, maxKeys('Deny')] }).when({ context: { 's3:max-keys': '1000' } }).then('Allow');
  });

  it('requires a public-read ACL on uploads (StringEquals s3:x-amz-acl)', () => {
    const p = doc({ Effect: 'Allow', Principal: { AWS: alice.arn }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::examplebucket/*', Condition: { StringEquals: { 's3:x-amz-acl': 'public-read' } } });
    given({ resource: p }).when({ action: 's3:PutObject', context: { 's3:x-amz-acl': 'public-read' } }).then('Allow');
    given({ resource: p }).when({ action: 's3:PutObject', context: { 's3:x-amz-acl': 'private' } }).then('ImplicitDeny');
    given({ resource: p }).when({ action: 's3:PutObject' }).then('ImplicitDeny');
  });

  it('time-boxes access with DateLessThan aws:CurrentTime', () => {
    const p = doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { DateLessThan: { 'aws:CurrentTime': '2026-12-31T23:59:59Z' } } });
    given({ identity: [p] }).when({ context: { 'aws:currenttime': '2026-11-27T10:00:00Z' } }).then('Allow');
    given({ identity: [p] }).when({ context: { 'aws:currenttime': '2027-01-01T00:00:00Z' } }).then('ImplicitDeny');
  });
});
