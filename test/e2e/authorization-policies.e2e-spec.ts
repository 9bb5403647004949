// How policies decide, seen from the outside: explicit Deny over Allow (identity and bucket
// policies, the root included), wildcards, NotAction / NotResource, a bucket policy granting
// another user or naming the account, condition keys, DeleteObjects judged per key, and the bucket policy / ACL
// operations themselves. The principal × action table, anonymous access, presigned URLs and
// dead keys: test/e2e/authorization-matrix.e2e-spec.ts.
import { createHash } from 'node:crypto';
import { jest } from '@jest/globals';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteBucketPolicyCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketAclCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutBucketAclCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  type BucketCannedACL,
  type S3Client,
} from '@aws-sdk/client-s3';
import { DeleteAccessKeyCommand, DeleteUserCommand, type IAMClient } from '@aws-sdk/client-iam';
import { createUserWithKey, iamClient, policy } from '../support/iam-helpers.js';
import { objectPath, rawS3Request, xmlText, type Credentials } from '../support/raw-s3-request.js';
import { expectRawError, expectSdkError } from '../support/s3-api-assertions.js';
import { s3Client, startSediment, type SedimentUnderTest } from '../support/sediment-under-test.js';

jest.setTimeout(60_000);

const ACCOUNT = '000000000000';
const ROOT_ARN = `arn:aws:iam::${ACCOUNT}:root`;
const userArn = (name: string) => `arn:aws:iam::${ACCOUNT}:user/${name}`;

let sediment: SedimentUnderTest;
let iam: IAMClient;
let root: S3Client;
const clients: S3Client[] = [];
/** Each user's access key, for raw requests (the SDK client keeps its own copy to itself). */
const keys = new Map<string, Credentials>();

beforeAll(async () => {
  sediment = await startSediment();
  root = sediment.s3;
  iam = iamClient(sediment.url);
});

afterAll(async () => {
  for (const client of clients) client.destroy();
  iam?.destroy();
  sediment.s3.destroy();
  await sediment.stop();
}, 30_000);

/** Creates the user with these inline policies and returns an S3 client signing with its key. */
async function userClient(name: string, policies: Record<string, string> = {}): Promise<S3Client> {
  const credentials = await createUserWithKey(iam, name, policies);
  keys.set(name, credentials);
  const client = s3Client(sediment.url, credentials);
  clients.push(client);
  return client;
}

/** A bucket holding `keys`; `withAcls` creates it with ACLs on (ObjectWriter), for the bucket ACL tests. */
async function bucketWith(bucket: string, keys: string[], withAcls = false): Promise<void> {
  await root.send(new CreateBucketCommand({ Bucket: bucket, ...(withAcls ? { ObjectOwnership: 'ObjectWriter' as const } : {}) }));
  for (const key of keys) await root.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `body of ${key}` }));
}

function putBucketPolicy(bucket: string, ...statements: Array<Record<string, unknown>>) {
  return root.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy(...statements) }));
}

/** The object's text, read as root; undefined if it does not exist. */
async function storedBody(bucket: string, key: string): Promise<string | undefined> {
  const res = await rawS3Request(sediment.url, { method: 'GET', path: objectPath(bucket, key) });
  if (res.status === 404) return undefined;
  expect(res.status).toBe(200);
  return res.body;
}

