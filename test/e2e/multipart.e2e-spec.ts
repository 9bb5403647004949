// Multipart upload (issue #5 §1): the SDK's multipart commands one by one (what
// @aws-sdk/lib-storage's Upload sends), the Debian awscli copying a 20 MiB file up and back (it
// switches to multipart above 8 MiB), ranged reads across part boundaries, every error rule, and
// the object rebuilt from the log alone.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  ListPartsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { MongoClient } from 'mongodb';
import { digestReadModel } from '../../src/replay/read-model.digest.js';
import { awsCli } from '../support/aws-cli.js';
import { rawS3Request, ROOT_CREDENTIALS, xmlText } from '../support/raw-s3-request.js';
import { expectRawError, expectSdkError, sdkError } from '../support/s3-api-assertions.js';
import { MONGO_URL, startSediment, type SedimentUnderTest } from '../support/sediment-under-test.js';
import { readModelDocument } from '../support/read-model-documents.js';

const MiB = 1024 * 1024;
const BUCKET = 'multipart';
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest();

let sediment: SedimentUnderTest;
let blobDir: string;
let home: string;

/** The parts of a 3-part upload: 5 MiB, 5 MiB, then a short last part. */
const parts = [randomBytes(5 * MiB), randomBytes(5 * MiB), randomBytes(123_457)];
const whole = Buffer.concat(parts);
const expectedEtag = `"${createHash('md5').update(Buffer.concat(parts.map(md5))).digest('hex')}-3"`;

async function create(key: string): Promise<string> {
  const res = await sediment.s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key, ContentType: 'video/mp4', Metadata: { take: '2' } }));
  return res.UploadId!;
}

async function uploadPart(key: string, uploadId: string, partNumber: number, body: Buffer): Promise<string> {
  const res = await sediment.s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId, PartNumber: partNumber, Body: body }));
  return res.ETag!;
}

function complete(key: string, uploadId: string, list: { PartNumber: number; ETag: string }[]) {
  return sediment.s3.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId, MultipartUpload: { Parts: list } }));
}

async function getBytes(key: string, range?: string) {
  const res = await sediment.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key, ...(range ? { Range: range } : {}) }));
  return { res, bytes: Buffer.from(await res.Body!.transformToByteArray()) };
}

async function startOn(overrides: Record<string, string>): Promise<SedimentUnderTest> {
  return startSediment({ SEDIMENT_BLOB_DIR: blobDir, ...overrides });
}

beforeAll(async () => {
  blobDir = await mkdtemp(join(tmpdir(), 'sediment-multipart-blobs-'));
  home = await mkdtemp(join(tmpdir(), 'sediment-multipart-home-'));
  sediment = await startOn({});
  await sediment.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
}, 60_000);

afterAll(async () => {
  sediment.s3.destroy();
  await sediment.stop();
  await rm(blobDir, { recursive: true, force: true });
  await rm(home, { recursive: true, force: true });
}, 60_000);

