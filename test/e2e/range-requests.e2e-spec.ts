import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3ServiceException } from '@aws-sdk/client-s3';
import { startSediment, type SedimentUnderTest } from '../support/sediment-under-test.js';

/**
 * Ranged GETs. The AWS CLI and boto3 download objects above 8 MiB as parallel ranged GETs and
 * write each part at its offset: a server that ignored Range would corrupt every such download.
 */
describe('Range requests', () => {
  let sediment: SedimentUnderTest;
  const bucket = 'ranges';
  const body = randomBytes(3 * 1024 * 1024 + 17);

  beforeAll(async () => {
    sediment = await startSediment();
    await sediment.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await sediment.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'blob.bin', Body: body }));
    await sediment.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'empty', Body: Buffer.alloc(0) }));
  });

  afterAll(async () => {
    sediment.s3.destroy();
    await sediment.stop();
  });

  const get = async (Range: string, Key = 'blob.bin') => {
    const res = await sediment.s3.send(new GetObjectCommand({ Bucket: bucket, Key, Range }));
    return { res, bytes: Buffer.from(await res.Body!.transformToByteArray()) };
  };

  it.each([
    ['bytes=0-9', 0, 9],
    ['bytes=1048576-2097151', 1048576, 2097151],
    ['bytes=3145700-', 3145700, body.length - 1],
    ['bytes=-100', body.length - 100, body.length - 1],
    ['bytes=3145000-99999999', 3145000, body.length - 1],
  ])('GET %s is 206 with exactly those bytes', async (range, start, end) => {
    const { res, bytes } = await get(range);
    expect(res.$metadata.httpStatusCode).toBe(206);
    expect(res.ContentRange).toBe(`bytes ${start}-${end}/${body.length}`);
    expect(res.ContentLength).toBe(end - start + 1);
    expect(bytes.equals(body.subarray(start, end + 1))).toBe(true);
  });

  it('reassembles a download made of parallel 1 MiB ranges, as the CLI does', async () => {
    const part = 1024 * 1024;
    const ranges = Array.from({ length: Math.ceil(body.length / part) }, (_, i) => [i * part, Math.min(body.length, (i + 1) * part) - 1]);
    const parts = await Promise.all(ranges.map(([s, e]) => get(`bytes=${s}-${e}`)));
    expect(Buffer.concat(parts.map((p) => p.bytes)).equals(body)).toBe(true);
  });

  it('sends the whole object for a Range it does not understand', async () => {
    const { res, bytes } = await get('bytes=0-9,20-29');
    expect(res.$metadata.httpStatusCode).toBe(200);
    expect(bytes.equals(body)).toBe(true);
  });

  it.each([
    [`bytes=${3 * 1024 * 1024 + 17}-`, 'blob.bin'],
    ['bytes=0-0', 'empty'],
  ])('refuses %s of %s with 416 InvalidRange', async (range, key) => {
    const failure = await sediment.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: range })).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(S3ServiceException);
    expect((failure as S3ServiceException).name).toBe('InvalidRange');
    expect((failure as S3ServiceException).$metadata.httpStatusCode).toBe(416);
  });

  it('answers HEAD with a Range like GET, without a body', async () => {
    const res = await sediment.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'blob.bin', Range: 'bytes=10-19' }));
    expect(res.$metadata.httpStatusCode).toBe(206);
    expect(res.ContentLength).toBe(10);
    expect(res.ContentRange).toBe(`bytes 10-19/${body.length}`);
  });
});
