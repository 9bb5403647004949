import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { inMemoryBucketStream, ALICE } from '../../../../test/support/in-memory-bucket-stream.js';
import { FilesystemBlobStore } from '../../../blobs/filesystem-blob.store.js';
import type { MultipartUploadAborted, MultipartUploadCompleted, MultipartPartUploaded } from '../../../bucket-stream/multipart.events.js';
import { ConfigureBucketVersioningCommand } from '../../../buckets/commands/configure-bucket-versioning/configure-bucket-versioning.command.js';
import { ConfigureBucketVersioningHandler } from '../../../buckets/commands/configure-bucket-versioning/configure-bucket-versioning.handler.js';
import { CreateBucketCommand } from '../../../buckets/commands/create-bucket/create-bucket.command.js';
import { CreateBucketHandler } from '../../../buckets/commands/create-bucket/create-bucket.handler.js';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  UploadPartCommand,
  UploadPartCopyCommand,
} from './multipart-upload.commands.js';
import {
  AbortMultipartUploadHandler,
  CompleteMultipartUploadHandler,
  CreateMultipartUploadHandler,
  UploadPartCopyHandler,
  UploadPartHandler,
} from './multipart-upload.handlers.js';
import { PutObjectCommand } from '../put-object/put-object.command.js';
import { PutObjectHandler } from '../put-object/put-object.handler.js';

const roots: string[] = [];
afterEach(async () => {
  await Promise.all(roots.splice(0).map((root) => rm(root, { recursive: true, force: true })));
});

const MiB = 1024 * 1024;
const TAGS = [{ key: 'stage', value: 'draft' }];
const md5 = (body: Buffer | string) => createHash('md5').update(body).digest('hex');
/** S3's multipart ETag, computed here from the parts' bytes. */
const multipartEtag = (...bodies: Buffer[]) => `"${md5(Buffer.concat(bodies.map((b) => Buffer.from(md5(b), 'hex'))))}-${bodies.length}"`;

