import { inMemoryBucketStream, ALICE } from '../../../../test/support/in-memory-bucket-stream.js';
import { CreateBucketCommand } from '../../../buckets/commands/create-bucket/create-bucket.command.js';
import { CreateBucketHandler } from '../../../buckets/commands/create-bucket/create-bucket.handler.js';
import { DeleteObjectTaggingCommand, PutObjectTaggingCommand } from './object-tagging.commands.js';
import { DeleteObjectTaggingHandler, PutObjectTaggingHandler } from './object-tagging.handlers.js';

async function withObject() {
  const stream = await inMemoryBucketStream();
  await new CreateBucketHandler(stream.writer).execute(new CreateBucketCommand('docs', 'us-east-1', ALICE));
  await stream.putObject('docs', 'a.txt', 'o-1');
  return { ...stream, put: new PutObjectTaggingHandler(stream.writer), remove: new DeleteObjectTaggingHandler(stream.writer) };
}

const TAGS = [{ key: 'stage', value: 'review' }];

describe('object tagging handlers', () => {
  it('puts tags on the current object, and DeleteObjectTagging removes them', async () => {
    const { put, remove, store, eventTypes } = await withObject();
    await put.execute(new PutObjectTaggingCommand('docs', 'a.txt', TAGS, ALICE));
    expect(store.objects.get('docs/a.txt')?.tags).toEqual(TAGS);
    await remove.execute(new DeleteObjectTaggingCommand('docs', 'a.txt', ALICE));
    expect(store.objects.get('docs/a.txt')?.tags).toBeUndefined();
    expect(eventTypes()).toEqual(['BucketCreated', 'ObjectStored', 'ObjectTaggingPut', 'ObjectTaggingDeleted']);
  });

  it('refuses tags S3 refuses (here a duplicate key) and appends nothing', async () => {
    const { put, eventTypes } = await withObject();
    const duplicate = [...TAGS, { key: 'stage', value: 'done' }];
    await expect(put.execute(new PutObjectTaggingCommand('docs', 'a.txt', duplicate, ALICE))).rejects.toMatchObject({ code: 'InvalidTag' });
    expect(eventTypes()).toEqual(['BucketCreated', 'ObjectStored']);
  });

  it('answers NoSuchKey for a key that holds nothing', async () => {
    const { put, eventTypes } = await withObject();
    await expect(put.execute(new PutObjectTaggingCommand('docs', 'missing', TAGS, ALICE))).rejects.toMatchObject({ code: 'NoSuchKey' });
    expect(eventTypes()).toEqual(['BucketCreated', 'ObjectStored']);
  });
});
