import { inMemoryBucketStream, ALICE } from '../../../../test/support/in-memory-bucket-stream.js';
import { CreateBucketCommand } from '../create-bucket/create-bucket.command.js';
import { CreateBucketHandler } from '../create-bucket/create-bucket.handler.js';
import { DeleteBucketCommand } from './delete-bucket.command.js';
import { DeleteBucketHandler } from './delete-bucket.handler.js';

async function withBucket(name: string) {
  const stream = await inMemoryBucketStream();
  await new CreateBucketHandler(stream.writer).execute(new CreateBucketCommand(name, 'us-east-1', ALICE));
  return { ...stream, handler: new DeleteBucketHandler(stream.writer) };
}

describe('DeleteBucketHandler', () => {
  it('records BucketDeleted for an empty bucket, which then leaves the read model', async () => {
    const { handler, store, eventTypes } = await withBucket('scratch');
    await handler.execute(new DeleteBucketCommand('scratch', ALICE));
    expect(store.buckets.has('scratch')).toBe(false);
    expect(eventTypes()).toEqual(['BucketCreated', 'BucketDeleted']);
  });

  it('answers NoSuchBucket for a bucket that does not exist, appending nothing', async () => {
    const { handler, eventTypes } = await withBucket('scratch');
    await expect(handler.execute(new DeleteBucketCommand('missing', ALICE))).rejects.toMatchObject({ code: 'NoSuchBucket' });
    expect(eventTypes()).toEqual(['BucketCreated']);
  });

  it('answers BucketNotEmpty while an object is stored, and keeps the bucket', async () => {
    const { handler, putObject, store, eventTypes } = await withBucket('full');
    await putObject('full', 'k', 'o-1');
    await expect(handler.execute(new DeleteBucketCommand('full', ALICE))).rejects.toMatchObject({ code: 'BucketNotEmpty' });
    expect(store.buckets.has('full')).toBe(true);
    expect(eventTypes()).toEqual(['BucketCreated', 'ObjectStored']);
  });
});
