// S3's system metadata (issue #14, found by the ceph s3-tests run): Cache-Control,
// Content-Disposition, Content-Encoding, Content-Language and Expires, set by PutObject,
// CreateMultipartUpload and CopyObject through the AWS SDK v3 (POST Object's form fields are in
// post-object.e2e-spec.ts, boto3's in boto3_current_features.py), sent back by HEAD and GET, with
// the response-* overrides winning; aws-chunked left out of a stored Content-Encoding; values no
// header can carry, or too long, refused before anything is written; each carried by its event.
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
  type HeadObjectCommandOutput,
} from '@aws-sdk/client-s3';
import { bucketStream, readTopic } from '../support/kafka-topic-reader.js';
import { awsChunkedBody, crc32Base64, objectPath, rawS3Request, STREAMING_UNSIGNED_PAYLOAD_TRAILER } from '../support/raw-s3-request.js';
import { expectRawError, sdkError } from '../support/s3-api-assertions.js';
import { serviceWithBucket } from '../support/sediment-under-test.js';

const service = serviceWithBucket('content-headers');
const s3 = () => service.sediment.s3;

const EXPIRES = new Date('2094-12-01T16:00:00.000Z');
const EXPIRES_HTTP = 'Wed, 01 Dec 2094 16:00:00 GMT';
const SENT = {
  CacheControl: 'max-age=3600, must-revalidate',
  ContentDisposition: 'attachment; filename="report.pdf"',
  ContentEncoding: 'gzip',
  ContentLanguage: 'en-GB',
};
const FIELDS = ['CacheControl', 'ContentDisposition', 'ContentEncoding', 'ContentLanguage', 'ExpiresString'] as const;

const head = (Key: string) => s3().send(new HeadObjectCommand({ Bucket: service.bucket, Key }));
/** HEAD answers 404 (no body to carry a code). */
const absent = async (Key: string) => (await sdkError(head(Key))).$metadata.httpStatusCode === 404;
const headersOf = (out: HeadObjectCommandOutput) => Object.fromEntries(FIELDS.filter((f) => out[f] !== undefined).map((f) => [f, out[f]]));

/** The events of this file's bucket, type → data, latest last. */
async function eventsOf(type: string): Promise<{ schemaVersion: number; data: Record<string, unknown> }[]> {
  const records = bucketStream(await readTopic(service.sediment.config.SEDIMENT_BUCKET_TOPIC), service.bucket);
  return records.filter((r) => r.envelope.type === type).map((r) => ({ schemaVersion: r.envelope.schemaVersion, data: r.envelope.data as Record<string, unknown> }));
}

