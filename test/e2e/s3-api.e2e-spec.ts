import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { objectPath, openRawS3Request, rawS3Request, responseOf } from '../support/raw-s3-request.js';
import { expectRawError, expectSdkError, HTTP_DATE, md5Hex, REQUEST_ID, sdkError } from '../support/s3-api-assertions.js';
import { s3Client, startSediment, type SedimentUnderTest } from '../support/sediment-under-test.js';

/** The basic bucket and object operations, through the real AWS SDK (raw HTTP only where noted). */
describe('S3 API: buckets and objects', () => {
  let sediment: SedimentUnderTest;
  let s3: S3Client;

  beforeAll(async () => {
    sediment = await startSediment();
    s3 = sediment.s3;
  });
  afterAll(async () => {
    // Close the client's keep-alive sockets first, or stopping waits for them to time out.
    sediment.s3.destroy();
    await sediment.stop();
  }, 30_000);

  async function getBytes(bucket: string, key: string): Promise<Buffer> {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return Buffer.from(await out.Body!.transformToByteArray());
  }

  async function listKeys(bucket: string): Promise<string[]> {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    expect(out.IsTruncated).toBe(false);
    return (out.Contents ?? []).map((o) => o.Key!);
  }

  describe('buckets', () => {
    it('ListBuckets returns the owner and every bucket, by name, with its creation date', async () => {
      const before = Date.now();
      // Created out of order: S3 lists buckets in name order.
      await s3.send(new CreateBucketCommand({ Bucket: 'listing-zeta' }));
      await s3.send(new CreateBucketCommand({ Bucket: 'listing-alpha' }));
      const after = Date.now();

      const out = await s3.send(new ListBucketsCommand({}));

      expect(out.$metadata.httpStatusCode).toBe(200);
      expect(out.$metadata.requestId).toMatch(REQUEST_ID);
      expect(out.Owner?.ID).toMatch(/^[0-9a-f]{64}$/); // a canonical user id
      expect(out.Buckets?.map((b) => b.Name)).toEqual(['listing-alpha', 'listing-zeta']);
      for (const bucket of out.Buckets!) {
        expect(bucket.CreationDate).toBeInstanceOf(Date);
        expect(bucket.CreationDate!.getTime()).toBeGreaterThanOrEqual(before - 1000);
        expect(bucket.CreationDate!.getTime()).toBeLessThanOrEqual(after + 1000);
      }
    });

    it('ListBuckets pages by MaxBuckets and ContinuationToken, narrows by Prefix, and names each bucket’s region', async () => {
      for (const name of ['paged-a', 'paged-b', 'paged-c']) await s3.send(new CreateBucketCommand({ Bucket: name }));
      const names: string[] = [];
      let ContinuationToken: string | undefined;
      let pages = 0;
      do {
        const page = await s3.send(new ListBucketsCommand({ Prefix: 'paged-', MaxBuckets: 2, ContinuationToken }));
        expect(page.Prefix).toBe('paged-');
        for (const bucket of page.Buckets ?? []) {
          names.push(bucket.Name!);
          expect(bucket.BucketRegion).toBe(sediment.config.SEDIMENT_REGION);
        }
        ContinuationToken = page.ContinuationToken;
        pages += 1;
      } while (ContinuationToken !== undefined);
      expect({ names, pages }).toEqual({ names: ['paged-a', 'paged-b', 'paged-c'], pages: 2 });
    });

    it('refuses a request whose x-amz-expected-bucket-owner names another account with 403', async () => {
      await s3.send(new CreateBucketCommand({ Bucket: 'owned-here' }));
      await expect(s3.send(new HeadBucketCommand({ Bucket: 'owned-here', ExpectedBucketOwner: '000000000000' }))).resolves.toMatchObject({
        $metadata: { httpStatusCode: 200 },
      });
      await expectSdkError(s3.send(new ListObjectsV2Command({ Bucket: 'owned-here', ExpectedBucketOwner: '111122223333' })), 403, 'AccessDenied');
      await expectSdkError(
        s3.send(new PutObjectCommand({ Bucket: 'owned-here', Key: 'k', Body: 'x', ExpectedBucketOwner: '111122223333' })),
        403,
        'AccessDenied',
      );
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'owned-here' }));
      expect(listed.KeyCount).toBe(0);
    });

    it('CreateBucket answers 200 with a Location header naming the bucket', async () => {
      const out = await s3.send(new CreateBucketCommand({ Bucket: 'created-bucket' }));
      expect(out.$metadata.httpStatusCode).toBe(200);
      expect(out.Location).toBe('/created-bucket');
      expect(out.$metadata.requestId).toMatch(REQUEST_ID);
    });

    it('HeadBucket answers 200 for an existing bucket and a bodiless 404 for a missing one', async () => {
      await s3.send(new CreateBucketCommand({ Bucket: 'head-me' }));
      const out = await s3.send(new HeadBucketCommand({ Bucket: 'head-me' }));
      expect(out.$metadata.httpStatusCode).toBe(200);
      expect(out.BucketRegion).toBe('us-east-1');

      const error = await sdkError(s3.send(new HeadBucketCommand({ Bucket: 'never-created' })));
      expect(error.$metadata.httpStatusCode).toBe(404);
      expect(error.name).toBe('NotFound'); // what the SDK names a 404 without a body

      const raw = await rawS3Request(sediment.url, { method: 'HEAD', path: '/never-created' });
      expect(raw.status).toBe(404);
      expect(raw.body).toBe('');
      expect(raw.headers['x-amz-request-id']).toMatch(REQUEST_ID);
    });

    it('DeleteBucket answers 409 BucketNotEmpty while objects remain, then 204, then 404 NoSuchBucket', async () => {
      await s3.send(new CreateBucketCommand({ Bucket: 'doomed' }));
      await s3.send(new PutObjectCommand({ Bucket: 'doomed', Key: 'a', Body: 'a' }));
      await s3.send(new PutObjectCommand({ Bucket: 'doomed', Key: 'dir/b', Body: 'b' }));

      await expectSdkError(s3.send(new DeleteBucketCommand({ Bucket: 'doomed' })), 409, 'BucketNotEmpty');
      await s3.send(new DeleteObjectCommand({ Bucket: 'doomed', Key: 'a' }));
      // One object left is still not empty.
      await expectSdkError(s3.send(new DeleteBucketCommand({ Bucket: 'doomed' })), 409, 'BucketNotEmpty');
      expect(await listKeys('doomed')).toEqual(['dir/b']);
      await s3.send(new DeleteObjectCommand({ Bucket: 'doomed', Key: 'dir/b' }));

      const deleted = await s3.send(new DeleteBucketCommand({ Bucket: 'doomed' }));
      expect(deleted.$metadata.httpStatusCode).toBe(204);
      expect((await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).not.toContain('doomed');
      expect((await sdkError(s3.send(new HeadBucketCommand({ Bucket: 'doomed' })))).$metadata.httpStatusCode).toBe(404);

      const again = await expectSdkError(s3.send(new DeleteBucketCommand({ Bucket: 'doomed' })), 404, 'NoSuchBucket');
      expect(again.BucketName).toBe('doomed');
    });
  });

  describe('objects', () => {
    const bucket = 'objects';
    beforeAll(async () => {
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    });

    it('PutObject, GetObject, HeadObject and DeleteObject round-trip one object', async () => {
      const body = Buffer.from('hello, sediment\n');
      const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'greeting.txt', Body: body }));
      expect(put.$metadata.httpStatusCode).toBe(200);
      expect(put.ETag).toBe(`"${md5Hex(body)}"`);

      const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'greeting.txt' }));
      expect(get.$metadata.httpStatusCode).toBe(200);
      expect(Buffer.from(await get.Body!.transformToByteArray())).toEqual(body);
      expect(get.ETag).toBe(put.ETag);
      expect(get.ContentLength).toBe(body.length);

      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'greeting.txt' }));
      expect(head.$metadata.httpStatusCode).toBe(200);
      expect(head.ETag).toBe(put.ETag);
      expect(head.ContentLength).toBe(body.length);

      const del = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'greeting.txt' }));
      expect(del.$metadata.httpStatusCode).toBe(204);
      const gone = await expectSdkError(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'greeting.txt' })), 404, 'NoSuchKey');
      expect(gone.Key).toBe('greeting.txt');
      expect((await sdkError(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'greeting.txt' })))).$metadata.httpStatusCode).toBe(404);
    });

    it('DeleteObject of a key that does not exist answers 204 too', async () => {
      const out = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'never/was/here' }));
      expect(out.$metadata.httpStatusCode).toBe(204);
    });

    it('PutObject replaces the previous object of the same key', async () => {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'replaced', Body: 'first version' }));
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'replaced', Body: '2nd', ContentType: 'text/x-second' }));
      expect((await getBytes(bucket, 'replaced')).toString()).toBe('2nd');
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'replaced' }));
      expect({ type: head.ContentType, length: head.ContentLength, etag: head.ETag }).toEqual({
        type: 'text/x-second',
        length: 3,
        etag: `"${md5Hex('2nd')}"`,
      });
    });

    it('keeps Content-Type, Content-Length, ETag, Last-Modified and every x-amz-meta-* header', async () => {
      const body = randomBytes(1234);
      const before = Date.now();
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: 'described',
          Body: body,
          ContentType: 'application/vnd.sediment+json; charset=utf-8',
          // Header names are case-insensitive: S3 hands them back lower-cased, values untouched.
          Metadata: { Colour: 'Deep Blue', 'MiXeD-CaSe-Name': 'Value With CAPS', plain: 'x', 'with-dashes-123': 'v1.2.3 (ok?)' },
        }),
      );
      const after = Date.now();

      const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'described' }));
      expect(Buffer.from(await get.Body!.transformToByteArray())).toEqual(body);
      for (const out of [await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'described' })), get]) {
        expect(out.ContentType).toBe('application/vnd.sediment+json; charset=utf-8');
        expect(out.ContentLength).toBe(1234);
        expect(out.ETag).toBe(`"${md5Hex(body)}"`);
        expect(out.Metadata).toEqual({ colour: 'Deep Blue', 'mixed-case-name': 'Value With CAPS', plain: 'x', 'with-dashes-123': 'v1.2.3 (ok?)' });
        // Last-Modified has one-second resolution.
        expect(out.LastModified!.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
        expect(out.LastModified!.getTime()).toBeLessThanOrEqual(after);
      }

      // The same, as the headers on the wire.
      const raw = await rawS3Request(sediment.url, { method: 'GET', path: '/objects/described' });
      expect(raw.status).toBe(200);
      expect(raw.headers['last-modified']).toMatch(HTTP_DATE);
      expect(raw.headers['content-length']).toBe('1234');
      expect(raw.headers.etag).toBe(`"${md5Hex(body)}"`);
      expect(raw.headers['x-amz-request-id']).toMatch(REQUEST_ID);
      const meta = Object.fromEntries(Object.entries(raw.headers).filter(([name]) => name.startsWith('x-amz-meta-')));
      expect(meta).toEqual({
        'x-amz-meta-colour': 'Deep Blue',
        'x-amz-meta-mixed-case-name': 'Value With CAPS',
        'x-amz-meta-plain': 'x',
        'x-amz-meta-with-dashes-123': 'v1.2.3 (ok?)',
      });
    });

    it('accepts user metadata with non-ASCII values, signed over the bytes sent, and hands the same bytes back', async () => {
      // The SDK signs the UTF-8 bytes of the value and sends those bytes; they come back unchanged
      // (Node's client shows each byte as one character, so decode them as UTF-8 to compare).
      const value = 'Hello World\u00e9, caf\u00e9';
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'non-ascii-metadata', Body: 'x', Metadata: { note: value } }));
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'non-ascii-metadata' }));
      expect(Buffer.from(head.Metadata!.note!, 'latin1').toString('utf8')).toBe(value);
    });

    it('stores a PUT sent with Transfer-Encoding: chunked and no Content-Length, unsigned or signed over its SHA-256', async () => {
      const parts = [randomBytes(70_000), randomBytes(1), randomBytes(200_000)];
      const whole = Buffer.concat(parts);
      for (const [key, contentSha256] of [
        ['chunked-unsigned', 'UNSIGNED-PAYLOAD'],
        ['chunked-sha256', createHash('sha256').update(whole).digest('hex')],
      ] as const) {
        const req = await openRawS3Request(sediment.url, { method: 'PUT', path: objectPath(bucket, key), headers: { 'transfer-encoding': 'chunked' }, contentSha256 });
        const answer = responseOf(req);
        for (const part of parts) req.write(part);
        req.end();
        const res = await answer;
        expect({ key, status: res.status, etag: res.headers.etag }).toEqual({ key, status: 200, etag: `"${md5Hex(whole)}"` });
        const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        expect(out.ContentLength).toBe(whole.length);
        expect(Buffer.from(await out.Body!.transformToByteArray()).equals(whole)).toBe(true);
      }
      // Signed over a SHA-256 the body does not have: refused, and nothing is stored.
      const req = await openRawS3Request(sediment.url, {
        method: 'PUT',
        path: objectPath(bucket, 'chunked-lying'),
        headers: { 'transfer-encoding': 'chunked' },
        contentSha256: createHash('sha256').update('something else').digest('hex'),
      });
      const answer = responseOf(req);
      req.end(whole);
      expectRawError(await answer, 400, 'XAmzContentSHA256Mismatch');
      const missing = await sdkError(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'chunked-lying' })));
      expect(missing.$metadata.httpStatusCode).toBe(404);
    });

    it('stores binary/octet-stream as the Content-Type of an object uploaded without one', async () => {
      // The SDK always sends a Content-Type (application/octet-stream), so this takes raw HTTP.
      const put = await rawS3Request(sediment.url, { method: 'PUT', path: '/objects/untyped', body: 'no type given' });
      expect(put.status).toBe(200);
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'untyped' }));
      expect(head.ContentType).toBe('binary/octet-stream');
    });
  });

  describe('object keys', () => {
    const bucket = 'keys';
    beforeAll(async () => {
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    });

    /** Keys are opaque byte strings: nothing may be normalised, decoded twice, or split. */
    const TRICKY_KEYS = [
      'ünïcødé/日本語/😀.txt',
      'with space/and  two  spaces ',
      'a+b+c',
      '100%/%41%2F%zz', // literal percent sequences: decoded exactly once
      'double//slash',
      '//leading-slashes',
      'dots/../../up',
      './here/.',
      'back\\slash\\path',
      'ends-with-slash/',
      "specials !$&'()*,;=:@[]{}^`|~\"<>",
      'query?and#hash',
    ];

    it.each(TRICKY_KEYS)('stores, reads and deletes the key %j byte for byte', async (key) => {
      const body = Buffer.from(`content of ${key}`);
      const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
      expect(put.ETag).toBe(`"${md5Hex(body)}"`);
      expect(await getBytes(bucket, key)).toEqual(body);
      expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).ContentLength).toBe(body.length);
      expect(await listKeys(bucket)).toEqual([key]);
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      expect(await listKeys(bucket)).toEqual([]);
    });

    it('keeps all tricky keys apart from each other', async () => {
      for (const key of TRICKY_KEYS) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
      for (const key of TRICKY_KEYS) expect((await getBytes(bucket, key)).toString()).toBe(key);
      const byUtf8 = [...TRICKY_KEYS].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
      expect(await listKeys(bucket)).toEqual(byUtf8);
      for (const key of TRICKY_KEYS) await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    });

    it('accepts keys of exactly 1024 UTF-8 bytes', async () => {
      const ascii = 'k'.repeat(1024);
      const twoByte = 'é'.repeat(512); // 512 characters, 1024 bytes
      for (const key of [ascii, twoByte]) {
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'long' }));
        expect((await getBytes(bucket, key)).toString()).toBe('long');
      }
      expect(await listKeys(bucket)).toEqual([ascii, twoByte]);
      for (const key of [ascii, twoByte]) await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    });

    it.each([
      ['1025 ASCII bytes', 'k'.repeat(1025)],
      ['1025 bytes in 513 characters', 'é'.repeat(512) + 'a'],
    ])('refuses a key of %s with 400 KeyTooLongError', async (_label, key) => {
      await expectSdkError(s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'x' })), 400, 'KeyTooLongError');
      expect(await listKeys(bucket)).toEqual([]);
    });
  });

  describe('payload integrity through the SDK', () => {
    const bucket = 'payloads';
    /** Request headers as the SDK put them on the wire (after checksum and signing middleware). */
    let sent: Record<string, string>[];
    let client: S3Client;

    beforeAll(async () => {
      client = s3Client(sediment.url);
      sent = [];
      client.middlewareStack.add(
        (next) => async (args) => {
          sent.push({ ...(args.request as { headers: Record<string, string> }).headers });
          return next(args);
        },
        { step: 'finalizeRequest', priority: 'low', name: 'captureSentHeaders' },
      );
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
    });
    afterAll(() => client.destroy());

    const SIZES: [string, number][] = [
      ['0 bytes', 0],
      ['1 byte', 1],
      ['64 KiB + 1', 64 * 1024 + 1],
      ['5 MiB', 5 * 1024 * 1024],
    ];

    it.each(SIZES)('a streamed body of %s goes aws-chunked with a CRC32 trailer and is stored decoded', async (label, size) => {
      const payload = randomBytes(size);
      const key = `streamed/${label}`;
      const put = await client.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: Readable.from(size ? [payload] : []), ContentLength: size }),
      );
      const headers = sent.at(-1)!;
      expect(headers).toMatchObject({
        'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
        'content-encoding': 'aws-chunked',
        'x-amz-trailer': 'x-amz-checksum-crc32',
        'x-amz-decoded-content-length': String(size),
      });

      expect(put.ETag).toBe(`"${md5Hex(payload)}"`);
      const stored = await getBytes(bucket, key);
      expect(stored.length).toBe(size);
      expect(stored.equals(payload)).toBe(true);
      expect((await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).ContentLength).toBe(size);
    });

    it.each(SIZES)('a buffered body of %s (signed payload + CRC32 header) is stored byte-identical', async (label, size) => {
      const payload = randomBytes(size);
      const key = `buffered/${label}`;
      const put = await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: payload }));
      const headers = sent.at(-1)!;
      expect(headers['x-amz-content-sha256']).toMatch(/^[0-9a-f]{64}$/);
      expect(headers['x-amz-checksum-crc32']).toBeDefined();

      expect(put.ETag).toBe(`"${md5Hex(payload)}"`);
      const stored = await getBytes(bucket, key);
      expect(stored.length).toBe(size);
      expect(stored.equals(payload)).toBe(true);
    });

    it('GetObject of a key written raw (no SDK) returns the same bytes as written', async () => {
      const payload = randomBytes(70_000);
      const put = await rawS3Request(sediment.url, { method: 'PUT', path: objectPath(bucket, 'raw/written'), body: payload });
      expect(put.status).toBe(200);
      expect(put.headers.etag).toBe(`"${md5Hex(payload)}"`);
      expect((await getBytes(bucket, 'raw/written')).equals(payload)).toBe(true);
    });
  });
});
