// CopyObject (issue #5 §2): the SDK's CopyObjectCommand within and across buckets, the metadata
// and tagging directives, the copy-source conditions, the copy onto itself, a multipart source,
// copy-source authorization, and the blob a copy shares outliving its source.
import { jest } from '@jest/globals';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutBucketNotificationConfigurationCommand,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { IAMClient } from '@aws-sdk/client-iam';
import { createUserWithKey, iamClient, policy } from '../support/iam-helpers.js';
import { objectKeyOf, waitForKeys } from '../support/notification-records.js';
import { objectPath, rawS3Request, xmlText } from '../support/raw-s3-request.js';
import { expectRawError, expectSdkError } from '../support/s3-api-assertions.js';
import { deleteTopic, s3Client, startSediment, type SedimentUnderTest } from '../support/sediment-under-test.js';
import { readModelDocument } from '../support/read-model-documents.js';

jest.setTimeout(60_000);

const MiB = 1024 * 1024;
const SRC = 'copy-src';
const DST = 'copy-dst';

let sediment: SedimentUnderTest;
let s3: S3Client;

const bytesOf = async (bucket: string, key: string, partNumber?: number) => {
  const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...(partNumber ? { PartNumber: partNumber } : {}) }));
  return { res, bytes: Buffer.from(await res.Body!.transformToByteArray()) };
};
const objectIdOf = async (bucket: string, key: string) =>
  (await sediment.db.collection<{ _id: string; objectId: string }>('objects').findOne({ _id: `${bucket}/${key}` }))?.objectId;
const copy = (input: Omit<ConstructorParameters<typeof CopyObjectCommand>[0], 'Bucket'> & { Bucket?: string }, client = s3) =>
  client.send(new CopyObjectCommand({ Bucket: DST, ...input }));

beforeAll(async () => {
  sediment = await startSediment();
  s3 = sediment.s3;
  await s3.send(new CreateBucketCommand({ Bucket: SRC }));
  await s3.send(new CreateBucketCommand({ Bucket: DST }));
  await s3.send(
    new PutObjectCommand({ Bucket: SRC, Key: 'photo.jpg', Body: 'jpeg bytes', ContentType: 'image/jpeg', Metadata: { camera: 'x100' } }),
  );
}, 60_000);

afterAll(async () => {
  sediment.s3.destroy();
  await sediment.stop();
}, 30_000);

