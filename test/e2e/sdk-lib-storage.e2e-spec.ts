// @aws-sdk/lib-storage's Upload against the service (issue #5): what most Node applications use
// for large objects. A ~23 MiB stream of unknown length goes up as 5 MiB parts, 4 in flight; an
// Upload aborted through its AbortController leaves no upload behind; a body under one part is
// sent as a single PutObject.
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { sdkError } from '../support/s3-api-assertions.js';
import { startSediment, type SedimentUnderTest } from '../support/sediment-under-test.js';

const MiB = 1024 * 1024;
const PART_SIZE = 5 * MiB;
const BUCKET = 'lib-storage';

let sediment: SedimentUnderTest;

const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest();
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** S3's multipart ETag: the MD5 of the concatenated part MD5s, then -<number of parts>. */
function multipartEtag(whole: Buffer, partSize: number): string {
  const partDigests: Buffer[] = [];
  for (let at = 0; at < whole.length; at += partSize) partDigests.push(md5(whole.subarray(at, at + partSize)));
  return `"${createHash('md5').update(Buffer.concat(partDigests)).digest('hex')}-${partDigests.length}"`;
}

/** The bytes in uneven chunks (not multiples of the part size), as a stream of unknown length. */
function streamOf(whole: Buffer, chunk = MiB + 17): Readable {
  return Readable.from(
    (function* () {
      for (let at = 0; at < whole.length; at += chunk) yield whole.subarray(at, at + chunk);
    })(),
  );
}

async function uploadsOf(key: string) {
  return (await sediment.s3.send(new ListMultipartUploadsCommand({ Bucket: BUCKET, Prefix: key }))).Uploads ?? [];
}

beforeAll(async () => {
  sediment = await startSediment();
  await sediment.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
}, 60_000);

afterAll(async () => {
  sediment?.s3.destroy();
  await sediment?.stop();
}, 60_000);

describe('Upload from @aws-sdk/lib-storage', () => {
  it('streams ~23 MiB as 5 MiB parts, 4 at a time; the ETag is the MD5 of the part MD5s', async () => {
    const whole = randomBytes(23 * MiB + 4321);
    const key = 'streamed/23MiB.bin';
    const partsSeen = new Set<number>();
    const upload = new Upload({
      client: sediment.s3,
      params: { Bucket: BUCKET, Key: key, Body: streamOf(whole), ContentType: 'application/x-test' },
      partSize: PART_SIZE,
      queueSize: 4,
    });
    upload.on('httpUploadProgress', (progress) => {
      if (progress.part !== undefined) partsSeen.add(progress.part);
    });
    const result = await upload.done();

    const expectedEtag = multipartEtag(whole, PART_SIZE);
    expect(expectedEtag.endsWith('-5"')).toBe(true);
    expect({ etag: result.ETag, key: result.Key, bucket: result.Bucket }).toEqual({ etag: expectedEtag, key, bucket: BUCKET });
    expect([...partsSeen].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]);
    const got = await sediment.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    expect({ etag: got.ETag, length: got.ContentLength, type: got.ContentType }).toEqual({
      etag: expectedEtag,
      length: whole.length,
      type: 'application/x-test',
    });
    expect(sha256(await got.Body!.transformToByteArray())).toBe(sha256(whole));
    expect(await uploadsOf(key)).toEqual([]);
  }, 120_000);

  it('leaves no upload in ListMultipartUploads, and no object, when aborted through its AbortController', async () => {
    const key = 'aborted/never.bin';
    const abortController = new AbortController();
    // A part and a bit (Upload cuts a part once it holds more than partSize), then the stream
    // waits for the abort before it ends: the upload is certainly under way when it is aborted.
    const body = Readable.from(
      (async function* () {
        yield randomBytes(PART_SIZE);
        yield randomBytes(MiB);
        await new Promise((resolve) => abortController.signal.addEventListener('abort', resolve, { once: true }));
        yield randomBytes(MiB);
      })(),
    );
    const upload = new Upload({ client: sediment.s3, params: { Bucket: BUCKET, Key: key, Body: body }, partSize: PART_SIZE, queueSize: 4, abortController });
    const partSent = new Promise<void>((resolve, reject) => {
      upload.on('httpUploadProgress', (progress) => {
        if (progress.part === 1) resolve();
      });
      setTimeout(() => reject(new Error('part 1 was never sent')), 30_000).unref();
    });
    const done = upload.done();
    done.catch(() => undefined); // judged below
    await partSent;
    // The control: before the abort the upload is listed (else "none listed" below proves nothing).
    expect((await uploadsOf(key)).map((u) => u.Key)).toEqual([key]);

    abortController.abort();
    await expect(done).rejects.toMatchObject({ name: 'AbortError' });
    // Upload sends AbortMultipartUpload once its in-flight requests settle, after done() rejected.
    const deadline = Date.now() + 15_000;
    while ((await uploadsOf(key)).length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await uploadsOf(key)).toEqual([]);
    // HEAD errors carry no body: the status is what tells.
    const head = await sdkError(sediment.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key })));
    expect(head.$metadata.httpStatusCode).toBe(404);
  }, 120_000);

  it('sends a body under one part as a single PutObject (a plain MD5 ETag, no upload)', async () => {
    const small = randomBytes(3 * MiB + 5);
    const key = 'small/under-a-part.bin';
    const result = await new Upload({ client: sediment.s3, params: { Bucket: BUCKET, Key: key, Body: streamOf(small) }, partSize: PART_SIZE, queueSize: 4 }).done();
    const plainMd5 = `"${md5(small).toString('hex')}"`;
    expect(result.ETag).toBe(plainMd5);
    const head = await sediment.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    expect({ etag: head.ETag, length: head.ContentLength }).toEqual({ etag: plainMd5, length: small.length });
    expect(await uploadsOf(key)).toEqual([]);
  }, 60_000);
});
