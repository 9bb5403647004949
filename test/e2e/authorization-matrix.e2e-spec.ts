// Who may do what: IAM enforcement of S3 requests, seen from the outside. A principal × action
// table against AWS's semantics (root, IAM users with and without policies, anonymous callers),
// anonymous access through canned ACLs and bucket policies, presigned URLs made with a user's
// key, and keys that stop working. Every denial is 403 AccessDenied and must change nothing.
// Policy grammar, Deny precedence, wildcards, conditions and the bucket policy / ACL operations:
// test/e2e/authorization-policies.e2e-spec.ts.
import { createHash, createHmac } from 'node:crypto';
import { jest } from '@jest/globals';
import {
  CreateBucketCommand,
  DeleteBucketPolicyCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutBucketAclCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  type BucketCannedACL,
  type S3Client,
} from '@aws-sdk/client-s3';
import {
  DeleteAccessKeyCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  UpdateAccessKeyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { buildQueryString } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';
import { createUserWithKey, iamClient, policy, ROOT } from '../support/iam-helpers.js';
import { NodeSha256 } from '../support/node-sha256.js';
import { objectPath, rawS3Request, xmlText, type Credentials, type RawRequest, type RawResponse } from '../support/raw-s3-request.js';
import { expectRawError, expectSdkError, REQUEST_ID } from '../support/s3-api-assertions.js';
import { s3Client, startSediment, type SedimentUnderTest } from '../support/sediment-under-test.js';

jest.setTimeout(60_000);

const BUCKET = 'matrix';
const EXISTING_KEY = 'data/existing.txt';
const EXISTING_BODY = 'existing object';

type PrincipalName = 'root' | 'reader' | 'writer' | 'nobody' | 'anonymous';

let sediment: SedimentUnderTest;
let iam: IAMClient;
/** Signing credentials per principal; `null` is an unsigned (anonymous) request. */
const creds: Record<PrincipalName, Credentials | null> = { root: ROOT, reader: null, writer: null, nobody: null, anonymous: null };
const clients: S3Client[] = [];

function clientFor(credentials: Credentials): S3Client {
  const client = s3Client(sediment.url, credentials);
  clients.push(client);
  return client;
}

function send(who: PrincipalName, request: Omit<RawRequest, 'credentials'>): Promise<RawResponse> {
  return rawS3Request(sediment.url, { ...request, credentials: creds[who] });
}

/** The object's bytes as root sees them, or undefined if it does not exist. */
async function storedBody(bucket: string, key: string): Promise<string | undefined> {
  const res = await rawS3Request(sediment.url, { method: 'GET', path: objectPath(bucket, key) });
  if (res.status === 404) return undefined;
  expect(res.status).toBe(200);
  return res.body;
}

async function bucketExists(bucket: string): Promise<boolean> {
  const res = await rawS3Request(sediment.url, { method: 'HEAD', path: `/${bucket}` });
  expect([200, 404]).toContain(res.status);
  return res.status === 200;
}

/** A denial: 403 AccessDenied with S3's error XML (a HEAD answer has the status only). */
function expectAccessDenied(res: RawResponse, method = 'GET'): void {
  if (method === 'HEAD') {
    expect(res.status).toBe(403);
    expect(res.body).toBe('');
    expect(res.headers['x-amz-request-id']).toMatch(REQUEST_ID);
    return;
  }
  expectRawError(res, 403, 'AccessDenied');
  expect(xmlText(res.body, 'Message')).toBe('Access Denied');
}

/** A presigned URL for an object of the matrix bucket, as @aws-sdk/s3-request-presigner makes it. */
async function presignedUrl(
  credentials: Credentials,
  method: string,
  key: string,
  options: { expiresIn?: number; signingDate?: Date } = {},
): Promise<string> {
  const signer = new SignatureV4({ service: 's3', region: 'us-east-1', credentials, sha256: NodeSha256, uriEscapePath: false });
  const { hostname, port, host } = new URL(sediment.url);
  const path = objectPath(BUCKET, key);
  const presigned = await signer.presign(
    { method, protocol: 'http:', hostname, port: Number(port), path, query: {}, headers: { host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } },
    { expiresIn: options.expiresIn ?? 900, signingDate: options.signingDate ?? new Date() },
  );
  return `${sediment.url}${path}?${buildQueryString(presigned.query ?? {})}`;
}

/** The error answer of a fetch: status, Code and request id as expectRawError checks them; returns the XML. */
async function expectFetchError(res: Response, status: number, code: string): Promise<string> {
  const body = await res.text();
  expectRawError({ status: res.status, headers: Object.fromEntries(res.headers), body }, status, code);
  return body;
}

beforeAll(async () => {
  sediment = await startSediment();
  iam = iamClient(sediment.url);
  await sediment.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await sediment.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: EXISTING_KEY, Body: EXISTING_BODY }));
  creds.reader = await createUserWithKey(iam, 'reader', {
    read: policy({ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket', 's3:ListAllMyBuckets'], Resource: '*' }),
  });
  creds.writer = await createUserWithKey(iam, 'writer', {
    uploads: policy({ Effect: 'Allow', Action: 's3:PutObject', Resource: `arn:aws:s3:::${BUCKET}/uploads/*` }),
  });
  creds.nobody = await createUserWithKey(iam, 'nobody');
});