describe('multipart upload with the SDK commands', () => {
  const key = 'movies/take 2.m2ts';
  let etags: string[];
  let uploadId: string;

  beforeAll(async () => {
    uploadId = await create(key);
    // Out of order and with a part re-uploaded, as parallel uploaders with retries do.
    await uploadPart(key, uploadId, 3, randomBytes(10));
    etags = [];
    etags[2] = await uploadPart(key, uploadId, 3, parts[2]!);
    etags[1] = await uploadPart(key, uploadId, 2, parts[1]!);
    etags[0] = await uploadPart(key, uploadId, 1, parts[0]!);
  }, 60_000);

  it('answers UploadPart with the quoted MD5 of the part', () => {
    expect(etags).toEqual(parts.map((p) => `"${md5(p).toString('hex')}"`));
  });

  it('lists the parts uploaded so far, the re-uploaded part replaced', async () => {
    const res = await sediment.s3.send(new ListPartsCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId }));
    expect(res.Parts!.map((p) => [p.PartNumber, p.ETag, p.Size])).toEqual(parts.map((p, i) => [i + 1, etags[i], p.length]));
    expect(res.IsTruncated).toBe(false);
    const page = await sediment.s3.send(new ListPartsCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId, MaxParts: 2 }));
    expect(page.Parts!.map((p) => p.PartNumber)).toEqual([1, 2]);
    expect(page.IsTruncated).toBe(true);
    expect(page.NextPartNumberMarker).toBe('2');
  });

  it('completes into one object whose ETag is the MD5 of the part MD5s, then -3', async () => {
    const res = await complete(key, uploadId, etags.map((ETag, i) => ({ PartNumber: i + 1, ETag })));
    expect(res.ETag).toBe(expectedEtag);
    expect(res.Key).toBe(key);
    const head = await sediment.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    expect({ size: head.ContentLength, etag: head.ETag, type: head.ContentType, meta: head.Metadata }).toEqual({
      size: whole.length,
      etag: expectedEtag,
      type: 'video/mp4',
      meta: { take: '2' },
    });
    const { bytes } = await getBytes(key);
    expect(sha256(bytes)).toBe(sha256(whole));
  }, 30_000);

  it.each([
    ['inside the first part', 10, 99],
    ['across the first part boundary', 5 * MiB - 10, 5 * MiB + 9],
    ['across both boundaries', 5 * MiB - 1, 10 * MiB],
    ['the suffix in the last part', whole.length - 100, whole.length - 1],
  ])('serves a Range %s', async (_name, start, end) => {
    const { res, bytes } = await getBytes(key, `bytes=${start}-${end}`);
    expect(res.$metadata.httpStatusCode).toBe(206);
    expect(res.ContentRange).toBe(`bytes ${start}-${end}/${whole.length}`);
    expect(sha256(bytes)).toBe(sha256(whole.subarray(start, end + 1)));
  });

  it('forgets the upload once completed: NoSuchUpload for every use of its id', async () => {
    await expectSdkError(sediment.s3.send(new ListPartsCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId })), 404, 'NoSuchUpload');
    await expectSdkError(uploadPart(key, uploadId, 4, Buffer.from('late')), 404, 'NoSuchUpload');
    await expectSdkError(complete(key, uploadId, [{ PartNumber: 1, ETag: etags[0]! }]), 404, 'NoSuchUpload');
    await expectSdkError(sediment.s3.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId })), 404, 'NoSuchUpload');
  });
});

describe('CompleteMultipartUpload sent again (SDKs and rclone retry it after a timeout)', () => {
  const RETRIES = 'multipart-retries';
  const completeIn = (Bucket: string, Key: string, UploadId: string, Parts: { PartNumber: number; ETag: string }[]) =>
    new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts } });
  const answer = (res: { Location?: string; Bucket?: string; Key?: string; ETag?: string; VersionId?: string }) => ({
    location: res.Location, bucket: res.Bucket, key: res.Key, etag: res.ETag, versionId: res.VersionId,
  });
  /** A two-part upload of `key` in `bucket`, ready to complete. */
  async function uploaded(bucket: string, key: string) {
    const { UploadId } = await sediment.s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
    const list = [];
    for (const [i, body] of [parts[0]!, parts[2]!].entries()) {
      const { ETag } = await sediment.s3.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: i + 1, Body: body }));
      list.push({ PartNumber: i + 1, ETag: ETag! });
    }
    return { uploadId: UploadId!, list };
  }
  const objectDoc = (bucket: string, key: string) => readModelDocument(sediment.db, 'objects', `${bucket}/${key}`);

  beforeAll(async () => {
    await sediment.s3.send(new CreateBucketCommand({ Bucket: RETRIES }));
    await sediment.s3.send(new PutBucketVersioningCommand({ Bucket: RETRIES, VersioningConfiguration: { Status: 'Enabled' } }));
  });

  it('answers the same request sent twice with the same result, writing nothing the second time', async () => {
    const { uploadId, list } = await uploaded(BUCKET, 'retried.bin');
    const command = completeIn(BUCKET, 'retried.bin', uploadId, list);
    const first = await sediment.s3.send(command);
    const written = await objectDoc(BUCKET, 'retried.bin');
    const again = await sediment.s3.send(command);
    expect(again.$metadata.httpStatusCode).toBe(200);
    expect(answer(again)).toEqual(answer(first));
    expect(first.ETag).toBe(`"${createHash('md5').update(Buffer.concat([md5(parts[0]!), md5(parts[2]!)])).digest('hex')}-2"`);
    expect(first.VersionId).toBeUndefined();
    expect(await objectDoc(BUCKET, 'retried.bin')).toEqual(written);
  }, 60_000);

  it('answers with the same x-amz-version-id in a versioned bucket, creating no second version', async () => {
    const { uploadId, list } = await uploaded(RETRIES, 'versioned.bin');
    const first = await sediment.s3.send(completeIn(RETRIES, 'versioned.bin', uploadId, list));
    const again = await sediment.s3.send(completeIn(RETRIES, 'versioned.bin', uploadId, list));
    expect(first.VersionId).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(answer(again)).toEqual(answer(first));
    const versions = await sediment.s3.send(new ListObjectVersionsCommand({ Bucket: RETRIES, Prefix: 'versioned.bin' }));
    expect((versions.Versions ?? []).map((v) => v.VersionId)).toEqual([first.VersionId]);
  }, 60_000);

  it('still answers with the completed upload after the key was overwritten, then deleted', async () => {
    const { uploadId, list } = await uploaded(BUCKET, 'overwritten.bin');
    const first = await sediment.s3.send(completeIn(BUCKET, 'overwritten.bin', uploadId, list));
    await sediment.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'overwritten.bin', Body: 'newer' }));
    expect(answer(await sediment.s3.send(completeIn(BUCKET, 'overwritten.bin', uploadId, list)))).toEqual(answer(first));
    await sediment.s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'overwritten.bin' }));
    expect(answer(await sediment.s3.send(completeIn(BUCKET, 'overwritten.bin', uploadId, list)))).toEqual(answer(first));
    // Answering is all a retry does: the key stays deleted.
    await expectSdkError(sediment.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'overwritten.bin' })), 404, 'NoSuchKey');
  }, 60_000);

  it('refuses another part list for a completed upload with NoSuchUpload', async () => {
    const { uploadId, list } = await uploaded(BUCKET, 'other-list.bin');
    await sediment.s3.send(completeIn(BUCKET, 'other-list.bin', uploadId, list));
    await expectSdkError(sediment.s3.send(completeIn(BUCKET, 'other-list.bin', uploadId, [list[0]!])), 404, 'NoSuchUpload');
    await expectSdkError(sediment.s3.send(completeIn(BUCKET, 'other-list.bin', uploadId, [list[0]!, { PartNumber: 3, ETag: list[1]!.ETag }])), 404, 'NoSuchUpload');
    await expectSdkError(sediment.s3.send(completeIn(BUCKET, 'elsewhere.bin', uploadId, list)), 404, 'NoSuchUpload');
  }, 60_000);
});

