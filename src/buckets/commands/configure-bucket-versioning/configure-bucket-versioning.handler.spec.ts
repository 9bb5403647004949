import { inMemoryBucketStream, ALICE } from '../../../../test/support/in-memory-bucket-stream.js';
import { CreateBucketCommand } from '../create-bucket/create-bucket.command.js';
import { CreateBucketHandler } from '../create-bucket/create-bucket.handler.js';
import { ConfigureBucketVersioningCommand } from './configure-bucket-versioning.command.js';
import { ConfigureBucketVersioningHandler } from './configure-bucket-versioning.handler.js';

describe('ConfigureBucketVersioningHandler', () => {
  it('records each status put, and the read model follows it', async () => {
    const { writer, store, eventTypes } = await inMemoryBucketStream();
    await new CreateBucketHandler(writer).execute(new CreateBucketCommand('docs', 'us-east-1', ALICE));
    const handler = new ConfigureBucketVersioningHandler(writer);
    await handler.execute(new ConfigureBucketVersioningCommand('docs', 'Enabled', ALICE));
    expect(store.buckets.get('docs')?.versioning).toBe('Enabled');
    await handler.execute(new ConfigureBucketVersioningCommand('docs', 'Suspended', ALICE));
    expect(store.buckets.get('docs')?.versioning).toBe('Suspended');
    expect(eventTypes()).toEqual(['BucketCreated', 'BucketVersioningConfigured', 'BucketVersioningConfigured']);
  });

  it('answers NoSuchBucket for a bucket that does not exist, appending nothing', async () => {
    const { writer, eventTypes } = await inMemoryBucketStream();
    await expect(new ConfigureBucketVersioningHandler(writer).execute(new ConfigureBucketVersioningCommand('missing', 'Enabled', ALICE))).rejects.toMatchObject({
      code: 'NoSuchBucket',
    });
    expect(eventTypes()).toEqual([]);
  });
});
