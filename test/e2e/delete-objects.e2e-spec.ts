import { createHash } from 'node:crypto';
import {
  CreateBucketCommand,
  DeleteObjectsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { readTopic } from '../support/kafka-topic-reader.js';
import { rawS3Request } from '../support/raw-s3-request.js';
import { startSediment, type SedimentUnderTest } from '../support/sediment-under-test.js';

const codeOf = (error: unknown) => (error instanceof S3ServiceException ? `${error.$metadata.httpStatusCode} ${error.name}` : String(error));

const deleteBody = (keys: string[], quiet = false) =>
  `<?xml version="1.0" encoding="UTF-8"?><Delete><Quiet>${quiet}</Quiet>${keys.map((k) => `<Object><Key>${k}</Key></Object>`).join('')}</Delete>`;
const md5Base64 = (body: string) => createHash('md5').update(body).digest('base64');

/** DeleteObjects (POST /bucket?delete): one decision, one ObjectDeleted per existing key. */
describe('DeleteObjects', () => {
  let sediment: SedimentUnderTest;

  beforeAll(async () => {
    sediment = await startSediment();
  });

  afterAll(async () => {
    sediment.s3.destroy();
    await sediment.stop();
  });

  async function bucketWith(bucket: string, keys: string[]): Promise<void> {
    await sediment.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    for (const key of keys) await sediment.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `body of ${key}` }));
  }

  async function keysIn(bucket: string): Promise<string[]> {
    const listed = await sediment.s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    return (listed.Contents ?? []).map((o) => o.Key!);
  }

  async function deletedEventsOf(bucket: string): Promise<string[]> {
    return (await readTopic(sediment.config.SEDIMENT_BUCKET_TOPIC))
      .map((r) => r.value as { type: string; data: { bucket?: string; key?: string } })
      .filter((event) => event.type === 'ObjectDeleted' && event.data.bucket === bucket)
      .map((event) => event.data.key!);
  }

  it('deletes several keys, reports missing ones deleted too, and records one ObjectDeleted per existing key', async () => {
    const bucket = 'multi-delete';
    await bucketWith(bucket, ['a.txt', 'b.txt', 'dir/c.txt', 'keep.txt']);

    const result = await sediment.s3.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: [{ Key: 'a.txt' }, { Key: 'missing-1' }, { Key: 'b.txt' }, { Key: 'dir/c.txt' }, { Key: 'a.txt' }, { Key: 'missing-2' }] },
      }),
    );

    expect(result.$metadata.httpStatusCode).toBe(200);
    expect((result.Deleted ?? []).map((d) => d.Key).sort()).toEqual(['a.txt', 'b.txt', 'dir/c.txt', 'missing-1', 'missing-2']);
    expect(result.Errors ?? []).toEqual([]);
    expect(await keysIn(bucket)).toEqual(['keep.txt']);
    expect((await deletedEventsOf(bucket)).sort()).toEqual(['a.txt', 'b.txt', 'dir/c.txt']);
  });

  it('returns no Deleted entries in quiet mode, and still deletes', async () => {
    const bucket = 'quiet-delete';
    await bucketWith(bucket, ['x', 'y']);

    const result = await sediment.s3.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Quiet: true, Objects: [{ Key: 'x' }, { Key: 'y' }, { Key: 'z' }] } }),
    );

    expect(result.$metadata.httpStatusCode).toBe(200);
    expect(result.Deleted ?? []).toEqual([]);
    expect(result.Errors ?? []).toEqual([]);
    expect(await keysIn(bucket)).toEqual([]);
  });

  it('reports keys it cannot delete as per-key errors and deletes the others', async () => {
    const bucket = 'partial-delete';
    await bucketWith(bucket, ['ok']);
    const long = 'k'.repeat(1025);

    const result = await sediment.s3.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: [{ Key: 'ok' }, { Key: long }, { Key: 'ok', VersionId: 'v1' }] } }),
    );

    expect(result.Deleted?.map((d) => d.Key)).toEqual(['ok']);
    expect(result.Errors?.map((e) => [e.Key, e.VersionId, e.Code])).toEqual([
      [long, undefined, 'KeyTooLongError'],
      ['ok', 'v1', 'NoSuchVersion'], // not a version id Sediment could have issued
    ]);
    expect(await keysIn(bucket)).toEqual([]);
  });

  it('deletes 1000 keys, long ones whose events outgrow one Kafka record batch', async () => {
    const bucket = 'thousand';
    const existing = Array.from({ length: 800 }, (_, i) => `${String(i).padStart(4, '0')}-${'x'.repeat(1015)}`);
    await sediment.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    for (let i = 0; i < existing.length; i += 50) {
      await Promise.all(existing.slice(i, i + 50).map((Key) => sediment.s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: 'b' }))));
    }
    const missing = Array.from({ length: 200 }, (_, i) => `missing-${i}`);

    const result = await sediment.s3.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: [...existing, ...missing].map((Key) => ({ Key })) } }),
    );

    expect(result.Deleted).toHaveLength(1000);
    expect(await keysIn(bucket)).toEqual([]);
    expect(await deletedEventsOf(bucket)).toHaveLength(800);
  }, 60_000);

  it('refuses more than 1000 keys with 400 MalformedXML and deletes nothing', async () => {
    const bucket = 'too-many';
    await bucketWith(bucket, ['k0']);
    const objects = Array.from({ length: 1001 }, (_, i) => ({ Key: `k${i}` }));

    const outcome = await sediment.s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects } })).catch(codeOf);

    expect(outcome).toBe('400 MalformedXML');
    expect(await keysIn(bucket)).toEqual(['k0']);
  });

  it('refuses a request without Content-MD5 or a checksum header with 400 InvalidRequest', async () => {
    const bucket = 'no-checksum';
    await bucketWith(bucket, ['k']);

    const response = await rawS3Request(sediment.url, { method: 'POST', path: `/${bucket}`, query: { delete: '' }, body: deleteBody(['k']) });

    expect(response.status).toBe(400);
    expect(response.body).toContain('<Code>InvalidRequest</Code>');
    expect(response.body).toContain('Missing required header for this request: Content-MD5');
    expect(await keysIn(bucket)).toEqual(['k']);
  });

  it('verifies the Content-MD5 of the body: a matching one deletes, a wrong one is BadDigest', async () => {
    const bucket = 'with-md5';
    await bucketWith(bucket, ['k1', 'k2']);
    const body = deleteBody(['k1']);

    const bad = await rawS3Request(sediment.url, {
      method: 'POST', path: `/${bucket}`, query: { delete: '' }, body, headers: { 'content-md5': md5Base64(deleteBody(['k2'])) },
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('<Code>BadDigest</Code>');
    expect(await keysIn(bucket)).toEqual(['k1', 'k2']);

    const good = await rawS3Request(sediment.url, {
      method: 'POST', path: `/${bucket}`, query: { delete: '' }, body, headers: { 'content-md5': md5Base64(body) },
    });
    expect(good.status).toBe(200);
    expect(good.body).toContain('<DeleteResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Deleted><Key>k1</Key></Deleted></DeleteResult>');
    expect(await keysIn(bucket)).toEqual(['k2']);
  });

  it('refuses a body with a DTD as MalformedXML', async () => {
    const bucket = 'dtd';
    await bucketWith(bucket, ['k']);
    const body = '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x "k">]><Delete><Object><Key>&x;</Key></Object></Delete>';

    const response = await rawS3Request(sediment.url, {
      method: 'POST', path: `/${bucket}`, query: { delete: '' }, body, headers: { 'content-md5': md5Base64(body) },
    });

    expect(response.status).toBe(400);
    expect(response.body).toContain('<Code>MalformedXML</Code>');
    expect(await keysIn(bucket)).toEqual(['k']);
  });

  it('answers 404 NoSuchBucket for a missing bucket', async () => {
    const outcome = await sediment.s3
      .send(new DeleteObjectsCommand({ Bucket: 'no-such-bucket', Delete: { Objects: [{ Key: 'k' }] } }))
      .catch(codeOf);
    expect(outcome).toBe('404 NoSuchBucket');
  });
});
