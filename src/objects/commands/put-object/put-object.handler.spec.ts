import { jest } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { inMemoryBucketStream, ALICE } from '../../../../test/support/in-memory-bucket-stream.js';
import { FilesystemBlobStore } from '../../../blobs/filesystem-blob.store.js';
import type { ObjectStored } from '../../../bucket-stream/object.events.js';
import { ConfigureBucketVersioningCommand } from '../../../buckets/commands/configure-bucket-versioning/configure-bucket-versioning.command.js';
import { ConfigureBucketVersioningHandler } from '../../../buckets/commands/configure-bucket-versioning/configure-bucket-versioning.handler.js';
import { CreateBucketCommand } from '../../../buckets/commands/create-bucket/create-bucket.command.js';
import { CreateBucketHandler } from '../../../buckets/commands/create-bucket/create-bucket.handler.js';
import { ConfigureBucketLifecycleCommand } from '../../../buckets/commands/configure-bucket-lifecycle/configure-bucket-lifecycle.command.js';
import { ConfigureBucketLifecycleHandler } from '../../../buckets/commands/configure-bucket-lifecycle/configure-bucket-lifecycle.handler.js';
import { DeleteBucketCommand } from '../../../buckets/commands/delete-bucket/delete-bucket.command.js';
import { DeleteBucketHandler } from '../../../buckets/commands/delete-bucket/delete-bucket.handler.js';
import { DeleteObjectCommand } from '../delete-object/delete-object.command.js';
import { DeleteObjectHandler } from '../delete-object/delete-object.handler.js';
import type { WriteCondition } from '../../../bucket-stream/object.decider.js';
import { PutObjectCommand } from './put-object.command.js';
import { PutObjectHandler } from './put-object.handler.js';

const roots: string[] = [];
afterEach(async () => {
  await Promise.all(roots.splice(0).map((root) => rm(root, { recursive: true, force: true })));
});

const md5 = (body: string) => createHash('md5').update(body).digest('hex');

