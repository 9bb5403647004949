import { inMemoryBucketStream, ALICE } from '../../../../test/support/in-memory-bucket-stream.js';
import { ConfigureBucketVersioningCommand } from '../../../buckets/commands/configure-bucket-versioning/configure-bucket-versioning.command.js';
import { ConfigureBucketVersioningHandler } from '../../../buckets/commands/configure-bucket-versioning/configure-bucket-versioning.handler.js';
import { CreateBucketCommand } from '../../../buckets/commands/create-bucket/create-bucket.command.js';
import { CreateBucketHandler } from '../../../buckets/commands/create-bucket/create-bucket.handler.js';
import { DeleteObjectCommand } from './delete-object.command.js';
import { DeleteObjectHandler } from './delete-object.handler.js';

async function withBucket(versioning?: 'Enabled') {
  const stream = await inMemoryBucketStream();
  await new CreateBucketHandler(stream.writer).execute(new CreateBucketCommand('docs', 'us-east-1', ALICE));
  if (versioning) await new ConfigureBucketVersioningHandler(stream.writer).execute(new ConfigureBucketVersioningCommand('docs', versioning, ALICE));
  return { ...stream, handler: new DeleteObjectHandler(stream.writer) };
}

describe('DeleteObjectHandler', () => {
  it('removes the object of a bucket without versioning, and reports no delete marker', async () => {
    const { handler, putObject, store, eventTypes } = await withBucket();
    await putObject('docs', 'a.txt', 'o-1');
    await expect(handler.execute(new DeleteObjectCommand('docs', 'a.txt', ALICE))).resolves.toEqual({ deleteMarker: false });
    expect(store.objects.has('docs/a.txt')).toBe(false);
    expect(eventTypes()).toEqual(['BucketCreated', 'ObjectStored', 'ObjectDeleted']);
  });

  it('answers a missing key as S3 does, without an event', async () => {
    const { handler, eventTypes } = await withBucket();
    await expect(handler.execute(new DeleteObjectCommand('docs', 'missing', ALICE))).resolves.toEqual({ deleteMarker: false });
    expect(eventTypes()).toEqual(['BucketCreated']);
  });

  it('hides the key behind a delete marker under versioning, and removing the marker brings it back', async () => {
    const { handler, putObject, store, log } = await withBucket('Enabled');
    await putObject('docs', 'a.txt', 'o-1');
    const deleted = await handler.execute(new DeleteObjectCommand('docs', 'a.txt', ALICE));
    expect(deleted.deleteMarker).toBe(true);
    const marker = log.all().find((r) => r.event.type === 'DeleteMarkerCreated');
    expect(deleted.versionId).toBe((marker?.event.data as { versionId: string }).versionId);
    expect(store.objects.has('docs/a.txt')).toBe(false);

    await expect(handler.execute(new DeleteObjectCommand('docs', 'a.txt', ALICE, deleted.versionId))).resolves.toEqual({ versionId: deleted.versionId, deleteMarker: true });
    expect(store.objects.get('docs/a.txt')?.objectId).toBe('o-1');
    expect(log.all().map((r) => r.event.type).slice(-2)).toEqual(['DeleteMarkerCreated', 'DeleteMarkerRemoved']);
  });

  it('answers NoSuchBucket for a bucket that does not exist', async () => {
    const { handler } = await withBucket();
    await expect(handler.execute(new DeleteObjectCommand('missing', 'a.txt', ALICE))).rejects.toMatchObject({ code: 'NoSuchBucket' });
  });
});