describe('content headers (system metadata)', () => {
  it('PutObject keeps them; HEAD and GET send them back, and the response-* overrides win', async () => {
    await s3().send(new PutObjectCommand({ Bucket: service.bucket, Key: 'put.pdf', Body: 'not really a pdf', Expires: EXPIRES, ...SENT }));
    const expected = { ...SENT, ExpiresString: EXPIRES_HTTP };
    const headed = await head('put.pdf');
    expect(headersOf(headed)).toEqual(expected);
    expect(headed.Expires).toEqual(EXPIRES);
    const got = await s3().send(new GetObjectCommand({ Bucket: service.bucket, Key: 'put.pdf' }));
    expect(headersOf(got)).toEqual(expected);
    expect(await got.Body!.transformToString()).toBe('not really a pdf');
    const overridden = await s3().send(
      new GetObjectCommand({
        Bucket: service.bucket,
        Key: 'put.pdf',
        ResponseCacheControl: 'no-store',
        ResponseContentDisposition: 'inline',
        ResponseContentEncoding: 'identity',
        ResponseContentLanguage: 'fr',
        ResponseExpires: new Date('2001-02-03T04:05:06.000Z'),
      }),
    );
    expect(headersOf(overridden)).toEqual({
      CacheControl: 'no-store',
      ContentDisposition: 'inline',
      ContentEncoding: 'identity',
      ContentLanguage: 'fr',
      ExpiresString: 'Sat, 03 Feb 2001 04:05:06 GMT',
    });
    await overridden.Body!.transformToString();
    const [stored] = (await eventsOf('ObjectStored')).filter((e) => e.data['key'] === 'put.pdf');
    expect(stored).toEqual({
      schemaVersion: 4,
      data: expect.objectContaining({
        cacheControl: SENT.CacheControl,
        contentDisposition: SENT.ContentDisposition,
        contentEncoding: 'gzip',
        contentLanguage: 'en-GB',
        expires: EXPIRES_HTTP,
      }),
    });
  });

  it('sends none back for an object written without them', async () => {
    await s3().send(new PutObjectCommand({ Bucket: service.bucket, Key: 'plain.txt', Body: 'plain' }));
    expect(headersOf(await head('plain.txt'))).toEqual({});
  });

  it('keeps Expires as sent even when it is not an HTTP date, as S3 does', async () => {
    const res = await rawS3Request(service.sediment.url, { method: 'PUT', path: objectPath(service.bucket, 'odd-expires.txt'), headers: { expires: 'next tuesday' }, body: 'x' });
    expect(res.status).toBe(200);
    const headed = await rawS3Request(service.sediment.url, { method: 'HEAD', path: objectPath(service.bucket, 'odd-expires.txt') });
    expect(headed.headers['expires']).toBe('next tuesday');
    expect((await head('odd-expires.txt')).ExpiresString).toBe('next tuesday');
  });

  it('stores the Content-Encoding of an aws-chunked upload without aws-chunked: "aws-chunked,deflate, gzip" is "deflate, gzip"', async () => {
    const payload = Buffer.from('compressed, supposedly');
    const put = (key: string, encoding: string) =>
      rawS3Request(service.sediment.url, {
        method: 'PUT',
        path: objectPath(service.bucket, key),
        headers: { 'content-encoding': encoding, 'x-amz-decoded-content-length': String(payload.length), 'x-amz-trailer': 'x-amz-checksum-crc32' },
        body: awsChunkedBody(payload, { trailers: { 'x-amz-checksum-crc32': crc32Base64(payload) } }),
        contentSha256: STREAMING_UNSIGNED_PAYLOAD_TRAILER,
      });
    expect((await put('chunked.gz', 'aws-chunked,deflate, gzip')).status).toBe(200);
    expect((await head('chunked.gz')).ContentEncoding).toBe('deflate, gzip');
    const got = await s3().send(new GetObjectCommand({ Bucket: service.bucket, Key: 'chunked.gz' }));
    expect(got.ContentEncoding).toBe('deflate, gzip');
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(payload)).toBe(true);
    // aws-chunked alone is the framing only: no Content-Encoding is stored.
    expect((await put('chunked.bin', 'aws-chunked')).status).toBe(200);
    expect((await head('chunked.bin')).ContentEncoding).toBeUndefined();
  });

  it('CreateMultipartUpload keeps them for the object its completion makes', async () => {
    const created = await s3().send(new CreateMultipartUploadCommand({ Bucket: service.bucket, Key: 'multi.bin', Expires: EXPIRES, ...SENT }));
    const part = await s3().send(new UploadPartCommand({ Bucket: service.bucket, Key: 'multi.bin', UploadId: created.UploadId, PartNumber: 1, Body: 'only part' }));
    // Before completion there is no object to read.
    expect(await absent('multi.bin')).toBe(true);
    await s3().send(
      new CompleteMultipartUploadCommand({ Bucket: service.bucket, Key: 'multi.bin', UploadId: created.UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }),
    );
    expect(headersOf(await head('multi.bin'))).toEqual({ ...SENT, ExpiresString: EXPIRES_HTTP });
    const [initiated] = (await eventsOf('MultipartUploadInitiated')).filter((e) => e.data['uploadId'] === created.UploadId);
    const [completed] = (await eventsOf('MultipartUploadCompleted')).filter((e) => e.data['uploadId'] === created.UploadId);
    expect(initiated).toEqual({ schemaVersion: 4, data: expect.objectContaining({ cacheControl: SENT.CacheControl, expires: EXPIRES_HTTP }) });
    expect(completed).toEqual({ schemaVersion: 3, data: expect.objectContaining({ cacheControl: SENT.CacheControl, expires: EXPIRES_HTTP }) });
  });

  it("CopyObject keeps the source's under the COPY directive and takes only the request's under REPLACE", async () => {
    await s3().send(new PutObjectCommand({ Bucket: service.bucket, Key: 'source.pdf', Body: 'source', Expires: EXPIRES, ...SENT }));
    const CopySource = `${service.bucket}/source.pdf`;
    await s3().send(new CopyObjectCommand({ Bucket: service.bucket, Key: 'copied.pdf', CopySource }));
    expect(headersOf(await head('copied.pdf'))).toEqual({ ...SENT, ExpiresString: EXPIRES_HTTP });
    // Headers sent with COPY are ignored, as the rest of the metadata is.
    await s3().send(new CopyObjectCommand({ Bucket: service.bucket, Key: 'copied-ignoring.pdf', CopySource, CacheControl: 'no-cache' }));
    expect((await head('copied-ignoring.pdf')).CacheControl).toBe(SENT.CacheControl);
    await s3().send(
      new CopyObjectCommand({ Bucket: service.bucket, Key: 'replaced.pdf', CopySource, MetadataDirective: 'REPLACE', CacheControl: 'no-cache', ContentLanguage: 'de' }),
    );
    expect(headersOf(await head('replaced.pdf'))).toEqual({ CacheControl: 'no-cache', ContentLanguage: 'de' });
    const copies = await eventsOf('ObjectCopied');
    expect(copies.find((e) => e.data['key'] === 'copied.pdf')).toEqual({ schemaVersion: 3, data: expect.objectContaining({ contentDisposition: SENT.ContentDisposition, expires: EXPIRES_HTTP }) });
    expect(copies.find((e) => e.data['key'] === 'replaced.pdf')?.data).not.toHaveProperty('expires');
  });

  it('refuses values together longer than 8 KiB with MetadataTooLarge, storing nothing; user metadata does not count', async () => {
    const half = 'a'.repeat(4096);
    const put = (key: string, headers: Record<string, string>) => rawS3Request(service.sediment.url, { method: 'PUT', path: objectPath(service.bucket, key), headers, body: 'x' });
    const refused = await put('too-long.txt', { 'cache-control': half, 'content-disposition': `${half}b` });
    expectRawError(refused, 400, 'MetadataTooLarge');
    expect(await absent('too-long.txt')).toBe(true);
    // 8 KiB exactly, beside the full 2 KB of user metadata S3 allows.
    const userMetadata = { 'x-amz-meta-m': 'u'.repeat(2047) };
    expect((await put('just-fits.txt', { 'cache-control': half, 'content-disposition': half, ...userMetadata })).status).toBe(200);
    expect((await head('just-fits.txt')).CacheControl).toBe(half);
  });

  it('refuses them on CreateMultipartUpload and on a REPLACE copy too, before the upload or copy exists', async () => {
    const tooLong = { 'cache-control': 'a'.repeat(8193) };
    const initiated = await rawS3Request(service.sediment.url, { method: 'POST', path: objectPath(service.bucket, 'refused-multi.bin'), query: { uploads: '' }, headers: tooLong });
    expectRawError(initiated, 400, 'MetadataTooLarge');
    await s3().send(new PutObjectCommand({ Bucket: service.bucket, Key: 'copy-me.txt', Body: 'x' }));
    const copied = await rawS3Request(service.sediment.url, {
      method: 'PUT',
      path: objectPath(service.bucket, 'refused-copy.txt'),
      headers: { 'x-amz-copy-source': `/${service.bucket}/copy-me.txt`, 'x-amz-metadata-directive': 'REPLACE', ...tooLong },
    });
    expectRawError(copied, 400, 'MetadataTooLarge');
    expect(await absent('refused-copy.txt')).toBe(true);
    expect((await eventsOf('MultipartUploadInitiated')).filter((e) => e.data['key'] === 'refused-multi.bin')).toEqual([]);
  });
});