describe('CopyObject', () => {
  it('copies across buckets without new bytes: same ETag, content type and metadata (COPY), same blob', async () => {
    const res = await copy({ Key: 'copied.jpg', CopySource: `${SRC}/photo.jpg` });
    const head = await s3.send(new HeadObjectCommand({ Bucket: SRC, Key: 'photo.jpg' }));
    expect(res.$metadata.httpStatusCode).toBe(200);
    expect(res.CopyObjectResult?.ETag).toBe(head.ETag);
    expect(res.CopyObjectResult?.LastModified).toBeInstanceOf(Date);
    const { res: got, bytes } = await bytesOf(DST, 'copied.jpg');
    expect(bytes.toString()).toBe('jpeg bytes');
    expect({ type: got.ContentType, meta: got.Metadata, etag: got.ETag }).toEqual({ type: 'image/jpeg', meta: { camera: 'x100' }, etag: head.ETag });
    expect(await objectIdOf(DST, 'copied.jpg')).toBe(await objectIdOf(SRC, 'photo.jpg'));
  });

  it('copies within a bucket, from a URL-encoded source with a leading slash', async () => {
    await s3.send(new PutObjectCommand({ Bucket: SRC, Key: 'dir/a b+é.txt', Body: 'encoded' }));
    await copy({ Bucket: SRC, Key: 'dir/copy.txt', CopySource: `/${SRC}/${encodeURIComponent('dir/a b+é.txt')}` });
    expect((await bytesOf(SRC, 'dir/copy.txt')).bytes.toString()).toBe('encoded');
  });

  it('keeps the checksum the source was stored with (the bytes are the same)', async () => {
    const put = await s3.send(new PutObjectCommand({ Bucket: SRC, Key: 'summed.txt', Body: 'checked bytes', ChecksumAlgorithm: 'CRC32C' }));
    expect(put.ChecksumCRC32C).toBeDefined();
    await copy({ Key: 'summed-copy.txt', CopySource: `${SRC}/summed.txt` });
    const head = await s3.send(new HeadObjectCommand({ Bucket: DST, Key: 'summed-copy.txt', ChecksumMode: 'ENABLED' }));
    expect(head.ChecksumCRC32C).toBe(put.ChecksumCRC32C);
  });

  it('answers <CopyObjectResult> with ETag and LastModified', async () => {
    const res = await rawS3Request(sediment.url, {
      method: 'PUT',
      path: objectPath(DST, 'raw-copy'),
      headers: { 'x-amz-copy-source': `/${SRC}/photo.jpg` },
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/xml');
    expect(res.body).toMatch(/<CopyObjectResult xmlns="http:\/\/s3\.amazonaws\.com\/doc\/2006-03-01\/"><ETag>/);
    expect(xmlText(res.body, 'ETag')).toMatch(/^(&quot;|")[0-9a-f]{32}(&quot;|")$/);
    expect(new Date(xmlText(res.body, 'LastModified')!).getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it('takes content type and metadata from the request with x-amz-metadata-directive: REPLACE', async () => {
    await copy({
      Key: 'replaced.jpg', CopySource: `${SRC}/photo.jpg`, MetadataDirective: 'REPLACE', ContentType: 'image/webp', Metadata: { lens: '23mm' },
    });
    const head = await s3.send(new HeadObjectCommand({ Bucket: DST, Key: 'replaced.jpg' }));
    expect({ type: head.ContentType, meta: head.Metadata }).toEqual({ type: 'image/webp', meta: { lens: '23mm' } });
  });

  it('ignores the request’s metadata with COPY', async () => {
    await copy({ Key: 'copy-meta.jpg', CopySource: `${SRC}/photo.jpg`, ContentType: 'text/plain', Metadata: { lens: '23mm' } });
    const head = await s3.send(new HeadObjectCommand({ Bucket: DST, Key: 'copy-meta.jpg' }));
    expect({ type: head.ContentType, meta: head.Metadata }).toEqual({ type: 'image/jpeg', meta: { camera: 'x100' } });
  });

  it('records x-amz-tagging as the copy’s tags with x-amz-tagging-directive: REPLACE, and carries them with COPY', async () => {
    const tagsOf = async (bucket: string, key: string) =>
      (await readModelDocument(sediment.db, 'objects', `${bucket}/${key}`))?.tags;
    await copy({ Key: 'tagged', CopySource: `${SRC}/photo.jpg`, TaggingDirective: 'REPLACE', Tagging: 'project=blue%20sky&team=' });
    expect(await tagsOf(DST, 'tagged')).toEqual([{ key: 'project', value: 'blue sky' }, { key: 'team', value: '' }]);
    await copy({ Key: 'tagged-again', CopySource: `${DST}/tagged` });
    expect(await tagsOf(DST, 'tagged-again')).toEqual([{ key: 'project', value: 'blue sky' }, { key: 'team', value: '' }]);
    await copy({ Key: 'untagged', CopySource: `${DST}/tagged`, TaggingDirective: 'REPLACE' });
    expect(await tagsOf(DST, 'untagged')).toBeUndefined();
    // The same x-amz-tagging rules as PutObject's: a key twice is InvalidArgument, a bad tag InvalidTag.
    await expectSdkError(copy({ Key: 'x', CopySource: `${SRC}/photo.jpg`, TaggingDirective: 'REPLACE', Tagging: 'a=1&a=2' }), 400, 'InvalidArgument');
    await expectSdkError(copy({ Key: 'x', CopySource: `${SRC}/photo.jpg`, TaggingDirective: 'REPLACE', Tagging: 'a=%7B' }), 400, 'InvalidTag');
  });

  it('refuses an unknown directive with InvalidArgument', async () => {
    await expectSdkError(copy({ Key: 'x', CopySource: `${SRC}/photo.jpg`, MetadataDirective: 'MOVE' as never }), 400, 'InvalidArgument');
    await expectSdkError(copy({ Key: 'x', CopySource: `${SRC}/photo.jpg`, TaggingDirective: 'KEEP' as never }), 400, 'InvalidArgument');
  });

  it('refuses a copy onto itself that changes nothing, and allows it with REPLACE, keeping the shared blob', async () => {
    const error = await expectSdkError(copy({ Bucket: SRC, Key: 'photo.jpg', CopySource: `${SRC}/photo.jpg` }), 400, 'InvalidRequest');
    expect(error.message).toBe(
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    );
    await s3.send(new PutObjectCommand({ Bucket: SRC, Key: 'self', Body: 'self bytes', Metadata: { v: '1' } }));
    const before = await objectIdOf(SRC, 'self');
    await copy({ Bucket: SRC, Key: 'self', CopySource: `${SRC}/self`, MetadataDirective: 'REPLACE', Metadata: { v: '2' } });
    const head = await s3.send(new HeadObjectCommand({ Bucket: SRC, Key: 'self' }));
    expect(head.Metadata).toEqual({ v: '2' });
    expect(await objectIdOf(SRC, 'self')).toBe(before);
    expect(await sediment.db.collection('released_blobs').findOne({ _id: before as never })).toBeNull();
  });

  it('leaves one version of a key copied onto itself, or copied to twice, so the bucket empties and deletes', async () => {
    const bucket = 'copy-ghosts';
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'foo', Body: 'foo bytes' }));
    await copy({ Bucket: bucket, Key: 'foo', CopySource: `${bucket}/foo`, MetadataDirective: 'REPLACE', Metadata: { v: '2' } });
    await copy({ Bucket: bucket, Key: 'bar', CopySource: `${bucket}/foo` });
    await copy({ Bucket: bucket, Key: 'bar', CopySource: `${bucket}/foo` });
    const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
    expect(versions.Versions?.map((v) => [v.Key, v.VersionId, v.IsLatest])).toEqual([
      ['bar', 'null', true],
      ['foo', 'null', true],
    ]);
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'foo' }));
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'bar' }));
    expect((await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }))).Versions).toBeUndefined();
    await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
  });

  it('answers NoSuchKey, NoSuchBucket and NoSuchVersion for a missing source', async () => {
    await expectSdkError(copy({ Key: 'x', CopySource: `${SRC}/missing` }), 404, 'NoSuchKey');
    await expectSdkError(copy({ Key: 'x', CopySource: 'no-such-bucket-here/k' }), 404, 'NoSuchBucket');
    await expectSdkError(copy({ Key: 'x', CopySource: `${SRC}/photo.jpg?versionId=3sL4kqtJlcpXroDTDmJ` }), 404, 'NoSuchVersion');
    await copy({ Key: 'null-version', CopySource: `${SRC}/photo.jpg?versionId=null` });
    await expectSdkError(copy({ Bucket: 'no-such-dst-bucket', Key: 'x', CopySource: `${SRC}/photo.jpg` }), 404, 'NoSuchBucket');
  });

  it('refuses a malformed x-amz-copy-source with InvalidArgument', async () => {
    const res = await rawS3Request(sediment.url, { method: 'PUT', path: objectPath(DST, 'x'), headers: { 'x-amz-copy-source': `/${SRC}` } });
    expectRawError(res, 400, 'InvalidArgument');
  });

  describe('x-amz-copy-source-if-*', () => {
    const past = new Date(Date.now() - 86_400_000);
    const future = new Date(Date.now() + 86_400_000);
    let etag: string;
    beforeAll(async () => {
      etag = (await s3.send(new HeadObjectCommand({ Bucket: SRC, Key: 'photo.jpg' }))).ETag!;
    });

    it('copies when every condition holds', async () => {
      await copy({ Key: 'cond', CopySource: `${SRC}/photo.jpg`, CopySourceIfMatch: etag, CopySourceIfModifiedSince: past });
      await copy({ Key: 'cond', CopySource: `${SRC}/photo.jpg`, CopySourceIfNoneMatch: '"other"', CopySourceIfUnmodifiedSince: future });
    });

    it('copies with if-match true and if-unmodified-since false, as AWS documents', async () => {
      await copy({ Key: 'cond', CopySource: `${SRC}/photo.jpg`, CopySourceIfMatch: etag, CopySourceIfUnmodifiedSince: past });
    });

    it.each([
      ['if-match that does not match', { CopySourceIfMatch: '"0123"' }],
      ['if-unmodified-since before the last change', { CopySourceIfUnmodifiedSince: past }],
      ['if-none-match that matches (412, never 304)', { CopySourceIfNoneMatch: '*' }],
      ['if-modified-since after the last change (412, never 304)', { CopySourceIfModifiedSince: future }],
    ])('is 412 PreconditionFailed with %s', async (_, conditions) => {
      await expectSdkError(copy({ Key: 'cond-fail', CopySource: `${SRC}/photo.jpg`, ...conditions }), 412, 'PreconditionFailed');
      expect(await objectIdOf(DST, 'cond-fail')).toBeUndefined();
    });

    it('applies If-None-Match: * to the destination, against its current state', async () => {
      await copy({ Key: 'once', CopySource: `${SRC}/photo.jpg`, IfNoneMatch: '*' });
      await expectSdkError(copy({ Key: 'once', CopySource: `${SRC}/photo.jpg`, IfNoneMatch: '*' }), 412, 'PreconditionFailed');
    });
  });

  it('copies a multipart object, parts and all, whose parts stay readable one by one', async () => {
    const parts = [randomBytes(5 * MiB), randomBytes(1000)];
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: SRC, Key: 'big', ContentType: 'video/mp4' }));
    const etags: string[] = [];
    for (const [i, Body] of parts.entries()) {
      etags.push((await s3.send(new UploadPartCommand({ Bucket: SRC, Key: 'big', UploadId, PartNumber: i + 1, Body }))).ETag!);
    }
    const done = await s3.send(
      new CompleteMultipartUploadCommand({ Bucket: SRC, Key: 'big', UploadId, MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) } }),
    );
    const res = await copy({ Key: 'big-copy', CopySource: `${SRC}/big` });
    expect(res.CopyObjectResult?.ETag).toBe(done.ETag);
    const { res: got, bytes } = await bytesOf(DST, 'big-copy');
    expect(got.ContentType).toBe('video/mp4');
    expect(bytes.equals(Buffer.concat(parts))).toBe(true);
    const second = await bytesOf(DST, 'big-copy', 2);
    expect(second.res.$metadata.httpStatusCode).toBe(206);
    expect(second.res.PartsCount).toBe(2);
    expect(second.res.ContentRange).toBe(`bytes ${5 * MiB}-${5 * MiB + 999}/${5 * MiB + 1000}`);
    expect(second.bytes.equals(parts[1]!)).toBe(true);
  });
});

