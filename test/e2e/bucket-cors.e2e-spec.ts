// Bucket CORS (issue #5 §5): PutBucketCors, GetBucketCors and DeleteBucketCors with the AWS SDK,
// the BucketCorsConfigured facts they record, the browser's preflight (OPTIONS, never signed)
// answered from the rules with S3's headers and errors, and the CORS headers of actual requests
// (errors included) sent with an Origin, checked with plain fetch as a browser would send them.
import { createHash, randomBytes } from 'node:crypto';
import {
  CreateBucketCommand,
  DeleteBucketCorsCommand,
  GetBucketCorsCommand,
  PutBucketCorsCommand,
  PutObjectCommand,
  type CORSRule,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { IAMClient } from '@aws-sdk/client-iam';
import { createUserWithKey, iamClient, policy } from '../support/iam-helpers.js';
import { bucketStream, readTopic } from '../support/kafka-topic-reader.js';
import { rawS3Request, xmlText } from '../support/raw-s3-request.js';
import { expectRawError, expectSdkError, REQUEST_ID } from '../support/s3-api-assertions.js';
import { s3Client, startSediment, type SedimentUnderTest } from '../support/sediment-under-test.js';

const id = randomBytes(4).toString('hex');
const bucket = `cors-${id}`;
const plain = `cors-plain-${id}`;
const NS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const APP = 'https://app.example.com';
const VARY = 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method';
const NOT_ALLOWED =
  "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.";

const rules: CORSRule[] = [
  {
    ID: 'app',
    AllowedOrigins: [APP, 'https://*.example.org'],
    AllowedMethods: ['GET', 'PUT', 'HEAD'],
    AllowedHeaders: ['Content-Type', 'x-amz-*'],
    ExposeHeaders: ['ETag', 'x-amz-request-id'],
    MaxAgeSeconds: 3000,
  },
  { AllowedOrigins: ['*'], AllowedMethods: ['GET'] },
];

let sediment: SedimentUnderTest;
let s3: S3Client;
let iam: IAMClient;
const clients: S3Client[] = [];

beforeAll(async () => {
  sediment = await startSediment();
  s3 = sediment.s3;
  iam = iamClient(sediment.url);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(new CreateBucketCommand({ Bucket: plain }));
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'page.html', Body: '<p>hello</p>', ContentType: 'text/html' }));
}, 30_000);

afterAll(async () => {
  for (const client of clients) client.destroy();
  iam?.destroy();
  s3?.destroy();
  await sediment?.stop();
}, 30_000);

const putCors = (CORSRules: CORSRule[], Bucket = bucket) => s3.send(new PutBucketCorsCommand({ Bucket, CORSConfiguration: { CORSRules } }));
const corsEvents = async () =>
  bucketStream(await readTopic(sediment.config.SEDIMENT_BUCKET_TOPIC), bucket)
    .filter((r) => r.envelope.type === 'BucketCorsConfigured')
    .map((r) => (r.envelope.data as { configuration: unknown }).configuration);

/** A preflight as a browser sends it: unsigned, with Origin and Access-Control-Request-*. */
function preflight(path: string, headers: Record<string, string>): Promise<Response> {
  return fetch(`${sediment.url}${path}`, { method: 'OPTIONS', headers });
}

async function expectCorsError(res: Response, status: number, code: string, message: string, details: Record<string, string> = {}): Promise<void> {
  const body = await res.text();
  const text = (name: string) => xmlText(body, name)?.replace(/&apos;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  expect({ status: res.status, code: text('Code'), message: text('Message') }).toEqual({ status, code, message });
  for (const [name, value] of Object.entries(details)) expect(xmlText(body, name)).toBe(value);
  expect(res.headers.get('content-type')).toBe('application/xml');
  expect(res.headers.get('x-amz-request-id')).toMatch(REQUEST_ID);
  expect(xmlText(body, 'RequestId')).toBe(res.headers.get('x-amz-request-id'));
  expect(res.headers.get('access-control-allow-origin')).toBeNull();
}

/** The CORS headers of a response, by lower-case name. */
function corsHeadersOf(res: Response): Record<string, string> {
  const out: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    if (name.startsWith('access-control-') || name === 'vary') out[name] = value;
  });
  return out;
}