describe('multipart rules', () => {
  it('aborts an upload; its id is then NoSuchUpload and no object appears', async () => {
    const key = 'aborted.bin';
    const uploadId = await create(key);
    await uploadPart(key, uploadId, 1, randomBytes(1000));
    const res = await sediment.s3.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId }));
    expect(res.$metadata.httpStatusCode).toBe(204);
    await expectSdkError(sediment.s3.send(new ListPartsCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId })), 404, 'NoSuchUpload');
    await expectSdkError(uploadPart(key, uploadId, 2, Buffer.from('x')), 404, 'NoSuchUpload');
    // HEAD has no error body: only the status tells.
    expect((await sdkError(sediment.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key })))).$metadata.httpStatusCode).toBe(404);
  });

  it('refuses an unknown upload id, or one of another key, with NoSuchUpload', async () => {
    await expectSdkError(uploadPart('k', '00000000-0000-4000-8000-000000000000', 1, Buffer.from('x')), 404, 'NoSuchUpload');
    const uploadId = await create('mine');
    await expectSdkError(uploadPart('theirs', uploadId, 1, Buffer.from('x')), 404, 'NoSuchUpload');
    await expectSdkError(sediment.s3.send(new ListPartsCommand({ Bucket: BUCKET, Key: 'mine', UploadId: 'not-a-uuid' })), 404, 'NoSuchUpload');
  });

  it.each([0, 10_001])('refuses part number %i with InvalidArgument', async (partNumber) => {
    const uploadId = await create('numbers');
    await expectSdkError(uploadPart('numbers', uploadId, partNumber, Buffer.from('x')), 400, 'InvalidArgument');
  });

  describe('on CompleteMultipartUpload', () => {
    const key = 'rules.bin';
    let uploadId: string;
    let small: string[];

    beforeAll(async () => {
      uploadId = await create(key);
      small = [await uploadPart(key, uploadId, 1, randomBytes(1000)), await uploadPart(key, uploadId, 2, randomBytes(1000))];
    }, 30_000);

    it('refuses a part under 5 MiB that is not the last with EntityTooSmall', async () => {
      await expectSdkError(complete(key, uploadId, small.map((ETag, i) => ({ PartNumber: i + 1, ETag }))), 400, 'EntityTooSmall');
    });

    it('refuses a part never uploaded with InvalidPart', async () => {
      await expectSdkError(complete(key, uploadId, [{ PartNumber: 7, ETag: small[0]! }]), 400, 'InvalidPart');
    });

    it('refuses a wrong ETag with InvalidPart', async () => {
      await expectSdkError(complete(key, uploadId, [{ PartNumber: 1, ETag: small[1]! }]), 400, 'InvalidPart');
    });

    it('refuses parts out of order with InvalidPartOrder', async () => {
      await expectSdkError(
        complete(key, uploadId, [
          { PartNumber: 2, ETag: small[1]! },
          { PartNumber: 1, ETag: small[0]! },
        ]),
        400,
        'InvalidPartOrder',
      );
    });

    it('still completes with a single small part after the refusals', async () => {
      const res = await complete(key, uploadId, [{ PartNumber: 2, ETag: small[1]! }]);
      expect(res.ETag).toMatch(/^"[0-9a-f]{32}-1"$/);
      const head = await sediment.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
      expect(head.ContentLength).toBe(1000);
    });
  });
});

