// Object tagging (issue #5 §5) as clients meet it: the AWS SDK's PutObjectTagging,
// GetObjectTagging and DeleteObjectTagging, tags given with PutObject and CreateMultipartUpload
// (x-amz-tagging), x-amz-tagging-count on GET/HEAD, S3's errors for tags it refuses, the IAM
// action PutObject needs to tag, the events on the bucket stream, and the Debian awscli's
// `s3api put-object-tagging` / `get-object-tagging`.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectTaggingCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  UploadPartCommand,
  type S3Client,
  type Tag,
} from '@aws-sdk/client-s3';
import type { IAMClient } from '@aws-sdk/client-iam';
import { buildQueryString } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../support/node-sha256.js';
import { createUserWithKey, iamClient, policy } from '../support/iam-helpers.js';
import { bucketStream, readTopic } from '../support/kafka-topic-reader.js';
import { rawS3Request, type Credentials } from '../support/raw-s3-request.js';
import { expectRawError, expectSdkError } from '../support/s3-api-assertions.js';
import { ROOT_ACCESS_KEY_ID, ROOT_SECRET, s3Client, startSediment, type SedimentUnderTest } from '../support/sediment-under-test.js';
import { readModelDocument } from '../support/read-model-documents.js';

const id = randomBytes(4).toString('hex');
const bucket = `tagging-${id}`;
const NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

let sediment: SedimentUnderTest;
let s3: S3Client;
let iam: IAMClient;
const clients: S3Client[] = [];

beforeAll(async () => {
  sediment = await startSediment();
  s3 = sediment.s3;
  iam = iamClient(sediment.url);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
}, 30_000);

afterAll(async () => {
  for (const client of clients) client.destroy();
  iam?.destroy();
  s3?.destroy();
  await sediment?.stop();
}, 30_000);

const put = (Key: string, Tagging?: string) => s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: `body of ${Key}`, ...(Tagging !== undefined ? { Tagging } : {}) }));
const tagsOf = async (Key: string) => (await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key }))).TagSet ?? [];
const putTags = (Key: string, TagSet: Tag[]) => s3.send(new PutObjectTaggingCommand({ Bucket: bucket, Key, Tagging: { TagSet } }));
const events = async (type: string) =>
  bucketStream(await readTopic(sediment.config.SEDIMENT_BUCKET_TOPIC), bucket).filter((r) => r.envelope.type === type).map((r) => r.envelope.data);

