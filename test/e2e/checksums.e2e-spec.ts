// Flexible checksums (issue #5, "Checksums"): the five algorithms S3 knows, sent by the SDK as a
// header (a body it can hash first) or as an aws-chunked trailer (a stream), verified, stored with
// the object and returned under x-amz-checksum-mode: ENABLED; a wrong one refused with BadDigest;
// multipart uploads with a checksum algorithm (COMPOSITE and FULL_OBJECT); and the Debian awscli.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import { Crc32c } from '@aws-crypto/crc32c';
import { Crc64Nvme } from '@aws-sdk/crc64-nvme';
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  type ChecksumAlgorithm,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { objectPath, rawS3Request, xmlText } from '../support/raw-s3-request.js';
import { expectRawError, expectSdkError } from '../support/s3-api-assertions.js';
import { ROOT_ACCESS_KEY_ID, ROOT_SECRET, startSediment, type SedimentUnderTest } from '../support/sediment-under-test.js';

const BUCKET = 'checksums';
const MiB = 1024 * 1024;
type Algorithm = 'CRC32' | 'CRC32C' | 'CRC64NVME' | 'SHA1' | 'SHA256';
const ALGORITHMS: Algorithm[] = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'];

let sediment: SedimentUnderTest;
/** An SDK client that adds no checksum of its own (requestChecksumCalculation: WHEN_REQUIRED). */
let bare: S3Client;
let home: string;

const uint32 = (value: number) => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value >>> 0);
  return out;
};

/** The base64 checksum S3 returns, computed independently of the service's code path. */
async function checksumOf(algorithm: Algorithm, data: Buffer): Promise<string> {
  switch (algorithm) {
    case 'CRC32':
      return uint32(crc32(data)).toString('base64');
    case 'CRC32C':
      return uint32(new Crc32c().update(data).digest()).toString('base64');
    case 'CRC64NVME': {
      const crc = new Crc64Nvme();
      crc.update(data);
      return Buffer.from(await crc.digest()).toString('base64');
    }
    case 'SHA1':
    case 'SHA256':
      return createHash(algorithm.toLowerCase()).update(data).digest('base64');
  }
}

/** AWS's COMPOSITE multipart checksum: the algorithm over the binary part checksums, then -<parts>. */
async function compositeOf(algorithm: Algorithm, parts: Buffer[]): Promise<string> {
  const binary = await Promise.all(parts.map(async (p) => Buffer.from(await checksumOf(algorithm, p), 'base64')));
  return `${await checksumOf(algorithm, Buffer.concat(binary))}-${parts.length}`;
}

const field = (algorithm: Algorithm) => `Checksum${algorithm}` as const;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'sediment-checksums-home-'));
  sediment = await startSediment();
  bare = new S3Client({
    endpoint: sediment.url,
    region: 'us-east-1',
    forcePathStyle: true,
    maxAttempts: 1,
    credentials: { accessKeyId: ROOT_ACCESS_KEY_ID, secretAccessKey: ROOT_SECRET },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  await sediment.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
}, 60_000);

afterAll(async () => {
  sediment.s3.destroy();
  bare.destroy();
  await sediment.stop();
  await rm(home, { recursive: true, force: true });
}, 60_000);