afterAll(async () => {
  for (const client of clients) client.destroy();
  iam?.destroy();
  sediment.s3.destroy();
  await sediment.stop();
}, 30_000);

// ---------------------------------------------------------------------------------------------
// 1. The matrix
// ---------------------------------------------------------------------------------------------

interface MatrixAction {
  /** Root prepares what the call acts on; names carry the principal so rows never share state. */
  before?(who: PrincipalName): Promise<void>;
  request(who: PrincipalName): Omit<RawRequest, 'credentials'>;
  /** The success answer, and its effect. */
  allowed(res: RawResponse, who: PrincipalName): Promise<void>;
  /** After a denial: nothing changed. */
  unchanged(who: PrincipalName): Promise<void>;
}

const nothingToChange = async () => undefined;

const ACTIONS: Record<string, MatrixAction> = {
  ListBuckets: {
    request: () => ({ method: 'GET', path: '/' }),
    async allowed(res) {
      expect(res.status).toBe(200);
      expect(res.body).toContain(`<Name>${BUCKET}</Name>`);
    },
    unchanged: nothingToChange,
  },
  ListObjectsV2: {
    request: () => ({ method: 'GET', path: `/${BUCKET}`, query: { 'list-type': '2', prefix: 'data/' } }),
    async allowed(res) {
      expect(res.status).toBe(200);
      expect(res.body).toContain(`<Key>${EXISTING_KEY}</Key>`);
    },
    unchanged: nothingToChange,
  },
  GetObject: {
    request: () => ({ method: 'GET', path: objectPath(BUCKET, EXISTING_KEY) }),
    async allowed(res) {
      expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: EXISTING_BODY });
    },
    unchanged: nothingToChange,
  },
  HeadObject: {
    request: () => ({ method: 'HEAD', path: objectPath(BUCKET, EXISTING_KEY) }),
    async allowed(res) {
      expect(res.status).toBe(200);
      expect(res.headers['content-length']).toBe(String(EXISTING_BODY.length));
    },
    unchanged: nothingToChange,
  },
  'PutObject uploads/': {
    request: (who) => ({ method: 'PUT', path: objectPath(BUCKET, `uploads/${who}.txt`), body: `upload by ${who}` }),
    async allowed(res, who) {
      expect(res.status).toBe(200);
      expect(await storedBody(BUCKET, `uploads/${who}.txt`)).toBe(`upload by ${who}`);
    },
    async unchanged(who) {
      expect(await storedBody(BUCKET, `uploads/${who}.txt`)).toBeUndefined();
    },
  },
  'PutObject elsewhere': {
    request: (who) => ({ method: 'PUT', path: objectPath(BUCKET, `data/put-by-${who}.txt`), body: `put by ${who}` }),
    async allowed(res, who) {
      expect(res.status).toBe(200);
      expect(await storedBody(BUCKET, `data/put-by-${who}.txt`)).toBe(`put by ${who}`);
    },
    async unchanged(who) {
      expect(await storedBody(BUCKET, `data/put-by-${who}.txt`)).toBeUndefined();
    },
  },
  DeleteObject: {
    async before(who) {
      await sediment.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `victims/${who}.txt`, Body: 'still here' }));
    },
    request: (who) => ({ method: 'DELETE', path: objectPath(BUCKET, `victims/${who}.txt`) }),
    async allowed(res, who) {
      expect(res.status).toBe(204);
      expect(await storedBody(BUCKET, `victims/${who}.txt`)).toBeUndefined();
    },
    async unchanged(who) {
      expect(await storedBody(BUCKET, `victims/${who}.txt`)).toBe('still here');
    },
  },
  CreateBucket: {
    request: (who) => ({ method: 'PUT', path: `/created-by-${who}` }),
    async allowed(res, who) {
      expect(res.status).toBe(200);
      expect(await bucketExists(`created-by-${who}`)).toBe(true);
    },
    async unchanged(who) {
      expect(await bucketExists(`created-by-${who}`)).toBe(false);
    },
  },
  DeleteBucket: {
    async before(who) {
      await sediment.s3.send(new CreateBucketCommand({ Bucket: `doomed-${who}` }));
    },
    request: (who) => ({ method: 'DELETE', path: `/doomed-${who}` }),
    async allowed(res, who) {
      expect(res.status).toBe(204);
      expect(await bucketExists(`doomed-${who}`)).toBe(false);
    },
    async unchanged(who) {
      expect(await bucketExists(`doomed-${who}`)).toBe(true);
    },
  },
};

