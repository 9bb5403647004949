import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import {
  AbortMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { filesUnder, waitUntil } from '../support/concurrency-helpers.js';
import {
  awsChunkedBody,
  awsChunkedCrc32Headers,
  crc32Base64,
  objectPath,
  rawS3Request,
  rawS3RequestCutShort,
  sha256Hex,
  STREAMING_UNSIGNED_PAYLOAD_TRAILER,
  xmlText,
  type RawRequest,
} from '../support/raw-s3-request.js';
import { expectRawError, expectSdkError, md5Hex, REQUEST_ID, sdkError } from '../support/s3-api-assertions.js';
import { ROOT_ACCESS_KEY_ID, s3Client, startSediment, type SedimentUnderTest } from '../support/sediment-under-test.js';

/**
 * Error responses as AWS S3 sends them: exact status, the S3 Code, and a RequestId in the XML body
 * equal to the x-amz-request-id header. Never a 500 for a client's mistake.
 */
describe('S3 API: error responses', () => {
  const bucket = 'errors';
  let sediment: SedimentUnderTest;
  let s3: S3Client;
  /** The S3 exception filter logs every error it turns into a 500 InternalError. */
  const errorLogs = jest.spyOn(Logger.prototype, 'error');

  beforeAll(async () => {
    sediment = await startSediment();
    s3 = sediment.s3;
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'survivor', Body: 'still here' }));
  });
  afterAll(async () => {
    // Close the client's keep-alive sockets first, or stopping waits for them to time out.
    sediment.s3.destroy();
    await sediment.stop();
    errorLogs.mockRestore();
  }, 30_000);
  afterEach(() => {
    // Covers what a test cannot see in a response, e.g. the request whose client went away.
    const internalErrors = errorLogs.mock.calls.map((args) => String(args[0])).filter((line) => / failed: /.test(line));
    errorLogs.mockClear();
    expect(internalErrors).toEqual([]);
  });

  async function objectStatus(key: string): Promise<number> {
    try {
      return (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).$metadata.httpStatusCode!;
    } catch (error) {
      return (error as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode;
    }
  }

  async function getText(key: string): Promise<string> {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return out.Body!.transformToString();
  }

  /** Payload files of the blob store; a refused upload must not leave one behind. */
  const blobFiles = () => filesUnder(join(sediment.config.SEDIMENT_BLOB_DIR, 'objects'));
  const tempFiles = () => filesUnder(join(sediment.config.SEDIMENT_BLOB_DIR, 'tmp'));

  describe('request ids', () => {
    it('every response carries its own x-amz-request-id, successes included', async () => {
      const list = await rawS3Request(sediment.url, { method: 'GET', path: '/' });
      const head = await rawS3Request(sediment.url, { method: 'HEAD', path: `/${bucket}` });
      expect([list.status, head.status]).toEqual([200, 200]);
      expect(list.headers['x-amz-request-id']).toMatch(REQUEST_ID);
      expect(head.headers['x-amz-request-id']).toMatch(REQUEST_ID);
      expect(list.headers['x-amz-request-id']).not.toBe(head.headers['x-amz-request-id']);
      const created = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'id-check', Body: 'x' }));
      expect(created.$metadata.requestId).toMatch(REQUEST_ID);
    });
  });

  describe('authentication', () => {
    it('a request without an Authorization header is 403 AccessDenied and changes nothing', async () => {
      expectRawError(await rawS3Request(sediment.url, { method: 'GET', path: '/', credentials: null }), 403, 'AccessDenied');
      const put = await rawS3Request(sediment.url, { method: 'PUT', path: `/${bucket}/anonymous`, body: 'anon', credentials: null });
      expectRawError(put, 403, 'AccessDenied');
      expect(await objectStatus('anonymous')).toBe(404);
      expectRawError(await rawS3Request(sediment.url, { method: 'PUT', path: '/anonymous-bucket', credentials: null }), 403, 'AccessDenied');
      expect((await sdkError(s3.send(new HeadBucketCommand({ Bucket: 'anonymous-bucket' })))).$metadata.httpStatusCode).toBe(404);
    });

    it('an anonymous request to a bucket that does not exist is 404 NoSuchBucket, as in S3; to one that does, 403', async () => {
      for (const request of [
        { method: 'GET', path: '/anonymous-bucket' },
        { method: 'GET', path: '/anonymous-bucket/some/key' },
        { method: 'PUT', path: '/anonymous-bucket/key', body: 'anon' },
        { method: 'DELETE', path: '/anonymous-bucket' },
      ]) {
        const res = await rawS3Request(sediment.url, { ...request, credentials: null });
        expectRawError(res, 404, 'NoSuchBucket');
        expect(xmlText(res.body, 'BucketName')).toBe('anonymous-bucket');
      }
      expectRawError(await rawS3Request(sediment.url, { method: 'GET', path: `/${bucket}`, credentials: null }), 403, 'AccessDenied');
    });

    it('an unknown access key is 403 InvalidAccessKeyId and changes nothing', async () => {
      const stranger = s3Client(sediment.url, { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' });
      try {
        const error = await expectSdkError(stranger.send(new ListBucketsCommand({})), 403, 'InvalidAccessKeyId');
        expect(error.AWSAccessKeyId).toBe('AKIAUNKNOWNKEY000000');
        await expectSdkError(stranger.send(new PutObjectCommand({ Bucket: bucket, Key: 'stranger', Body: 'x' })), 403, 'InvalidAccessKeyId');
        expect(await objectStatus('stranger')).toBe(404);
      } finally {
        stranger.destroy();
      }
    });

    it('a wrong secret is 403 SignatureDoesNotMatch and changes nothing', async () => {
      const forger = s3Client(sediment.url, { accessKeyId: ROOT_ACCESS_KEY_ID, secretAccessKey: 'not-the-root-secret-at-all' });
      try {
        await expectSdkError(forger.send(new ListBucketsCommand({})), 403, 'SignatureDoesNotMatch');
        await expectSdkError(forger.send(new PutObjectCommand({ Bucket: bucket, Key: 'forged', Body: 'x' })), 403, 'SignatureDoesNotMatch');
        await expectSdkError(forger.send(new CreateBucketCommand({ Bucket: 'forged-bucket' })), 403, 'SignatureDoesNotMatch');
        expect(await objectStatus('forged')).toBe(404);
        expect((await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).not.toContain('forged-bucket');
      } finally {
        forger.destroy();
      }
    });
  });

  describe('buckets and keys', () => {
    it.each([
      ['upper-case letters', 'Upper-Case'],
      ['too short', 'ab'],
      ['64 characters', 'a'.repeat(64)],
      ['an IP address', '192.168.1.1'],
      ['two adjacent dots', 'a..b'],
      ['a leading hyphen', '-abc'],
      ['a trailing hyphen', 'abc-'],
      ['an underscore', 'under_score'],
    ])('CreateBucket of a name with %s is 400 InvalidBucketName', async (_label, name) => {
      const error = await expectSdkError(s3.send(new CreateBucketCommand({ Bucket: name })), 400, 'InvalidBucketName');
      expect(error.BucketName).toBe(name);
      expect((await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).not.toContain(name);
    });

    it('accepts the longest and shortest valid names (63 and 3 characters)', async () => {
      for (const name of ['b'.repeat(63), 'a-1', 'dots.are.fine']) {
        expect((await s3.send(new CreateBucketCommand({ Bucket: name }))).$metadata.httpStatusCode).toBe(200);
      }
    });

    it('creating a bucket you already own is 409 BucketAlreadyOwnedByYou and leaves it as it was', async () => {
      const error = await expectSdkError(s3.send(new CreateBucketCommand({ Bucket: bucket })), 409, 'BucketAlreadyOwnedByYou');
      expect(error.BucketName).toBe(bucket);
      expect(await getText('survivor')).toBe('still here');
    });

    it('listing a bucket that does not exist is 404 NoSuchBucket', async () => {
      const error = await expectSdkError(s3.send(new ListObjectsV2Command({ Bucket: 'no-such-bucket' })), 404, 'NoSuchBucket');
      expect(error.BucketName).toBe('no-such-bucket');
      expectRawError(await rawS3Request(sediment.url, { method: 'GET', path: '/no-such-bucket', query: { 'list-type': '2' } }), 404, 'NoSuchBucket');
    });

    it('GetObject and PutObject in a bucket that does not exist are 404 NoSuchBucket', async () => {
      await expectSdkError(s3.send(new GetObjectCommand({ Bucket: 'no-such-bucket', Key: 'k' })), 404, 'NoSuchBucket');
      await expectSdkError(s3.send(new PutObjectCommand({ Bucket: 'no-such-bucket', Key: 'k', Body: 'x' })), 404, 'NoSuchBucket');
      expect((await sdkError(s3.send(new HeadBucketCommand({ Bucket: 'no-such-bucket' })))).$metadata.httpStatusCode).toBe(404);
    });

    it('GetObject of a missing key is 404 NoSuchKey naming the key', async () => {
      const error = await expectSdkError(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'missing/key.txt' })), 404, 'NoSuchKey');
      expect(error.Key).toBe('missing/key.txt');
      const raw = await rawS3Request(sediment.url, { method: 'GET', path: `/${bucket}/missing/key.txt` });
      expectRawError(raw, 404, 'NoSuchKey');
      expect(xmlText(raw.body, 'Key')).toBe('missing/key.txt');
    });

    it('a key over 1024 bytes is 400 KeyTooLongError on the wire too', async () => {
      const raw = await rawS3Request(sediment.url, { method: 'PUT', path: `/${bucket}/${'k'.repeat(1025)}`, body: 'x' });
      expectRawError(raw, 400, 'KeyTooLongError');
    });
  });

  describe('CreateBucketConfiguration XML', () => {
    const createWith = (name: string, body: string) => rawS3Request(sediment.url, { method: 'PUT', path: `/${name}`, body });

    it('accepts a well-formed configuration (control for the cases below)', async () => {
      const res = await createWith(
        'configured',
        '<?xml version="1.0" encoding="UTF-8"?>\n<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"></CreateBucketConfiguration>',
      );
      expect(res.status).toBe(200);
      expect((await s3.send(new HeadBucketCommand({ Bucket: 'configured' }))).$metadata.httpStatusCode).toBe(200);
    });

    it.each([
      ['an unclosed root', '<CreateBucketConfiguration><LocationConstraint>us-east-1</LocationConstraint>'],
      ['mismatched tags', '<CreateBucketConfiguration><LocationConstraint>us-east-1</Location></CreateBucketConfiguration>'],
      ['text that is not XML', 'LocationConstraint=us-east-1'],
      ['a root outside the schema', '<BucketConfiguration><LocationConstraint>us-east-1</LocationConstraint></BucketConfiguration>'],
      ['an undefined entity', '<CreateBucketConfiguration><LocationConstraint>&region;</LocationConstraint></CreateBucketConfiguration>'],
    ])('a body with %s is 400 MalformedXML and creates nothing', async (_label, body) => {
      expectRawError(await createWith('malformed-config', body), 400, 'MalformedXML');
      expect((await sdkError(s3.send(new HeadBucketCommand({ Bucket: 'malformed-config' })))).$metadata.httpStatusCode).toBe(404);
    });

    it.each([
      [
        'an external entity (XXE)',
        '<?xml version="1.0"?><!DOCTYPE c [<!ENTITY xxe SYSTEM "file:///etc/hostname">]><CreateBucketConfiguration><LocationConstraint>&xxe;</LocationConstraint></CreateBucketConfiguration>',
      ],
      [
        'nested entity expansion',
        '<?xml version="1.0"?><!DOCTYPE c [<!ENTITY a "us-east-1"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><CreateBucketConfiguration><LocationConstraint>&b;</LocationConstraint></CreateBucketConfiguration>',
      ],
      ['an internal entity', '<!DOCTYPE c [<!ENTITY r "us-east-1">]><CreateBucketConfiguration><LocationConstraint>&r;</LocationConstraint></CreateBucketConfiguration>'],
      ['a bare DOCTYPE', '<!DOCTYPE CreateBucketConfiguration><CreateBucketConfiguration></CreateBucketConfiguration>'],
    ])('a body with %s is 400 MalformedXML and creates nothing', async (_label, body) => {
      expectRawError(await createWith('doctype-config', body), 400, 'MalformedXML');
      expect((await sdkError(s3.send(new HeadBucketCommand({ Bucket: 'doctype-config' })))).$metadata.httpStatusCode).toBe(404);
    });
  });

  describe('payload integrity', () => {
    const chunkedPut = (key: string, payload: Buffer, crc32: string): RawRequest => ({
      method: 'PUT',
      path: objectPath(bucket, key),
      contentSha256: STREAMING_UNSIGNED_PAYLOAD_TRAILER,
      headers: awsChunkedCrc32Headers(payload.length),
      body: awsChunkedBody(payload, { chunkSize: 8192, trailers: { 'x-amz-checksum-crc32': crc32 } }),
    });

    it('stores the decoded bytes of a hand-built aws-chunked body with the right CRC32 trailer (control)', async () => {
      const payload = randomBytes(20_000);
      const res = await rawS3Request(sediment.url, chunkedPut('chunked-good', payload, crc32Base64(payload)));
      expect(res.status).toBe(200);
      expect(res.headers.etag).toBe(`"${md5Hex(payload)}"`);
      const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'chunked-good' }));
      expect(Buffer.from(await out.Body!.transformToByteArray()).equals(payload)).toBe(true);
    });

    // Small bodies reach the server in one read, large ones in many: both must end the same way.
    const SMALL = 100;
    const LARGE = 1024 * 1024;

    it.each([
      ['small', SMALL],
      ['large', LARGE],
    ])('a %s aws-chunked body whose CRC32 trailer is wrong is 400 BadDigest and stores nothing', async (label, size) => {
      const payload = randomBytes(size);
      const wrong = crc32Base64(Buffer.concat([payload, Buffer.from('!')]));
      expect(wrong).not.toBe(crc32Base64(payload));
      const blobsBefore = await blobFiles();

      const res = await rawS3Request(sediment.url, chunkedPut(`chunked-bad-${label}`, payload, wrong));

      expect(await objectStatus(`chunked-bad-${label}`)).toBe(404);
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'chunked-bad' }));
      expect(listed.KeyCount).toBe(0);
      expect(await blobFiles()).toEqual(blobsBefore);
      expect(await tempFiles()).toEqual([]);
      expectRawError(res, 400, 'BadDigest');
    });

    it('an aws-chunked overwrite whose CRC32 trailer is wrong leaves the previous object in place', async () => {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'chunked-kept', Body: 'version one' }));
      const payload = Buffer.from('version two, corrupted in transit');
      const res = await rawS3Request(sediment.url, chunkedPut('chunked-kept', payload, crc32Base64(Buffer.from('other'))));
      expect(await getText('chunked-kept')).toBe('version one');
      expectRawError(res, 400, 'BadDigest');
    });

    it('a signed payload matching x-amz-content-sha256 is stored (control)', async () => {
      const body = randomBytes(30_000);
      const res = await rawS3Request(sediment.url, { method: 'PUT', path: `/${bucket}/sha-good`, body, contentSha256: sha256Hex(body) });
      expect(res.status).toBe(200);
      expect(await objectStatus('sha-good')).toBe(200);
    });

    it.each([
      ['small', SMALL],
      ['large', LARGE],
    ])('a %s body that does not match its signed x-amz-content-sha256 is 400 XAmzContentSHA256Mismatch and stores nothing', async (label, size) => {
      const body = randomBytes(size);
      const claimed = sha256Hex(Buffer.from('a different body'));
      const blobsBefore = await blobFiles();

      const res = await rawS3Request(sediment.url, { method: 'PUT', path: `/${bucket}/sha-bad-${label}`, body, contentSha256: claimed });

      expect(await objectStatus(`sha-bad-${label}`)).toBe(404);
      expect(await blobFiles()).toEqual(blobsBefore);
      expectRawError(res, 400, 'XAmzContentSHA256Mismatch');
      expect(xmlText(res.body, 'ClientComputedContentSHA256')).toBe(claimed);
      expect(xmlText(res.body, 'S3ComputedContentSHA256')).toBe(sha256Hex(body));
    });

    // The SDK sends x-amz-checksum-crc32 (computed) for buffered bodies by default, and Content-MD5
    // on request; a value that disagrees with the body means it changed on the way. AWS verifies both.
    it('a PutObject whose x-amz-checksum-crc32 header does not match the body is 400 BadDigest and stores nothing', async () => {
      const arrived = Buffer.from('the body as it arrived');
      const sentCrc = crc32Base64(Buffer.from('the body as it was sent'));
      await expectSdkError(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'crc-header-bad', Body: arrived, ChecksumCRC32: sentCrc })), 400, 'BadDigest');
      expect(await objectStatus('crc-header-bad')).toBe(404);
    });

    it('a PutObject whose Content-MD5 does not match the body is 400 BadDigest and stores nothing', async () => {
      const arrived = Buffer.from('the body as it arrived');
      const sentMd5 = Buffer.from(md5Hex('the body as it was sent'), 'hex').toString('base64');
      await expectSdkError(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'md5-bad', Body: arrived, ContentMD5: sentMd5 })), 400, 'BadDigest');
      expect(await objectStatus('md5-bad')).toBe(404);
    });

    it('a PutObject whose x-amz-checksum-crc32 and Content-MD5 headers match the body is stored (control)', async () => {
      const body = Buffer.from('the body as it was sent');
      const contentMd5 = Buffer.from(md5Hex(body), 'hex').toString('base64');
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'digests-good', Body: body, ChecksumCRC32: crc32Base64(body), ContentMD5: contentMd5 }));
      expect(await getText('digests-good')).toBe('the body as it was sent');
    });

    const FULL = 256 * 1024;
    it.each<[string, (key: string, payload: Buffer) => RawRequest]>([
      ['an unsigned payload', (key, payload) => ({ method: 'PUT', path: `/${bucket}/${key}`, body: payload, contentSha256: 'UNSIGNED-PAYLOAD' })],
      ['a signed payload', (key, payload) => ({ method: 'PUT', path: `/${bucket}/${key}`, body: payload })],
      ['an aws-chunked payload', (key, payload) => chunkedPut(key, payload, crc32Base64(payload))],
    ])('a client that closes before sending all of %s stores nothing, and the server keeps serving', async (label, request) => {
      const key = `cut-short/${label.replace(/ /g, '-')}`;
      const blobsBefore = await blobFiles();

      // Close once the server is visibly receiving the payload (its temp file exists).
      await rawS3RequestCutShort(sediment.url, request(key, randomBytes(FULL)), 64 * 1024, () =>
        waitUntil('the upload is being received', async () => (await tempFiles()).length > 0),
      );

      await waitUntil('the partial upload is cleaned up', async () => (await tempFiles()).length === 0);
      expect(await objectStatus(key)).toBe(404);
      expect(await blobFiles()).toEqual(blobsBefore);
      // Still serving, and the key is still writable (nothing left holding it).
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'complete' }));
      expect(await getText(key)).toBe('complete');
    });
  });

  describe('operations Sediment does not implement', () => {
    it.each<[string, RawRequest]>([
      ['GetObjectTorrent (GET /bucket/key?torrent)', { method: 'GET', path: `/${bucket}/some-key`, query: { torrent: '' } }],
      ['PutBucketLogging (PUT /bucket?logging)', { method: 'PUT', path: `/${bucket}`, query: { logging: '' }, body: '<BucketLoggingStatus/>' }],
      ['GetBucketWebsite (GET /bucket?website)', { method: 'GET', path: `/${bucket}`, query: { website: '' } }],
    ])('%s is 501 NotImplemented', async (_label, request) => {
      expectRawError(await rawS3Request(sediment.url, request), 501, 'NotImplemented');
    });

    describe('server-side encryption: Sediment encrypts nothing, so any SSE header is 501 before anything is written', () => {
      const key = randomBytes(32).toString('base64');
      const sseC = { SSECustomerAlgorithm: 'AES256', SSECustomerKey: key };
      const refused = async (sent: Promise<unknown>) => {
        const error = await expectSdkError(sent, 501, 'NotImplemented');
        expect(error.message).toMatch(/^Server-side encryption is not implemented: Sediment stores objects unencrypted, so it refuses x-amz-(copy-source-)?server-side-encryption/);
      };

      it.each([
        ['SSE-S3 (AES256)', { ServerSideEncryption: 'AES256' as const }],
        ['SSE-KMS', { ServerSideEncryption: 'aws:kms' as const, SSEKMSKeyId: 'alias/any' }],
        ['SSE-C', sseC],
      ])('PutObject with %s stores nothing', async (_label, sse) => {
        await refused(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'sse/put', Body: 'secret', ...sse })));
        expect(await objectStatus('sse/put')).toBe(404);
      });

      it('CreateMultipartUpload, UploadPart, CopyObject (either side) and GetObject/HeadObject with SSE-C keys', async () => {
        await refused(s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'sse/mpu', ServerSideEncryption: 'aws:kms' })));
        const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'sse/mpu' }));
        await refused(s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'sse/mpu', UploadId, PartNumber: 1, Body: 'part', ...sseC })));
        await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: 'sse/mpu', UploadId }));
        await refused(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'sse/copy', CopySource: `${bucket}/survivor`, ServerSideEncryption: 'AES256' })));
        await refused(
          s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'sse/copy', CopySource: `${bucket}/survivor`, CopySourceSSECustomerAlgorithm: 'AES256', CopySourceSSECustomerKey: key })),
        );
        expect(await objectStatus('sse/copy')).toBe(404);
        await refused(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'survivor', ...sseC })));
        expect((await sdkError(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'survivor', ...sseC })))).$metadata.httpStatusCode).toBe(501);
        expect(await getText('survivor')).toBe('still here');
      });

      it('a raw PutObject with x-amz-server-side-encryption answers S3 error XML naming the header', async () => {
        const res = await rawS3Request(sediment.url, { method: 'PUT', path: `/${bucket}/sse/raw`, headers: { 'x-amz-server-side-encryption': 'AES256' }, body: 'plain' });
        expectRawError(res, 501, 'NotImplemented');
        expect(xmlText(res.body, 'Header')).toBe('x-amz-server-side-encryption');
        expect(await objectStatus('sse/raw')).toBe(404);
      });
    });

    it('a NotImplemented sub-resource request does not act as the plain operation', async () => {
      // PUT /bucket/key?torrent (no such operation) must not overwrite the object with its body.
      const res = await rawS3Request(sediment.url, { method: 'PUT', path: `/${bucket}/survivor`, query: { torrent: '' }, body: '<Torrent/>' });
      expectRawError(res, 501, 'NotImplemented');
      expect(await getText('survivor')).toBe('still here');
    });
  });
});
