import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3ServiceException,
  type GetObjectCommandInput,
} from '@aws-sdk/client-s3';
import { objectPath, rawS3Request, xmlText } from '../support/raw-s3-request.js';
import { startSediment, type SedimentUnderTest } from '../support/sediment-under-test.js';

type Conditions = Pick<GetObjectCommandInput, 'IfMatch' | 'IfNoneMatch' | 'IfModifiedSince' | 'IfUnmodifiedSince' | 'Range'>;

/**
 * Conditional GET and HEAD (If-Match, If-None-Match, If-Modified-Since, If-Unmodified-Since, in
 * the precedence AWS documents for GetObject/HeadObject) and the response-* header overrides,
 * through the real AWS SDK: browsers, CDNs and sync tools revalidate with these headers.
 */
describe('Conditional reads and response header overrides', () => {
  let sediment: SedimentUnderTest;
  const bucket = 'conditional-reads';
  const Key = 'doc.txt';
  const body = Buffer.from('conditional body\n');
  let etag: string;
  let lastModified: Date;
  const other = '"0123456789abcdef0123456789abcdef"';
  const before = () => new Date(lastModified.getTime() - 60_000);
  const after = () => new Date(lastModified.getTime() + 60_000);

  beforeAll(async () => {
    sediment = await startSediment();
    await sediment.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await sediment.s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: body, ContentType: 'text/plain' }));
    const head = await sediment.s3.send(new HeadObjectCommand({ Bucket: bucket, Key }));
    etag = head.ETag!;
    lastModified = head.LastModified!;
  });

  afterAll(async () => {
    sediment.s3.destroy();
    await sediment.stop();
  });

  /** The status a GET and a HEAD with these conditions answer, and what came with it. */
  async function statuses(conditions: Conditions) {
    const get = await sediment.s3
      .send(new GetObjectCommand({ Bucket: bucket, Key, ...conditions }))
      .then(async (res) => ({ status: res.$metadata.httpStatusCode, bytes: Buffer.from(await res.Body!.transformToByteArray()) }))
      .catch((error: unknown) => failure(error));
    const head = await sediment.s3
      .send(new HeadObjectCommand({ Bucket: bucket, Key, ...conditions }))
      .then((res) => ({ status: res.$metadata.httpStatusCode }))
      .catch((error: unknown) => failure(error));
    return { get, head };
  }

  function failure(error: unknown) {
    if (!(error instanceof S3ServiceException)) throw error;
    const response = error.$response;
    return {
      status: error.$metadata.httpStatusCode,
      name: error.name,
      condition: (error as S3ServiceException & { Condition?: string }).Condition,
      headers: (response?.headers ?? {}) as Record<string, string>,
      rawBody: response?.body,
    };
  }

  // Every row has four entries: jest would take a fourth parameter missing from a row for `done`.
  const cases: [string, () => Conditions, number, string | undefined][] = [
    ['If-Match: the ETag', () => ({ IfMatch: etag }), 200, undefined],
    ['If-Match: the ETag unquoted', () => ({ IfMatch: etag.replaceAll('"', '') }), 200, undefined],
    ['If-Match: *', () => ({ IfMatch: '*' }), 200, undefined],
    ['If-Match: a list holding the ETag', () => ({ IfMatch: `${other}, ${etag}` }), 200, undefined],
    ['If-Match: another ETag', () => ({ IfMatch: other }), 412, 'If-Match'],
    ['If-None-Match: the ETag', () => ({ IfNoneMatch: etag }), 304, undefined],
    ['If-None-Match: *', () => ({ IfNoneMatch: '*' }), 304, undefined],
    ['If-None-Match: another ETag', () => ({ IfNoneMatch: other }), 200, undefined],
    ['If-Modified-Since: before Last-Modified', () => ({ IfModifiedSince: before() }), 200, undefined],
    ['If-Modified-Since: Last-Modified itself', () => ({ IfModifiedSince: lastModified }), 304, undefined],
    ['If-Modified-Since: after Last-Modified', () => ({ IfModifiedSince: after() }), 304, undefined],
    ['If-Unmodified-Since: after Last-Modified', () => ({ IfUnmodifiedSince: after() }), 200, undefined],
    ['If-Unmodified-Since: Last-Modified itself', () => ({ IfUnmodifiedSince: lastModified }), 200, undefined],
    ['If-Unmodified-Since: before Last-Modified', () => ({ IfUnmodifiedSince: before() }), 412, 'If-Unmodified-Since'],
    // The two combinations AWS spells out.
    ['If-Match true + If-Unmodified-Since false', () => ({ IfMatch: etag, IfUnmodifiedSince: before() }), 200, undefined],
    ['If-None-Match false + If-Modified-Since true', () => ({ IfNoneMatch: etag, IfModifiedSince: before() }), 304, undefined],
    // And the rest of RFC 7232 §6: a 412 condition is decided before a 304 one.
    ['If-Match false + If-Unmodified-Since true', () => ({ IfMatch: other, IfUnmodifiedSince: after() }), 412, 'If-Match'],
    ['If-None-Match true + If-Modified-Since false', () => ({ IfNoneMatch: other, IfModifiedSince: after() }), 200, undefined],
    ['If-Match false + If-None-Match false', () => ({ IfMatch: other, IfNoneMatch: etag }), 412, 'If-Match'],
    ['If-Unmodified-Since false + If-Modified-Since false', () => ({ IfUnmodifiedSince: before(), IfModifiedSince: after() }), 412, 'If-Unmodified-Since'],
    ['If-Match true + If-None-Match false', () => ({ IfMatch: etag, IfNoneMatch: etag }), 304, undefined],
    ['all four true', () => ({ IfMatch: etag, IfUnmodifiedSince: after(), IfNoneMatch: other, IfModifiedSince: before() }), 200, undefined],
    // Conditions are decided before Range: 412 and 304 win over 416.
    ['If-Match false + an unsatisfiable Range', () => ({ IfMatch: other, Range: 'bytes=1000-' }), 412, 'If-Match'],
    ['If-None-Match false + an unsatisfiable Range', () => ({ IfNoneMatch: etag, Range: 'bytes=1000-' }), 304, undefined],
    ['If-Match true + a Range', () => ({ IfMatch: etag, Range: 'bytes=0-3' }), 206, undefined],
  ];

  it.each(cases)('%s → GET and HEAD answer the same', async (_name, conditions, status, condition) => {
    const { get, head } = await statuses(conditions());
    expect(get.status).toBe(status);
    expect(head.status).toBe(status);
    if (status === 200) expect('bytes' in get && get.bytes.equals(body)).toBe(true);
    if (status === 206) expect('bytes' in get && get.bytes.toString()).toBe('cond');
    if (status === 412) {
      expect(get).toMatchObject({ name: 'PreconditionFailed', condition });
      // A HEAD error has no body to name it: the SDK can only see the status (as with S3).
      expect(head).toMatchObject({ status: 412 });
    }
    if (status === 304) {
      for (const answer of [get, head]) {
        expect(answer).toMatchObject({ headers: { etag, 'last-modified': lastModified.toUTCString() } });
        expect((answer as { headers?: Record<string, string> }).headers?.['content-length'] ?? '0').toBe('0');
      }
    }
  });

  it('answers 304 with the validators and no body, signed request on the wire', async () => {
    const res = await rawS3Request(sediment.url, { method: 'GET', path: objectPath(bucket, Key), headers: { 'If-None-Match': etag } });
    expect(res.status).toBe(304);
    expect(res.headers.etag).toBe(etag);
    expect(res.headers['last-modified']).toBe(lastModified.toUTCString());
    expect(res.body).toBe('');
  });

  it('answers 412 to GET with the S3 XML error naming the condition', async () => {
    const res = await rawS3Request(sediment.url, {
      method: 'GET',
      path: objectPath(bucket, Key),
      headers: { 'If-Unmodified-Since': before().toUTCString() },
    });
    expect(res.status).toBe(412);
    expect(res.headers['content-type']).toBe('application/xml');
    expect(xmlText(res.body, 'Code')).toBe('PreconditionFailed');
    expect(xmlText(res.body, 'Message')).toBe('At least one of the pre-conditions you specified did not hold');
    expect(xmlText(res.body, 'Condition')).toBe('If-Unmodified-Since');
  });

  it('ignores a date that is not an HTTP-date, as S3 does', async () => {
    for (const method of ['GET', 'HEAD'])
      for (const header of ['If-Modified-Since', 'If-Unmodified-Since']) {
        for (const value of ['not a date', '2023-11-15T10:00:00Z', '1']) {
          const res = await rawS3Request(sediment.url, { method, path: objectPath(bucket, Key), headers: { [header]: value } });
          expect([method, header, value, res.status]).toEqual([method, header, value, 200]);
        }
      }
  });

  const overrides = {
    ResponseContentType: 'application/x-override',
    ResponseContentLanguage: 'de-CH',
    ResponseCacheControl: 'private, max-age=60',
    ResponseContentDisposition: 'attachment; filename="renamed.txt"',
    ResponseContentEncoding: 'identity',
    ResponseExpires: new Date('2030-01-01T00:00:00Z'),
  };

  function expectOverridden(res: {
    ContentType?: string;
    ContentLanguage?: string;
    CacheControl?: string;
    ContentDisposition?: string;
    ContentEncoding?: string;
    Expires?: Date;
  }) {
    expect(res.ContentType).toBe(overrides.ResponseContentType);
    expect(res.ContentLanguage).toBe(overrides.ResponseContentLanguage);
    expect(res.CacheControl).toBe(overrides.ResponseCacheControl);
    expect(res.ContentDisposition).toBe(overrides.ResponseContentDisposition);
    expect(res.ContentEncoding).toBe(overrides.ResponseContentEncoding);
    expect(res.Expires?.getTime()).toBe(overrides.ResponseExpires.getTime());
  }

  it('GET with response-* parameters sends those headers and the stored body', async () => {
    const res = await sediment.s3.send(new GetObjectCommand({ Bucket: bucket, Key, ...overrides }));
    expect(res.$metadata.httpStatusCode).toBe(200);
    expectOverridden(res);
    expect(Buffer.from(await res.Body!.transformToByteArray()).equals(body)).toBe(true);
  });

  it('HEAD with response-* parameters sends those headers', async () => {
    const res = await sediment.s3.send(new HeadObjectCommand({ Bucket: bucket, Key, ...overrides }));
    expect(res.$metadata.httpStatusCode).toBe(200);
    expectOverridden(res);
    expect(res.ContentLength).toBe(body.length);
  });

  it('applies the overrides to a ranged GET and a GET whose conditions hold', async () => {
    const ranged = await sediment.s3.send(new GetObjectCommand({ Bucket: bucket, Key, Range: 'bytes=0-3', IfMatch: etag, ...overrides }));
    expect(ranged.$metadata.httpStatusCode).toBe(206);
    expectOverridden(ranged);
    expect(Buffer.from(await ranged.Body!.transformToByteArray()).toString()).toBe('cond');
  });

  it('passes a non-ASCII Content-Disposition through as UTF-8', async () => {
    const disposition = "attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.txt; filename=\"résumé.txt\"";
    const res = await sediment.s3.send(new HeadObjectCommand({ Bucket: bucket, Key, ResponseContentDisposition: disposition }));
    // The SDK reads header bytes as UTF-8, so the value comes back as it was asked for.
    expect(res.ContentDisposition).toBe(disposition);
  });

  it('keeps the stored Content-Type without overrides', async () => {
    const res = await sediment.s3.send(new HeadObjectCommand({ Bucket: bucket, Key }));
    expect(res.ContentType).toBe('text/plain');
    expect(res.ContentDisposition).toBeUndefined();
    expect(res.CacheControl).toBeUndefined();
  });

  it('does not apply overrides to a 304 or a 412', async () => {
    const { get: notModified } = await statuses({ IfNoneMatch: etag });
    const failed = await sediment.s3
      .send(new GetObjectCommand({ Bucket: bucket, Key, IfMatch: other, ...overrides }))
      .catch((error: unknown) => failure(error));
    const notModifiedWithOverrides = await sediment.s3
      .send(new GetObjectCommand({ Bucket: bucket, Key, IfNoneMatch: etag, ...overrides }))
      .catch((error: unknown) => failure(error));
    expect(notModified.status).toBe(304);
    expect(failed).toMatchObject({ status: 412 });
    expect((failed as { headers: Record<string, string> }).headers['content-disposition']).toBeUndefined();
    expect(notModifiedWithOverrides).toMatchObject({ status: 304 });
    expect((notModifiedWithOverrides as { headers: Record<string, string> }).headers['content-disposition']).toBeUndefined();
  });

  it('answers a missing key with 404 NoSuchKey whatever the conditions', async () => {
    const missing = await sediment.s3
      .send(new GetObjectCommand({ Bucket: bucket, Key: 'nope', IfMatch: etag }))
      .catch((error: unknown) => failure(error));
    expect(missing).toMatchObject({ status: 404, name: 'NoSuchKey' });
  });
});