describe('PutObject with a flexible checksum', () => {
  const body = Buffer.from(`checksummed payload ${randomBytes(16).toString('hex')}\n`.repeat(300));

  describe.each(ALGORITHMS)('%s', (algorithm) => {
    it('as a header (a buffered body): verified, echoed, stored and returned with ChecksumMode ENABLED', async () => {
      const key = `header/${algorithm}.txt`;
      const expected = await checksumOf(algorithm, body);
      const put = await sediment.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, ChecksumAlgorithm: algorithm }));
      expect({ value: put[field(algorithm)], type: put.ChecksumType }).toEqual({ value: expected, type: 'FULL_OBJECT' });

      const head = await sediment.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key, ChecksumMode: 'ENABLED' }));
      expect({ value: head[field(algorithm)], type: head.ChecksumType }).toEqual({ value: expected, type: 'FULL_OBJECT' });
      const get = await sediment.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key, ChecksumMode: 'ENABLED' }));
      expect(get[field(algorithm)]).toBe(expected);
      expect(Buffer.from(await get.Body!.transformToByteArray()).equals(body)).toBe(true);
    });

    it('as an aws-chunked trailer (a stream): verified and stored the same', async () => {
      const key = `trailer/${algorithm}.txt`;
      const put = await sediment.s3.send(
        new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: Readable.from([body.subarray(0, 1000), body.subarray(1000)]), ContentLength: body.length, ChecksumAlgorithm: algorithm }),
      );
      const expected = await checksumOf(algorithm, body);
      expect(put[field(algorithm)]).toBe(expected);
      const head = await sediment.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key, ChecksumMode: 'ENABLED' }));
      expect({ value: head[field(algorithm)], type: head.ChecksumType }).toEqual({ value: expected, type: 'FULL_OBJECT' });
    });
  });

  it('returns no checksum without x-amz-checksum-mode: ENABLED, nor for a range', async () => {
    const key = 'header/CRC32C.txt';
    const plain = await rawS3Request(sediment.url, { method: 'HEAD', path: objectPath(BUCKET, key) });
    expect(plain.status).toBe(200);
    expect(Object.keys(plain.headers).filter((h) => h.startsWith('x-amz-checksum'))).toEqual([]);
    const enabled = await rawS3Request(sediment.url, { method: 'HEAD', path: objectPath(BUCKET, key), headers: { 'x-amz-checksum-mode': 'ENABLED' } });
    expect(enabled.headers['x-amz-checksum-crc32c']).toBe(await checksumOf('CRC32C', body));
    expect(enabled.headers['x-amz-checksum-type']).toBe('FULL_OBJECT');

    const ranged = await sediment.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key, Range: 'bytes=10-19', ChecksumMode: 'ENABLED' }));
    expect(ranged.$metadata.httpStatusCode).toBe(206);
    expect(ranged.ChecksumCRC32C).toBeUndefined();
    expect(Buffer.from(await ranged.Body!.transformToByteArray()).equals(body.subarray(10, 20))).toBe(true);
  });

  it('stores no checksum for a PUT that sent none', async () => {
    await bare.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'none.txt', Body: body }));
    const head = await rawS3Request(sediment.url, { method: 'HEAD', path: objectPath(BUCKET, 'none.txt'), headers: { 'x-amz-checksum-mode': 'ENABLED' } });
    expect(Object.keys(head.headers).filter((h) => h.startsWith('x-amz-checksum'))).toEqual([]);
  });

  it.each(['CRC32C', 'CRC64NVME', 'SHA256'] as const)('refuses a wrong %s with BadDigest and stores nothing', async (algorithm) => {
    const key = `wrong/${algorithm}.txt`;
    const wrong = await checksumOf(algorithm, Buffer.from('something else'));
    const error = await expectSdkError(bare.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, [field(algorithm)]: wrong })), 400, 'BadDigest');
    expect(error.message).toBe(`The ${algorithm} you specified did not match the calculated checksum.`);
    await expectSdkError(sediment.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key })), 404, 'NoSuchKey');
  });

  it.each(['SHA256', 'CRC64NVME'] as const)('refuses a %s value that is no digest of it with InvalidRequest, as S3 does (not BadDigest)', async (algorithm) => {
    const key = `malformed/${algorithm}.txt`;
    const error = await expectSdkError(bare.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, [field(algorithm)]: 'bad' })), 400, 'InvalidRequest');
    expect(error.message).toBe(`Value for x-amz-checksum-${algorithm.toLowerCase()} header is invalid.`);
    await expectSdkError(sediment.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key })), 404, 'NoSuchKey');
  });

  it('refuses a checksum sent both as a header and as a trailer', async () => {
    const payload = Buffer.from('twice');
    const framed = Buffer.from(`${payload.length.toString(16)}\r\n${payload.toString()}\r\n0\r\nx-amz-checksum-crc32c:${await checksumOf('CRC32C', payload)}\r\n\r\n`);
    const res = await rawS3Request(sediment.url, {
      method: 'PUT',
      path: objectPath(BUCKET, 'twice.txt'),
      headers: {
        'content-encoding': 'aws-chunked',
        'x-amz-decoded-content-length': String(payload.length),
        'x-amz-trailer': 'x-amz-checksum-crc32c',
        'x-amz-checksum-crc32': await checksumOf('CRC32', payload),
      },
      body: framed,
      contentSha256: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
    });
    expectRawError(res, 400, 'InvalidRequest');
    expect(xmlText(res.body, 'Message')).toBe('Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.');
  });

  it.each([
    ['names no checksum sent', { 'x-amz-sdk-checksum-algorithm': 'CRC32' }, 'InvalidRequest', 'x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.'],
    ['names another algorithm than the one sent', { 'x-amz-sdk-checksum-algorithm': 'SHA256', 'x-amz-checksum-crc32': 'CRC32' }, 'BadDigest', 'The SHA256 you specified did not match the calculated checksum.'],
    ['names an algorithm S3 does not have', { 'x-amz-sdk-checksum-algorithm': 'MD4', 'x-amz-checksum-crc32': 'CRC32' }, 'InvalidRequest', 'Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]'],
  ])('refuses an x-amz-sdk-checksum-algorithm that %s', async (_label, headers: Record<string, string>, code, message) => {
    const payload = Buffer.from('sdk algorithm');
    if (headers['x-amz-checksum-crc32']) headers = { ...headers, 'x-amz-checksum-crc32': await checksumOf('CRC32', payload) };
    const res = await rawS3Request(sediment.url, { method: 'PUT', path: objectPath(BUCKET, 'sdk-algorithm.txt'), headers, body: payload });
    expectRawError(res, 400, code);
    expect(xmlText(res.body, 'Message')).toBe(message);
  });

  it('refuses a wrong trailer with BadDigest', async () => {
    const payload = Buffer.from('trailer payload');
    const framed = Buffer.from(`${payload.length.toString(16)}\r\n${payload.toString()}\r\n0\r\nx-amz-checksum-crc64nvme:${await checksumOf('CRC64NVME', Buffer.from('x'))}\r\n\r\n`);
    const res = await rawS3Request(sediment.url, {
      method: 'PUT',
      path: objectPath(BUCKET, 'wrong/trailer.txt'),
      headers: { 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': String(payload.length), 'x-amz-trailer': 'x-amz-checksum-crc64nvme' },
      body: framed,
      contentSha256: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
    });
    expectRawError(res, 400, 'BadDigest');
    expect(xmlText(res.body, 'Message')).toBe('The CRC64NVME you specified did not match the calculated checksum.');
  });
});

