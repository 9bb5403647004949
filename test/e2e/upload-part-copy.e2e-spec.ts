// UploadPartCopy and GET/HEAD ?partNumber (issue #5 §2): parts copied from ranges of plain and
// multipart sources, completed and read back whole and part by part, and every error rule.
import { jest } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import { Crc32c } from '@aws-crypto/crc32c';
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
  UploadPartCopyCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createUserWithKey, iamClient, policy } from '../support/iam-helpers.js';
import { objectPath, rawS3Request, xmlText } from '../support/raw-s3-request.js';
import { expectRawError, expectSdkError, sdkError } from '../support/s3-api-assertions.js';
import { s3Client, startSediment, type SedimentUnderTest } from '../support/sediment-under-test.js';

jest.setTimeout(60_000);

const MiB = 1024 * 1024;
const BUCKET = 'part-copy';
const SOURCES = 'part-copy-sources';
const md5Etag = (bytes: Buffer) => `"${createHash('md5').update(bytes).digest('hex')}"`;

let sediment: SedimentUnderTest;
let s3: S3Client;

/** A 6 MiB plain object, a multipart one (5 MiB + 1000 bytes) and a small one. */
const plain = randomBytes(6 * MiB);
const multipartParts = [randomBytes(5 * MiB), randomBytes(1000)];
const multipart = Buffer.concat(multipartParts);
const small = Buffer.from('a small tail');

async function createUpload(key: string): Promise<string> {
  return (await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key }))).UploadId!;
}

function copyPart(key: string, UploadId: string, PartNumber: number, CopySource: string, extra: Record<string, unknown> = {}, client = s3) {
  return client.send(new UploadPartCopyCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber, CopySource, ...extra }));
}

function complete(key: string, UploadId: string, etags: string[]) {
  return s3.send(
    new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId, MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) } }),
  );
}

async function get(key: string, input: { PartNumber?: number; Range?: string } = {}) {
  const res = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key, ...input }));
  return { res, bytes: Buffer.from(await res.Body!.transformToByteArray()) };
}

beforeAll(async () => {
  sediment = await startSediment();
  s3 = sediment.s3;
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await s3.send(new CreateBucketCommand({ Bucket: SOURCES }));
  await s3.send(new PutObjectCommand({ Bucket: SOURCES, Key: 'plain', Body: plain }));
  await s3.send(new PutObjectCommand({ Bucket: SOURCES, Key: 'small', Body: small }));
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: SOURCES, Key: 'multipart' }));
  const etags: string[] = [];
  for (const [i, Body] of multipartParts.entries()) {
    etags.push((await s3.send(new UploadPartCommand({ Bucket: SOURCES, Key: 'multipart', UploadId, PartNumber: i + 1, Body }))).ETag!);
  }
  await s3.send(
    new CompleteMultipartUploadCommand({
      Bucket: SOURCES, Key: 'multipart', UploadId, MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
    }),
  );
}, 60_000);

afterAll(async () => {
  sediment.s3.destroy();
  await sediment.stop();
}, 30_000);