describe('CopyObject notifications', () => {
  const topic = `e2e.copy.${randomBytes(5).toString('hex')}.copies`;
  afterAll(() => deleteTopic(topic));

  it('are s3:ObjectCreated:Copy: a subscription to Copy alone gets the copy and not the put before it', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'copy-notified' }));
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: 'copy-notified',
        NotificationConfiguration: { TopicConfigurations: [{ Id: 'copies', TopicArn: `arn:aws:sns:us-east-1:000000000000:${topic}`, Events: ['s3:ObjectCreated:Copy'] }] },
      }),
    );
    await s3.send(new PutObjectCommand({ Bucket: 'copy-notified', Key: 'put-not-notified', Body: 'x' }));
    await copy({ Bucket: 'copy-notified', Key: 'the copy', CopySource: `${SRC}/photo.jpg` });
    const records = await waitForKeys(topic, ['the copy']);
    expect(records.map((r) => [objectKeyOf(r), r.record.eventName, r.record.s3.object.size])).toEqual([['the copy', 'ObjectCreated:Copy', 10]]);
  });
});

describe('CopyObject authorization', () => {
  let iam: IAMClient;
  const clients: S3Client[] = [];
  beforeAll(() => {
    iam = iamClient(sediment.url);
  });
  afterAll(() => {
    for (const client of clients) client.destroy();
    iam.destroy();
  });
  const userClient = async (name: string, statements: Array<Record<string, unknown>>) => {
    const client = s3Client(sediment.url, await createUserWithKey(iam, name, { inline: policy(...statements) }));
    clients.push(client);
    return client;
  };
  const mayPut = { Effect: 'Allow', Action: 's3:PutObject', Resource: `arn:aws:s3:::${DST}/*` };

  it('needs s3:GetObject on the source besides s3:PutObject on the destination', async () => {
    const writer = await userClient('copy-writer', [mayPut]);
    await expectSdkError(copy({ Key: 'by-writer', CopySource: `${SRC}/photo.jpg` }, writer), 403, 'AccessDenied');
    expect(await objectIdOf(DST, 'by-writer')).toBeUndefined();
    // Denied before the source is looked at: a missing source looks the same.
    await expectSdkError(copy({ Key: 'by-writer', CopySource: `${SRC}/missing` }, writer), 403, 'AccessDenied');

    const copier = await userClient('copy-reader-writer', [mayPut, { Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${SRC}/photo.jpg` }]);
    await copy({ Key: 'by-copier', CopySource: `${SRC}/photo.jpg` }, copier);
    expect((await bytesOf(DST, 'by-copier')).bytes.toString()).toBe('jpeg bytes');
  });

  it('needs s3:PutObject on the destination even when the source is readable', async () => {
    const reader = await userClient('copy-reader', [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${SRC}/*` }]);
    await expectSdkError(copy({ Key: 'by-reader', CopySource: `${SRC}/photo.jpg` }, reader), 403, 'AccessDenied');
  });
});