describe('multipart upload with a checksum algorithm', () => {
  const parts = [randomBytes(5 * MiB), randomBytes(777_777)];

  async function create(key: string, algorithm: ChecksumAlgorithm, type?: 'COMPOSITE' | 'FULL_OBJECT') {
    return sediment.s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key, ChecksumAlgorithm: algorithm, ...(type ? { ChecksumType: type } : {}) }));
  }

  it('COMPOSITE CRC32C: parts carry and list their checksums, the object gets the composite one', async () => {
    const key = 'multipart/composite.bin';
    const created = await create(key, 'CRC32C');
    expect({ algorithm: created.ChecksumAlgorithm, type: created.ChecksumType }).toEqual({ algorithm: 'CRC32C', type: 'COMPOSITE' });
    const UploadId = created.UploadId!;
    const uploaded = [];
    for (const [i, part] of parts.entries()) {
      const res = await sediment.s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: i + 1, Body: part, ChecksumAlgorithm: 'CRC32C' }));
      expect(res.ChecksumCRC32C).toBe(await checksumOf('CRC32C', part));
      uploaded.push({ PartNumber: i + 1, ETag: res.ETag!, ChecksumCRC32C: res.ChecksumCRC32C! });
    }

    const listed = await sediment.s3.send(new ListPartsCommand({ Bucket: BUCKET, Key: key, UploadId }));
    expect({ algorithm: listed.ChecksumAlgorithm, type: listed.ChecksumType }).toEqual({ algorithm: 'CRC32C', type: 'COMPOSITE' });
    expect(listed.Parts!.map((p) => ({ n: p.PartNumber, crc: p.ChecksumCRC32C }))).toEqual(uploaded.map((p) => ({ n: p.PartNumber, crc: p.ChecksumCRC32C })));

    // A part sent without the upload's checksum, or with another one, is refused up front.
    const missing = await expectSdkError(bare.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: 3, Body: parts[1] })), 400, 'InvalidRequest');
    expect(missing.message).toBe('Checksum Type mismatch occurred, expected checksum Type: crc32c, actual checksum Type: null');
    const other = await expectSdkError(
      sediment.s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: 3, Body: parts[1], ChecksumAlgorithm: 'SHA1' })),
      400,
      'InvalidRequest',
    );
    expect(other.message).toBe('Checksum Type mismatch occurred, expected checksum Type: crc32c, actual checksum Type: sha1');

    // The completion must name each part's checksum, and the right one.
    const withoutSecond = [uploaded[0]!, { PartNumber: 2, ETag: uploaded[1]!.ETag }];
    const unnamed = await expectSdkError(
      sediment.s3.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId, MultipartUpload: { Parts: withoutSecond } })),
      400,
      'InvalidRequest',
    );
    expect(unnamed.message).toBe('The upload was created using a crc32c checksum. The complete request must include the checksum for each part. It was missing for part 2 in the request.');
    const swapped = [uploaded[0]!, { ...uploaded[1]!, ChecksumCRC32C: uploaded[0]!.ChecksumCRC32C }];
    await expectSdkError(
      sediment.s3.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId, MultipartUpload: { Parts: swapped } })),
      400,
      'InvalidPart',
    );

    const expected = await compositeOf('CRC32C', parts);
    const done = await sediment.s3.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId, MultipartUpload: { Parts: uploaded } }));
    expect({ value: done.ChecksumCRC32C, type: done.ChecksumType }).toEqual({ value: expected, type: 'COMPOSITE' });
    const head = await sediment.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key, ChecksumMode: 'ENABLED' }));
    expect({ value: head.ChecksumCRC32C, type: head.ChecksumType, size: head.ContentLength }).toEqual({
      value: expected,
      type: 'COMPOSITE',
      size: parts[0]!.length + parts[1]!.length,
    });
    // The SDK skips validating a -<parts> checksum, as AWS's specification says; the bytes are whole.
    const get = await sediment.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key, ChecksumMode: 'ENABLED' }));
    expect(get.ChecksumCRC32C).toBe(expected);
    expect(Buffer.from(await get.Body!.transformToByteArray()).equals(Buffer.concat(parts))).toBe(true);
  }, 60_000);

  it('COMPOSITE SHA256: the whole-object checksum a Complete names is checked, with or without its -<parts> suffix', async () => {
    const key = 'multipart/composite-named.bin';
    const UploadId = (await create(key, 'SHA256')).UploadId!;
    const part = parts[1]!;
    const res = await bare.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: 1, Body: part, ChecksumSHA256: await checksumOf('SHA256', part) }));
    const completion = { Bucket: BUCKET, Key: key, UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: res.ETag!, ChecksumSHA256: res.ChecksumSHA256! }] } };
    const malformed = await expectSdkError(bare.send(new CompleteMultipartUploadCommand({ ...completion, ChecksumSHA256: 'bad' })), 400, 'InvalidRequest');
    expect(malformed.message).toBe('Value for x-amz-checksum-sha256 header is invalid.');
    const wrong = await expectSdkError(bare.send(new CompleteMultipartUploadCommand({ ...completion, ChecksumSHA256: await checksumOf('SHA256', part) })), 400, 'BadDigest');
    expect(wrong.message).toBe('The SHA256 you specified did not match the calculated checksum.');
    const expected = await compositeOf('SHA256', [part]);
    expect(expected).toMatch(/-1$/);
    const done = await bare.send(new CompleteMultipartUploadCommand({ ...completion, ChecksumSHA256: expected.replace(/-1$/, '') }));
    expect({ value: done.ChecksumSHA256, type: done.ChecksumType }).toEqual({ value: expected, type: 'COMPOSITE' });
    // Sent again (ADR 0020) with the suffix, as a client that kept it would.
    const again = await bare.send(new CompleteMultipartUploadCommand({ ...completion, ChecksumSHA256: expected }));
    expect(again.ChecksumSHA256).toBe(expected);
  }, 60_000);

  it('FULL_OBJECT CRC64NVME through lib-storage: the CRC of the whole object, combined from the parts', async () => {
    const key = 'multipart/full-object.bin';
    const whole = Buffer.concat(parts);
    const upload = new Upload({ client: sediment.s3, params: { Bucket: BUCKET, Key: key, Body: whole, ChecksumAlgorithm: 'CRC64NVME' }, partSize: 5 * MiB, queueSize: 1 });
    const done = await upload.done();
    const expected = await checksumOf('CRC64NVME', whole);
    expect({ value: done.ChecksumCRC64NVME, type: done.ChecksumType }).toEqual({ value: expected, type: 'FULL_OBJECT' });
    const head = await sediment.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key, ChecksumMode: 'ENABLED' }));
    expect({ value: head.ChecksumCRC64NVME, type: head.ChecksumType }).toEqual({ value: expected, type: 'FULL_OBJECT' });
    // A full-object checksum is of the bytes, so the SDK checks the body against it here.
    const get = await sediment.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key, ChecksumMode: 'ENABLED' }));
    expect(Buffer.from(await get.Body!.transformToByteArray()).equals(whole)).toBe(true);
  }, 60_000);

  it('FULL_OBJECT CRC32 with parts sent without checksum: Sediment computes them', async () => {
    const key = 'multipart/full-object-computed.bin';
    const UploadId = (await create(key, 'CRC32', 'FULL_OBJECT')).UploadId!;
    const etags = [];
    for (const [i, part] of parts.entries()) {
      const res = await bare.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: i + 1, Body: part }));
      expect(res.ChecksumCRC32).toBe(await checksumOf('CRC32', part));
      etags.push({ PartNumber: i + 1, ETag: res.ETag! });
    }
    const whole = await checksumOf('CRC32', Buffer.concat(parts));
    const completion = { Bucket: BUCKET, Key: key, UploadId, MultipartUpload: { Parts: etags } };
    // The request may name the whole object's checksum and type: they must be the upload's.
    const mode = await expectSdkError(bare.send(new CompleteMultipartUploadCommand({ ...completion, ChecksumType: 'COMPOSITE' })), 400, 'InvalidRequest');
    expect(mode.message).toBe('The upload was created using the FULL_OBJECT checksum mode. The complete request must use the same checksum mode.');
    const wrong = await checksumOf('CRC32', parts[0]!);
    const digest = await expectSdkError(bare.send(new CompleteMultipartUploadCommand({ ...completion, ChecksumType: 'FULL_OBJECT', ChecksumCRC32: wrong })), 400, 'BadDigest');
    expect(digest.message).toBe('The CRC32 you specified did not match the calculated checksum.');
    const done = await bare.send(new CompleteMultipartUploadCommand({ ...completion, ChecksumType: 'FULL_OBJECT', ChecksumCRC32: whole }));
    expect({ value: done.ChecksumCRC32, type: done.ChecksumType }).toEqual({ value: whole, type: 'FULL_OBJECT' });
  }, 60_000);

  it('refuses the combinations S3 refuses', async () => {
    const composite64 = await expectSdkError(create('multipart/refused', 'CRC64NVME', 'COMPOSITE'), 400, 'InvalidRequest');
    expect(composite64.message).toBe('The COMPOSITE checksum type cannot be used with the crc64nvme checksum algorithm.');
    const fullSha = await expectSdkError(create('multipart/refused', 'SHA256', 'FULL_OBJECT'), 400, 'InvalidRequest');
    expect(fullSha.message).toBe('The FULL_OBJECT checksum type cannot be used with the sha256 checksum algorithm.');
  });
});