/** Bucket `docs` (versioned if asked), a blob store in a temp dir, and the handler under test. */
async function withBucket(versioning?: 'Enabled') {
  const stream = await inMemoryBucketStream();
  await new CreateBucketHandler(stream.writer).execute(new CreateBucketCommand('docs', 'us-east-1', ALICE));
  if (versioning) await new ConfigureBucketVersioningHandler(stream.writer).execute(new ConfigureBucketVersioningCommand('docs', versioning, ALICE));
  const root = await mkdtemp(join(tmpdir(), 'sediment-put-object-'));
  roots.push(root);
  const blobs = new FilesystemBlobStore(root);
  await blobs.init();
  const handler = new PutObjectHandler(stream.writer, blobs, stream.store);
  /** The ids of the durable blobs on disk. */
  const blobIds = async () => (await readdir(join(root, 'objects'), { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name);
  /** PUTs `body` under `key` with the optional condition / extras. */
  const put = (key: string, body: string, extra: { condition?: WriteCondition; size?: number; bucket?: string } = {}) =>
    handler.execute(
      new PutObjectCommand(extra.bucket ?? 'docs', key, Readable.from([Buffer.from(body)]), extra.size ?? Buffer.byteLength(body), 'text/plain', [{ name: 'team', value: 'ops' }], ALICE, extra.condition),
    );
  const storedEvents = () => stream.log.all().filter((r) => r.event.type === 'ObjectStored').map((r) => r.event.data as ObjectStored['data']);
  return { ...stream, blobs, handler, put, blobIds, storedEvents };
}

describe('PutObjectHandler', () => {
  it('stores the payload as a blob, records ObjectStored naming it, and answers its MD5 ETag once the read model has the object', async () => {
    const { put, blobs, store, storedEvents, eventTypes } = await withBucket();
    const result = await put('a.txt', 'hello world');
    expect(result).toEqual({ etag: `"${md5('hello world')}"`, objectId: expect.any(String), size: 11, storedAt: expect.any(Date) });
    expect(await text(blobs.read(result.objectId))).toBe('hello world');
    expect(eventTypes()).toEqual(['BucketCreated', 'ObjectStored']);
    expect(storedEvents()[0]).toMatchObject({
      bucket: 'docs',
      key: 'a.txt',
      objectId: result.objectId,
      size: 11,
      etag: result.etag,
      contentType: 'text/plain',
      userMetadata: [{ name: 'team', value: 'ops' }],
      owner: ALICE.canonicalId,
    });
    expect(store.objects.get('docs/a.txt')).toMatchObject({ objectId: result.objectId, etag: result.etag, size: 11 });
  });

  it('overwriting a key in a bucket without versioning releases the replaced blob in the event', async () => {
    const { put, storedEvents, store } = await withBucket();
    const first = await put('a.txt', 'one');
    const second = await put('a.txt', 'two');
    expect(second.objectId).not.toBe(first.objectId);
    expect(storedEvents()[1]).toMatchObject({ objectId: second.objectId, replacedObjectId: first.objectId });
    expect(storedEvents()[1]?.versionId).toBeUndefined();
    expect(store.objects.get('docs/a.txt')?.objectId).toBe(second.objectId);
  });

  it('answers the version id it recorded in a versioned bucket, a new one per write', async () => {
    const { put, storedEvents, store } = await withBucket('Enabled');
    const first = await put('a.txt', 'one');
    const second = await put('a.txt', 'two');
    expect(first.versionId).toBe(storedEvents()[0]?.versionId);
    expect(second.versionId).toBe(storedEvents()[1]?.versionId);
    expect(second.versionId).not.toBe(first.versionId);
    expect(store.objects.get('docs/a.txt')).toMatchObject({ objectId: second.objectId, versionId: second.versionId });
    expect([...store.versions.values()].map((v) => v.versionId).sort()).toEqual([first.versionId, second.versionId].sort());
  });

  it('answers the lifecycle configuration it was decided under (for x-amz-expiration), without reading the bucket again', async () => {
    const { put, writer, store } = await withBucket();
    expect((await put('a.txt', 'one')).lifecycle).toBeUndefined();
    const rules = { rules: [{ id: 'tmp', status: 'Enabled' as const, filter: { prefix: 'tmp/' }, expiration: { days: 1 } }] };
    await new ConfigureBucketLifecycleHandler(writer).execute(new ConfigureBucketLifecycleCommand('docs', rules, ALICE));
    const getBucket = jest.spyOn(store, 'getBucket');
    const result = await put('tmp/b.txt', 'two');
    expect(result.lifecycle).toEqual(rules);
    // One read: the decision's (the fail-fast check trusts the bucket seen a moment ago).
    expect(getBucket).toHaveBeenCalledTimes(1);
  });

  it('answers NoSuchBucket before reading the body, without storing a blob or appending an event', async () => {
    const { handler, blobIds, eventTypes } = await withBucket();
    const body = Readable.from([Buffer.from('hello')]);
    const command = new PutObjectCommand('missing', 'a.txt', body, 5, 'text/plain', [], ALICE);
    await expect(handler.execute(command)).rejects.toMatchObject({ code: 'NoSuchBucket', details: { BucketName: 'missing' } });
    expect(body.readableDidRead).toBe(false);
    expect(await blobIds()).toEqual([]);
    expect(eventTypes()).toEqual(['BucketCreated']);
  });

  it('deletes the blob it wrote when the decision refuses it (the bucket went after it was seen)', async () => {
    const { put, writer, blobIds, eventTypes } = await withBucket();
    const first = await put('a.txt', 'one');
    await new DeleteObjectHandler(writer).execute(new DeleteObjectCommand('docs', 'a.txt', ALICE));
    await new DeleteBucketHandler(writer).execute(new DeleteBucketCommand('docs', ALICE));
    await expect(put('b.txt', 'two')).rejects.toMatchObject({ code: 'NoSuchBucket' });
    // The first blob stays for the janitor (DeleteObject never deletes payloads); the refused one is gone.
    expect(await blobIds()).toEqual([first.objectId]);
    expect(eventTypes()).toEqual(['BucketCreated', 'ObjectStored', 'ObjectDeleted', 'BucketDeleted']);
  });

  it('writes only while its condition holds, and answers PreconditionFailed otherwise, leaving the object as it was', async () => {
    const { put, blobIds, eventTypes, store } = await withBucket();
    const created = await put('a.txt', 'one', { condition: { ifNoneMatch: '*' } });
    const replaced = await put('a.txt', 'two', { condition: { ifMatch: created.etag } });
    await expect(put('a.txt', 'three', { condition: { ifNoneMatch: '*' } })).rejects.toMatchObject({ code: 'PreconditionFailed', details: { Condition: 'If-None-Match' } });
    await expect(put('a.txt', 'three', { condition: { ifMatch: created.etag } })).rejects.toMatchObject({ code: 'PreconditionFailed', details: { Condition: 'If-Match' } });
    expect(eventTypes()).toEqual(['BucketCreated', 'ObjectStored', 'ObjectStored']);
    expect((await blobIds()).sort()).toEqual([created.objectId, replaced.objectId].sort());
    expect(store.objects.get('docs/a.txt')).toMatchObject({ objectId: replaced.objectId, etag: `"${md5('two')}"` });
  });

  it('records the tags and the verified checksum given with the write, the checksum as FULL_OBJECT', async () => {
    const { handler, storedEvents, store } = await withBucket();
    const tags = [{ key: 'stage', value: 'draft' }];
    const verified = { algorithm: 'CRC32' as const, value: 'DUoRhQ==' };
    const body = Readable.from([Buffer.from('hello world')]);
    const result = await handler.execute(new PutObjectCommand('docs', 'a.txt', body, 11, 'text/plain', [], ALICE, undefined, tags, () => verified));
    expect(result.checksum).toEqual({ ...verified, type: 'FULL_OBJECT' });
    expect(storedEvents()[0]).toMatchObject({ tags, checksum: { ...verified, type: 'FULL_OBJECT' } });
    expect(store.objects.get('docs/a.txt')).toMatchObject({ tags, checksum: { ...verified, type: 'FULL_OBJECT' } });
  });

  it('rejects a body shorter than its declared size with IncompleteBody, leaving no blob and no event', async () => {
    const { put, blobIds, eventTypes } = await withBucket();
    await expect(put('a.txt', 'short', { size: 10 })).rejects.toMatchObject({ code: 'IncompleteBody' });
    expect(await blobIds()).toEqual([]);
    expect(eventTypes()).toEqual(['BucketCreated']);
  });
});
