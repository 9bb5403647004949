import { inMemoryBucketStream, ALICE } from '../../../../test/support/in-memory-bucket-stream.js';
import { CreateBucketCommand } from '../create-bucket/create-bucket.command.js';
import { CreateBucketHandler } from '../create-bucket/create-bucket.handler.js';
import { ConfigureBucketTaggingCommand } from './configure-bucket-tagging.command.js';
import { ConfigureBucketTaggingHandler } from './configure-bucket-tagging.handler.js';

const TAGS = [{ key: 'team', value: 'web' }];

describe('ConfigureBucketTaggingHandler', () => {
  it('puts the tags on the bucket, and null (DeleteBucketTagging) removes them, deciding from the stored state', async () => {
    const { writer, store, eventTypes } = await inMemoryBucketStream();
    await new CreateBucketHandler(writer).execute(new CreateBucketCommand('site', 'us-east-1', ALICE));
    const handler = new ConfigureBucketTaggingHandler(writer);
    await handler.execute(new ConfigureBucketTaggingCommand('site', TAGS, ALICE));
    expect(store.buckets.get('site')?.tags).toEqual(TAGS);
    // The same tags again record nothing: the writer's state knows the bucket's tags.
    await handler.execute(new ConfigureBucketTaggingCommand('site', structuredClone(TAGS), ALICE));
    await handler.execute(new ConfigureBucketTaggingCommand('site', null, ALICE));
    expect(store.buckets.get('site')?.tags).toBeUndefined();
    expect(eventTypes()).toEqual(['BucketCreated', 'BucketTaggingConfigured', 'BucketTaggingConfigured']);
  });

  it('answers NoSuchBucket for a bucket that does not exist, appending nothing', async () => {
    const { writer, eventTypes } = await inMemoryBucketStream();
    await expect(new ConfigureBucketTaggingHandler(writer).execute(new ConfigureBucketTaggingCommand('missing', TAGS, ALICE))).rejects.toMatchObject({
      code: 'NoSuchBucket',
    });
    expect(eventTypes()).toEqual([]);
  });
});