describe('ListMultipartUploads', () => {
  it('lists the uploads in progress by key, with a prefix and pages', async () => {
    const other = await startOn({});
    try {
      await other.s3.send(new CreateBucketCommand({ Bucket: 'listing' }));
      const start = async (Key: string) => (await other.s3.send(new CreateMultipartUploadCommand({ Bucket: 'listing', Key }))).UploadId!;
      const b1 = await start('b');
      const a = await start('a');
      const b2 = await start('b');
      const done = await start('c');
      await other.s3.send(new AbortMultipartUploadCommand({ Bucket: 'listing', Key: 'c', UploadId: done }));
      const all = await other.s3.send(new ListMultipartUploadsCommand({ Bucket: 'listing' }));
      expect(all.Uploads!.map((u) => [u.Key, u.UploadId])).toEqual([['a', a], ['b', b1], ['b', b2]]);
      expect(all.IsTruncated).toBe(false);
      const prefixed = await other.s3.send(new ListMultipartUploadsCommand({ Bucket: 'listing', Prefix: 'b' }));
      expect(prefixed.Uploads!.map((u) => u.UploadId)).toEqual([b1, b2]);
      const first = await other.s3.send(new ListMultipartUploadsCommand({ Bucket: 'listing', MaxUploads: 2 }));
      expect({ ids: first.Uploads!.map((u) => u.UploadId), truncated: first.IsTruncated, key: first.NextKeyMarker, id: first.NextUploadIdMarker }).toEqual({
        ids: [a, b1],
        truncated: true,
        key: 'b',
        id: b1,
      });
      const second = await other.s3.send(
        new ListMultipartUploadsCommand({ Bucket: 'listing', MaxUploads: 2, KeyMarker: first.NextKeyMarker, UploadIdMarker: first.NextUploadIdMarker }),
      );
      expect(second.Uploads!.map((u) => u.UploadId)).toEqual([b2]);
      await expectSdkError(other.s3.send(new ListMultipartUploadsCommand({ Bucket: 'nope' })), 404, 'NoSuchBucket');
    } finally {
      other.s3.destroy();
      await other.stop();
    }
  }, 60_000);
});

