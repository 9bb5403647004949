import { inMemoryBucketStream, ALICE } from '../../../../test/support/in-memory-bucket-stream.js';
import { CreateBucketCommand } from '../../../buckets/commands/create-bucket/create-bucket.command.js';
import { CreateBucketHandler } from '../../../buckets/commands/create-bucket/create-bucket.handler.js';
import { AbortMultipartUploadCommand, CreateMultipartUploadCommand } from '../../commands/multipart-upload/multipart-upload.commands.js';
import { AbortMultipartUploadHandler, CreateMultipartUploadHandler } from '../../commands/multipart-upload/multipart-upload.handlers.js';
import { ListUploadsHandler } from './list-uploads.handler.js';
import type { ListUploadsParams } from './list-uploads.paginator.js';
import { ListUploadsQuery } from './list-uploads.query.js';

/** Buckets `docs` and `other`, a `start` that initiates an upload, and a `list` that runs the handler under test. */
async function withBuckets() {
  const stream = await inMemoryBucketStream();
  for (const bucket of ['docs', 'other']) await new CreateBucketHandler(stream.writer).execute(new CreateBucketCommand(bucket, 'us-east-1', ALICE));
  const start = async (key: string, bucket = 'docs') =>
    (await new CreateMultipartUploadHandler(stream.writer).execute(new CreateMultipartUploadCommand(bucket, key, 'text/plain', [], ALICE))).uploadId;
  const handler = new ListUploadsHandler(stream.store);
  const list = (params: Partial<ListUploadsParams> = {}, bucket = 'docs') =>
    handler.execute(new ListUploadsQuery(bucket, { prefix: '', keyMarker: '', uploadIdMarker: '', maxUploads: 1000, ...params }));
  return { ...stream, start, list };
}

const idsOf = (page: { uploads: { _id: string; key: string }[] }) => page.uploads.map((u) => [u.key, u._id]);

describe('ListUploadsHandler', () => {
  it("lists the bucket's uploads in progress by key, a key's uploads in the order of their ids, and no aborted one", async () => {
    const { start, list, writer, log } = await withBuckets();
    const z = await start('z.bin');
    const a1 = await start('a.bin');
    const a2 = await start('a.bin');
    const gone = await start('m.bin');
    await start('a.bin', 'other');
    await new AbortMultipartUploadHandler(writer).execute(new AbortMultipartUploadCommand('docs', 'm.bin', gone, ALICE));
    const page = await list();
    const [first, second] = [a1, a2].sort();
    expect(idsOf(page)).toEqual([
      ['a.bin', first],
      ['a.bin', second],
      ['z.bin', z],
    ]);
    expect(page).toMatchObject({ isTruncated: false, commonPrefixes: [] });
    expect(page.uploads[2]).toMatchObject({ bucket: 'docs', owner: ALICE.canonicalId, contentType: 'text/plain' });
    const initiated = log.all().find((r) => (r.event.data as { uploadId?: string }).uploadId === z)?.event.data as { initiatedAt: string };
    expect(page.uploads[2]?.initiatedAt.toISOString()).toBe(initiated.initiatedAt);
  });

  it('keeps to the prefix and groups keys by the delimiter', async () => {
    const { start, list } = await withBuckets();
    const top = await start('top.bin');
    await start('videos/2024/a.mp4');
    const clip = await start('videos/clip.mp4');
    const grouped = await list({ delimiter: '/' });
    expect([idsOf(grouped), grouped.commonPrefixes]).toEqual([[['top.bin', top]], ['videos/']]);
    const videos = await list({ prefix: 'videos/', delimiter: '/' });
    expect([idsOf(videos), videos.commonPrefixes]).toEqual([[['videos/clip.mp4', clip]], ['videos/2024/']]);
  });

  it('pages by max-uploads, resuming after the key and upload id markers', async () => {
    const { start, list } = await withBuckets();
    const [first, second] = [await start('a.bin'), await start('a.bin')].sort();
    const b = await start('b.bin');
    const page = await list({ maxUploads: 1 });
    expect(page).toMatchObject({ isTruncated: true, nextKeyMarker: 'a.bin', nextUploadIdMarker: first });
    const rest = await list({ keyMarker: page.nextKeyMarker, uploadIdMarker: page.nextUploadIdMarker });
    expect(idsOf(rest)).toEqual([
      ['a.bin', second],
      ['b.bin', b],
    ]);
    expect(idsOf(await list({ keyMarker: 'a.bin' }))).toEqual([['b.bin', b]]);
  });

  it('answers NoSuchBucket for a bucket that does not exist', async () => {
    const { list } = await withBuckets();
    await expect(list({}, 'missing')).rejects.toMatchObject({ code: 'NoSuchBucket', details: { BucketName: 'missing' } });
  });
});