describe('PutBucketCors, GetBucketCors, DeleteBucketCors', () => {
  it('answers NoSuchCORSConfiguration for a bucket without one, and 204 to deleting none', async () => {
    const error = await expectSdkError(s3.send(new GetBucketCorsCommand({ Bucket: bucket })), 404, 'NoSuchCORSConfiguration');
    expect(error.message).toBe('The CORS configuration does not exist');
    expect(error.BucketName).toBe(bucket);
    expect((await s3.send(new DeleteBucketCorsCommand({ Bucket: bucket }))).$metadata.httpStatusCode).toBe(204);
    expect(await corsEvents()).toEqual([]);
  });

  it('puts the configuration, answers it back and records it on the bucket stream', async () => {
    expect((await putCors(rules)).$metadata.httpStatusCode).toBe(200);
    expect((await s3.send(new GetBucketCorsCommand({ Bucket: bucket }))).CORSRules).toEqual(rules);
    const raw = await rawS3Request(sediment.url, { method: 'GET', path: `/${bucket}`, query: { cors: '' } });
    expect([raw.status, raw.headers['content-type']]).toEqual([200, 'application/xml']);
    expect(raw.body).toBe(
      `<?xml version="1.0" encoding="UTF-8"?>\n<CORSConfiguration xmlns="${NS}">` +
        '<CORSRule><ID>app</ID><AllowedHeader>Content-Type</AllowedHeader><AllowedHeader>x-amz-*</AllowedHeader>' +
        '<AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod><AllowedMethod>HEAD</AllowedMethod>' +
        '<AllowedOrigin>https://app.example.com</AllowedOrigin><AllowedOrigin>https://*.example.org</AllowedOrigin>' +
        '<ExposeHeader>ETag</ExposeHeader><ExposeHeader>x-amz-request-id</ExposeHeader><MaxAgeSeconds>3000</MaxAgeSeconds></CORSRule>' +
        '<CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>*</AllowedOrigin></CORSRule></CORSConfiguration>',
    );
    // Putting the same configuration again records nothing new.
    await putCors(rules);
    expect(await corsEvents()).toEqual([
      {
        rules: [
          {
            id: 'app',
            allowedMethods: ['GET', 'PUT', 'HEAD'],
            allowedOrigins: [APP, 'https://*.example.org'],
            allowedHeaders: ['Content-Type', 'x-amz-*'],
            exposeHeaders: ['ETag', 'x-amz-request-id'],
            maxAgeSeconds: 3000,
          },
          { allowedMethods: ['GET'], allowedOrigins: ['*'], allowedHeaders: [], exposeHeaders: [] },
        ],
      },
    ]);
  });

  it("refuses what S3 refuses, with S3's errors, and keeps the configuration in force", async () => {
    const method = await expectSdkError(putCors([{ AllowedOrigins: ['*'], AllowedMethods: ['MYMETHOD'] }]), 400, 'InvalidRequest');
    expect(method.message).toBe('Found unsupported HTTP method in CORS config. Unsupported method is MYMETHOD');
    const origin = await expectSdkError(putCors([{ AllowedOrigins: ['*example*.com'], AllowedMethods: ['GET'] }]), 400, 'InvalidRequest');
    expect(origin.message).toBe('AllowedOrigin "*example*.com" can not have more than one wildcard.');
    const header = await expectSdkError(putCors([{ AllowedOrigins: ['*'], AllowedMethods: ['GET'], AllowedHeaders: ['x-*-*'] }]), 400, 'InvalidRequest');
    expect(header.message).toBe('AllowedHeader "x-*-*" can not have more than one wildcard.');
    await expectSdkError(putCors([]), 400, 'MalformedXML');
    await expectSdkError(putCors(rules, `missing-${id}`), 404, 'NoSuchBucket');

    const body = '<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>';
    const withoutMd5 = await rawS3Request(sediment.url, { method: 'PUT', path: `/${bucket}`, query: { cors: '' }, body });
    expectRawError(withoutMd5, 400, 'InvalidRequest');
    expect(xmlText(withoutMd5.body, 'Message')).toBe('Missing required header for this request: Content-MD5');
    const md5 = (text: string) => createHash('md5').update(text).digest('base64');
    const badMd5 = await rawS3Request(sediment.url, { method: 'PUT', path: `/${bucket}`, query: { cors: '' }, body, headers: { 'content-md5': md5('other') } });
    expectRawError(badMd5, 400, 'BadDigest');
    const malformed = '<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin></CORSRule></CORSConfiguration>';
    expectRawError(
      await rawS3Request(sediment.url, { method: 'PUT', path: `/${bucket}`, query: { cors: '' }, body: malformed, headers: { 'content-md5': md5(malformed) } }),
      400,
      'MalformedXML',
    );
    expect((await s3.send(new GetBucketCorsCommand({ Bucket: bucket }))).CORSRules).toEqual(rules);
  });

  it('needs s3:GetBucketCORS to read and s3:PutBucketCORS to put or delete', async () => {
    const reader = s3Client(
      sediment.url,
      await createUserWithKey(iam, `cors-reader-${id}`, { read: policy({ Effect: 'Allow', Action: 's3:GetBucketCORS', Resource: `arn:aws:s3:::${plain}` }) }),
    );
    const writer = s3Client(
      sediment.url,
      await createUserWithKey(iam, `cors-writer-${id}`, { write: policy({ Effect: 'Allow', Action: 's3:PutBucketCORS', Resource: `arn:aws:s3:::${plain}` }) }),
    );
    clients.push(reader, writer);
    await writer.send(new PutBucketCorsCommand({ Bucket: plain, CORSConfiguration: { CORSRules: [{ AllowedOrigins: ['*'], AllowedMethods: ['GET'] }] } }));
    expect((await reader.send(new GetBucketCorsCommand({ Bucket: plain }))).CORSRules).toEqual([{ AllowedOrigins: ['*'], AllowedMethods: ['GET'] }]);
    await expectSdkError(writer.send(new GetBucketCorsCommand({ Bucket: plain })), 403, 'AccessDenied');
    await expectSdkError(reader.send(new DeleteBucketCorsCommand({ Bucket: plain })), 403, 'AccessDenied');
    await writer.send(new DeleteBucketCorsCommand({ Bucket: plain }));
    await expectSdkError(reader.send(new GetBucketCorsCommand({ Bucket: plain })), 404, 'NoSuchCORSConfiguration');
  }, 30_000);
});

