import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { inMemoryBucketStream, ALICE } from '../../../../test/support/in-memory-bucket-stream.js';
import { FilesystemBlobStore } from '../../../blobs/filesystem-blob.store.js';
import { CreateBucketCommand } from '../../../buckets/commands/create-bucket/create-bucket.command.js';
import { CreateBucketHandler } from '../../../buckets/commands/create-bucket/create-bucket.handler.js';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  UploadPartCommand,
} from '../../commands/multipart-upload/multipart-upload.commands.js';
import {
  AbortMultipartUploadHandler,
  CompleteMultipartUploadHandler,
  CreateMultipartUploadHandler,
  UploadPartHandler,
} from '../../commands/multipart-upload/multipart-upload.handlers.js';
import { CompletableUploadHandler, GetUploadHandler } from './get-upload.handler.js';
import { GetUploadQuery } from './get-upload.query.js';
import { CompletableUploadQuery } from './completable-upload.query.js';

const roots: string[] = [];
afterEach(async () => {
  await Promise.all(roots.splice(0).map((root) => rm(root, { recursive: true, force: true })));
});

/** Buckets `docs` and `other`, an upload of docs/big.bin with one part, and the handler under test. */
async function withUpload() {
  const stream = await inMemoryBucketStream();
  for (const bucket of ['docs', 'other']) await new CreateBucketHandler(stream.writer).execute(new CreateBucketCommand(bucket, 'us-east-1', ALICE));
  const root = await mkdtemp(join(tmpdir(), 'sediment-get-upload-'));
  roots.push(root);
  const blobs = new FilesystemBlobStore(root);
  await blobs.init();
  const { uploadId } = await new CreateMultipartUploadHandler(stream.writer).execute(new CreateMultipartUploadCommand('docs', 'big.bin', 'video/mp4', [], ALICE));
  const body = Buffer.from('part one');
  await new UploadPartHandler(stream.writer, blobs, stream.store).execute(new UploadPartCommand('docs', 'big.bin', uploadId, 1, Readable.from([body]), body.length, ALICE));
  const handler = new GetUploadHandler(stream.store);
  const get = (bucket: string, key: string, id = uploadId) => handler.execute(new GetUploadQuery(bucket, key, id));
  const completable = (bucket: string, key: string, id = uploadId) =>
    new CompletableUploadHandler(stream.store).execute(new CompletableUploadQuery(bucket, key, id));
  const complete = () =>
    new CompleteMultipartUploadHandler(stream.writer).execute(
      new CompleteMultipartUploadCommand('docs', 'big.bin', uploadId, [{ partNumber: 1, etag: `"${createHash('md5').update(body).digest('hex')}"` }], ALICE),
    );
  return { ...stream, uploadId, get, completable, complete };
}

describe('GetUploadHandler', () => {
  it('resolves an upload in progress of the bucket and key, with the parts uploaded so far', async () => {
    const { get, uploadId } = await withUpload();
    const upload = await get('docs', 'big.bin');
    expect(upload).toMatchObject({ _id: uploadId, bucket: 'docs', key: 'big.bin', contentType: 'video/mp4', owner: ALICE.canonicalId });
    expect(upload.parts).toEqual([expect.objectContaining({ partNumber: 1, size: 8, etag: `"${createHash('md5').update('part one').digest('hex')}"` })]);
  });

  it('answers NoSuchUpload for an id it does not know, or one of another key or bucket', async () => {
    const { get, uploadId } = await withUpload();
    await expect(get('docs', 'big.bin', 'no-such-upload')).rejects.toMatchObject({ code: 'NoSuchUpload', details: { UploadId: 'no-such-upload' } });
    await expect(get('docs', 'other.bin')).rejects.toMatchObject({ code: 'NoSuchUpload', details: { UploadId: uploadId } });
    await expect(get('other', 'big.bin')).rejects.toMatchObject({ code: 'NoSuchUpload', details: { UploadId: uploadId } });
  });

  it('answers NoSuchUpload once the upload is aborted', async () => {
    const { get, uploadId, writer } = await withUpload();
    await new AbortMultipartUploadHandler(writer).execute(new AbortMultipartUploadCommand('docs', 'big.bin', uploadId, ALICE));
    await expect(get('docs', 'big.bin')).rejects.toMatchObject({ code: 'NoSuchUpload' });
  });

  it('answers NoSuchBucket for a bucket that does not exist', async () => {
    const { get } = await withUpload();
    await expect(get('missing', 'big.bin')).rejects.toMatchObject({ code: 'NoSuchBucket', details: { BucketName: 'missing' } });
  });
});

describe('CompletableUploadHandler', () => {
  it('passes an upload in progress, and one completed under the same bucket and key (a retried Complete)', async () => {
    const { completable, complete, get } = await withUpload();
    await expect(completable('docs', 'big.bin')).resolves.toBeUndefined();
    await complete();
    await expect(get('docs', 'big.bin')).rejects.toMatchObject({ code: 'NoSuchUpload' });
    await expect(completable('docs', 'big.bin')).resolves.toBeUndefined();
  });

  it('answers NoSuchUpload for an id it does not know, one aborted, or one completed under another key or bucket; NoSuchBucket without the bucket', async () => {
    const { completable, complete, uploadId, writer } = await withUpload();
    await expect(completable('docs', 'big.bin', 'no-such-upload')).rejects.toMatchObject({ code: 'NoSuchUpload', details: { UploadId: 'no-such-upload' } });
    await complete();
    await expect(completable('docs', 'other.bin')).rejects.toMatchObject({ code: 'NoSuchUpload', details: { UploadId: uploadId } });
    await expect(completable('other', 'big.bin')).rejects.toMatchObject({ code: 'NoSuchUpload' });
    await expect(completable('missing', 'big.bin')).rejects.toMatchObject({ code: 'NoSuchBucket' });
    const { uploadId: aborted } = await new CreateMultipartUploadHandler(writer).execute(new CreateMultipartUploadCommand('docs', 'big.bin', 'video/mp4', [], ALICE));
    await new AbortMultipartUploadHandler(writer).execute(new AbortMultipartUploadCommand('docs', 'big.bin', aborted, ALICE));
    await expect(completable('docs', 'big.bin', aborted)).rejects.toMatchObject({ code: 'NoSuchUpload' });
  });
});