describe('ListMultipartUploads grouping, paging and encoding', () => {
  const bucket = 'grouping';
  const keys = ['a.txt', 'photos/2026/one.jpg', 'photos/two.jpg', 'photos/two.jpg', 'videos/x y.mp4', 'z\u00e9+.bin'];
  const ids: string[] = [];

  beforeAll(async () => {
    await sediment.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    for (const Key of keys) ids.push((await sediment.s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key }))).UploadId!);
  }, 60_000);

  const list = (input: Omit<ConstructorParameters<typeof ListMultipartUploadsCommand>[0], 'Bucket'>) =>
    sediment.s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, ...input }));

  it('groups keys by delimiter into CommonPrefixes, within a prefix too', async () => {
    const top = await list({ Delimiter: '/' });
    expect({ keys: top.Uploads!.map((u) => u.Key), prefixes: top.CommonPrefixes!.map((p) => p.Prefix), delimiter: top.Delimiter, truncated: top.IsTruncated }).toEqual({
      keys: ['a.txt', 'z\u00e9+.bin'],
      prefixes: ['photos/', 'videos/'],
      delimiter: '/',
      truncated: false,
    });
    const photos = await list({ Delimiter: '/', Prefix: 'photos/' });
    expect({ ids: photos.Uploads!.map((u) => u.UploadId), prefixes: photos.CommonPrefixes!.map((p) => p.Prefix), prefix: photos.Prefix }).toEqual({
      ids: [ids[2], ids[3]],
      prefixes: ['photos/2026/'],
      prefix: 'photos/',
    });
  });

  it('pages one entry at a time through uploads and common prefixes, each exactly once', async () => {
    const seen: string[] = [];
    let markers: { KeyMarker?: string; UploadIdMarker?: string } = {};
    for (let page = 0; page < 10; page++) {
      const res = await list({ Delimiter: '/', MaxUploads: 1, ...markers });
      expect(res.MaxUploads).toBe(1);
      seen.push(...(res.Uploads ?? []).map((u) => `${u.Key} ${u.UploadId}`), ...(res.CommonPrefixes ?? []).map((p) => p.Prefix!));
      if (!res.IsTruncated) break;
      markers = { KeyMarker: res.NextKeyMarker, UploadIdMarker: res.NextUploadIdMarker || undefined };
    }
    expect(seen).toEqual([`a.txt ${ids[0]}`, 'photos/', 'videos/', `z\u00e9+.bin ${ids[5]}`]);
  });

  it('resumes inside one key with upload-id-marker, and after it without', async () => {
    const within = await list({ Prefix: 'photos/two', KeyMarker: 'photos/two.jpg', UploadIdMarker: ids[2] });
    expect(within.Uploads!.map((u) => u.UploadId)).toEqual([ids[3]]);
    const after = await list({ KeyMarker: 'photos/two.jpg' });
    expect(after.Uploads!.map((u) => u.Key)).toEqual(['videos/x y.mp4', 'z\u00e9+.bin']);
    expect({ keyMarker: after.KeyMarker, next: after.NextKeyMarker, nextId: after.NextUploadIdMarker }).toEqual({
      keyMarker: 'photos/two.jpg',
      next: 'z\u00e9+.bin',
      nextId: ids[5],
    });
  });

  it('resumes after an upload-id-marker whose upload was aborted between two pages', async () => {
    const start = async () => (await sediment.s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'marked' }))).UploadId!;
    const [m1, m2, m3] = [await start(), await start(), await start()];
    // Time-ordered UUIDs: S3 documents the marker as "upload IDs lexicographically greater".
    expect([m1, m2, m3].every((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id))).toBe(true);
    const first = await list({ Prefix: 'marked', MaxUploads: 2 });
    expect({ ids: first.Uploads!.map((u) => u.UploadId), next: first.NextUploadIdMarker }).toEqual({ ids: [m1, m2], next: m2 });
    await sediment.s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: 'marked', UploadId: m2 }));
    const second = await list({ Prefix: 'marked', MaxUploads: 2, KeyMarker: first.NextKeyMarker, UploadIdMarker: first.NextUploadIdMarker });
    expect({ ids: second.Uploads!.map((u) => u.UploadId), truncated: second.IsTruncated }).toEqual({ ids: [m3], truncated: false });
    await sediment.s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: 'marked', UploadId: m1 }));
    await sediment.s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: 'marked', UploadId: m3 }));
  });

  it('URL-encodes keys, prefixes and markers with encoding-type=url', async () => {
    const res = await rawS3Request(sediment.url, {
      method: 'GET',
      path: `/${bucket}`,
      query: { uploads: '', 'encoding-type': 'url', delimiter: '/', 'key-marker': 'photos/', prefix: '' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toContain('<KeyMarker>photos/</KeyMarker>');
    expect(res.body).toContain('<CommonPrefixes><Prefix>videos/</Prefix></CommonPrefixes>');
    expect(res.body).toContain(`<Key>z%C3%A9%2B.bin</Key><UploadId>${ids[5]}</UploadId>`);
    expect(res.body).toContain('<NextKeyMarker>z%C3%A9%2B.bin</NextKeyMarker>');
    expect(res.body).toMatch(/<EncodingType>url<\/EncodingType><\/ListMultipartUploadsResult>$/);
    expect(res.body).not.toContain('<Key>a.txt</Key>');
  });

  it.each([
    ['max-uploads', '-1'],
    ['max-uploads', 'ten'],
    ['max-uploads', '2147483648'],
    ['encoding-type', 'base64'],
  ])('answers %s=%s with 400 InvalidArgument', async (name, value) => {
    const res = await rawS3Request(sediment.url, { method: 'GET', path: `/${bucket}`, query: { uploads: '', [name]: value } });
    expectRawError(res, 400, 'InvalidArgument');
  });

  it('caps max-uploads at 1000', async () => {
    expect((await list({ MaxUploads: 5000 })).MaxUploads).toBe(1000);
    const res = await rawS3Request(sediment.url, { method: 'GET', path: `/${bucket}`, query: { uploads: '' } });
    expect(xmlText(res.body, 'MaxUploads')).toBe('1000');
  });
});

describe('the Debian awscli', () => {
  const aws = (...args: string[]) => awsCli({ endpoint: sediment.url, home, credentials: ROOT_CREDENTIALS }, ...args);

  it('copies a 20 MiB file up (multipart) and back unchanged', async () => {
    const file = randomBytes(20 * MiB + 4321);
    await writeFile(join(home, 'up.bin'), file);
    const up = await aws('s3', 'cp', join(home, 'up.bin'), `s3://${BUCKET}/cli/big.bin`);
    expect({ code: up.code, stderr: up.stderr }).toEqual({ code: 0, stderr: '' });
    const head = await sediment.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'cli/big.bin' }));
    expect(head.ETag).toMatch(/^"[0-9a-f]{32}-\d+"$/);
    const down = await aws('s3', 'cp', `s3://${BUCKET}/cli/big.bin`, join(home, 'down.bin'));
    expect({ code: down.code, stderr: down.stderr }).toEqual({ code: 0, stderr: '' });
    expect(sha256(await readFile(join(home, 'down.bin')))).toBe(sha256(file));
  }, 180_000);
});