const PRINCIPALS: PrincipalName[] = ['root', 'reader', 'writer', 'nobody', 'anonymous'];

/**
 * Expected outcome per action, principals in the order above. root: everything (no bucket policy
 * denies it); reader: s3:GetObject, s3:ListBucket, s3:ListAllMyBuckets on *; writer: s3:PutObject
 * on matrix/uploads/* only; nobody: an IAM user without policies; anonymous: no ACL, no policy.
 */
const EXPECTED: Record<keyof typeof ACTIONS, readonly boolean[]> = {
  //                     root   reader  writer  nobody  anonymous
  ListBuckets: /*     */ [true, true, /**/ false, false, false],
  ListObjectsV2: /*   */ [true, true, /**/ false, false, false],
  GetObject: /*       */ [true, true, /**/ false, false, false],
  HeadObject: /*      */ [true, true, /**/ false, false, false],
  'PutObject uploads/': [true, false, /*  */ true, false, false],
  'PutObject elsewhere': [true, false, /* */ false, false, false],
  DeleteObject: /*    */ [true, false, /* */ false, false, false],
  CreateBucket: /*    */ [true, false, /* */ false, false, false],
  DeleteBucket: /*    */ [true, false, /* */ false, false, false],
};

const MATRIX = Object.entries(EXPECTED).flatMap(([action, outcomes]) =>
  PRINCIPALS.map((who, i) => ({ action, who, allowed: outcomes[i]! })),
);

