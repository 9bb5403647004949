// Bucket versioning, driven by the AWS SDK: version ids on writes, reads and deletes by version,
// delete markers, ListObjectVersions paging, Suspended buckets writing `null` versions, and a
// rebuild from the log reaching the same read model.
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3ServiceException,
  UploadPartCommand,
  type ListObjectVersionsCommandOutput,
} from '@aws-sdk/client-s3';
import { MongoClient } from 'mongodb';
import { digestReadModel } from '../../src/replay/read-model.digest.js';
import { rawS3Request } from '../support/raw-s3-request.js';
import { createUserWithKey, iamClient, policy } from '../support/iam-helpers.js';
import { MONGO_URL, s3Client, startSediment, type SedimentUnderTest } from '../support/sediment-under-test.js';

const codeOf = (error: unknown) => (error instanceof S3ServiceException ? `${error.$metadata.httpStatusCode} ${error.name}` : String(error));

describe('versioning', () => {
  let sediment: SedimentUnderTest;
  let overrides: Record<string, string>;

  const s3 = () => sediment.s3;
  const put = (Bucket: string, Key: string, Body: string) => s3().send(new PutObjectCommand({ Bucket, Key, Body }));
  const read = async (Bucket: string, Key: string, VersionId?: string) =>
    (await s3().send(new GetObjectCommand({ Bucket, Key, VersionId }))).Body!.transformToString();
  const enable = (Bucket: string, Status: 'Enabled' | 'Suspended' = 'Enabled') =>
    s3().send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status } }));

  beforeAll(async () => {
    const id = randomBytes(5).toString('hex');
    overrides = {
      MONGO_DATABASE: `e2e_versioning_${id}`,
      SEDIMENT_BUCKET_TOPIC: `e2e.versioning.bucket-events.${id}`,
      SEDIMENT_IDENTITY_TOPIC: `e2e.versioning.identity-events.${id}`,
      SEDIMENT_BLOB_DIR: await mkdtemp(join(tmpdir(), 'sediment-versioning-blobs-')),
    };
    sediment = await startSediment(overrides);
  }, 30_000);

  afterAll(async () => {
    await sediment.stop();
  }, 30_000);

  it('reports no versioning until configured, then the status put', async () => {
    await s3().send(new CreateBucketCommand({ Bucket: 'v-status' }));
    expect((await s3().send(new GetBucketVersioningCommand({ Bucket: 'v-status' }))).Status).toBeUndefined();
    await enable('v-status');
    expect((await s3().send(new GetBucketVersioningCommand({ Bucket: 'v-status' }))).Status).toBe('Enabled');
    await enable('v-status', 'Suspended');
    expect((await s3().send(new GetBucketVersioningCommand({ Bucket: 'v-status' }))).Status).toBe('Suspended');
    const bad = await rawS3Request(sediment.url, { method: 'PUT', path: '/v-status', query: { versioning: '' }, body: '<VersioningConfiguration><Status>On</Status></VersioningConfiguration>' });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('<Code>MalformedXML</Code>');
    expect(await s3().send(new GetBucketVersioningCommand({ Bucket: 'nope-missing' })).catch(codeOf)).toBe('404 NoSuchBucket');
  });

  it('keeps every version, reads each by id, and hides the key behind a delete marker', async () => {
    const bucket = 'v-enabled';
    await s3().send(new CreateBucketCommand({ Bucket: bucket }));
    await enable(bucket);
    const v1 = await put(bucket, 'doc.txt', 'one');
    const v2 = await put(bucket, 'doc.txt', 'two');
    expect(v1.VersionId).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(v2.VersionId).not.toBe(v1.VersionId);

    expect(await read(bucket, 'doc.txt')).toBe('two');
    expect(await read(bucket, 'doc.txt', v1.VersionId)).toBe('one');
    const head = await s3().send(new HeadObjectCommand({ Bucket: bucket, Key: 'doc.txt', VersionId: v1.VersionId }));
    expect(head.VersionId).toBe(v1.VersionId);
    expect(head.ETag).toBe(v1.ETag);

    const deleted = await s3().send(new DeleteObjectCommand({ Bucket: bucket, Key: 'doc.txt' }));
    expect(deleted.DeleteMarker).toBe(true);
    expect(deleted.VersionId).toMatch(/^[A-Za-z0-9_-]{32}$/);
    // The key reads as absent, and says it is a delete marker.
    const missing = await rawS3Request(sediment.url, { method: 'GET', path: `/${bucket}/doc.txt` });
    expect(missing.status).toBe(404);
    expect(missing.body).toContain('<Code>NoSuchKey</Code>');
    expect(missing.headers['x-amz-delete-marker']).toBe('true');
    expect(missing.headers['x-amz-version-id']).toBe(deleted.VersionId);
    // GET of the marker's own version id is 405, as in S3.
    const marker = await rawS3Request(sediment.url, { method: 'GET', path: `/${bucket}/doc.txt`, query: { versionId: deleted.VersionId! } });
    expect(marker.status).toBe(405);
    expect(marker.headers['x-amz-delete-marker']).toBe('true');
    // Older versions are still there.
    expect(await read(bucket, 'doc.txt', v2.VersionId)).toBe('two');
    expect((await s3().send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).toEqual([]);

    // Removing the marker brings the newest version back.
    const unmark = await s3().send(new DeleteObjectCommand({ Bucket: bucket, Key: 'doc.txt', VersionId: deleted.VersionId }));
    expect(unmark.DeleteMarker).toBe(true);
    expect(unmark.VersionId).toBe(deleted.VersionId);
    expect(await read(bucket, 'doc.txt')).toBe('two');
    // Deleting the current version for good makes the previous one current.
    const gone = await s3().send(new DeleteObjectCommand({ Bucket: bucket, Key: 'doc.txt', VersionId: v2.VersionId }));
    expect(gone.VersionId).toBe(v2.VersionId);
    expect(gone.DeleteMarker).toBeUndefined();
    expect(await read(bucket, 'doc.txt')).toBe('one');
    expect(await s3().send(new GetObjectCommand({ Bucket: bucket, Key: 'doc.txt', VersionId: v2.VersionId })).catch(codeOf)).toBe('404 NoSuchVersion');
    expect(await s3().send(new GetObjectCommand({ Bucket: bucket, Key: 'doc.txt', VersionId: 'not a version' })).catch(codeOf)).toBe('400 InvalidArgument');
  });

  it('reports, per key of one DeleteObjects, the version it removed or the delete marker it created', async () => {
    const bucket = 'v-batch-delete';
    await s3().send(new CreateBucketCommand({ Bucket: bucket }));
    await enable(bucket);
    const v1 = await put(bucket, 'doc.txt', 'one');
    await put(bucket, 'doc.txt', 'two');
    const result = await s3().send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: [{ Key: 'doc.txt', VersionId: v1.VersionId }, { Key: 'doc.txt' }] } }),
    );
    const versions = await s3().send(new ListObjectVersionsCommand({ Bucket: bucket }));
    const [marker] = versions.DeleteMarkers ?? [];
    expect(result.Deleted).toEqual([
      { Key: 'doc.txt', VersionId: v1.VersionId },
      { Key: 'doc.txt', DeleteMarker: true, DeleteMarkerVersionId: marker?.VersionId },
    ]);
    expect((versions.Versions ?? []).map((v) => v.VersionId)).not.toContain(v1.VersionId);
  });

  it('lists versions and delete markers newest first, paging by key and version id markers', async () => {
    const bucket = 'v-listing';
    await s3().send(new CreateBucketCommand({ Bucket: bucket }));
    await put(bucket, 'a', 'a-null'); // before versioning: the null version
    await enable(bucket);
    const written: Record<string, string[]> = { a: ['null'] };
    for (const key of ['a', 'b', 'dir/x', 'dir/y']) {
      for (let i = 0; i < 2; i++) (written[key] ??= []).push((await put(bucket, key, `${key}-${i}`)).VersionId!);
    }
    const markerB = (await s3().send(new DeleteObjectCommand({ Bucket: bucket, Key: 'b' }))).VersionId!;
    written.b!.push(markerB);

    const all = await s3().send(new ListObjectVersionsCommand({ Bucket: bucket }));
    const order = [...(all.Versions ?? []), ...(all.DeleteMarkers ?? [])];
    expect(order).toHaveLength(10);
    // Per key newest first; exactly one latest per key.
    const expected = Object.entries(written).flatMap(([key, ids]) => [...ids].reverse().map((id, i) => ({ key, id, latest: i === 0 })));
    const got = [...(all.Versions ?? []).map((v) => ({ key: v.Key, id: v.VersionId, latest: v.IsLatest })), ...(all.DeleteMarkers ?? []).map((m) => ({ key: m.Key, id: m.VersionId, latest: m.IsLatest }))];
    expect(got.sort((x, y) => expected.findIndex((e) => e.id === x.id) - expected.findIndex((e) => e.id === y.id))).toEqual(expected);
    expect(all.DeleteMarkers).toEqual([expect.objectContaining({ Key: 'b', VersionId: markerB, IsLatest: true })]);
    expect(all.Versions!.find((v) => v.VersionId === 'null')).toEqual(expect.objectContaining({ Key: 'a', IsLatest: false, Size: 6 }));

    // Paged two at a time, the pages join up to the same listing, markers resuming mid-key.
    const paged: string[] = [];
    let page: ListObjectVersionsCommandOutput | undefined;
    let pages = 0;
    do {
      page = await s3().send(
        new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: 3, KeyMarker: page?.NextKeyMarker, VersionIdMarker: page?.NextVersionIdMarker }),
      );
      pages++;
      const markers: Record<string, string> = page.KeyMarker ? { 'key-marker': page.KeyMarker, 'version-id-marker': page.VersionIdMarker ?? '' } : {};
      const raw = await rawS3Request(sediment.url, { method: 'GET', path: `/${bucket}`, query: { versions: '', 'max-keys': '3', ...markers } });
      expect(raw.status).toBe(200);
      paged.push(...[...raw.body.matchAll(/<VersionId>([^<]+)<\/VersionId>/g)].map((m) => m[1]!));
    } while (page.IsTruncated);
    expect(pages).toBe(4);
    expect(paged).toEqual(expected.map((e) => e.id));

    // A delimiter groups keys; prefix narrows.
    const grouped = await s3().send(new ListObjectVersionsCommand({ Bucket: bucket, Delimiter: '/' }));
    expect(grouped.CommonPrefixes).toEqual([{ Prefix: 'dir/' }]);
    expect(new Set([...(grouped.Versions ?? []), ...(grouped.DeleteMarkers ?? [])].map((v) => v.Key))).toEqual(new Set(['a', 'b']));
    const narrowed = await s3().send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: 'dir/y' }));
    expect(narrowed.Versions!.map((v) => v.VersionId)).toEqual([...written['dir/y']!].reverse());

    // DeleteBucket refuses while a version or a delete marker remains.
    expect(await s3().send(new DeleteBucketCommand({ Bucket: bucket })).catch(codeOf)).toBe('409 BucketNotEmpty');
    const objects = got.map((v) => ({ Key: v.key!, VersionId: v.id! }));
    const result = await s3().send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects } }));
    expect(result.Errors ?? []).toEqual([]);
    expect(result.Deleted!.find((d) => d.VersionId === markerB)).toEqual(expect.objectContaining({ DeleteMarker: true, DeleteMarkerVersionId: markerB }));
    await s3().send(new DeleteBucketCommand({ Bucket: bucket }));
  });

  it('pages on after the marker version when a cleanup tool deletes each page before asking for the next, null versions included', async () => {
    const bucket = 'v-cleanup';
    await s3().send(new CreateBucketCommand({ Bucket: bucket }));
    await put(bucket, 'k', 'k-null-0'); // before versioning: a null version, replaced below
    await put(bucket, 'plain', 'plain-null');
    await enable(bucket);
    const k1 = (await put(bucket, 'k', 'k-1')).VersionId!;
    await enable(bucket, 'Suspended');
    await put(bucket, 'k', 'k-null'); // the null version, now between k1 and k3
    await enable(bucket);
    const k3 = (await put(bucket, 'k', 'k-3')).VersionId!;
    const m1 = (await put(bucket, 'm', 'm-1')).VersionId!;
    const marker = (await s3().send(new DeleteObjectCommand({ Bucket: bucket, Key: 'm' }))).VersionId!;
    const everything = [`k ${k3}`, 'k null', `k ${k1}`, `m ${marker}`, `m ${m1}`, 'plain null'];

    // The null version resumes where it sits among the key's versions, not at their end.
    const afterNull = await s3().send(new ListObjectVersionsCommand({ Bucket: bucket, KeyMarker: 'k', VersionIdMarker: 'null' }));
    expect([...(afterNull.Versions ?? []), ...(afterNull.DeleteMarkers ?? [])].map((v) => `${v.Key} ${v.VersionId}`).sort()).toEqual(everything.slice(2).sort());

    const seen: string[] = [];
    const markers: [string | undefined, string | undefined][] = [];
    let page: ListObjectVersionsCommandOutput | undefined;
    do {
      page = await s3().send(
        new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: 2, KeyMarker: page?.NextKeyMarker, VersionIdMarker: page?.NextVersionIdMarker }),
      );
      const listed = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map((v) => ({ Key: v.Key!, VersionId: v.VersionId! }));
      seen.push(...listed.map((v) => `${v.Key} ${v.VersionId}`));
      markers.push([page.NextKeyMarker, page.NextVersionIdMarker]);
      const deleted = await s3().send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: listed } }));
      expect(deleted.Errors ?? []).toEqual([]);
    } while (page.IsTruncated && seen.length <= everything.length);
    expect(seen.sort()).toEqual([...everything].sort());
    // Each page resumed after a marker version the previous round had deleted, `null` included.
    expect(markers).toEqual([
      ['k', 'null'],
      ['m', marker],
      [undefined, undefined],
    ]);
    expect((await s3().send(new ListObjectVersionsCommand({ Bucket: bucket }))).Versions).toBeUndefined();
    await s3().send(new DeleteBucketCommand({ Bucket: bucket }));
  });

  it('resumes after a deleted null version in a bucket that never had versioning', async () => {
    const bucket = 'v-never-paged';
    await s3().send(new CreateBucketCommand({ Bucket: bucket }));
    for (const key of ['x', 'y', 'z']) await put(bucket, key, key);
    const first = await s3().send(new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: 1 }));
    expect(first).toEqual(expect.objectContaining({ IsTruncated: true, NextKeyMarker: 'x', NextVersionIdMarker: 'null' }));
    await s3().send(new DeleteObjectCommand({ Bucket: bucket, Key: 'x' }));
    const rest = await s3().send(new ListObjectVersionsCommand({ Bucket: bucket, KeyMarker: 'x', VersionIdMarker: 'null' }));
    expect(rest.KeyMarker).toBe('x');
    expect(rest.VersionIdMarker).toBe('null');
    expect(rest.Versions!.map((v) => [v.Key, v.VersionId, v.IsLatest])).toEqual([
      ['y', 'null', true],
      ['z', 'null', true],
    ]);
  });

  it('percent-encodes keys, common prefixes and key markers alike with encoding-type=url, a space as %20', async () => {
    const bucket = 'v-encoding';
    await s3().send(new CreateBucketCommand({ Bucket: bucket }));
    await enable(bucket);
    for (const key of ['foo+1/bar', 'foo/bar/xyzzy', 'quux ab/thud', 'asdf+b', 'a b']) await put(bucket, key, key);
    const out = await s3().send(new ListObjectVersionsCommand({ Bucket: bucket, Delimiter: '/', EncodingType: 'url' }));
    expect(out.EncodingType).toBe('url');
    expect(out.Versions!.map((v) => v.Key)).toEqual(['a%20b', 'asdf%2Bb']);
    expect(out.CommonPrefixes!.map((p) => p.Prefix)).toEqual(['foo%2B1/', 'foo/', 'quux%20ab/']);
    const first = await s3().send(new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: 1, EncodingType: 'url' }));
    expect(first.NextKeyMarker).toBe('a%20b');
    const next = await s3().send(
      new ListObjectVersionsCommand({ Bucket: bucket, Prefix: 'a', MaxKeys: 1, KeyMarker: 'a b', VersionIdMarker: first.NextVersionIdMarker, EncodingType: 'url' }),
    );
    expect({ keyMarker: next.KeyMarker, versionIdMarker: next.VersionIdMarker, keys: next.Versions!.map((v) => v.Key) }).toEqual({
      keyMarker: 'a%20b',
      versionIdMarker: first.NextVersionIdMarker,
      keys: ['asdf%2Bb'],
    });
  });

  it('still refuses a malformed version-id marker, and one without a key marker', async () => {
    const bucket = 'v-markers';
    await s3().send(new CreateBucketCommand({ Bucket: bucket }));
    const list = (query: Record<string, string>) => rawS3Request(sediment.url, { method: 'GET', path: `/${bucket}`, query: { versions: '', ...query } });
    const malformed = await list({ 'key-marker': 'y', 'version-id-marker': 'not-a-version' });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toContain('<Code>InvalidArgument</Code><Message>Invalid version id specified</Message><ArgumentName>version-id-marker</ArgumentName><ArgumentValue>not-a-version</ArgumentValue>');
    const alone = await list({ 'version-id-marker': 'null' });
    expect(alone.status).toBe(400);
    expect(alone.body).toContain(
      '<Code>InvalidArgument</Code><Message>A version-id marker cannot be specified without a key marker.</Message><ArgumentName>version-id-marker</ArgumentName><ArgumentValue>null</ArgumentValue>',
    );
  });

  it('lists a folder with delimiter / while a current version lives in it, not behind a delete marker', async () => {
    const bucket = 'v-folders';
    await s3().send(new CreateBucketCommand({ Bucket: bucket }));
    await enable(bucket);
    const folders = async () => (await s3().send(new ListObjectsV2Command({ Bucket: bucket, Delimiter: '/' }))).CommonPrefixes?.map((p) => p.Prefix) ?? [];
    const old = await put(bucket, 'photos/2026/a.jpg', 'old');
    await put(bucket, 'photos/2026/a.jpg', 'new');
    await put(bucket, 'top.txt', 'top');
    expect(await folders()).toEqual(['photos/']);
    const marker = await s3().send(new DeleteObjectCommand({ Bucket: bucket, Key: 'photos/2026/a.jpg' }));
    expect(await folders()).toEqual([]);
    // Removing the marker makes the newest version current again, and its folders come back.
    await s3().send(new DeleteObjectCommand({ Bucket: bucket, Key: 'photos/2026/a.jpg', VersionId: marker.VersionId }));
    expect(await folders()).toEqual(['photos/']);
    const inner = await s3().send(new ListObjectsV2Command({ Bucket: bucket, Delimiter: '/', Prefix: 'photos/2026/' }));
    expect(inner.Contents?.map((o) => [o.Key, o.Size])).toEqual([['photos/2026/a.jpg', 3]]);
    // Removing versions one by one: the folder goes with the last one.
    const versions = await s3().send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: 'photos/' }));
    for (const v of versions.Versions ?? []) if (v.VersionId !== old.VersionId) await s3().send(new DeleteObjectCommand({ Bucket: bucket, Key: v.Key, VersionId: v.VersionId }));
    expect(await read(bucket, 'photos/2026/a.jpg')).toBe('old');
    expect(await folders()).toEqual(['photos/']);
    await s3().send(new DeleteObjectCommand({ Bucket: bucket, Key: 'photos/2026/a.jpg', VersionId: old.VersionId }));
    expect(await folders()).toEqual([]);
    expect((await s3().send(new ListObjectsV2Command({ Bucket: bucket, Delimiter: '/' }))).Contents?.map((o) => o.Key)).toEqual(['top.txt']);
  });

  it('lists every object of a bucket that never had versioning as version null', async () => {
    const bucket = 'v-never';
    await s3().send(new CreateBucketCommand({ Bucket: bucket }));
    await put(bucket, 'x', 'first');
    const second = await put(bucket, 'x', 'second');
    expect(second.VersionId).toBeUndefined();
    await put(bucket, 'y', 'y');
    const listing = await s3().send(new ListObjectVersionsCommand({ Bucket: bucket }));
    expect(listing.Versions!.map((v) => [v.Key, v.VersionId, v.IsLatest, v.ETag])).toEqual([
      ['x', 'null', true, second.ETag],
      ['y', 'null', true, expect.any(String)],
    ]);
    expect(listing.DeleteMarkers).toBeUndefined();
    expect(await read(bucket, 'x', 'null')).toBe('second');
    // DELETE without versioning removes the object; no marker, no version id.
    const deleted = await s3().send(new DeleteObjectCommand({ Bucket: bucket, Key: 'x' }));
    expect(deleted.DeleteMarker).toBeUndefined();
    expect((await s3().send(new ListObjectVersionsCommand({ Bucket: bucket }))).Versions!.map((v) => v.Key)).toEqual(['y']);
  });

  it('writes null versions while Suspended, replacing only the previous null version', async () => {
    const bucket = 'v-suspended';
    await s3().send(new CreateBucketCommand({ Bucket: bucket }));
    await enable(bucket);
    const kept = await put(bucket, 'k', 'enabled-era');
    await enable(bucket, 'Suspended');
    // S3 answers a write that stores the null version without x-amz-version-id.
    const n1 = await put(bucket, 'k', 'null-1');
    expect(n1.VersionId).toBeUndefined();
    const n2 = await put(bucket, 'k', 'null-2');
    expect(n2.VersionId).toBeUndefined();
    const versions = (await s3().send(new ListObjectVersionsCommand({ Bucket: bucket }))).Versions!;
    expect(versions.map((v) => [v.VersionId, v.IsLatest])).toEqual([
      ['null', true],
      [kept.VersionId, false],
    ]);
    expect(await read(bucket, 'k', 'null')).toBe('null-2');
    // A delete marker while Suspended is the null version too.
    const marker = await s3().send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k' }));
    expect(marker).toEqual(expect.objectContaining({ DeleteMarker: true, VersionId: 'null' }));
    const after = await s3().send(new ListObjectVersionsCommand({ Bucket: bucket }));
    expect(after.DeleteMarkers!.map((m) => [m.VersionId, m.IsLatest])).toEqual([['null', true]]);
    expect(after.Versions!.map((v) => v.VersionId)).toEqual([kept.VersionId]);
  });

  describe('x-amz-version-id and x-amz-delete-marker on the wire, as S3 sends them', () => {
    /** PutObject, a one-part CompleteMultipartUpload and DeleteObject (of a key there, then of one not there), raw. */
    async function writeAndDelete(bucket: string) {
      const sent = (raw: { status: number; headers: Record<string, unknown> }) => ({
        status: raw.status,
        versionId: raw.headers['x-amz-version-id'],
        deleteMarker: raw.headers['x-amz-delete-marker'],
      });
      const put = await rawS3Request(sediment.url, { method: 'PUT', path: `/${bucket}/put.txt`, body: 'put' });
      const { UploadId } = await s3().send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'mp.bin' }));
      const { ETag } = await s3().send(new UploadPartCommand({ Bucket: bucket, Key: 'mp.bin', UploadId, PartNumber: 1, Body: 'part' }));
      const xml = `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${ETag}</ETag></Part></CompleteMultipartUpload>`;
      const complete = await rawS3Request(sediment.url, { method: 'POST', path: `/${bucket}/mp.bin`, query: { uploadId: UploadId! }, body: xml });
      const del = await rawS3Request(sediment.url, { method: 'DELETE', path: `/${bucket}/put.txt` });
      const delMissing = await rawS3Request(sediment.url, { method: 'DELETE', path: `/${bucket}/never-there.txt` });
      return { put: sent(put), complete: sent(complete), delete: sent(del), deleteMissing: sent(delMissing) };
    }

    it('sends neither header in a bucket that never had versioning', async () => {
      await s3().send(new CreateBucketCommand({ Bucket: 'v-headers-never' }));
      const none = { versionId: undefined, deleteMarker: undefined };
      expect(await writeAndDelete('v-headers-never')).toEqual({
        put: { status: 200, ...none },
        complete: { status: 200, ...none },
        delete: { status: 204, ...none },
        deleteMissing: { status: 204, ...none },
      });
    });

    it('sends no x-amz-version-id for a write while Suspended, x-amz-version-id: null and x-amz-delete-marker: true for the null delete marker', async () => {
      await s3().send(new CreateBucketCommand({ Bucket: 'v-headers-suspended' }));
      await enable('v-headers-suspended', 'Suspended');
      const marker = { versionId: 'null', deleteMarker: 'true' };
      expect(await writeAndDelete('v-headers-suspended')).toEqual({
        put: { status: 200, versionId: undefined, deleteMarker: undefined },
        complete: { status: 200, versionId: undefined, deleteMarker: undefined },
        delete: { status: 204, ...marker },
        deleteMissing: { status: 204, ...marker },
      });
    });
  });

  it('asks for the …Version permissions when a request names a version', async () => {
    const iam = iamClient(sediment.url);
    const user = await createUserWithKey(iam, 'reader-current-only', {
      current: policy({ Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::v-enabled/*' }),
    });
    iam.destroy();
    const client = s3Client(sediment.url, user);
    expect(await client.send(new GetObjectCommand({ Bucket: 'v-enabled', Key: 'doc.txt' })).then(() => 'ok')).toBe('ok');
    const listing = await s3().send(new ListObjectVersionsCommand({ Bucket: 'v-enabled' }));
    const versionId = listing.Versions![0]!.VersionId;
    expect(await client.send(new GetObjectCommand({ Bucket: 'v-enabled', Key: 'doc.txt', VersionId: versionId })).catch(codeOf)).toBe('403 AccessDenied');
    client.destroy();
  });

  it('rebuilds the same read model (versions, markers, current objects) from the log', async () => {
    const live = await digestReadModel(sediment.db);
    expect(live.counts.versions).toBeGreaterThan(0);
    await sediment.stop({ keepData: true });
    const rebuiltDb = `${overrides.MONGO_DATABASE}_rebuilt`;
    sediment = await startSediment({ ...overrides, MONGO_DATABASE: rebuiltDb });
    const mongo = await new MongoClient(MONGO_URL).connect();
    try {
      const rebuilt = await digestReadModel(mongo.db(rebuiltDb));
      expect(rebuilt).toEqual(live);
    } finally {
      await mongo.close();
    }
    expect(await read('v-enabled', 'doc.txt')).toBe('one');
  }, 30_000);
});
