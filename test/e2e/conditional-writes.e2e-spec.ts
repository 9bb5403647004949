import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  ListMultipartUploadsCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { readTopic } from '../support/kafka-topic-reader.js';
import { s3Client, startSediment, type SedimentUnderTest } from '../support/sediment-under-test.js';

const codeOf = (error: unknown) => (error instanceof S3ServiceException ? `${error.$metadata.httpStatusCode} ${error.name}` : String(error));

/** Conditional writes are decided against authoritative state, so they hold under races. */
describe('conditional writes', () => {
  let sediment: SedimentUnderTest;
  const bucket = 'conditional';

  beforeAll(async () => {
    sediment = await startSediment();
    await sediment.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });

  afterAll(async () => {
    sediment.s3.destroy();
    await sediment.stop();
  });

  it('lets exactly one of 50 concurrent If-None-Match: * PUTs to one key succeed', async () => {
    const clients: S3Client[] = Array.from({ length: 50 }, () => s3Client(sediment.url));
    const outcomes = await Promise.all(
      clients.map((client, i) =>
        client
          .send(new PutObjectCommand({ Bucket: bucket, Key: 'once', Body: `writer ${i}`, IfNoneMatch: '*' }))
          .then(() => '200')
          .catch(codeOf),
      ),
    );
    clients.forEach((c) => c.destroy());
    expect(outcomes.filter((o) => o === '200')).toHaveLength(1);
    expect(outcomes.filter((o) => o === '412 PreconditionFailed')).toHaveLength(49);

    const winner = outcomes.indexOf('200');
    const body = await (await sediment.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'once' }))).Body!.transformToString();
    expect(body).toBe(`writer ${winner}`);
    const stored = (await readTopic(sediment.config.SEDIMENT_BUCKET_TOPIC))
      .map((r) => r.value as { type: string; data: { key?: string } })
      .filter((event) => event.type === 'ObjectStored' && event.data.key === 'once');
    expect(stored).toHaveLength(1);
  });

  it('replaces an object only while its ETag still matches If-Match', async () => {
    const first = await sediment.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'doc', Body: 'v1' }));
    const second = await sediment.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'doc', Body: 'v2', IfMatch: first.ETag }));
    expect(second.$metadata.httpStatusCode).toBe(200);
    const stale = await sediment.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'doc', Body: 'v3', IfMatch: first.ETag })).catch(codeOf);
    expect(stale).toBe('412 PreconditionFailed');
    const body = await (await sediment.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'doc' }))).Body!.transformToString();
    expect(body).toBe('v2');
  });

  it('refuses a PUT whose If-None-Match names the current ETag, and stores one that names another', async () => {
    const first = await sediment.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'unless', Body: 'v1' }));
    const refused = await sediment.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'unless', Body: 'v2', IfNoneMatch: first.ETag })).catch(codeOf);
    expect(refused).toBe('412 PreconditionFailed');
    const other = await sediment.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'unless', Body: 'v3', IfNoneMatch: '"00000000000000000000000000000000"' }));
    expect(other.$metadata.httpStatusCode).toBe(200);
    const body = await (await sediment.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'unless' }))).Body!.transformToString();
    expect(body).toBe('v3');
  });

  it('answers If-Match on a missing key with 404 NoSuchKey and stores nothing', async () => {
    const outcome = await sediment.s3
      .send(new PutObjectCommand({ Bucket: bucket, Key: 'missing', Body: 'x', IfMatch: '"5d41402abc4b2a76b9719d911017c592"' }))
      .catch(codeOf);
    expect(outcome).toBe('404 NoSuchKey');
    const get = await sediment.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'missing' })).catch(codeOf);
    expect(get).toBe('404 NoSuchKey');
  });

  it('completes a multipart upload only while its If-None-Match / If-Match still hold', async () => {
    const s3 = sediment.s3;
    const upload = async (key: string, body: string) => {
      const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
      const { ETag } = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: 1, Body: body }));
      return { UploadId: UploadId!, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: ETag! }] } };
    };
    const read = async (key: string) => (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();

    // Two uploads race for a new key: the first to complete creates it, the other is refused.
    const first = await upload('mpu-once', 'first');
    const second = await upload('mpu-once', 'second');
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'mpu-once', IfNoneMatch: '*', ...first }));
    const refused = await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'mpu-once', IfNoneMatch: '*', ...second })).catch(codeOf);
    expect(refused).toBe('412 PreconditionFailed');
    expect(await read('mpu-once')).toBe('first');
    // The refused upload is still there to complete (or abort) another way.
    const open = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: 'mpu-once' }));
    expect(open.Uploads?.map((u) => u.UploadId)).toEqual([second.UploadId]);

    // If-Match: only over the ETag the key still has.
    const current = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'mpu-doc', Body: 'v1' }));
    const stale = await upload('mpu-doc', 'stale');
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'mpu-doc', Body: 'v2' }));
    expect(await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'mpu-doc', IfMatch: current.ETag, ...stale })).catch(codeOf)).toBe(
      '412 PreconditionFailed',
    );
    expect(await read('mpu-doc')).toBe('v2');
  });
});