describe('authorization matrix: principal × action × resource', () => {
  it.each(MATRIX)('$action by $who: allowed=$allowed', async ({ action, who, allowed }) => {
    const spec = ACTIONS[action]!;
    await spec.before?.(who);
    const request = spec.request(who);
    const res = await send(who, request);
    if (allowed) {
      await spec.allowed(res, who);
    } else {
      expectAccessDenied(res, request.method);
      await spec.unchanged(who);
    }
  });

  it('a missing key is 404 NoSuchKey only for callers with s3:ListBucket; without it, 403 AccessDenied', async () => {
    // AWS GetObject / HeadObject: "If you don't have the s3:ListBucket permission, Amazon S3
    // returns an HTTP status code 403" — else a GetObject grant would reveal which keys exist.
    const getOnly = await createUserWithKey(iam, 'get-only', {
      get: policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*` }),
    });
    const missing = objectPath(BUCKET, 'data/missing.txt');
    expectRawError(await send('reader', { method: 'GET', path: missing }), 404, 'NoSuchKey');
    expect((await send('reader', { method: 'HEAD', path: missing })).status).toBe(404);
    expect((await rawS3Request(sediment.url, { method: 'GET', path: objectPath(BUCKET, EXISTING_KEY), credentials: getOnly })).status).toBe(200);
    expectAccessDenied(await rawS3Request(sediment.url, { method: 'GET', path: missing, credentials: getOnly }));
    expectAccessDenied(await rawS3Request(sediment.url, { method: 'HEAD', path: missing, credentials: getOnly }), 'HEAD');
  });

  it('the SDK sees a denial as AccessDenied with the request id of the response', async () => {
    const writer = clientFor(creds.writer!);
    await expectSdkError(writer.send(new GetObjectCommand({ Bucket: BUCKET, Key: EXISTING_KEY })), 403, 'AccessDenied');
    await expectSdkError(writer.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'data/sdk.txt', Body: 'x' })), 403, 'AccessDenied');
    expect(await storedBody(BUCKET, 'data/sdk.txt')).toBeUndefined();
    const put = await writer.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'uploads/sdk.txt', Body: 'via sdk' }));
    expect(put.$metadata.httpStatusCode).toBe(200);
    expect(await storedBody(BUCKET, 'uploads/sdk.txt')).toBe('via sdk');
  });
});

// ---------------------------------------------------------------------------------------------
// 5. Anonymous callers, canned ACLs and a public bucket policy
// ---------------------------------------------------------------------------------------------

describe('anonymous access', () => {
  const bucket = 'public-site';
  const anonymous = (request: Omit<RawRequest, 'credentials'>) => rawS3Request(sediment.url, { ...request, credentials: null });
  const anonymousList = () => anonymous({ method: 'GET', path: `/${bucket}`, query: { 'list-type': '2' } });
  const anonymousGet = () => anonymous({ method: 'GET', path: objectPath(bucket, 'index.html') });
  const anonymousPut = (key: string) => anonymous({ method: 'PUT', path: objectPath(bucket, key), body: `anonymous ${key}` });
  const putAcl = (ACL: BucketCannedACL) => sediment.s3.send(new PutBucketAclCommand({ Bucket: bucket, ACL }));

  beforeAll(async () => {
    // ACLs on: a new bucket is BucketOwnerEnforced, whose ACLs grant nothing.
    await sediment.s3.send(new CreateBucketCommand({ Bucket: bucket, ObjectOwnership: 'ObjectWriter' }));
    await sediment.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'index.html', Body: '<h1>hello</h1>' }));
  });

  it('is denied by default: 403 AccessDenied with the S3 error XML', async () => {
    for (const res of [await anonymousList(), await anonymousGet(), await anonymousPut('denied.txt')]) {
      expectAccessDenied(res);
      expect(xmlText(res.body, 'Resource')).toMatch(new RegExp(`^/${bucket}`));
    }
    expectAccessDenied(await anonymous({ method: 'GET', path: '/' }));
    expect(await storedBody(bucket, 'denied.txt')).toBeUndefined();
  });

  it('public-read lets anonymous callers list the bucket, but not read objects or write', async () => {
    await putAcl('public-read');
    const list = await anonymousList();
    expect(list.status).toBe(200);
    expect(list.body).toContain('<Key>index.html</Key>');
    // A bucket ACL never grants s3:GetObject.
    expectAccessDenied(await anonymousGet());
    expectAccessDenied(await anonymous({ method: 'HEAD', path: objectPath(bucket, 'index.html') }), 'HEAD');
    expectAccessDenied(await anonymousPut('public-read.txt'));
    expect(await storedBody(bucket, 'public-read.txt')).toBeUndefined();
  });

  it('a bucket policy with Principal "*" for s3:GetObject on bucket/* lets anonymous callers read', async () => {
    await sediment.s3.send(
      new PutBucketPolicyCommand({
        Bucket: bucket,
        Policy: policy({ Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` }),
      }),
    );
    const get = await anonymousGet();
    expect({ status: get.status, body: get.body }).toEqual({ status: 200, body: '<h1>hello</h1>' });
    // The policy grants reads only.
    expectAccessDenied(await anonymousPut('policy.txt'));
    expect(await storedBody(bucket, 'policy.txt')).toBeUndefined();
  });

  it('public-read-write lets anonymous callers upload', async () => {
    await putAcl('public-read-write');
    const put = await anonymousPut('anonymous-upload.txt');
    expect(put.status).toBe(200);
    expect(await storedBody(bucket, 'anonymous-upload.txt')).toBe('anonymous anonymous-upload.txt');
    // WRITE on a bucket lets non-owners create objects, not delete them.
    expectAccessDenied(await anonymous({ method: 'DELETE', path: objectPath(bucket, 'anonymous-upload.txt') }));
    expect(await storedBody(bucket, 'anonymous-upload.txt')).toBe('anonymous anonymous-upload.txt');
  });

  it('back to private (and without the policy) anonymous callers are denied again', async () => {
    await putAcl('private');
    expectAccessDenied(await anonymousList());
    expectAccessDenied(await anonymousPut('after-private.txt'));
    expect(await storedBody(bucket, 'after-private.txt')).toBeUndefined();
    // The bucket policy still grants reads, until it is deleted.
    expect((await anonymousGet()).status).toBe(200);
    await sediment.s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
    expectAccessDenied(await anonymousGet());
  });

  it('authenticated-read lets any signed caller list, even one without policies, but not anonymous ones', async () => {
    await putAcl('authenticated-read');
    try {
      const list = await send('nobody', { method: 'GET', path: `/${bucket}`, query: { 'list-type': '2' } });
      expect(list.status).toBe(200);
      expect(list.body).toContain('<Key>index.html</Key>');
      expectAccessDenied(await anonymousList());
      expectAccessDenied(await send('nobody', { method: 'GET', path: objectPath(bucket, 'index.html') }));
    } finally {
      await putAcl('private');
    }
  });
});

