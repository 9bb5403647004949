import { createHash, randomBytes } from 'node:crypto';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { buildQueryString } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';
import { ROOT_ACCESS_KEY_ID, ROOT_SECRET, startSediment, type SedimentUnderTest } from '../support/sediment-under-test.js';
import { NodeSha256 } from '../support/node-sha256.js';
import { objectPath, xmlText } from '../support/raw-s3-request.js';

/** AWS request ids: 16 upper-case hex characters. */
const REQUEST_ID = /^[0-9A-F]{16}$/;




/**
 * Presigned URLs (SigV4 query-string authentication): made with @smithy/signature-v4's presign()
 * and used with plain fetch, never with an Authorization header, as a browser or curl would.
 */
describe('S3 API: presigned URLs', () => {
  const bucket = 'presigned';
  let sediment: SedimentUnderTest;
  let s3: S3Client;

  const signer = new SignatureV4({
    service: 's3',
    region: 'us-east-1',
    credentials: { accessKeyId: ROOT_ACCESS_KEY_ID, secretAccessKey: ROOT_SECRET },
    sha256: NodeSha256,
    uriEscapePath: false, // the path below is already escaped, as the S3 client does
  });

  async function presignedUrl(
    method: string,
    key: string,
    options: { expiresIn?: number; signingDate?: Date } = {},
  ): Promise<string> {
    const { hostname, port, host } = new URL(sediment.url);
    const path = objectPath(bucket, key);
    const presigned = await signer.presign(
      {
        method,
        protocol: 'http:',
        hostname,
        port: Number(port),
        path,
        query: {},
        // As @aws-sdk/s3-request-presigner: hoisted into the query as x-amz-content-sha256=UNSIGNED-PAYLOAD.
        headers: { host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
      },
      { expiresIn: options.expiresIn ?? 900, signingDate: options.signingDate ?? new Date() },
    );
    return `${sediment.url}${path}?${buildQueryString(presigned.query ?? {})}`;
  }

  async function expectS3Error(res: Response, status: number, code: string): Promise<string> {
    const body = await res.text();
    expect({ status: res.status, code: xmlText(body, 'Code') }).toEqual({ status, code });
    expect(res.headers.get('content-type')).toBe('application/xml');
    expect(body).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\s*<Error>/);
    const requestId = res.headers.get('x-amz-request-id');
    expect(requestId).toMatch(REQUEST_ID);
    expect(xmlText(body, 'RequestId')).toBe(requestId);
    return body;
  }

  async function storedBytes(key: string): Promise<Buffer> {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return Buffer.from(await out.Body!.transformToByteArray());
  }

  beforeAll(async () => {
    sediment = await startSediment();
    s3 = sediment.s3;
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });
  afterAll(async () => {
    // Close the client's keep-alive sockets first, or stopping waits for them to time out.
    sediment.s3.destroy();
    await sediment.stop();
  }, 30_000);

  it.each(['upload.bin', "dir/sub dir/a+b=c&d;é 😀(1)!*'.bin"])(
    'a presigned PUT uploads bytes and a presigned GET returns them byte-identical (key %j)',
    async (key) => {
      const body = randomBytes(256 * 1024 + 7);

      const putUrl = await presignedUrl('PUT', key);
      expect(putUrl).toContain('X-Amz-Signature=');
      const put = await fetch(putUrl, { method: 'PUT', body });
      expect(put.status).toBe(200);
      await put.arrayBuffer();
      expect(put.headers.get('etag')).toBe(`"${createHash('md5').update(body).digest('hex')}"`);
      expect(await storedBytes(key)).toEqual(body); // read back through the SDK, header-signed

      const get = await fetch(await presignedUrl('GET', key));
      expect(get.status).toBe(200);
      expect(Buffer.from(await get.arrayBuffer())).toEqual(body);
      expect(get.headers.get('content-length')).toBe(String(body.length));
    },
  );

  it('an expired URL is 403 AccessDenied "Request has expired", with the expiry S3 reports', async () => {
    const signingDate = new Date(Math.floor(Date.now() / 1000) * 1000 - 2 * 3600_000);
    const before = Date.now();
    const res = await fetch(await presignedUrl('GET', 'upload.bin', { signingDate, expiresIn: 3600 }));
    const body = await expectS3Error(res, 403, 'AccessDenied');
    expect(xmlText(body, 'Message')).toBe('Request has expired');
    expect(xmlText(body, 'X-Amz-Expires')).toBe('3600');
    expect(xmlText(body, 'Expires')).toBe(new Date(signingDate.getTime() + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'));
    const serverTime = Date.parse(xmlText(body, 'ServerTime') ?? '');
    expect(serverTime).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(serverTime).toBeLessThanOrEqual(Date.now());
  });

  it('an expired PUT URL stores nothing', async () => {
    const signingDate = new Date(Date.now() - 2 * 3600_000);
    const res = await fetch(await presignedUrl('PUT', 'never-stored', { signingDate, expiresIn: 60 }), {
      method: 'PUT',
      body: 'x',
    });
    expect(xmlText(await expectS3Error(res, 403, 'AccessDenied'), 'Message')).toBe('Request has expired');
    const head = s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'never-stored' }));
    await expect(head).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
  });

  it('a tampered URL is 403 SignatureDoesNotMatch', async () => {
    const url = await presignedUrl('GET', 'upload.bin');
    const tampered = [
      url.replace('/upload.bin?', '/other.bin?'), // another object
      url.replace(/X-Amz-Expires=\d+/, 'X-Amz-Expires=604800'), // a longer life
      url.replace(/(X-Amz-Signature=)([0-9a-f])/, (_m, p: string, c: string) => p + (c === '0' ? '1' : '0')),
      `${url}&versionId=1`,
    ];
    for (const target of tampered) {
      const body = await expectS3Error(await fetch(target), 403, 'SignatureDoesNotMatch');
      expect(xmlText(body, 'AWSAccessKeyId')).toBe(ROOT_ACCESS_KEY_ID);
    }
    // A GET URL does not authorise a PUT.
    const put = await fetch(url, { method: 'PUT', body: 'overwrite' });
    await expectS3Error(put, 403, 'SignatureDoesNotMatch');
  });

  it('query credentials together with an Authorization header are 400 InvalidArgument', async () => {
    const authorization = `AWS4-HMAC-SHA256 Credential=${ROOT_ACCESS_KEY_ID}/20240101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`;
    const res = await fetch(await presignedUrl('GET', 'upload.bin'), { headers: { Authorization: authorization } });
    const body = await expectS3Error(res, 400, 'InvalidArgument');
    expect(xmlText(body, 'Message')).toBe(
      'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
    );
    expect(xmlText(body, 'ArgumentName')).toBe('Authorization');
  });

  it('a URL missing a query-auth parameter is 400 AuthorizationQueryParametersError', async () => {
    const url = (await presignedUrl('GET', 'upload.bin')).replace(/&X-Amz-Expires=\d+/, '');
    const body = await expectS3Error(await fetch(url), 400, 'AuthorizationQueryParametersError');
    expect(xmlText(body, 'Message')).toMatch(/^Query-string authentication version 4 requires/);
  });
});