describe('PutObjectTagging, GetObjectTagging, DeleteObjectTagging', () => {
  it('puts, reads back, replaces and removes the tag set of an object', async () => {
    const stored = await put('doc.txt');
    expect(await tagsOf('doc.txt')).toEqual([]);
    const raw = await rawS3Request(sediment.url, { method: 'GET', path: `/${bucket}/doc.txt`, query: { tagging: '' } });
    expect([raw.status, raw.headers['content-type'], raw.body]).toEqual([
      200,
      'application/xml',
      `<?xml version="1.0" encoding="UTF-8"?>\n<Tagging xmlns="${NS}"><TagSet></TagSet></Tagging>`,
    ]);

    const tags = [{ Key: 'project', Value: 'blue' }, { Key: 'reviewed', Value: '' }, { Key: 'Prøject 名', Value: 'a+b=c @ d:e/f' }];
    const putResult = await putTags('doc.txt', tags);
    expect(putResult.$metadata.httpStatusCode).toBe(200);
    expect(await tagsOf('doc.txt')).toEqual(tags);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'doc.txt' }));
    expect(got.TagCount).toBe(3);
    expect(await got.Body?.transformToString()).toBe('body of doc.txt');
    // Tagging changes neither the bytes nor the ETag.
    expect(got.ETag).toBe(stored.ETag);

    await putTags('doc.txt', [{ Key: 'project', Value: 'red' }]);
    expect(await tagsOf('doc.txt')).toEqual([{ Key: 'project', Value: 'red' }]);

    const deleted = await s3.send(new DeleteObjectTaggingCommand({ Bucket: bucket, Key: 'doc.txt' }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    expect(await tagsOf('doc.txt')).toEqual([]);
    const untagged = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'doc.txt' }));
    expect(untagged.TagCount).toBeUndefined();
    await untagged.Body?.transformToString();
    // Deleting tags that are not there again answers 204.
    expect((await s3.send(new DeleteObjectTaggingCommand({ Bucket: bucket, Key: 'doc.txt' }))).$metadata.httpStatusCode).toBe(204);
    // An empty TagSet removes the tags, as S3 documents.
    await putTags('doc.txt', [{ Key: 'a', Value: '1' }]);
    await putTags('doc.txt', []);
    expect(await tagsOf('doc.txt')).toEqual([]);
  }, 30_000);

  it('records the tagging facts on the bucket stream, naming the object they were put on', async () => {
    const { ETag } = await put('evented.txt');
    expect(ETag).toBeDefined();
    await putTags('evented.txt', [{ Key: 'k', Value: 'v' }]);
    await s3.send(new DeleteObjectTaggingCommand({ Bucket: bucket, Key: 'evented.txt' }));
    await s3.send(new DeleteObjectTaggingCommand({ Bucket: bucket, Key: 'evented.txt' }));
    const objectId = ((await events('ObjectStored')).find((d) => (d as { key: string }).key === 'evented.txt') as { objectId: string }).objectId;
    const doc = await readModelDocument(sediment.db, 'objects', `${bucket}/evented.txt`);
    expect(doc?.objectId).toBe(objectId);
    expect((await events('ObjectTaggingPut')).filter((d) => (d as { key: string }).key === 'evented.txt')).toEqual([
      { bucket, bucketId: expect.any(String), key: 'evented.txt', objectId, tags: [{ key: 'k', value: 'v' }], taggedAt: expect.any(String), versionId: 'null' },
    ]);
    // The second delete found no tags: nothing recorded.
    expect((await events('ObjectTaggingDeleted')).filter((d) => (d as { key: string }).key === 'evented.txt')).toEqual([
      { bucket, bucketId: expect.any(String), key: 'evented.txt', objectId, deletedAt: expect.any(String), versionId: 'null' },
    ]);
  }, 30_000);

  it('gives a new object under the key none of the tags of the one it replaced', async () => {
    await put('replaced.txt', 'old=1');
    await putTags('replaced.txt', [{ Key: 'old', Value: '2' }]);
    await put('replaced.txt');
    expect(await tagsOf('replaced.txt')).toEqual([]);
    await put('replaced.txt', 'new=yes');
    expect(await tagsOf('replaced.txt')).toEqual([{ Key: 'new', Value: 'yes' }]);
  });

  it("refuses what S3 refuses, with S3's errors", async () => {
    await put('limits.txt');
    const eleven = Array.from({ length: 11 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    const tooMany = await expectSdkError(putTags('limits.txt', eleven), 400, 'BadRequest');
    expect(tooMany.message).toBe('Object tags cannot be greater than 10');
    const longKey = await expectSdkError(putTags('limits.txt', [{ Key: 'k'.repeat(129), Value: '' }]), 400, 'InvalidTag');
    expect(longKey.message).toBe('The TagKey you have provided is too long, max 128');
    const longValue = await expectSdkError(putTags('limits.txt', [{ Key: 'k', Value: 'v'.repeat(257) }]), 400, 'InvalidTag');
    expect(longValue.message).toBe('The TagValue you have provided is too long, max 256');
    const twice = await expectSdkError(putTags('limits.txt', [{ Key: 'k', Value: '1' }, { Key: 'k', Value: '2' }]), 400, 'InvalidTag');
    expect(twice.message).toBe('Cannot provide multiple Tags with the same key');
    await expectSdkError(putTags('limits.txt', [{ Key: '', Value: 'v' }]), 400, 'InvalidTag');
    // The limits themselves are allowed.
    const ten = Array.from({ length: 10 }, (_, i) => ({ Key: `${i}`.padEnd(128, 'k'), Value: 'v'.repeat(256) }));
    await putTags('limits.txt', ten);
    expect(await tagsOf('limits.txt')).toEqual(ten);

    const malformed = await rawS3Request(sediment.url, { method: 'PUT', path: `/${bucket}/limits.txt`, query: { tagging: '' }, body: '<Tagging><TagSet><Tag><Key>k</Key></Tag></TagSet></Tagging>' });
    expectRawError(malformed, 400, 'MalformedXML');
    expect(await tagsOf('limits.txt')).toEqual(ten);

    await expectSdkError(putTags('missing.txt', [{ Key: 'k', Value: 'v' }]), 404, 'NoSuchKey');
    await expectSdkError(s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'missing.txt' })), 404, 'NoSuchKey');
    await expectSdkError(s3.send(new DeleteObjectTaggingCommand({ Bucket: bucket, Key: 'missing.txt' })), 404, 'NoSuchKey');
    await expectSdkError(s3.send(new GetObjectTaggingCommand({ Bucket: `missing-${id}`, Key: 'k' })), 404, 'NoSuchBucket');
  }, 30_000);
});