// ---------------------------------------------------------------------------------------------
// 9. Presigned URLs made with a user's key
// ---------------------------------------------------------------------------------------------

describe("presigned URLs signed with a user's key", () => {
  /**
   * A presigned GET signed by hand from AWS's published algorithm (sigv4-query-string-auth), for
   * an X-Amz-Expires that @smithy/signature-v4 refuses to sign (more than a week).
   */
  function handPresignedGet(credentials: Credentials, key: string, expiresSeconds: number): string {
    const hmac = (k: Buffer | string, data: string) => createHmac('sha256', k).update(data).digest();
    const encode = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    const { host } = new URL(sediment.url);
    const amzDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    const date = amzDate.slice(0, 8);
    const scope = `${date}/us-east-1/s3/aws4_request`;
    const params: Record<string, string> = {
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': `${credentials.accessKeyId}/${scope}`,
      'X-Amz-Date': amzDate,
      'X-Amz-Expires': String(expiresSeconds),
      'X-Amz-SignedHeaders': 'host',
    };
    const query = Object.keys(params)
      .sort()
      .map((name) => `${encode(name)}=${encode(params[name]!)}`)
      .join('&');
    const path = objectPath(BUCKET, key);
    const canonicalRequest = ['GET', path, query, `host:${host}`, '', 'host', 'UNSIGNED-PAYLOAD'].join('\n');
    const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, createHash('sha256').update(canonicalRequest).digest('hex')].join('\n');
    const signingKey = hmac(hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, date), 'us-east-1'), 's3'), 'aws4_request');
    return `${sediment.url}${path}?${query}&X-Amz-Signature=${hmac(signingKey, stringToSign).toString('hex')}`;
  }

  const twoHoursAgo = () => new Date(Math.floor(Date.now() / 1000) * 1000 - 2 * 3600_000);

  it("works within its expiry when the user's policy allows the action", async () => {
    const get = await fetch(await presignedUrl(creds.reader!, 'GET', EXISTING_KEY));
    expect({ status: get.status, body: await get.text() }).toEqual({ status: 200, body: EXISTING_BODY });

    const put = await fetch(await presignedUrl(creds.writer!, 'PUT', 'uploads/presigned.txt'), { method: 'PUT', body: 'presigned by writer' });
    expect(put.status).toBe(200);
    await put.arrayBuffer();
    expect(await storedBody(BUCKET, 'uploads/presigned.txt')).toBe('presigned by writer');
  });

  it("is 403 AccessDenied, storing nothing, when the user's policy does not allow the action", async () => {
    await expectFetchError(await fetch(await presignedUrl(creds.writer!, 'GET', EXISTING_KEY)), 403, 'AccessDenied');
    const put = await fetch(await presignedUrl(creds.reader!, 'PUT', 'uploads/by-reader.txt'), { method: 'PUT', body: 'nope' });
    await expectFetchError(put, 403, 'AccessDenied');
    const outside = await fetch(await presignedUrl(creds.writer!, 'PUT', 'data/by-writer.txt'), { method: 'PUT', body: 'nope' });
    await expectFetchError(outside, 403, 'AccessDenied');
    expect(await storedBody(BUCKET, 'uploads/by-reader.txt')).toBeUndefined();
    expect(await storedBody(BUCKET, 'data/by-writer.txt')).toBeUndefined();
  });

  it('is 403 AccessDenied "Request has expired" once expired, GET or PUT', async () => {
    const get = await fetch(await presignedUrl(creds.reader!, 'GET', EXISTING_KEY, { signingDate: twoHoursAgo(), expiresIn: 60 }));
    const getBody = await expectFetchError(get, 403, 'AccessDenied');
    expect(xmlText(getBody, 'Message')).toBe('Request has expired');
    expect(xmlText(getBody, 'X-Amz-Expires')).toBe('60');

    const put = await fetch(await presignedUrl(creds.writer!, 'PUT', 'uploads/expired.txt', { signingDate: twoHoursAgo(), expiresIn: 60 }), {
      method: 'PUT',
      body: 'too late',
    });
    expect(xmlText(await expectFetchError(put, 403, 'AccessDenied'), 'Message')).toBe('Request has expired');
    expect(await storedBody(BUCKET, 'uploads/expired.txt')).toBeUndefined();
  });

  it('X-Amz-Expires of 604801 (more than a week) is 400 AuthorizationQueryParametersError', async () => {
    // The hand signer is right: the same URL for exactly a week works.
    const week = await fetch(handPresignedGet(creds.reader!, EXISTING_KEY, 604_800));
    expect({ status: week.status, body: await week.text() }).toEqual({ status: 200, body: EXISTING_BODY });

    const body = await expectFetchError(await fetch(handPresignedGet(creds.reader!, EXISTING_KEY, 604_801)), 400, 'AuthorizationQueryParametersError');
    expect(xmlText(body, 'Message')).toBe(
      'X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds',
    );
  });
});