describe('UploadPartCopy', () => {
  const first = plain.subarray(0, 5 * MiB);
  // Across the part boundary of the multipart source: the end of its part 1 and all of part 2.
  const across = multipart.subarray(5 * MiB - 5000, multipart.length);

  it('builds an object from a range of a plain source, a range of a multipart source and a whole source', async () => {
    const uploadId = await createUpload('assembled');
    const p1 = await copyPart('assembled', uploadId, 1, `${SOURCES}/plain`, { CopySourceRange: `bytes=0-${5 * MiB - 1}` });
    const p2 = await copyPart('assembled', uploadId, 2, `/${SOURCES}/multipart`, { CopySourceRange: `bytes=${5 * MiB - 5000}-${multipart.length - 1}` });
    const p3 = await copyPart('assembled', uploadId, 3, `${SOURCES}/small`);
    expect([p1.CopyPartResult?.ETag, p2.CopyPartResult?.ETag, p3.CopyPartResult?.ETag]).toEqual([md5Etag(first), md5Etag(across), md5Etag(small)]);
    expect(p1.CopyPartResult?.LastModified).toBeInstanceOf(Date);

    // p2 is 6000 bytes, below 5 MiB: it may only be last, as for any part.
    await expectSdkError(complete('assembled', uploadId, [p1, p2, p3].map((p) => p.CopyPartResult!.ETag!)), 400, 'EntityTooSmall');
    const p2big = await copyPart('assembled', uploadId, 2, `${SOURCES}/multipart`);
    const done = await complete('assembled', uploadId, [p1, p2big, p3].map((p) => p.CopyPartResult!.ETag!));
    expect(done.ETag).toMatch(/^"[0-9a-f]{32}-3"$/);
    expect((await get('assembled')).bytes.equals(Buffer.concat([first, multipart, small]))).toBe(true);
  });

  it('computes a copied part\'s checksum for an upload that names an algorithm, so it completes', async () => {
    const key = 'summed-from-copy';
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key, ChecksumAlgorithm: 'CRC32C' }));
    const first = await copyPart(key, UploadId!, 1, `${SOURCES}/plain`, { CopySourceRange: `bytes=0-${5 * MiB - 1}` });
    const crc32c = (bytes: Buffer) => {
      const c = new Crc32c();
      c.update(bytes);
      const out = Buffer.alloc(4);
      out.writeUInt32BE(c.digest() >>> 0);
      return out;
    };
    const expectedFirst = crc32c(plain.subarray(0, 5 * MiB));
    expect(first.CopyPartResult?.ChecksumCRC32C).toBe(expectedFirst.toString('base64'));
    const second = await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: 2, Body: small, ChecksumAlgorithm: 'CRC32C' }));
    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: BUCKET,
        Key: key,
        UploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: first.CopyPartResult!.ETag!, ChecksumCRC32C: first.CopyPartResult!.ChecksumCRC32C! },
            { PartNumber: 2, ETag: second.ETag!, ChecksumCRC32C: second.ChecksumCRC32C! },
          ],
        },
      }),
    );
    // COMPOSITE: the CRC32C of the parts' binary CRC32Cs, then -<parts>.
    const composite = crc32c(Buffer.concat([expectedFirst, crc32c(small)])).toString('base64');
    expect(done.ChecksumCRC32C).toBe(`${composite}-2`);
  });

  it('answers <CopyPartResult> with ETag and LastModified', async () => {
    const uploadId = await createUpload('raw');
    const res = await rawS3Request(sediment.url, {
      method: 'PUT',
      path: objectPath(BUCKET, 'raw'),
      query: { partNumber: '1', uploadId },
      headers: { 'x-amz-copy-source': `/${SOURCES}/small`, 'x-amz-copy-source-range': 'bytes=2-6' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatch(/<CopyPartResult xmlns="http:\/\/s3\.amazonaws\.com\/doc\/2006-03-01\/"><ETag>/);
    expect(xmlText(res.body, 'ETag')!.replace(/&quot;/g, '"')).toBe(md5Etag(small.subarray(2, 7)));
    expect(xmlText(res.body, 'LastModified')).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it.each([
    ['past the end of the source', `bytes=0-${small.length}`],
    ['starting past the end', `bytes=${small.length}-${small.length + 2}`],
    ['backwards', 'bytes=5-2'],
    ['open-ended', 'bytes=0-'],
    ['a suffix', 'bytes=-3'],
    ['of another unit', 'items=0-1'],
  ])('refuses a range %s with 400 InvalidArgument', async (_, range) => {
    const uploadId = await createUpload('bad-range');
    await expectSdkError(copyPart('bad-range', uploadId, 1, `${SOURCES}/small`, { CopySourceRange: range }), 400, 'InvalidArgument');
  });

  it('applies the copy-source conditions (412, never 304)', async () => {
    const uploadId = await createUpload('cond');
    const etag = md5Etag(small);
    await copyPart('cond', uploadId, 1, `${SOURCES}/small`, { CopySourceIfMatch: etag });
    await expectSdkError(copyPart('cond', uploadId, 1, `${SOURCES}/small`, { CopySourceIfMatch: '"0000"' }), 412, 'PreconditionFailed');
    await expectSdkError(copyPart('cond', uploadId, 1, `${SOURCES}/small`, { CopySourceIfNoneMatch: etag }), 412, 'PreconditionFailed');
    await expectSdkError(
      copyPart('cond', uploadId, 1, `${SOURCES}/small`, { CopySourceIfModifiedSince: new Date(Date.now() + 86_400_000) }),
      412,
      'PreconditionFailed',
    );
  });

  it('answers NoSuchKey, NoSuchBucket, NoSuchVersion and NoSuchUpload', async () => {
    const uploadId = await createUpload('missing');
    await expectSdkError(copyPart('missing', uploadId, 1, `${SOURCES}/nope`), 404, 'NoSuchKey');
    await expectSdkError(copyPart('missing', uploadId, 1, 'no-such-source-bucket/k'), 404, 'NoSuchBucket');
    await expectSdkError(copyPart('missing', uploadId, 1, `${SOURCES}/small?versionId=abc`), 404, 'NoSuchVersion');
    await expectSdkError(copyPart('missing', 'not-an-upload', 1, `${SOURCES}/small`), 404, 'NoSuchUpload');
  });

  it('refuses a part number out of range', async () => {
    const uploadId = await createUpload('numbers');
    await expectSdkError(copyPart('numbers', uploadId, 10_001, `${SOURCES}/small`), 400, 'InvalidArgument');
  });

  it('needs s3:GetObject on the source', async () => {
    const iam = iamClient(sediment.url);
    const mayPut = { Effect: 'Allow', Action: 's3:PutObject', Resource: `arn:aws:s3:::${BUCKET}/*` };
    const writer = s3Client(sediment.url, await createUserWithKey(iam, 'part-writer', { inline: policy(mayPut) }));
    const copier = s3Client(
      sediment.url,
      await createUserWithKey(iam, 'part-copier', { inline: policy(mayPut, { Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${SOURCES}/small` }) }),
    );
    try {
      const uploadId = await createUpload('authz');
      await expectSdkError(copyPart('authz', uploadId, 1, `${SOURCES}/small`, {}, writer), 403, 'AccessDenied');
      const ok = await copyPart('authz', uploadId, 1, `${SOURCES}/small`, {}, copier);
      expect(ok.CopyPartResult?.ETag).toBe(md5Etag(small));
    } finally {
      writer.destroy();
      copier.destroy();
      iam.destroy();
    }
  });
});

describe('GetObject / HeadObject ?partNumber', () => {
  let key: string;
  beforeAll(async () => {
    key = 'by-parts';
    const uploadId = await createUpload(key);
    const p1 = await copyPart(key, uploadId, 1, `${SOURCES}/plain`, { CopySourceRange: `bytes=0-${5 * MiB - 1}` });
    const p2 = await copyPart(key, uploadId, 2, `${SOURCES}/small`);
    await complete(key, uploadId, [p1, p2].map((p) => p.CopyPartResult!.ETag!));
  });

  it('answers one part of a multipart object: 206, Content-Range, parts count, the object’s ETag', async () => {
    const whole = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(whole.PartsCount).toBeUndefined();
    const { res, bytes } = await get(key, { PartNumber: 2 });
    expect(res.$metadata.httpStatusCode).toBe(206);
    expect({ range: res.ContentRange, length: res.ContentLength, parts: res.PartsCount, etag: res.ETag }).toEqual({
      range: `bytes ${5 * MiB}-${5 * MiB + small.length - 1}/${5 * MiB + small.length}`,
      length: small.length,
      parts: 2,
      etag: whole.ETag,
    });
    expect(bytes.equals(small)).toBe(true);
    const one = await get(key, { PartNumber: 1 });
    expect(one.bytes.equals(plain.subarray(0, 5 * MiB))).toBe(true);
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key, PartNumber: 1 }));
    expect({ status: head.$metadata.httpStatusCode, length: head.ContentLength, parts: head.PartsCount }).toEqual({ status: 206, length: 5 * MiB, parts: 2 });
  });

  it('treats an object that is not multipart as one part: part 1 is all of it, as a 206, and part 2 is InvalidPart', async () => {
    const { res, bytes } = await s3.send(new GetObjectCommand({ Bucket: SOURCES, Key: 'small', PartNumber: 1 })).then(async (r) => ({
      res: r,
      bytes: Buffer.from(await r.Body!.transformToByteArray()),
    }));
    expect(res.$metadata.httpStatusCode).toBe(206);
    expect({ range: res.ContentRange, parts: res.PartsCount }).toEqual({ range: `bytes 0-${small.length - 1}/${small.length}`, parts: undefined });
    expect(bytes.equals(small)).toBe(true);
    // It has no other part: any other number is 400 InvalidPart (a multipart object answers 416, below).
    await expectSdkError(s3.send(new GetObjectCommand({ Bucket: SOURCES, Key: 'small', PartNumber: 2 })), 400, 'InvalidPart');
    const head = await sdkError(s3.send(new HeadObjectCommand({ Bucket: SOURCES, Key: 'small', PartNumber: 2 })));
    expect(head.$metadata.httpStatusCode).toBe(400);
  });

  it('answers 416 InvalidPartNumber past the last part, on GET and HEAD', async () => {
    await expectSdkError(get(key, { PartNumber: 3 }), 416, 'InvalidPartNumber');
    const head = await sdkError(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key, PartNumber: 3 })));
    expect(head.$metadata.httpStatusCode).toBe(416);
  });

  it('refuses partNumber with Range (InvalidRequest) and a partNumber that is not one (InvalidArgument)', async () => {
    await expectSdkError(get(key, { PartNumber: 1, Range: 'bytes=0-1' }), 400, 'InvalidRequest');
    for (const partNumber of ['0', '10001', 'x', '-1']) {
      const res = await rawS3Request(sediment.url, { method: 'GET', path: objectPath(BUCKET, key), query: { partNumber } });
      expectRawError(res, 400, 'InvalidArgument');
    }
  });
});
