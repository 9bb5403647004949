// Which credential scopes and signature versions the S3 port accepts, against a service configured
// for another region than the clients' usual us-east-1: real clients, real service.
import { CreateBucketCommand, ListBucketsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import { buildQueryString } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';
import { jest } from '@jest/globals';
import { NodeSha256 } from '../support/node-sha256.js';
import { rawS3Request, ROOT_CREDENTIALS, xmlText, type RawResponse } from '../support/raw-s3-request.js';
import { REQUEST_ID } from '../support/s3-api-assertions.js';
import { startSediment, type SedimentUnderTest } from '../support/sediment-under-test.js';

jest.setTimeout(60_000);

const REGION = 'eu-west-1';
const BUCKET = 'scoped';
const SIGV4_ONLY = 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.';

describe('credential scope region and SigV2 on the S3 port', () => {
  let sediment: SedimentUnderTest;
  const regionalClient = () =>
    new S3Client({ endpoint: sediment.url, region: REGION, forcePathStyle: true, credentials: ROOT_CREDENTIALS, maxAttempts: 1 });

  beforeAll(async () => {
    // SigV2 off: this file pins the answers of a SigV4-only deployment (sigv2.e2e-spec.ts covers it on).
    sediment = await startSediment({ SEDIMENT_REGION: REGION, SEDIMENT_SIGV2: 'false' });
    const s3 = regionalClient();
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET, CreateBucketConfiguration: { LocationConstraint: REGION } }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'k', Body: 'scoped bytes' }));
    s3.destroy();
  });
  afterAll(async () => {
    sediment.s3.destroy();
    await sediment.stop();
  });

  function expectError(res: RawResponse | { status: number; body: string; requestId: string | null }, status: number, code: string): void {
    const requestId = 'headers' in res ? res.headers['x-amz-request-id'] : res.requestId;
    expect({ status: res.status, code: xmlText(res.body, 'Code') }).toEqual({ status, code });
    expect(requestId).toMatch(REQUEST_ID);
    expect(xmlText(res.body, 'RequestId')).toBe(requestId);
  }

  /** An element's text with XML's character entities resolved. */
  const text = (xml: string, name: string) => xmlText(xml, name)?.replace(/&apos;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');

  async function fetchText(url: string, headers: Record<string, string> = {}) {
    const res = await fetch(url, { headers });
    return { status: res.status, body: await res.text(), requestId: res.headers.get('x-amz-request-id') };
  }

  it('serves a client signing for the service region', async () => {
    const s3 = regionalClient();
    const out = await s3.send(new ListBucketsCommand({}));
    expect(out.Buckets?.map((b) => b.Name)).toEqual([BUCKET]);
    s3.destroy();
  });

  it('answers a header signed for another region with 400 AuthorizationHeaderMalformed naming the expected one', async () => {
    // rawS3Request signs for us-east-1, the SDKs' usual default.
    const res = await rawS3Request(sediment.url, { method: 'GET', path: `/${BUCKET}/k` });
    expectError(res, 400, 'AuthorizationHeaderMalformed');
    expect(text(res.body, 'Message')).toBe("The authorization header is malformed; the region 'us-east-1' is wrong; expecting 'eu-west-1'");
    expect(xmlText(res.body, 'Region')).toBe(REGION);
  });

  it('answers a URL presigned for another region with 400 AuthorizationQueryParametersError naming the expected one', async () => {
    const { hostname, port, host } = new URL(sediment.url);
    const presign = (region: string) =>
      new SignatureV4({ service: 's3', region, credentials: ROOT_CREDENTIALS, sha256: NodeSha256, uriEscapePath: false }).presign(
        { method: 'GET', protocol: 'http:', hostname, port: Number(port), path: `/${BUCKET}/k`, query: {}, headers: { host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } },
        { expiresIn: 300 },
      );
    const wrong = await presign('us-west-2');
    const res = await fetchText(`${sediment.url}/${BUCKET}/k?${buildQueryString(wrong.query ?? {})}`);
    expectError(res, 400, 'AuthorizationQueryParametersError');
    expect(text(res.body, 'Message')).toBe(
      "Error parsing the X-Amz-Credential parameter; the region 'us-west-2' is wrong; expecting 'eu-west-1'",
    );
    expect(xmlText(res.body, 'Region')).toBe(REGION);

    const right = await presign(REGION);
    const ok = await fetchText(`${sediment.url}/${BUCKET}/k?${buildQueryString(right.query ?? {})}`);
    expect({ status: ok.status, body: ok.body }).toEqual({ status: 200, body: 'scoped bytes' });
  });

  it('answers a SigV2 Authorization header with 400 InvalidRequest when SEDIMENT_SIGV2=false', async () => {
    const res = await fetchText(`${sediment.url}/${BUCKET}/k`, {
      Date: new Date().toUTCString(),
      Authorization: `AWS ${ROOT_CREDENTIALS.accessKeyId}:frJIUN8DYpKDtOLCwo//yllqDzg=`,
    });
    expectError(res, 400, 'InvalidRequest');
    expect(text(res.body, 'Message')).toBe(SIGV4_ONLY);
  });

  it('answers a SigV2 presigned URL with 400 InvalidRequest when SEDIMENT_SIGV2=false', async () => {
    const expires = Math.floor(Date.now() / 1000) + 300;
    const query = `AWSAccessKeyId=${ROOT_CREDENTIALS.accessKeyId}&Expires=${expires}&Signature=vjbyPxybdZaNmGa%2ByT272YEAiv4%3D`;
    const res = await fetchText(`${sediment.url}/${BUCKET}/k?${query}`);
    expectError(res, 400, 'InvalidRequest');
    expect(text(res.body, 'Message')).toBe(SIGV4_ONLY);
  });

  describe('the IAM Query API on the same port (IAM is global)', () => {
    const iam = (region: string) =>
      new IAMClient({ endpoint: sediment.url, region, credentials: ROOT_CREDENTIALS, maxAttempts: 1 });

    it("accepts us-east-1, where AWS's one IAM endpoint signs, and the service region, which an SDK given this endpoint signs for", async () => {
      for (const region of ['us-east-1', REGION]) {
        const client = iam(region);
        await expect(client.send(new ListUsersCommand({}))).resolves.toMatchObject({ Users: [] });
        client.destroy();
      }
    });

    it("answers any other region as IAM does: SignatureDoesNotMatch 'Credential should be scoped to a valid region'", async () => {
      const client = iam('ap-south-1');
      const error = await client.send(new ListUsersCommand({})).then(
        () => undefined,
        (e: unknown) => e as { name: string; message: string; $metadata: { httpStatusCode: number } },
      );
      client.destroy();
      expect(error?.name).toBe('SignatureDoesNotMatch');
      expect(error?.message).toBe("Credential should be scoped to a valid region, not 'ap-south-1'. ");
      expect(error?.$metadata.httpStatusCode).toBe(403);
    });
  });
});