// ---------------------------------------------------------------------------------------------
// 10. Keys that stop working
// ---------------------------------------------------------------------------------------------

describe('inactive and deleted access keys', () => {
  const readPolicy = policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*` });
  const getExisting = (client: S3Client) => client.send(new GetObjectCommand({ Bucket: BUCKET, Key: EXISTING_KEY }));

  it('an Inactive key is 403 InvalidAccessKeyId, header-signed or presigned, and works again once Active', async () => {
    const key = await createUserWithKey(iam, 'sleeper', { read: readPolicy });
    const client = clientFor(key);
    expect((await getExisting(client)).$metadata.httpStatusCode).toBe(200);

    await iam.send(new UpdateAccessKeyCommand({ UserName: 'sleeper', AccessKeyId: key.accessKeyId, Status: 'Inactive' }));
    await expectSdkError(getExisting(client), 403, 'InvalidAccessKeyId');
    await expectSdkError(client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'uploads/inactive.txt', Body: 'x' })), 403, 'InvalidAccessKeyId');
    expect(await storedBody(BUCKET, 'uploads/inactive.txt')).toBeUndefined();
    const raw = await rawS3Request(sediment.url, { method: 'GET', path: objectPath(BUCKET, EXISTING_KEY), credentials: key });
    expectRawError(raw, 403, 'InvalidAccessKeyId');
    const presigned = await expectFetchError(await fetch(await presignedUrl(key, 'GET', EXISTING_KEY)), 403, 'InvalidAccessKeyId');
    expect(xmlText(presigned, 'AWSAccessKeyId')).toBe(key.accessKeyId);

    await iam.send(new UpdateAccessKeyCommand({ UserName: 'sleeper', AccessKeyId: key.accessKeyId, Status: 'Active' }));
    expect((await getExisting(client)).$metadata.httpStatusCode).toBe(200);
  });

  it("a deleted user's key is 403 InvalidAccessKeyId", async () => {
    const key = await createUserWithKey(iam, 'leaver', { read: readPolicy });
    const client = clientFor(key);
    expect((await getExisting(client)).$metadata.httpStatusCode).toBe(200);

    // IAM deletes a user only once its keys and policies are gone.
    await iam.send(new DeleteUserPolicyCommand({ UserName: 'leaver', PolicyName: 'read' }));
    await iam.send(new DeleteAccessKeyCommand({ UserName: 'leaver', AccessKeyId: key.accessKeyId }));
    await iam.send(new DeleteUserCommand({ UserName: 'leaver' }));

    await expectSdkError(getExisting(client), 403, 'InvalidAccessKeyId');
    await expectSdkError(client.send(new ListObjectsV2Command({ Bucket: BUCKET })), 403, 'InvalidAccessKeyId');
    // A HEAD answer carries no body, so only the status tells.
    await expect(client.send(new HeadBucketCommand({ Bucket: BUCKET }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
  });

  it('a user recreated under the same name does not revive the old key', async () => {
    const old = await createUserWithKey(iam, 'phoenix', { read: readPolicy });
    await iam.send(new DeleteUserPolicyCommand({ UserName: 'phoenix', PolicyName: 'read' }));
    await iam.send(new DeleteAccessKeyCommand({ UserName: 'phoenix', AccessKeyId: old.accessKeyId }));
    await iam.send(new DeleteUserCommand({ UserName: 'phoenix' }));
    const fresh = await createUserWithKey(iam, 'phoenix', { read: readPolicy });
    expect(fresh.accessKeyId).not.toBe(old.accessKeyId);

    await expectSdkError(getExisting(clientFor(old)), 403, 'InvalidAccessKeyId');
    expect((await getExisting(clientFor(fresh))).$metadata.httpStatusCode).toBe(200);
    await expect(clientFor(fresh).send(new HeadObjectCommand({ Bucket: BUCKET, Key: EXISTING_KEY }))).resolves.toMatchObject({
      ContentLength: EXISTING_BODY.length,
    });
  });
});