describe('the Debian awscli', () => {
  function aws(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_PAGER: '',
      AWS_ACCESS_KEY_ID: ROOT_ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: ROOT_SECRET,
    };
    return new Promise((resolve, reject) => {
      execFile('/usr/bin/aws', [...args, '--endpoint-url', sediment.url, '--output', 'json'], { env, cwd: home, encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') return reject(new Error(`aws did not run: ${error.message}\n${stderr}`));
        resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
      });
    });
  }

  it('put-object --checksum-algorithm CRC32C, then head-object --checksum-mode ENABLED returns it', async () => {
    const body = Buffer.from(`from the awscli ${randomBytes(8).toString('hex')}\n`);
    const file = join(home, 'cli.txt');
    await writeFile(file, body);
    const expected = await checksumOf('CRC32C', body);
    const put = await aws('s3api', 'put-object', '--bucket', BUCKET, '--key', 'cli/crc32c.txt', '--body', file, '--checksum-algorithm', 'CRC32C');
    expect({ code: put.code, stderr: put.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(put.stdout).ChecksumCRC32C).toBe(expected);
    const head = await aws('s3api', 'head-object', '--bucket', BUCKET, '--key', 'cli/crc32c.txt', '--checksum-mode', 'ENABLED');
    expect(head.code).toBe(0);
    expect(JSON.parse(head.stdout)).toMatchObject({ ChecksumCRC32C: expected, ContentLength: body.length });
  });
});