describe('x-amz-tagging', () => {
  it('tags the object PutObject stores, and GET and HEAD count them', async () => {
    await put('with-header.txt', 'project=blue&cost%20centre=a%2Bb&empty');
    expect(await tagsOf('with-header.txt')).toEqual([
      { Key: 'project', Value: 'blue' },
      { Key: 'cost centre', Value: 'a+b' },
      { Key: 'empty', Value: '' },
    ]);
    const head = await rawS3Request(sediment.url, { method: 'HEAD', path: `/${bucket}/with-header.txt` });
    expect(head.headers['x-amz-tagging-count']).toBe('3');
    const get = await rawS3Request(sediment.url, { method: 'GET', path: `/${bucket}/with-header.txt` });
    expect(get.headers['x-amz-tagging-count']).toBe('3');
    const tenTags = await rawS3Request(sediment.url, { method: 'HEAD', path: `/${bucket}/limits.txt` });
    expect(tenTags.headers).toHaveProperty('x-amz-tagging-count', '10');
    await put('plain.txt');
    expect((await rawS3Request(sediment.url, { method: 'HEAD', path: `/${bucket}/plain.txt` })).headers).not.toHaveProperty('x-amz-tagging-count');
  });

  it('refuses a bad header before storing anything', async () => {
    const eleven = Array.from({ length: 11 }, (_, i) => `k${i}=v`).join('&');
    const tooMany = await expectSdkError(put('refused.txt', eleven), 400, 'BadRequest');
    expect(tooMany.message).toBe('Object tags cannot be greater than 10');
    const duplicate = await expectSdkError(put('refused.txt', 'a=1&a=2'), 400, 'InvalidArgument');
    expect(duplicate.message).toBe(
      "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.",
    );
    await expectSdkError(put('refused.txt', 'TagSet%3D%5B%7BKey%3Dstring%7D%5D'), 400, 'InvalidTag');
    expect((await rawS3Request(sediment.url, { method: 'HEAD', path: `/${bucket}/refused.txt` })).status).toBe(404);
  });

  it('is taken from the query of a presigned PutObject, where presigners hoist it', async () => {
    const signer = new SignatureV4({
      service: 's3',
      region: 'us-east-1',
      credentials: { accessKeyId: ROOT_ACCESS_KEY_ID, secretAccessKey: ROOT_SECRET },
      sha256: NodeSha256,
      uriEscapePath: false,
    });
    const { hostname, port, host } = new URL(sediment.url);
    const path = `/${bucket}/presigned.txt`;
    const presigned = await signer.presign(
      {
        method: 'PUT',
        protocol: 'http:',
        hostname,
        port: Number(port),
        path,
        query: {},
        headers: { host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'x-amz-tagging': 'a=b&c=d' },
      },
      { expiresIn: 300 },
    );
    expect(presigned.query).toHaveProperty('x-amz-tagging', 'a=b&c=d');
    const res = await fetch(`${sediment.url}${path}?${buildQueryString(presigned.query ?? {})}`, { method: 'PUT', body: 'from a browser' });
    expect(res.status).toBe(200);
    expect(await tagsOf('presigned.txt')).toEqual([
      { Key: 'a', Value: 'b' },
      { Key: 'c', Value: 'd' },
    ]);
  });

  it('gives a multipart upload its tags when it completes', async () => {
    const created = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'multi.bin', Tagging: 'kind=multipart&size=small' }));
    const part = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'multi.bin', UploadId: created.UploadId, PartNumber: 1, Body: 'one part' }));
    // Not before: the key has no object until the upload completes.
    await expectSdkError(s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'multi.bin' })), 404, 'NoSuchKey');
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: 'multi.bin',
        UploadId: created.UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
      }),
    );
    expect(await tagsOf('multi.bin')).toEqual([
      { Key: 'kind', Value: 'multipart' },
      { Key: 'size', Value: 'small' },
    ]);
    const completed = (await events('MultipartUploadCompleted')).find((d) => (d as { key: string }).key === 'multi.bin');
    expect(completed).toMatchObject({ tags: [{ key: 'kind', value: 'multipart' }, { key: 'size', value: 'small' }] });
    await expectSdkError(
      s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'multi.bin', Tagging: 'a=1&a=2' })),
      400,
      'InvalidArgument',
    );
  }, 30_000);
});

