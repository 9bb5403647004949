import { createHash } from 'node:crypto';
import { s3OperationHarness } from '../../../test/support/s3-operation-harness.js';
import { putBucketVersioning } from './bucket-versioning.operation.js';
import { createBucket } from './create-bucket.operation.js';
import { deleteObject } from './delete-object.operation.js';
import { getObject, headObject } from './get-object.operation.js';
import { listObjectVersions } from './list-object-versions.operation.js';
import { listObjectsV2 } from './list-objects-v2.operation.js';
import { deleteObjectTagging, getObjectTagging, putObjectTagging } from './object-tagging.operation.js';
import { putObject } from './put-object.operation.js';

type Harness = Awaited<ReturnType<typeof s3OperationHarness>>;

let s3: Harness;
beforeEach(async () => {
  s3 = await s3OperationHarness();
  await s3.call(createBucket, { method: 'PUT', bucket: 'docs' });
});
afterEach(() => s3.close());

const put = (key: string, body: string, headers: Record<string, string> = {}) => s3.call(putObject, { method: 'PUT', bucket: 'docs', key, body, headers });
const md5 = (text: string) => createHash('md5').update(text).digest('hex');
const keysOf = (xml: string) => [...xml.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1]);

describe('object operations (given the request the guard let through, then the response S3 gives)', () => {
  it('PutObject answers the MD5 ETag; GetObject streams the same bytes with its type and metadata; HeadObject sends no body', async () => {
    const stored = await put('notes/a.txt', 'hello, sediment', { 'Content-Type': 'text/plain', 'x-amz-meta-colour': 'blue' });
    expect(stored).toMatchObject({ status: 200, headers: { etag: `"${md5('hello, sediment')}"` }, body: '' });
    expect(stored.headers['x-amz-version-id']).toBeUndefined();

    const got = await s3.call(getObject, { bucket: 'docs', key: 'notes/a.txt' });
    expect(got).toMatchObject({
      status: 200,
      body: 'hello, sediment',
      headers: { 'content-type': 'text/plain', 'content-length': '15', etag: `"${md5('hello, sediment')}"`, 'x-amz-meta-colour': 'blue' },
    });
    const head = await s3.call(headObject, { method: 'HEAD', bucket: 'docs', key: 'notes/a.txt' });
    expect(head).toMatchObject({ status: 200, body: '', headers: { 'content-length': '15' } });
  });

  it('GetObject with a Range answers 206 with that slice; If-None-Match on the ETag answers 304', async () => {
    await put('a.txt', '0123456789');
    await expect(s3.call(getObject, { bucket: 'docs', key: 'a.txt', headers: { Range: 'bytes=2-4' } })).resolves.toMatchObject({
      status: 206,
      body: '234',
      headers: { 'content-range': 'bytes 2-4/10', 'content-length': '3' },
    });
    await expect(s3.call(getObject, { bucket: 'docs', key: 'a.txt', headers: { 'If-None-Match': `"${md5('0123456789')}"` } })).resolves.toMatchObject({
      status: 304,
      body: '',
    });
  });

  it('PutObject with If-None-Match: * refuses to overwrite (412) and keeps the first payload', async () => {
    await put('a.txt', 'first', { 'If-None-Match': '*' });
    await expect(put('a.txt', 'second', { 'If-None-Match': '*' })).rejects.toMatchObject({ code: 'PreconditionFailed' });
    expect((await s3.call(getObject, { bucket: 'docs', key: 'a.txt' })).body).toBe('first');
  });

  it('PutObject refuses a Content-MD5 that does not match the body, and stores nothing', async () => {
    const wrong = createHash('md5').update('other').digest('base64');
    await expect(put('a.txt', 'payload', { 'Content-MD5': wrong })).rejects.toMatchObject({ code: 'BadDigest' });
    await expect(s3.call(getObject, { bucket: 'docs', key: 'a.txt' })).rejects.toMatchObject({ code: 'NoSuchKey' });
  });

  it('tagging: PutObjectTagging replaces the set, GetObjectTagging returns it, DeleteObjectTagging empties it (204)', async () => {
    await put('a.txt', 'x', { 'x-amz-tagging': 'team=red' });
    expect((await s3.call(getObjectTagging, { bucket: 'docs', key: 'a.txt', query: 'tagging' })).body).toContain('<Key>team</Key><Value>red</Value>');
    await s3.call(putObjectTagging, {
      method: 'PUT',
      bucket: 'docs',
      key: 'a.txt',
      query: 'tagging',
      body: '<Tagging><TagSet><Tag><Key>env</Key><Value>prod</Value></Tag></TagSet></Tagging>',
    });
    const replaced = (await s3.call(getObjectTagging, { bucket: 'docs', key: 'a.txt', query: 'tagging' })).body;
    expect(replaced).toContain('<Key>env</Key><Value>prod</Value>');
    expect(replaced).not.toContain('team');
    await expect(s3.call(deleteObjectTagging, { method: 'DELETE', bucket: 'docs', key: 'a.txt', query: 'tagging' })).resolves.toMatchObject({ status: 204 });
    expect((await s3.call(getObjectTagging, { bucket: 'docs', key: 'a.txt', query: 'tagging' })).body).not.toContain('<Tag>');
  });

  it('ListObjectsV2 lists keys in order, groups by delimiter, and pages with a continuation token', async () => {
    for (const key of ['b.txt', 'a.txt', 'logs/1', 'logs/2', 'c.txt']) await put(key, key);
    const grouped = (await s3.call(listObjectsV2, { bucket: 'docs', query: 'list-type=2&delimiter=/' })).body;
    expect(keysOf(grouped)).toEqual(['a.txt', 'b.txt', 'c.txt']);
    expect(grouped).toContain('<CommonPrefixes><Prefix>logs/</Prefix></CommonPrefixes>');

    const first = (await s3.call(listObjectsV2, { bucket: 'docs', query: 'list-type=2&max-keys=2' })).body;
    expect(keysOf(first)).toEqual(['a.txt', 'b.txt']);
    expect(first).toContain('<IsTruncated>true</IsTruncated>');
    const token = /<NextContinuationToken>([^<]+)<\/NextContinuationToken>/.exec(first)![1]!;
    const rest = (await s3.call(listObjectsV2, { bucket: 'docs', query: `list-type=2&continuation-token=${encodeURIComponent(token)}` })).body;
    expect(keysOf(rest)).toEqual(['c.txt', 'logs/1', 'logs/2']);
    expect(rest).toContain('<IsTruncated>false</IsTruncated>');
  });

  it('ListObjectsV2 takes an empty continuation-token as none, start-after still applying, and echoes it empty', async () => {
    for (const key of ['a.txt', 'b.txt', 'c.txt']) await put(key, key);
    const empty = (await s3.call(listObjectsV2, { bucket: 'docs', query: 'list-type=2&continuation-token=' })).body;
    expect(keysOf(empty)).toEqual(['a.txt', 'b.txt', 'c.txt']);
    expect(empty).toContain('<Prefix></Prefix><ContinuationToken></ContinuationToken><KeyCount>3</KeyCount>');
    const after = (await s3.call(listObjectsV2, { bucket: 'docs', query: 'list-type=2&continuation-token=&start-after=a.txt' })).body;
    expect(keysOf(after)).toEqual(['b.txt', 'c.txt']);
    expect(after).toContain('<StartAfter>a.txt</StartAfter><ContinuationToken></ContinuationToken>');
    // Without one, none is echoed; a malformed one is still refused.
    expect((await s3.call(listObjectsV2, { bucket: 'docs', query: 'list-type=2' })).body).not.toContain('ContinuationToken');
    await expect(s3.call(listObjectsV2, { bucket: 'docs', query: 'list-type=2&continuation-token=abc$def' })).rejects.toMatchObject({
      code: 'InvalidArgument',
      message: 'The continuation token provided is incorrect',
    });
  });

  it('in a versioned bucket, PutObject and DeleteObject answer version ids, and ListObjectVersions lists the marker above the versions', async () => {
    await s3.call(putBucketVersioning, {
      method: 'PUT',
      bucket: 'docs',
      query: 'versioning',
      body: '<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>',
    });
    const v1 = (await put('a.txt', 'one')).headers['x-amz-version-id'];
    const v2 = (await put('a.txt', 'two')).headers['x-amz-version-id'];
    expect(v1).toBeDefined();
    expect(v2).not.toBe(v1);
    const removed = await s3.call(deleteObject, { method: 'DELETE', bucket: 'docs', key: 'a.txt' });
    expect(removed).toMatchObject({ status: 204, headers: { 'x-amz-delete-marker': 'true' } });
    const marker = removed.headers['x-amz-version-id'];

    await expect(s3.call(getObject, { bucket: 'docs', key: 'a.txt' })).rejects.toMatchObject({ code: 'NoSuchKey' });
    expect((await s3.call(getObject, { bucket: 'docs', key: 'a.txt', query: `versionId=${v1}` })).body).toBe('one');

    const listing = (await s3.call(listObjectVersions, { bucket: 'docs', query: 'versions' })).body;
    const ids = [...listing.matchAll(/<VersionId>([^<]+)<\/VersionId>/g)].map((m) => m[1]);
    expect(ids).toEqual([marker, v2, v1]);
    expect(listing).toMatch(/<DeleteMarker><Key>a.txt<\/Key><VersionId>[^<]+<\/VersionId><IsLatest>true<\/IsLatest>/);
  });
});
