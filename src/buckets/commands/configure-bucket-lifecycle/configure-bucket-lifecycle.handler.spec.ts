import { inMemoryBucketStream, ALICE } from '../../../../test/support/in-memory-bucket-stream.js';
import { CreateBucketCommand } from '../create-bucket/create-bucket.command.js';
import { CreateBucketHandler } from '../create-bucket/create-bucket.handler.js';
import { ConfigureBucketLifecycleCommand } from './configure-bucket-lifecycle.command.js';
import { ConfigureBucketLifecycleHandler } from './configure-bucket-lifecycle.handler.js';

const RULES = { rules: [{ id: 'tmp', status: 'Enabled' as const, filter: { prefix: 'tmp/' }, expiration: { days: 1 } }] };

describe('ConfigureBucketLifecycleHandler', () => {
  it('puts the configuration on the bucket, and null (DeleteBucketLifecycle) removes it, deciding from the stored state', async () => {
    const { writer, store, eventTypes } = await inMemoryBucketStream();
    await new CreateBucketHandler(writer).execute(new CreateBucketCommand('site', 'us-east-1', ALICE));
    const handler = new ConfigureBucketLifecycleHandler(writer);
    await handler.execute(new ConfigureBucketLifecycleCommand('site', RULES, ALICE));
    expect(store.buckets.get('site')?.lifecycle).toEqual(RULES);
    // The same rules again record nothing: the writer's state knows the bucket's configuration.
    await handler.execute(new ConfigureBucketLifecycleCommand('site', structuredClone(RULES), ALICE));
    await handler.execute(new ConfigureBucketLifecycleCommand('site', null, ALICE));
    expect(store.buckets.get('site')?.lifecycle).toBeUndefined();
    expect(eventTypes()).toEqual(['BucketCreated', 'BucketLifecycleConfigured', 'BucketLifecycleConfigured']);
  });

  it('answers NoSuchBucket for a bucket that does not exist, appending nothing', async () => {
    const { writer, eventTypes } = await inMemoryBucketStream();
    await expect(new ConfigureBucketLifecycleHandler(writer).execute(new ConfigureBucketLifecycleCommand('missing', RULES, ALICE))).rejects.toMatchObject({
      code: 'NoSuchBucket',
    });
    expect(eventTypes()).toEqual([]);
  });
});