describe('preflight (OPTIONS)', () => {
  it('answers an allowed request with the first matching rule, echoing a specific origin', async () => {
    const res = await preflight(`/${bucket}/page.html`, {
      Origin: APP,
      'Access-Control-Request-Method': 'PUT',
      'Access-Control-Request-Headers': 'Content-Type, X-Amz-Date',
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    expect(res.headers.get('x-amz-request-id')).toMatch(REQUEST_ID);
    expect(corsHeadersOf(res)).toEqual({
      'access-control-allow-origin': APP,
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'GET, PUT, HEAD',
      'access-control-allow-headers': 'content-type, x-amz-date',
      'access-control-expose-headers': 'ETag, x-amz-request-id',
      'access-control-max-age': '3000',
      vary: VARY,
    });
    const wildcard = await preflight(`/${bucket}`, { Origin: 'https://shop.example.org', 'Access-Control-Request-Method': 'HEAD' });
    expect([wildcard.status, wildcard.headers.get('access-control-allow-origin')]).toEqual([200, 'https://shop.example.org']);
  });

  it('answers * without credentials for an origin only a bare * allows', async () => {
    const res = await preflight(`/${bucket}/page.html`, { Origin: 'https://elsewhere.test', 'Access-Control-Request-Method': 'GET' });
    expect(res.status).toBe(200);
    expect(corsHeadersOf(res)).toEqual({
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'GET',
      vary: VARY,
    });
  });

  it("refuses what no rule allows, with S3's errors", async () => {
    await expectCorsError(
      await preflight(`/${bucket}/page.html`, { Origin: 'https://elsewhere.test', 'Access-Control-Request-Method': 'PUT' }),
      403,
      'AccessForbidden',
      NOT_ALLOWED,
      { Method: 'PUT', ResourceType: 'OBJECT' },
    );
    await expectCorsError(
      await preflight(`/${bucket}`, { Origin: APP, 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'authorization' }),
      403,
      'AccessForbidden',
      NOT_ALLOWED,
      { Method: 'PUT', ResourceType: 'BUCKET' },
    );
    await expectCorsError(
      await preflight(`/${bucket}/page.html`, { Origin: APP, 'Access-Control-Request-Method': 'DELETE' }),
      403,
      'AccessForbidden',
      NOT_ALLOWED,
    );
    await expectCorsError(
      await preflight(`/${plain}/page.html`, { Origin: APP, 'Access-Control-Request-Method': 'GET' }),
      403,
      'AccessForbidden',
      'CORSResponse: CORS is not enabled for this bucket.',
      { Method: 'GET', ResourceType: 'OBJECT' },
    );
    await expectCorsError(
      await preflight(`/missing-${id}`, { Origin: APP }),
      403,
      'AccessForbidden',
      'CORSResponse: Bucket not found',
      { Method: 'OPTIONS', ResourceType: 'BUCKET' },
    );
    await expectCorsError(
      await preflight(`/${bucket}/page.html`, { 'Access-Control-Request-Method': 'GET' }),
      400,
      'BadRequest',
      'Insufficient information. Origin request header needed.',
    );
    await expectCorsError(await preflight(`/${bucket}/page.html`, { Origin: APP }), 400, 'BadRequest', 'Invalid Access-Control-Request-Method: null');
  });

  it('ignores credentials and the query string: a preflight asks about the request it precedes', async () => {
    const res = await fetch(`${sediment.url}/${bucket}/page.html?x-id=PutObject&versionId=v1`, {
      method: 'OPTIONS',
      headers: { Origin: APP, 'Access-Control-Request-Method': 'PUT', Authorization: 'AWS4-HMAC-SHA256 Credential=NOBODY/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00' },
    });
    expect([res.status, res.headers.get('access-control-allow-origin')]).toEqual([200, APP]);
  });
});

describe('actual requests with an Origin', () => {
  it('carry the headers of the first rule allowing their origin and method', async () => {
    const res = await fetch(`${sediment.url}/${bucket}/page.html`, { headers: { Origin: APP } });
    // Unsigned: the anonymous caller may not read the object, and the browser must still see why.
    expect(res.status).toBe(403);
    expect(corsHeadersOf(res)).toEqual({
      'access-control-allow-origin': APP,
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'GET, PUT, HEAD',
      'access-control-expose-headers': 'ETag, x-amz-request-id',
      'access-control-max-age': '3000',
      vary: VARY,
    });
  });

  it('carry them on signed requests, successes and errors alike, and none without a match', async () => {
    const ok = await rawS3Request(sediment.url, { method: 'GET', path: `/${bucket}/page.html`, headers: { origin: 'https://elsewhere.test' } });
    expect([ok.status, ok.body, ok.headers['access-control-allow-origin'], ok.headers['access-control-allow-methods'], ok.headers.vary]).toEqual([
      200,
      '<p>hello</p>',
      '*',
      'GET',
      VARY,
    ]);
    const missing = await rawS3Request(sediment.url, { method: 'GET', path: `/${bucket}/nothing-here`, headers: { origin: APP } });
    expectRawError(missing, 404, 'NoSuchKey');
    expect(missing.headers['access-control-allow-origin']).toBe(APP);
    const put = await rawS3Request(sediment.url, { method: 'PUT', path: `/${bucket}/from-browser.txt`, body: 'x', headers: { origin: APP } });
    expect([put.status, put.headers['access-control-allow-origin']]).toEqual([200, APP]);
    // DELETE is in no rule: answered as without CORS.
    const del = await rawS3Request(sediment.url, { method: 'DELETE', path: `/${bucket}/from-browser.txt`, headers: { origin: APP } });
    expect(del.status).toBe(204);
    expect(Object.keys(del.headers).filter((h) => h.startsWith('access-control-') || h === 'vary')).toEqual([]);
    const noOrigin = await rawS3Request(sediment.url, { method: 'GET', path: `/${bucket}/page.html` });
    expect(Object.keys(noOrigin.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    const noConfig = await rawS3Request(sediment.url, { method: 'GET', path: `/${plain}`, headers: { origin: APP } });
    expect(noConfig.status).toBe(200);
    expect(noConfig.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('stop once the configuration is deleted, and the deletion is recorded', async () => {
    expect((await s3.send(new DeleteBucketCorsCommand({ Bucket: bucket }))).$metadata.httpStatusCode).toBe(204);
    await expectSdkError(s3.send(new GetBucketCorsCommand({ Bucket: bucket })), 404, 'NoSuchCORSConfiguration');
    const res = await rawS3Request(sediment.url, { method: 'GET', path: `/${bucket}/page.html`, headers: { origin: APP } });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    await expectCorsError(
      await preflight(`/${bucket}/page.html`, { Origin: APP, 'Access-Control-Request-Method': 'GET' }),
      403,
      'AccessForbidden',
      'CORSResponse: CORS is not enabled for this bucket.',
    );
    expect((await corsEvents()).at(-1)).toBeNull();
  });
});