async function keysIn(bucket: string): Promise<string[]> {
  return ((await root.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((o) => o.Key!);
}

async function read(client: S3Client, bucket: string, key: string): Promise<string> {
  const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return out.Body!.transformToString();
}

const denied = (promise: Promise<unknown>) => expectSdkError(promise, 403, 'AccessDenied');

// ---------------------------------------------------------------------------------------------
// 2. An explicit Deny beats every Allow
// ---------------------------------------------------------------------------------------------

describe('explicit Deny overrides Allow', () => {
  it("a Deny s3:DeleteObject on a prefix wins over the same user's Allow s3:*", async () => {
    const bucket = 'deny-wins';
    await bucketWith(bucket, ['protected/a.txt', 'scratch/b.txt']);
    const careful = await userClient('careful', {
      all: policy(
        { Effect: 'Allow', Action: 's3:*', Resource: '*' },
        { Effect: 'Deny', Action: 's3:DeleteObject', Resource: `arn:aws:s3:::${bucket}/protected/*` },
      ),
    });

    await denied(careful.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'protected/a.txt' })));
    expect(await storedBody(bucket, 'protected/a.txt')).toBe('body of protected/a.txt');
    // Everything else s3:* allows still works, in and outside the prefix.
    expect((await careful.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'scratch/b.txt' }))).$metadata.httpStatusCode).toBe(204);
    expect(await storedBody(bucket, 'scratch/b.txt')).toBeUndefined();
    await careful.send(new PutObjectCommand({ Bucket: bucket, Key: 'protected/new.txt', Body: 'new' }));
    expect(await read(careful, bucket, 'protected/a.txt')).toBe('body of protected/a.txt');
  });

  it("a bucket policy Deny for a user wins over the user's own Allow; other users and buckets are unaffected", async () => {
    const readAll = { all: policy({ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: '*' }) };
    const shunned = await userClient('shunned', readAll);
    const welcome = await userClient('welcome', readAll);
    await bucketWith('deny-by-bucket', ['doc.txt']);
    await bucketWith('no-bucket-policy', ['doc.txt']);
    expect(await read(shunned, 'deny-by-bucket', 'doc.txt')).toBe('body of doc.txt');

    await putBucketPolicy('deny-by-bucket', {
      Effect: 'Deny',
      Principal: { AWS: userArn('shunned') },
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::deny-by-bucket/*',
    });

    await denied(shunned.send(new GetObjectCommand({ Bucket: 'deny-by-bucket', Key: 'doc.txt' })));
    expect((await shunned.send(new ListObjectsV2Command({ Bucket: 'deny-by-bucket' }))).KeyCount).toBe(1); // not denied
    expect(await read(shunned, 'no-bucket-policy', 'doc.txt')).toBe('body of doc.txt');
    expect(await read(welcome, 'deny-by-bucket', 'doc.txt')).toBe('body of doc.txt');
  });

  it('a bucket policy may deny the root GetObject, and the root can still delete that policy', async () => {
    const bucket = 'deny-root';
    await bucketWith(bucket, ['secret.txt']);
    const statement = { Sid: 'NoRootReads', Effect: 'Deny', Principal: { AWS: ROOT_ARN }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` };
    await putBucketPolicy(bucket, statement);

    await denied(root.send(new GetObjectCommand({ Bucket: bucket, Key: 'secret.txt' })));
    // Only what the policy names is denied; managing the policy stays the root's.
    expect((await root.send(new ListObjectsV2Command({ Bucket: bucket }))).KeyCount).toBe(1);
    const got = await root.send(new GetBucketPolicyCommand({ Bucket: bucket }));
    expect(JSON.parse(got.Policy!).Statement).toEqual([statement]);
    const deleted = await root.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);

    expect(await read(root, bucket, 'secret.txt')).toBe('body of secret.txt');
  });

  it('the root can replace a bucket policy that denies it everything', async () => {
    const bucket = 'deny-root-all';
    await bucketWith(bucket, ['x.txt']);
    await putBucketPolicy(bucket, { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`] });
    await denied(root.send(new ListObjectsV2Command({ Bucket: bucket })));
    await denied(root.send(new PutObjectCommand({ Bucket: bucket, Key: 'y.txt', Body: 'y' })));

    await putBucketPolicy(bucket, { Effect: 'Deny', Principal: '*', Action: 's3:DeleteObject', Resource: `arn:aws:s3:::${bucket}/*` });
    expect(await keysIn(bucket)).toEqual(['x.txt']);
    await denied(root.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'x.txt' })));
  });
});

// ---------------------------------------------------------------------------------------------
// 3. Wildcards, NotAction, NotResource
// ---------------------------------------------------------------------------------------------

describe('wildcards and Not* elements', () => {
  const bucket = 'wild';

  beforeAll(async () => {
    await bucketWith(bucket, ['logs/app.log', 'data/table.csv', 'secret/key.pem', 'day-01.log']);
  });

  it('s3:Get* on arn:aws:s3:::b/logs/* allows GetObject and HeadObject under logs/ only', async () => {
    const client = await userClient('log-reader', {
      logs: policy({ Effect: 'Allow', Action: 's3:Get*', Resource: `arn:aws:s3:::${bucket}/logs/*` }),
    });
    expect(await read(client, bucket, 'logs/app.log')).toBe('body of logs/app.log');
    const head = await rawS3Request(sediment.url, { method: 'HEAD', path: objectPath(bucket, 'logs/app.log'), credentials: keys.get('log-reader')! });
    expect(head.status).toBe(200);
    await denied(client.send(new GetObjectCommand({ Bucket: bucket, Key: 'data/table.csv' })));
    await denied(client.send(new GetObjectCommand({ Bucket: bucket, Key: 'logs' }))); // no trailing slash: not under logs/
    // s3:Get* is not s3:PutObject, nor s3:ListBucket.
    await denied(client.send(new PutObjectCommand({ Bucket: bucket, Key: 'logs/new.log', Body: 'x' })));
    await denied(client.send(new ListObjectsV2Command({ Bucket: bucket })));
    expect(await storedBody(bucket, 'logs/new.log')).toBeUndefined();
  });

  it('? in a resource matches exactly one character', async () => {
    const client = await userClient('day-writer', {
      days: policy({ Effect: 'Allow', Action: 's3:PutObject', Resource: `arn:aws:s3:::${bucket}/day-??.log` }),
    });
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'day-02.log', Body: 'two' }));
    expect(await storedBody(bucket, 'day-02.log')).toBe('two');
    for (const key of ['day-3.log', 'day-004.log', 'day-05.txt']) {
      await denied(client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'x' })));
      expect(await storedBody(bucket, key)).toBeUndefined();
    }
  });

  it('Allow with NotAction grants every action but the named ones', async () => {
    const client = await userClient('no-deleter', {
      notDelete: policy({ Effect: 'Allow', NotAction: 's3:DeleteObject', Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`] }),
    });
    expect(await read(client, bucket, 'data/table.csv')).toBe('body of data/table.csv');
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'data/by-no-deleter.csv', Body: 'mine' }));
    expect((await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'data/' }))).KeyCount).toBe(2);
    await denied(client.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'data/by-no-deleter.csv' })));
    expect(await storedBody(bucket, 'data/by-no-deleter.csv')).toBe('mine');
    // The resources still bound it: other buckets are not covered.
    await denied(client.send(new CreateBucketCommand({ Bucket: 'not-covered' })));
  });

  it('Allow with NotResource grants everywhere but the named resources; Deny with NotResource denies everywhere else', async () => {
    const reader = await userClient('not-secret', {
      read: policy({ Effect: 'Allow', Action: 's3:GetObject', NotResource: `arn:aws:s3:::${bucket}/secret/*` }),
    });
    expect(await read(reader, bucket, 'logs/app.log')).toBe('body of logs/app.log');
    await denied(reader.send(new GetObjectCommand({ Bucket: bucket, Key: 'secret/key.pem' })));

    const inboxOnly = await userClient('inbox-only', {
      put: policy(
        { Effect: 'Allow', Action: 's3:PutObject', Resource: '*' },
        { Effect: 'Deny', Action: 's3:PutObject', NotResource: `arn:aws:s3:::${bucket}/inbox/*` },
      ),
    });
    await inboxOnly.send(new PutObjectCommand({ Bucket: bucket, Key: 'inbox/letter.txt', Body: 'letter' }));
    expect(await storedBody(bucket, 'inbox/letter.txt')).toBe('letter');
    await denied(inboxOnly.send(new PutObjectCommand({ Bucket: bucket, Key: 'outbox/letter.txt', Body: 'x' })));
    expect(await storedBody(bucket, 'outbox/letter.txt')).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------
// 4. A bucket policy granting another user
// ---------------------------------------------------------------------------------------------

describe('a bucket policy granting a user what its own policies do not', () => {
  const bucket = 'shared';

  it('bob, with no policy of his own, gets exactly what the bucket policy names; carol gets nothing', async () => {
    await bucketWith(bucket, ['shared/report.txt', 'private/diary.txt']);
    const bob = await userClient('bob');
    const carol = await userClient('carol');
    await denied(bob.send(new GetObjectCommand({ Bucket: bucket, Key: 'shared/report.txt' })));
    await denied(bob.send(new ListObjectsV2Command({ Bucket: bucket })));

    await putBucketPolicy(
      bucket,
      { Sid: 'BobReads', Effect: 'Allow', Principal: { AWS: userArn('bob') }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/shared/*` },
      { Sid: 'BobLists', Effect: 'Allow', Principal: { AWS: [userArn('bob')] }, Action: 's3:ListBucket', Resource: `arn:aws:s3:::${bucket}` },
    );

    expect(await read(bob, bucket, 'shared/report.txt')).toBe('body of shared/report.txt');
    expect((await bob.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents?.map((o) => o.Key)).toEqual([
      'private/diary.txt',
      'shared/report.txt',
    ]);
    await denied(bob.send(new GetObjectCommand({ Bucket: bucket, Key: 'private/diary.txt' })));
    await denied(bob.send(new PutObjectCommand({ Bucket: bucket, Key: 'shared/by-bob.txt', Body: 'x' })));
    expect(await storedBody(bucket, 'shared/by-bob.txt')).toBeUndefined();
    await denied(carol.send(new GetObjectCommand({ Bucket: bucket, Key: 'shared/report.txt' })));
    await denied(carol.send(new ListObjectsV2Command({ Bucket: bucket })));
  });

  it('the grant does not pass to a new user created under the same name once the named user is deleted', async () => {
    // IAM binds a user ARN in a resource policy to that user's unique id; the ids are never
    // reused, so deleting and recreating the user does not revive the grant for someone else.
    const grantBucket = 'shared-by-name';
    await bucketWith(grantBucket, ['report.txt']);
    const first = await userClient('dave');
    await putBucketPolicy(grantBucket, { Effect: 'Allow', Principal: { AWS: userArn('dave') }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${grantBucket}/*` });
    expect(await read(first, grantBucket, 'report.txt')).toBe('body of report.txt');

    await iam.send(new DeleteAccessKeyCommand({ UserName: 'dave', AccessKeyId: keys.get('dave')!.accessKeyId }));
    await iam.send(new DeleteUserCommand({ UserName: 'dave' }));
    const second = await userClient('dave');

    await denied(second.send(new GetObjectCommand({ Bucket: grantBucket, Key: 'report.txt' })));
  });
});

// ---------------------------------------------------------------------------------------------
// 5. A bucket policy naming the account (issue #10): as in AWS, an Allow grants the root and
//    delegates to IAM, so an IAM user still needs an Allow of its own; a Deny denies everyone
// ---------------------------------------------------------------------------------------------

describe.each([
  ['the account root ARN', ROOT_ARN, 'arn'],
  ['the bare account id', ACCOUNT, 'id'],
])('a bucket policy allowing s3:PutObject to %s', (_name, principal, suffix) => {
  const bucket = `to-account-${suffix}`;
  const put = (client: S3Client, key: string) => client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));

  beforeAll(async () => {
    await bucketWith(bucket, []);
    await putBucketPolicy(bucket, { Effect: 'Allow', Principal: { AWS: principal }, Action: 's3:PutObject', Resource: `arn:aws:s3:::${bucket}/*` });
  });

  it('grants no IAM user by itself: a user with no policy and a read-only user get 403, nothing stored', async () => {
    const nobody = await userClient(`no-policy-${suffix}`);
    const reader = await userClient(`read-only-${suffix}`, {
      read: policy({ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: '*' }),
    });
    await denied(put(nobody, 'by-nobody.txt'));
    await denied(put(reader, 'by-reader.txt'));
    expect(await storedBody(bucket, 'by-nobody.txt')).toBeUndefined();
    expect(await storedBody(bucket, 'by-reader.txt')).toBeUndefined();
  });

  it('the root still uploads, and so does a user whose identity policy allows it', async () => {
    const writer = await userClient(`writer-${suffix}`, {
      write: policy({ Effect: 'Allow', Action: 's3:PutObject', Resource: `arn:aws:s3:::${bucket}/*` }),
    });
    await put(root, 'by-root.txt');
    await put(writer, 'by-writer.txt');
    expect(await storedBody(bucket, 'by-root.txt')).toBe('by-root.txt');
    expect(await storedBody(bucket, 'by-writer.txt')).toBe('by-writer.txt');
  });
});

describe('Deny statements naming the account', () => {
  const bucket = 'deny-account';

  it('a Deny naming the account denies its users and its root', async () => {
    await bucketWith(bucket, ['doc.txt']);
    const reader = await userClient('account-denied', { read: policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }) });
    await putBucketPolicy(bucket, { Effect: 'Deny', Principal: { AWS: ACCOUNT }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` });
    await denied(reader.send(new GetObjectCommand({ Bucket: bucket, Key: 'doc.txt' })));
    await denied(root.send(new GetObjectCommand({ Bucket: bucket, Key: 'doc.txt' })));
  });

  it('a Deny with NotPrincipal exempts a user only when its account is named too', async () => {
    const reader = await userClient('exempted', { read: policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }) });
    const denyAllBut = (...ids: string[]) =>
      putBucketPolicy(bucket, { Effect: 'Deny', NotPrincipal: { AWS: ids }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` });
    await denyAllBut(userArn('exempted'));
    await denied(reader.send(new GetObjectCommand({ Bucket: bucket, Key: 'doc.txt' })));
    await denyAllBut(userArn('exempted'), ROOT_ARN);
    expect(await read(reader, bucket, 'doc.txt')).toBe('body of doc.txt');
  });
});

// ---------------------------------------------------------------------------------------------
// 6. Conditions
// ---------------------------------------------------------------------------------------------

describe('policy conditions', () => {
  const bucket = 'conditions';

  beforeAll(async () => {
    await bucketWith(bucket, ['doc.txt', 'home/alice/notes.txt', 'home/alice/docs/cv.pdf', 'home/bob/notes.txt']);
  });

  it('aws:SourceIp: IpAddress 127.0.0.1/32 allows a local caller, 10.0.0.0/8 does not', async () => {
    const getFrom = (cidr: string) =>
      policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*`, Condition: { IpAddress: { 'aws:SourceIp': cidr } } });
    const local = await userClient('from-localhost', { ip: getFrom('127.0.0.1/32') });
    const remote = await userClient('from-intranet', { ip: getFrom('10.0.0.0/8') });
    expect(await read(local, bucket, 'doc.txt')).toBe('body of doc.txt');
    await denied(remote.send(new GetObjectCommand({ Bucket: bucket, Key: 'doc.txt' })));
    // The address is the connection's: an X-Forwarded-For header does not change it.
    const spoofed = await rawS3Request(sediment.url, {
      method: 'GET',
      path: objectPath(bucket, 'doc.txt'),
      headers: { 'x-forwarded-for': '10.1.2.3' },
      credentials: keys.get('from-intranet')!,
    });
    expectRawError(spoofed, 403, 'AccessDenied');

    // NotIpAddress in a bucket policy Deny: callers outside 10.0.0.0/8 (us) are refused.
    const outsider = await userClient('outsider', { ip: getFrom('0.0.0.0/0') });
    expect(await read(outsider, bucket, 'doc.txt')).toBe('body of doc.txt');
    await putBucketPolicy(bucket, {
      Effect: 'Deny',
      Principal: { AWS: userArn('outsider') },
      Action: 's3:GetObject',
      Resource: `arn:aws:s3:::${bucket}/*`,
      Condition: { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
    });
    try {
      await denied(outsider.send(new GetObjectCommand({ Bucket: bucket, Key: 'doc.txt' })));
      expect(await read(local, bucket, 'doc.txt')).toBe('body of doc.txt');
    } finally {
      await root.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
    }
  });

  it('s3:prefix with ${aws:username}: only home/<own name>/ is listable', async () => {
    const homePolicy = (version: string) =>
      JSON.stringify({
        Version: version,
        Statement: [
          {
            Effect: 'Allow',
            Action: 's3:ListBucket',
            Resource: `arn:aws:s3:::${bucket}`,
            Condition: { StringLike: { 's3:prefix': 'home/${aws:username}/*' } },
          },
          { Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/home/\${aws:username}/*` },
        ],
      });
    const alice = await userClient('alice', { home: homePolicy('2012-10-17') });

    const own = await alice.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'home/alice/' }));
    expect(own.Contents?.map((o) => o.Key)).toEqual(['home/alice/docs/cv.pdf', 'home/alice/notes.txt']);
    expect((await alice.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'home/alice/docs/' }))).KeyCount).toBe(1);
    await denied(alice.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'home/bob/' })));
    await denied(alice.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'home/' })));
    await denied(alice.send(new ListObjectsV2Command({ Bucket: bucket }))); // no s3:prefix at all
    expect(await read(alice, bucket, 'home/alice/notes.txt')).toBe('body of home/alice/notes.txt');
    await denied(alice.send(new GetObjectCommand({ Bucket: bucket, Key: 'home/bob/notes.txt' })));

    // Version 2008-10-17 has no policy variables: "${aws:username}" is literal text there.
    const literal = await userClient('alice-2008', { home: homePolicy('2008-10-17') });
    await denied(literal.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'home/alice-2008/' })));
  });

  it('a missing key is 404 only where ListBucket allows its name as s3:prefix, and 403 elsewhere', async () => {
    const reader = await userClient('prefix-lister', {
      read: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` },
          { Effect: 'Allow', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${bucket}`, Condition: { StringLike: { 's3:prefix': 'home/*' } } },
        ],
      }),
    });
    await expectSdkError(reader.send(new GetObjectCommand({ Bucket: bucket, Key: 'home/nobody.txt' })), 404, 'NoSuchKey');
    // A HEAD answer has no body: only its status says which.
    const headStatus = (Key: string) =>
      reader.send(new HeadObjectCommand({ Bucket: bucket, Key })).then(
        () => 200,
        (error: { $metadata?: { httpStatusCode?: number } }) => error.$metadata?.httpStatusCode,
      );
    expect(await headStatus('home/nobody.txt')).toBe(404);
    await denied(reader.send(new GetObjectCommand({ Bucket: bucket, Key: 'elsewhere/nobody.txt' })));
    expect(await headStatus('elsewhere/nobody.txt')).toBe(403);
    expect(await read(reader, bucket, 'doc.txt')).toBe('body of doc.txt');
  });

  it('aws:SecureTransport: a Deny on "false" refuses plain-HTTP requests, even the root; one on "true" does not apply', async () => {
    const denyInsecure = (value: string) => ({
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
      Condition: { Bool: { 'aws:SecureTransport': value } },
    });
    await putBucketPolicy(bucket, denyInsecure('true'));
    expect(await read(root, bucket, 'doc.txt')).toBe('body of doc.txt');

    await putBucketPolicy(bucket, denyInsecure('false'));
    try {
      await denied(root.send(new GetObjectCommand({ Bucket: bucket, Key: 'doc.txt' })));
      await denied(root.send(new PutObjectCommand({ Bucket: bucket, Key: 'insecure.txt', Body: 'x' })));
      // Claiming HTTPS in X-Forwarded-Proto does not make the connection secure.
      const claimed = await rawS3Request(sediment.url, { method: 'GET', path: objectPath(bucket, 'doc.txt'), headers: { 'x-forwarded-proto': 'https' } });
      expectRawError(claimed, 403, 'AccessDenied');
    } finally {
      await root.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
    }
    expect(await storedBody(bucket, 'insecure.txt')).toBeUndefined();
  });

  it('Null: an Allow on s3:prefix being present lists only with a prefix', async () => {
    const client = await userClient('prefix-required', {
      list: policy({ Effect: 'Allow', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${bucket}`, Condition: { Null: { 's3:prefix': 'false' } } }),
    });
    expect((await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'home/bob/' }))).KeyCount).toBe(1);
    await denied(client.send(new ListObjectsV2Command({ Bucket: bucket })));
  });

  it('aws:CurrentTime (Date*), s3:max-keys (Numeric*) and aws:PrincipalArn in a bucket policy', async () => {
    const inAnHour = new Date(Date.now() + 3600_000).toISOString();
    const timed = (operator: string) =>
      policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { [operator]: { 'aws:CurrentTime': inAnHour } } });
    expect(await read(await userClient('until-later', { t: timed('DateLessThan') }), bucket, 'doc.txt')).toBe('body of doc.txt');
    await denied((await userClient('from-later', { t: timed('DateGreaterThan') })).send(new GetObjectCommand({ Bucket: bucket, Key: 'doc.txt' })));

    const pager = await userClient('small-pages', {
      list: policy({ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*', Condition: { NumericLessThanEquals: { 's3:max-keys': '10' } } }),
    });
    expect((await pager.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 10 }))).$metadata.httpStatusCode).toBe(200);
    await denied(pager.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 11 })));
    await denied(pager.send(new ListObjectsV2Command({ Bucket: bucket }))); // no s3:max-keys

    const named = await userClient('by-arn');
    const other = await userClient('not-by-arn');
    await putBucketPolicy(bucket, {
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: `arn:aws:s3:::${bucket}/*`,
      Condition: { StringEquals: { 'aws:PrincipalArn': userArn('by-arn') } },
    });
    try {
      expect(await read(named, bucket, 'doc.txt')).toBe('body of doc.txt');
      await denied(other.send(new GetObjectCommand({ Bucket: bucket, Key: 'doc.txt' })));
      // Anonymous callers have no aws:PrincipalArn.
      expectRawError(await rawS3Request(sediment.url, { method: 'GET', path: objectPath(bucket, 'doc.txt'), credentials: null }), 403, 'AccessDenied');
    } finally {
      await root.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
    }
  });
});

// ---------------------------------------------------------------------------------------------
// 7. DeleteObjects, judged per key
// ---------------------------------------------------------------------------------------------

describe('DeleteObjects with per-key denial', () => {
  it('deletes the keys the user may delete and reports AccessDenied for the others, which stay', async () => {
    const bucket = 'per-key';
    await bucketWith(bucket, ['tmp/a.txt', 'tmp/b.txt', 'keep/c.txt', 'root.txt']);
    const janitor = await userClient('janitor', {
      tmp: policy({ Effect: 'Allow', Action: 's3:DeleteObject', Resource: `arn:aws:s3:::${bucket}/tmp/*` }),
    });

    const result = await janitor.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: ['tmp/a.txt', 'keep/c.txt', 'tmp/b.txt', 'root.txt', 'tmp/missing.txt'].map((Key) => ({ Key })) },
      }),
    );

    expect(result.$metadata.httpStatusCode).toBe(200);
    expect((result.Deleted ?? []).map((d) => d.Key).sort()).toEqual(['tmp/a.txt', 'tmp/b.txt', 'tmp/missing.txt']);
    expect((result.Errors ?? []).map(({ Key, Code, Message }) => ({ Key, Code, Message })).sort((x, y) => x.Key!.localeCompare(y.Key!))).toEqual([
      { Key: 'keep/c.txt', Code: 'AccessDenied', Message: 'Access Denied' },
      { Key: 'root.txt', Code: 'AccessDenied', Message: 'Access Denied' },
    ]);
    expect(await keysIn(bucket)).toEqual(['keep/c.txt', 'root.txt']);
  });

  it('quiet mode still reports every denied key; a caller allowed nothing deletes nothing', async () => {
    const bucket = 'per-key-quiet';
    await bucketWith(bucket, ['tmp/x', 'keep/y']);
    const janitor = await userClient('quiet-janitor', {
      tmp: policy({ Effect: 'Allow', Action: 's3:DeleteObject', Resource: `arn:aws:s3:::${bucket}/tmp/*` }),
    });
    const nobody = await userClient('delete-nobody');
    const objects = [{ Key: 'tmp/x' }, { Key: 'keep/y' }];

    const none = await nobody.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects } }));
    expect((none.Errors ?? []).map((e) => [e.Key, e.Code])).toEqual([
      ['tmp/x', 'AccessDenied'],
      ['keep/y', 'AccessDenied'],
    ]);
    expect(await keysIn(bucket)).toEqual(['keep/y', 'tmp/x']);

    const quiet = await janitor.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Quiet: true, Objects: objects } }));
    expect(quiet.Deleted ?? []).toEqual([]);
    expect((quiet.Errors ?? []).map((e) => [e.Key, e.Code])).toEqual([['keep/y', 'AccessDenied']]);
    expect(await keysIn(bucket)).toEqual(['keep/y']);
  });
});

// ---------------------------------------------------------------------------------------------
// 8. The bucket policy and ACL operations
// ---------------------------------------------------------------------------------------------

describe('bucket policy and ACL operations', () => {
  const bucket = 'policy-ops';
  const missing = 'no-such-bucket-here';
  const rawPolicyPut = (target: string, body: string) => rawS3Request(sediment.url, { method: 'PUT', path: `/${target}`, query: { policy: '' }, body });
  const rootCanonicalId = createHash('sha256').update(ROOT_ARN).digest('hex');

  beforeAll(async () => {
    await bucketWith(bucket, ['x.txt'], true);
  });

  it('PutBucketPolicy (204), GetBucketPolicy (the same JSON), DeleteBucketPolicy (204), then NoSuchBucketPolicy', async () => {
    await expectSdkError(root.send(new GetBucketPolicyCommand({ Bucket: bucket })), 404, 'NoSuchBucketPolicy');

    // Spacing and key order of the JSON as put are kept byte for byte.
    const text = `{\n  "Version": "2012-10-17",\n  "Id": "ops",\n  "Statement": [{"Sid": "Read", "Effect": "Allow", "Principal": "*", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::${bucket}/*"}]\n}`;
    const put = await root.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: text }));
    expect(put.$metadata.httpStatusCode).toBe(204);
    expect((await root.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy).toBe(text);
    const raw = await rawS3Request(sediment.url, { method: 'GET', path: `/${bucket}`, query: { policy: '' } });
    expect({ status: raw.status, type: raw.headers['content-type'], body: raw.body }).toEqual({ status: 200, type: 'application/json', body: text });

    expect((await root.send(new DeleteBucketPolicyCommand({ Bucket: bucket }))).$metadata.httpStatusCode).toBe(204);
    const error = await expectSdkError(root.send(new GetBucketPolicyCommand({ Bucket: bucket })), 404, 'NoSuchBucketPolicy');
    expect(error.message).toBe('The bucket policy does not exist');
    // Deleting again is still 204.
    expect((await root.send(new DeleteBucketPolicyCommand({ Bucket: bucket }))).$metadata.httpStatusCode).toBe(204);
  });

  it('GetBucketPolicyStatus: public for a grant to everyone, not once it is limited to an address range; NoSuchBucketPolicy without one', async () => {
    await expectSdkError(root.send(new GetBucketPolicyStatusCommand({ Bucket: bucket })), 404, 'NoSuchBucketPolicy');
    const read = { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` };
    await root.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify({ Version: '2012-10-17', Statement: [read] }) }));
    expect((await root.send(new GetBucketPolicyStatusCommand({ Bucket: bucket }))).PolicyStatus).toEqual({ IsPublic: true });
    const limited = { ...read, Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } };
    await root.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify({ Version: '2012-10-17', Statement: [limited] }) }));
    expect((await root.send(new GetBucketPolicyStatusCommand({ Bucket: bucket }))).PolicyStatus).toEqual({ IsPublic: false });
    await root.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
  });

  it.each([
    ['not JSON', '{"Version": "2012-10-17", "Statement": [', undefined],
    ['a JSON array', '[]', undefined],
    ['no Statement', JSON.stringify({ Version: '2012-10-17' }), undefined],
    ['a statement without Principal', policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::policy-ops/*' }), undefined],
    ['an unknown Effect', policy({ Effect: 'Maybe', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::policy-ops/*' }), undefined],
    ['a Resource in another bucket', policy({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::other-bucket/*' }), 'Policy has invalid resource'],
    ['a Resource of a bucket-name prefix', policy({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::policy-ops-2/*' }), 'Policy has invalid resource'],
    ['an unknown user principal', policy({ Effect: 'Allow', Principal: { AWS: userArn('ghost') }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::policy-ops/*' }), 'Invalid principal in policy'],
  ])('a policy with %s is 400 MalformedPolicy and changes nothing', async (_case, body, message) => {
    const previous = policy({ Sid: 'Previous', Effect: 'Deny', Principal: '*', Action: 's3:DeleteObject', Resource: `arn:aws:s3:::${bucket}/*` });
    await root.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: previous }));

    const res = await rawPolicyPut(bucket, body);
    expectRawError(res, 400, 'MalformedPolicy');
    if (message !== undefined) expect(xmlText(res.body, 'Message')).toBe(message);
    expect((await root.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy).toBe(previous);
  });

  it('a policy naming an existing user, the account or "*" is accepted', async () => {
    await userClient('policy-principal');
    const principals = [{ AWS: userArn('policy-principal') }, { AWS: ROOT_ARN }, { AWS: ACCOUNT }, { AWS: '*' }, '*'];
    for (const Principal of principals) {
      const text = policy({ Effect: 'Allow', Principal, Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` });
      expect((await rawPolicyPut(bucket, text)).status).toBe(204);
      expect((await root.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy).toBe(text);
    }
    await root.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
  });

  it('every policy and ACL operation on a missing bucket is 404 NoSuchBucket', async () => {
    const okPolicy = policy({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${missing}/*` });
    await expectSdkError(root.send(new GetBucketPolicyCommand({ Bucket: missing })), 404, 'NoSuchBucket');
    await expectSdkError(root.send(new PutBucketPolicyCommand({ Bucket: missing, Policy: okPolicy })), 404, 'NoSuchBucket');
    await expectSdkError(root.send(new DeleteBucketPolicyCommand({ Bucket: missing })), 404, 'NoSuchBucket');
    await expectSdkError(root.send(new GetBucketAclCommand({ Bucket: missing })), 404, 'NoSuchBucket');
    await expectSdkError(root.send(new PutBucketAclCommand({ Bucket: missing, ACL: 'public-read' })), 404, 'NoSuchBucket');
  });

  const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
  const AUTHENTICATED_USERS = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';
  const group = (URI: string, Permission: string) => ({ Grantee: { Type: 'Group', URI }, Permission });

  it.each<[BucketCannedACL, Array<ReturnType<typeof group>>]>([
    ['private', []],
    ['public-read', [group(ALL_USERS, 'READ')]],
    ['public-read-write', [group(ALL_USERS, 'READ'), group(ALL_USERS, 'WRITE')]],
    ['authenticated-read', [group(AUTHENTICATED_USERS, 'READ')]],
  ])('GetBucketAcl after PutBucketAcl %s: the owner FULL_CONTROL, then the group grants', async (acl, groups) => {
    const put = await root.send(new PutBucketAclCommand({ Bucket: bucket, ACL: acl }));
    expect(put.$metadata.httpStatusCode).toBe(200);
    const got = await root.send(new GetBucketAclCommand({ Bucket: bucket }));
    expect(got.Owner).toEqual({ ID: rootCanonicalId, DisplayName: 'root' });
    expect(got.Grants).toEqual([
      { Grantee: { Type: 'CanonicalUser', ID: rootCanonicalId, DisplayName: 'root' }, Permission: 'FULL_CONTROL' },
      ...groups,
    ]);
  });

  it('x-amz-acl: bogus is 400 InvalidArgument and leaves the ACL as it was', async () => {
    await root.send(new PutBucketAclCommand({ Bucket: bucket, ACL: 'public-read' }));
    const res = await rawS3Request(sediment.url, { method: 'PUT', path: `/${bucket}`, query: { acl: '' }, headers: { 'x-amz-acl': 'bogus' } });
    expectRawError(res, 400, 'InvalidArgument');
    expect(xmlText(res.body, 'ArgumentName')).toBe('x-amz-acl');
    expect(xmlText(res.body, 'ArgumentValue')).toBe('bogus');
    const got = await root.send(new GetBucketAclCommand({ Bucket: bucket }));
    expect(got.Grants?.map((g) => g.Permission)).toEqual(['FULL_CONTROL', 'READ']);
    await root.send(new PutBucketAclCommand({ Bucket: bucket, ACL: 'private' }));
  });

  it('a user needs s3:GetBucketPolicy / s3:PutBucketAcl to read the policy or change the ACL', async () => {
    await root.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy({ Effect: 'Deny', Principal: '*', Action: 's3:DeleteObject', Resource: `arn:aws:s3:::${bucket}/*` }) }));
    const plain = await userClient('acl-plain');
    const admin = await userClient('acl-admin', {
      admin: policy({ Effect: 'Allow', Action: ['s3:GetBucketPolicy', 's3:PutBucketAcl', 's3:GetBucketAcl'], Resource: `arn:aws:s3:::${bucket}` }),
    });
    await denied(plain.send(new GetBucketPolicyCommand({ Bucket: bucket })));
    await denied(plain.send(new PutBucketAclCommand({ Bucket: bucket, ACL: 'public-read-write' })));
    await denied(plain.send(new DeleteBucketPolicyCommand({ Bucket: bucket })));
    expect((await admin.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy).toContain('s3:DeleteObject');
    await denied(admin.send(new DeleteBucketPolicyCommand({ Bucket: bucket })));
    expect((await root.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy).toContain('s3:DeleteObject');

    await admin.send(new PutBucketAclCommand({ Bucket: bucket, ACL: 'authenticated-read' }));
    expect((await admin.send(new GetBucketAclCommand({ Bucket: bucket }))).Grants?.[1]).toEqual(group(AUTHENTICATED_USERS, 'READ'));
    await root.send(new PutBucketAclCommand({ Bucket: bucket, ACL: 'private' }));
    await root.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
  });

  it('the policy and ACL of a deleted bucket do not apply to a new bucket of the same name', async () => {
    const name = 'reborn';
    const anonymousGet = () => rawS3Request(sediment.url, { method: 'GET', path: objectPath(name, 'page.html'), credentials: null });
    const anonymousList = () => rawS3Request(sediment.url, { method: 'GET', path: `/${name}`, query: { 'list-type': '2' }, credentials: null });
    await bucketWith(name, ['page.html'], true);
    await putBucketPolicy(name, { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${name}/*` });
    await root.send(new PutBucketAclCommand({ Bucket: name, ACL: 'public-read' }));
    expect((await anonymousGet()).status).toBe(200);
    expect((await anonymousList()).status).toBe(200);

    await root.send(new DeleteObjectCommand({ Bucket: name, Key: 'page.html' }));
    await root.send(new DeleteBucketCommand({ Bucket: name }));
    await bucketWith(name, ['page.html'], true);

    expectRawError(await anonymousGet(), 403, 'AccessDenied');
    expectRawError(await anonymousList(), 403, 'AccessDenied');
    await expectSdkError(root.send(new GetBucketPolicyCommand({ Bucket: name })), 404, 'NoSuchBucketPolicy');
    expect((await root.send(new GetBucketAclCommand({ Bucket: name }))).Grants?.map((g) => g.Permission)).toEqual(['FULL_CONTROL']);
    // And a policy put on the new bucket applies to it.
    await putBucketPolicy(name, { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${name}/*` });
    expect((await anonymousGet()).status).toBe(200);
  });
});