describe('IAM', () => {
  it('needs s3:PutObjectTagging for PutObjectTagging, and for PutObject with x-amz-tagging', async () => {
    const writer = s3Client(
      sediment.url,
      await createUserWithKey(iam, `tag-writer-${id}`, {
        write: policy({ Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObjectTagging'], Resource: `arn:aws:s3:::${bucket}/*` }),
      }),
    );
    const tagger = s3Client(
      sediment.url,
      await createUserWithKey(iam, `tagger-${id}`, {
        tag: policy({ Effect: 'Allow', Action: ['s3:PutObject', 's3:PutObjectTagging', 's3:DeleteObjectTagging'], Resource: `arn:aws:s3:::${bucket}/*` }),
      }),
    );
    clients.push(writer, tagger);
    await writer.send(new PutObjectCommand({ Bucket: bucket, Key: 'iam.txt', Body: 'x' }));
    await expectSdkError(writer.send(new PutObjectCommand({ Bucket: bucket, Key: 'iam.txt', Body: 'y', Tagging: 'a=1' })), 403, 'AccessDenied');
    await expectSdkError(writer.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: 'iam.txt', Tagging: { TagSet: [] } })), 403, 'AccessDenied');
    await expectSdkError(writer.send(new DeleteObjectTaggingCommand({ Bucket: bucket, Key: 'iam.txt' })), 403, 'AccessDenied');
    await expectSdkError(
      writer.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'iam.bin', Tagging: 'a=1' })),
      403,
      'AccessDenied',
    );
    await tagger.send(new PutObjectCommand({ Bucket: bucket, Key: 'iam.txt', Body: 'z', Tagging: 'by=tagger' }));
    await tagger.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: 'iam.txt', Tagging: { TagSet: [{ Key: 'by', Value: 'tagging' }] } }));
    expect((await writer.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'iam.txt' }))).TagSet).toEqual([{ Key: 'by', Value: 'tagging' }]);
    await expectSdkError(tagger.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'iam.txt' })), 403, 'AccessDenied');
  }, 30_000);
});

describe('the Debian awscli', () => {
  let home: string;

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'sediment-cli-tagging-'));
  });

  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  function aws(credentials: Credentials, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_PAGER: '',
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    };
    return new Promise((resolve, reject) => {
      execFile('/usr/bin/aws', [...args, '--endpoint-url', sediment.url, '--output', 'json'], { env, cwd: home, encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') return reject(new Error(`aws did not run: ${error.message}\n${stderr}`));
        resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
      });
    });
  }

  it('puts and gets tags with s3api put-object-tagging / get-object-tagging', async () => {
    const root = { accessKeyId: ROOT_ACCESS_KEY_ID, secretAccessKey: ROOT_SECRET };
    await put('cli.txt');
    const tagging = JSON.stringify({ TagSet: [{ Key: 'via', Value: 'awscli' }, { Key: 'team', Value: 'storage' }] });
    const putResult = await aws(root, 's3api', 'put-object-tagging', '--bucket', bucket, '--key', 'cli.txt', '--tagging', tagging);
    expect({ code: putResult.code, stderr: putResult.stderr }).toEqual({ code: 0, stderr: '' });
    const got = await aws(root, 's3api', 'get-object-tagging', '--bucket', bucket, '--key', 'cli.txt');
    expect(got.code).toBe(0);
    expect(JSON.parse(got.stdout)).toEqual({ TagSet: [{ Key: 'via', Value: 'awscli' }, { Key: 'team', Value: 'storage' }] });
    const refused = await aws(root, 's3api', 'put-object-tagging', '--bucket', bucket, '--key', 'cli.txt', '--tagging', JSON.stringify({ TagSet: [{ Key: 'aws:x', Value: 'v' }] }));
    expect(refused.code).toBe(254);
    expect(refused.stderr).toContain('(InvalidTag)');
  }, 60_000);
});