describe('a copy keeps the shared blob alive (grace period 0)', () => {
  let retention: SedimentUnderTest;
  const blobPath = (id: string) => join(retention.config.SEDIMENT_BLOB_DIR, 'objects', id.slice(0, 2), id.slice(2, 4), id);
  const exists = (path: string) => access(path).then(
    () => true,
    () => false,
  );
  async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > until) throw new Error('condition not met in time');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  const released = () => retention.db.collection('released_blobs').countDocuments({});

  beforeAll(async () => {
    retention = await startSediment({ SEDIMENT_BLOB_GRACE_HOURS: '0', SEDIMENT_BLOB_JANITOR_INTERVAL_MS: '200' });
  }, 30_000);
  afterAll(async () => {
    retention.s3.destroy();
    await retention.stop();
  }, 30_000);

  it('deletes the blob only once neither the source nor the copy references it', async () => {
    const r = retention.s3;
    await r.send(new CreateBucketCommand({ Bucket: 'shared' }));
    await r.send(new PutObjectCommand({ Bucket: 'shared', Key: 'source', Body: 'shared payload' }));
    await r.send(new CopyObjectCommand({ Bucket: 'shared', Key: 'copy', CopySource: 'shared/source' }));
    const blob = (await retention.db.collection<{ _id: string; objectId: string }>('objects').findOne({ _id: 'shared/copy' }))!.objectId;

    await r.send(new DeleteObjectCommand({ Bucket: 'shared', Key: 'source' }));
    // The janitor sees the release, finds the copy still referencing the blob, drops the release.
    await waitFor(async () => (await released()) === 0);
    await new Promise((resolve) => setTimeout(resolve, 500)); // a few more sweeps
    expect(await exists(blobPath(blob))).toBe(true);
    const got = await r.send(new GetObjectCommand({ Bucket: 'shared', Key: 'copy' }));
    expect(await got.Body!.transformToString()).toBe('shared payload');

    await r.send(new DeleteObjectCommand({ Bucket: 'shared', Key: 'copy' }));
    await waitFor(async () => !(await exists(blobPath(blob))));
    await waitFor(async () => (await released()) === 0);
  });
});