describe('replay', () => {
  it('rebuilds a multipart object and an upload in progress from the log alone', async () => {
    const key = 'replayed.bin';
    const uploadId = await create(key);
    const etags = [await uploadPart(key, uploadId, 1, parts[0]!), await uploadPart(key, uploadId, 2, parts[2]!)];
    await complete(key, uploadId, etags.map((ETag, i) => ({ PartNumber: i + 1, ETag })));
    const pending = await create('pending.bin');
    const pendingEtag = await uploadPart('pending.bin', pending, 1, Buffer.from('pending'));
    const expected = sha256(Buffer.concat([parts[0]!, parts[2]!]));

    const { MONGO_DATABASE, SEDIMENT_BUCKET_TOPIC, SEDIMENT_IDENTITY_TOPIC } = sediment.config;
    const before = await readModelDocument(sediment.db, 'objects', `${BUCKET}/${key}`);
    const digestBefore = await digestReadModel(sediment.db);
    sediment.s3.destroy();
    await sediment.stop({ keepData: true });
    const mongo = await new MongoClient(MONGO_URL).connect();
    await mongo.db(MONGO_DATABASE).dropDatabase();
    await mongo.close();
    sediment = await startOn({ MONGO_DATABASE, SEDIMENT_BUCKET_TOPIC, SEDIMENT_IDENTITY_TOPIC });

    const after = await readModelDocument(sediment.db, 'objects', `${BUCKET}/${key}`);
    expect(after).toEqual(before);
    // The completion is rebuilt too: the same Complete sent again is still answered, and still writes nothing.
    const retried = await complete(key, uploadId, etags.map((ETag, i) => ({ PartNumber: i + 1, ETag })));
    expect({ etag: retried.ETag, key: retried.Key, bucket: retried.Bucket }).toEqual({ etag: before!.etag, key, bucket: BUCKET });
    expect(await readModelDocument(sediment.db, 'objects', `${BUCKET}/${key}`)).toEqual(before);
    // The digest covers uploads in progress (pending.bin and the grouping tests' ones): the
    // rebuilt model must digest the same, or the blue/green switch would refuse it.
    expect(digestBefore.counts.uploads).toBeGreaterThan(0);
    expect(await digestReadModel(sediment.db)).toEqual(digestBefore);
    const { bytes } = await getBytes(key);
    expect(sha256(bytes)).toBe(expected);
    const listed = await sediment.s3.send(new ListPartsCommand({ Bucket: BUCKET, Key: 'pending.bin', UploadId: pending }));
    expect(listed.Parts!.map((p) => [p.PartNumber, p.ETag])).toEqual([[1, pendingEtag]]);
  }, 120_000);
});
