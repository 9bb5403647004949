import http from 'node:http';
import type { LookupFunction } from 'node:net';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetBucketLocationCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { rawS3Request, xmlText } from '../support/raw-s3-request.js';
import { expectRawError, expectSdkError } from '../support/s3-api-assertions.js';
import { ROOT_ACCESS_KEY_ID, ROOT_SECRET, startSediment, type SedimentUnderTest } from '../support/sediment-under-test.js';

const DOMAIN = 's3.example.local';

/** Resolves every host name to the service under test, so `<bucket>.s3.example.local` needs no DNS. */
const toLoopback: LookupFunction = (_hostname, options, callback) => {
  if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
};

/**
 * Virtual-hosted-style addressing (SEDIMENT_DOMAIN): the AWS SDK with forcePathStyle off sends
 * `Host: <bucket>.s3.example.local:<port>` and the key as the path; everything must behave as it
 * does path-style, with the same buckets and keys, and SigV4 must verify over the form as sent.
 */
describe('S3 API: virtual-hosted-style requests', () => {
  const bucket = 'vhost-photos';
  let sediment: SedimentUnderTest;
  let port: string;
  let vhost: S3Client;
  /** Host header and path of every request the virtual-hosted client sent. */
  const sent: { host: string; path: string }[] = [];

  beforeAll(async () => {
    sediment = await startSediment({ SEDIMENT_DOMAIN: DOMAIN });
    port = new URL(sediment.url).port;
    vhost = new S3Client({
      endpoint: `http://${DOMAIN}:${port}`,
      region: 'us-east-1',
      forcePathStyle: false,
      credentials: { accessKeyId: ROOT_ACCESS_KEY_ID, secretAccessKey: ROOT_SECRET },
      maxAttempts: 1,
      requestHandler: new NodeHttpHandler({ httpAgent: new http.Agent({ lookup: toLoopback }) }),
    });
    vhost.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { hostname: string; port?: number; path: string };
        sent.push({ host: `${request.hostname}:${request.port}`, path: request.path });
        return next(args);
      },
      { step: 'deserialize', name: 'recordVirtualHost' },
    );
  });
  afterAll(async () => {
    vhost.destroy();
    sediment.s3.destroy();
    await sediment.stop();
  }, 30_000);

  beforeEach(() => {
    sent.length = 0;
  });

  it('CreateBucket addresses the bucket by its host name', async () => {
    const out = await vhost.send(new CreateBucketCommand({ Bucket: bucket }));

    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(sent).toEqual([{ host: `${bucket}.${DOMAIN}:${port}`, path: '/' }]);
    // The same bucket, path-style.
    const location = await sediment.s3.send(new GetBucketLocationCommand({ Bucket: bucket }));
    expect(location.LocationConstraint).toBeUndefined(); // us-east-1 is an empty LocationConstraint
  });

  it('PutObject, GetObject, ListObjectsV2 and DeleteObject see the same keys as path-style', async () => {
    const keys = ['2006/January/sample.jpg', 'a b+c€.txt', '/leading-slash'];
    for (const key of keys) {
      await vhost.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `body of ${key}` }));
    }
    expect(sent.map((r) => r.host)).toEqual(keys.map(() => `${bucket}.${DOMAIN}:${port}`));
    expect(sent[0]!.path).toBe('/2006/January/sample.jpg');

    for (const key of keys) {
      const viaHost = await vhost.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      expect(await viaHost.Body!.transformToString()).toBe(`body of ${key}`);
      const viaPath = await sediment.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      expect(await viaPath.Body!.transformToString()).toBe(`body of ${key}`);
    }

    const listed = await vhost.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: '2006/', Delimiter: '/' }));
    expect(listed.Name).toBe(bucket);
    expect(listed.CommonPrefixes).toEqual([{ Prefix: '2006/January/' }]);
    const all = await vhost.send(new ListObjectsV2Command({ Bucket: bucket }));
    expect((all.Contents ?? []).map((o) => o.Key)).toEqual([...keys].sort());

    await vhost.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'a b+c€.txt' }));
    await expectSdkError(sediment.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'a b+c€.txt' })), 404, 'NoSuchKey');
    const after = await sediment.s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    expect((after.Contents ?? []).map((o) => o.Key)).toEqual(['/leading-slash', '2006/January/sample.jpg']);
  });

  it('GetBucketLocation answers us-east-1 as an empty LocationConstraint, and NoSuchBucket for a missing bucket', async () => {
    const out = await vhost.send(new GetBucketLocationCommand({ Bucket: bucket }));
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.LocationConstraint).toBeUndefined();
    expect(sent).toEqual([{ host: `${bucket}.${DOMAIN}:${port}`, path: '/' }]);

    const raw = await rawS3Request(sediment.url, { method: 'GET', path: `/${bucket}`, query: { location: '' } });
    expect(raw.status).toBe(200);
    expect(raw.body).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/"></LocationConstraint>',
    );

    const missing = await expectSdkError(vhost.send(new GetBucketLocationCommand({ Bucket: 'vhost-missing' })), 404, 'NoSuchBucket');
    expect(missing.BucketName).toBe('vhost-missing');
  });

  it('verifies a SigV4 signature computed over the Host and path as sent', async () => {
    const host = `${bucket}.${DOMAIN}:${port}`;
    const put = await rawS3Request(sediment.url, { method: 'PUT', path: '/signed/raw.txt', headers: { host }, body: 'raw body' });
    expect(put.status).toBe(200);

    const got = await sediment.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'signed/raw.txt' }));
    expect(await got.Body!.transformToString()).toBe('raw body');

    // The same request signed with a wrong secret is still checked, and refused.
    const forged = await rawS3Request(sediment.url, {
      method: 'GET',
      path: '/signed/raw.txt',
      headers: { host },
      credentials: { accessKeyId: ROOT_ACCESS_KEY_ID, secretAccessKey: 'not-the-root-secret-at-all' },
    });
    expectRawError(forged, 403, 'SignatureDoesNotMatch');
  });

  it('reports errors and authorises against the path-style resource', async () => {
    const host = `${bucket}.${DOMAIN}:${port}`;
    // Anonymous: refused by the bucket's (private) ACL, naming the path-style resource.
    const anonymous = await rawS3Request(sediment.url, { method: 'GET', path: '/signed/raw.txt', headers: { host }, credentials: null });
    expectRawError(anonymous, 403, 'AccessDenied');
    expect(xmlText(anonymous.body, 'Resource')).toBe(`/${bucket}/signed/raw.txt`);

    const noKey = await rawS3Request(sediment.url, { method: 'GET', path: '/no/such/key', headers: { host } });
    expectRawError(noKey, 404, 'NoSuchKey');
    expect(xmlText(noKey.body, 'Key')).toBe('no/such/key');

    // The bare domain is path-style.
    const pathStyle = await rawS3Request(sediment.url, {
      method: 'GET',
      path: `/${bucket}/signed/raw.txt`,
      headers: { host: `${DOMAIN}:${port}` },
    });
    expect(pathStyle.status).toBe(200);
    expect(pathStyle.body).toBe('raw body');
  });
});