/** Bucket `docs` (versioned if asked), a blob store in a temp dir, and the five handlers. */
async function withBucket(versioning?: 'Enabled') {
  const stream = await inMemoryBucketStream();
  await new CreateBucketHandler(stream.writer).execute(new CreateBucketCommand('docs', 'us-east-1', ALICE));
  if (versioning) await new ConfigureBucketVersioningHandler(stream.writer).execute(new ConfigureBucketVersioningCommand('docs', versioning, ALICE));
  const root = await mkdtemp(join(tmpdir(), 'sediment-multipart-'));
  roots.push(root);
  const blobs = new FilesystemBlobStore(root);
  await blobs.init();
  const { writer, store } = stream;
  const create = (key = 'big.bin') => new CreateMultipartUploadHandler(writer).execute(new CreateMultipartUploadCommand('docs', key, 'video/mp4', [], ALICE, TAGS));
  const uploadPart = (uploadId: string, partNumber: number, body: Buffer, key = 'big.bin') =>
    new UploadPartHandler(writer, blobs, store).execute(new UploadPartCommand('docs', key, uploadId, partNumber, Readable.from([body]), body.length, ALICE));
  const complete = (uploadId: string, parts: { partNumber: number; etag: string }[]) =>
    new CompleteMultipartUploadHandler(writer).execute(new CompleteMultipartUploadCommand('docs', 'big.bin', uploadId, parts, ALICE));
  const abort = (uploadId: string) => new AbortMultipartUploadHandler(writer).execute(new AbortMultipartUploadCommand('docs', 'big.bin', uploadId, ALICE));
  const eventsOf = <T>(type: string) => stream.log.all().filter((r) => r.event.type === type).map((r) => r.event.data as T);
  const blobIds = async () => (await readdir(join(root, 'objects'), { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name);
  return { ...stream, blobs, create, uploadPart, complete, abort, eventsOf, blobIds };
}

describe('multipart upload handlers', () => {
  it('CreateMultipartUpload records the upload with its metadata and tags, and answers its id once the read model has it', async () => {
    const { create, store, eventsOf, writer, eventTypes } = await withBucket();
    const { uploadId } = await create();
    expect(eventsOf('MultipartUploadInitiated')).toEqual([
      expect.objectContaining({ bucket: 'docs', key: 'big.bin', uploadId, contentType: 'video/mp4', owner: ALICE.canonicalId, tags: TAGS }),
    ]);
    expect(await store.getUpload(uploadId)).toMatchObject({ bucket: 'docs', key: 'big.bin', contentType: 'video/mp4', tags: TAGS, parts: [] });
    const elsewhere = new CreateMultipartUploadCommand('missing', 'big.bin', 'video/mp4', [], ALICE);
    await expect(new CreateMultipartUploadHandler(writer).execute(elsewhere)).rejects.toMatchObject({ code: 'NoSuchBucket', details: { BucketName: 'missing' } });
    expect(eventTypes()).toEqual(['BucketCreated', 'MultipartUploadInitiated']);
  });

  it('UploadPart stores the bytes, answers their MD5, and a part uploaded again replaces the earlier one', async () => {
    const { create, uploadPart, blobs, store, eventsOf } = await withBucket();
    const { uploadId } = await create();
    await expect(uploadPart(uploadId, 1, Buffer.from('first try'))).resolves.toEqual({ etag: `"${md5('first try')}"` });
    await expect(uploadPart(uploadId, 1, Buffer.from('second try'))).resolves.toEqual({ etag: `"${md5('second try')}"` });
    const [first, second] = eventsOf<MultipartPartUploaded['data']>('MultipartPartUploaded');
    expect(second).toMatchObject({ uploadId, partNumber: 1, size: 10, etag: `"${md5('second try')}"`, replacedObjectId: first?.objectId });
    expect(await text(blobs.read(second!.objectId))).toBe('second try');
    expect((await store.getUpload(uploadId))?.parts).toEqual([expect.objectContaining({ partNumber: 1, objectId: second?.objectId, size: 10 })]);
  });

  it('UploadPart answers NoSuchUpload for an upload of another key or none, and a part number out of range, storing nothing', async () => {
    const { create, uploadPart, blobIds, eventTypes } = await withBucket();
    const { uploadId } = await create();
    const before = eventTypes();
    await expect(uploadPart('no-such-upload', 1, Buffer.from('x'))).rejects.toMatchObject({ code: 'NoSuchUpload', details: { UploadId: 'no-such-upload' } });
    await expect(uploadPart(uploadId, 1, Buffer.from('x'), 'other.bin')).rejects.toMatchObject({ code: 'NoSuchUpload' });
    await expect(uploadPart(uploadId, 10_001, Buffer.from('x'))).rejects.toMatchObject({ code: 'InvalidArgument', details: { ArgumentName: 'partNumber' } });
    expect(eventTypes()).toEqual(before);
    expect(await blobIds()).toEqual([]);
  });

  it('CompleteMultipartUpload makes the object of the parts named, with the multipart ETag and the upload metadata, and ends the upload', async () => {
    const { create, uploadPart, complete, store, eventsOf } = await withBucket('Enabled');
    const { uploadId } = await create();
    const one = Buffer.alloc(5 * MiB, 'a');
    const two = Buffer.from('tail');
    const p1 = await uploadPart(uploadId, 1, one);
    const p2 = await uploadPart(uploadId, 2, two);
    const unused = await uploadPart(uploadId, 3, Buffer.from('unused'));
    const result = await complete(uploadId, [
      { partNumber: 1, etag: p1.etag },
      { partNumber: 2, etag: p2.etag },
    ]);
    expect(result.etag).toBe(multipartEtag(one, two));
    const [completed] = eventsOf<MultipartUploadCompleted['data']>('MultipartUploadCompleted');
    expect(result.versionId).toEqual(expect.any(String));
    expect(result.versionId).toBe(completed?.versionId);
    expect(completed).toMatchObject({ key: 'big.bin', uploadId, size: one.length + 4, etag: result.etag, contentType: 'video/mp4', tags: TAGS });
    expect(completed?.parts.map((p) => p.partNumber)).toEqual([1, 2]);
    const [third] = eventsOf<MultipartPartUploaded['data']>('MultipartPartUploaded').filter((p) => p.etag === unused.etag);
    expect(completed?.discardedObjectIds).toEqual([third?.objectId]);
    expect(store.objects.get('docs/big.bin')).toMatchObject({ objectId: completed?.objectId, etag: result.etag, versionId: result.versionId, size: one.length + 4, tags: TAGS });
    expect(await store.getUpload(uploadId)).toBeNull();
  });

  it('CompleteMultipartUpload records the ACL CreateMultipartUpload asked for right after the completion, from the upload the read model kept', async () => {
    const { writer, uploadPart, complete, store, eventTypes, eventsOf } = await withBucket();
    const acl = { canned: 'public-read' as const };
    const { uploadId } = await new CreateMultipartUploadHandler(writer).execute(
      new CreateMultipartUploadCommand('docs', 'big.bin', 'video/mp4', [], ALICE, undefined, undefined, undefined, acl),
    );
    expect(eventsOf('MultipartUploadInitiated')).toEqual([expect.objectContaining({ uploadId, acl })]);
    expect(await store.getUpload(uploadId)).toMatchObject({ acl });
    const part = await uploadPart(uploadId, 1, Buffer.from('only part'));
    await complete(uploadId, [{ partNumber: 1, etag: part.etag }]);
    const [completed] = eventsOf<MultipartUploadCompleted['data']>('MultipartUploadCompleted');
    expect(eventTypes().slice(-2)).toEqual(['MultipartUploadCompleted', 'ObjectAclPut']);
    const grants = [
      { grantee: { type: 'CanonicalUser', id: ALICE.canonicalId, displayName: completed?.ownerDisplayName }, permission: 'FULL_CONTROL' },
      { grantee: { type: 'Group', uri: 'http://acs.amazonaws.com/groups/global/AllUsers' }, permission: 'READ' },
    ];
    expect(eventsOf('ObjectAclPut')).toEqual([{ bucket: 'docs', bucketId: completed?.bucketId, key: 'big.bin', objectId: completed?.objectId, versionId: 'null', grants, putAt: completed?.storedAt }]);
    expect(store.objects.get('docs/big.bin')).toMatchObject({ objectId: completed?.objectId, acl: { grants } });
  });

  it('CompleteMultipartUpload gives the object the content headers CreateMultipartUpload sent, from the upload the read model kept', async () => {
    const { writer, uploadPart, complete, store, eventsOf } = await withBucket();
    const headers = { cacheControl: 'max-age=3600', contentDisposition: 'attachment', contentEncoding: 'gzip', contentLanguage: 'en', expires: 'Wed, 01 Dec 2094 16:00:00 GMT' };
    const { uploadId } = await new CreateMultipartUploadHandler(writer).execute(
      new CreateMultipartUploadCommand('docs', 'big.bin', 'video/mp4', [], ALICE, undefined, undefined, undefined, undefined, headers),
    );
    expect(eventsOf('MultipartUploadInitiated')).toEqual([expect.objectContaining({ uploadId, ...headers })]);
    expect(await store.getUpload(uploadId)).toMatchObject(headers);
    const part = await uploadPart(uploadId, 1, Buffer.from('only part'));
    await complete(uploadId, [{ partNumber: 1, etag: part.etag }]);
    expect(eventsOf('MultipartUploadCompleted')).toEqual([expect.objectContaining(headers)]);
    expect(store.objects.get('docs/big.bin')).toMatchObject(headers);
  });

  it('CompleteMultipartUpload of an upload without an ACL records none', async () => {
    const { create, uploadPart, complete, eventTypes } = await withBucket();
    const { uploadId } = await create();
    const part = await uploadPart(uploadId, 1, Buffer.from('only part'));
    await complete(uploadId, [{ partNumber: 1, etag: part.etag }]);
    expect(eventTypes()).not.toContain('ObjectAclPut');
  });

  it('CompleteMultipartUpload refuses parts out of order, a part it does not have, and a small part before the last, keeping the upload', async () => {
    const { create, uploadPart, complete, store, eventTypes } = await withBucket();
    const { uploadId } = await create();
    const p1 = await uploadPart(uploadId, 1, Buffer.from('too small'));
    const p2 = await uploadPart(uploadId, 2, Buffer.from('tail'));
    const before = eventTypes();
    await expect(complete(uploadId, [{ partNumber: 2, etag: p2.etag }, { partNumber: 1, etag: p1.etag }])).rejects.toMatchObject({ code: 'InvalidPartOrder' });
    await expect(complete(uploadId, [{ partNumber: 1, etag: p2.etag }])).rejects.toMatchObject({ code: 'InvalidPart', details: { PartNumber: '1' } });
    await expect(complete(uploadId, [{ partNumber: 4, etag: p1.etag }])).rejects.toMatchObject({ code: 'InvalidPart', details: { PartNumber: '4' } });
    await expect(complete(uploadId, [{ partNumber: 1, etag: p1.etag }, { partNumber: 2, etag: p2.etag }])).rejects.toMatchObject({
      code: 'EntityTooSmall',
      details: { PartNumber: '1', ProposedSize: '9' },
    });
    await expect(complete('no-such-upload', [{ partNumber: 1, etag: p1.etag }])).rejects.toMatchObject({ code: 'NoSuchUpload' });
    expect(eventTypes()).toEqual(before);
    expect((await store.getUpload(uploadId))?.parts).toHaveLength(2);
    expect(store.objects.has('docs/big.bin')).toBe(false);
  });

  it('CompleteMultipartUpload sent again answers what the first answered, version included, and records nothing', async () => {
    const { create, uploadPart, complete, eventTypes, eventsOf } = await withBucket('Enabled');
    const { uploadId } = await create();
    const p1 = await uploadPart(uploadId, 1, Buffer.alloc(5 * MiB, 'a'));
    const p2 = await uploadPart(uploadId, 2, Buffer.from('tail'));
    const parts = [{ partNumber: 1, etag: p1.etag }, { partNumber: 2, etag: p2.etag }];
    const first = await complete(uploadId, parts);
    const before = eventTypes();
    await expect(complete(uploadId, parts)).resolves.toEqual(first);
    expect(first.versionId).toEqual(expect.any(String));
    expect(eventTypes()).toEqual(before);
    expect(eventsOf('MultipartUploadCompleted')).toHaveLength(1);
  });

  it('CompleteMultipartUpload sent again after the key was overwritten still answers the completed upload; another part list is NoSuchUpload', async () => {
    const { create, uploadPart, complete, putObject, eventTypes } = await withBucket();
    const { uploadId } = await create();
    const p1 = await uploadPart(uploadId, 1, Buffer.from('only part'));
    const first = await complete(uploadId, [{ partNumber: 1, etag: p1.etag }]);
    expect(first).toEqual({ etag: multipartEtag(Buffer.from('only part')) });
    await putObject('docs', 'big.bin', 'o-later');
    const before = eventTypes();
    await expect(complete(uploadId, [{ partNumber: 1, etag: p1.etag }])).resolves.toEqual(first);
    await expect(complete(uploadId, [{ partNumber: 1, etag: '"00000000000000000000000000000000"' }])).rejects.toMatchObject({ code: 'NoSuchUpload' });
    await expect(complete(uploadId, [{ partNumber: 2, etag: p1.etag }])).rejects.toMatchObject({ code: 'NoSuchUpload' });
    expect(eventTypes()).toEqual(before);
  });

  it('AbortMultipartUpload discards the parts uploaded and ends the upload, after which it is NoSuchUpload', async () => {
    const { create, uploadPart, abort, complete, store, eventsOf } = await withBucket();
    const { uploadId } = await create();
    const p1 = await uploadPart(uploadId, 1, Buffer.from('one'));
    await uploadPart(uploadId, 2, Buffer.from('two'));
    await abort(uploadId);
    const partIds = eventsOf<MultipartPartUploaded['data']>('MultipartPartUploaded').map((p) => p.objectId);
    expect(eventsOf<MultipartUploadAborted['data']>('MultipartUploadAborted')).toEqual([expect.objectContaining({ key: 'big.bin', uploadId, discardedObjectIds: partIds })]);
    expect(await store.getUpload(uploadId)).toBeNull();
    expect([...store.releasedBlobs.keys()].sort()).toEqual([...partIds].sort());
    await expect(abort(uploadId)).rejects.toMatchObject({ code: 'NoSuchUpload' });
    await expect(complete(uploadId, [{ partNumber: 1, etag: p1.etag }])).rejects.toMatchObject({ code: 'NoSuchUpload' });
  });

  it('UploadPartCopy makes a part of a byte range of an existing object', async () => {
    const { create, blobs, store, eventsOf, writer } = await withBucket();
    const body = Readable.from([Buffer.from('0123456789')]);
    const source = await new PutObjectHandler(writer, blobs, store).execute(new PutObjectCommand('docs', 'src.txt', body, 10, 'text/plain', [], ALICE));
    const { uploadId } = await create();
    const copy = new UploadPartCopyHandler(writer, blobs, store);
    const result = await copy.execute(new UploadPartCopyCommand('docs', 'big.bin', uploadId, 1, { bucket: 'docs', key: 'src.txt' }, {}, 'bytes=2-5', ALICE));
    expect(result.etag).toBe(`"${md5('2345')}"`);
    const [part] = eventsOf<MultipartPartUploaded['data']>('MultipartPartUploaded');
    expect(part).toMatchObject({ uploadId, partNumber: 1, size: 4, etag: result.etag });
    expect(part?.objectId).not.toBe(source.objectId);
    expect(await text(blobs.read(part!.objectId))).toBe('2345');
  });
});
