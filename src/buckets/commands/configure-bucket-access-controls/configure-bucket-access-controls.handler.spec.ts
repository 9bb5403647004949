import { inMemoryBucketStream, ALICE } from '../../../../test/support/in-memory-bucket-stream.js';
import { CreateBucketCommand } from '../create-bucket/create-bucket.command.js';
import { CreateBucketHandler } from '../create-bucket/create-bucket.handler.js';
import { ConfigureBucketAccessControlsCommand } from './configure-bucket-access-controls.command.js';
import { ConfigureBucketAccessControlsHandler } from './configure-bucket-access-controls.handler.js';

const BLOCK = { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: false, restrictPublicBuckets: false };

describe('ConfigureBucketAccessControlsHandler', () => {
  it('records a bucket created with ownership controls, then changes and removes them and the public access block', async () => {
    const { writer, store, eventTypes } = await inMemoryBucketStream();
    await new CreateBucketHandler(writer).execute(new CreateBucketCommand('site', 'us-east-1', ALICE, { objectOwnership: 'BucketOwnerEnforced' }));
    expect(store.buckets.get('site')?.objectOwnership).toBe('BucketOwnerEnforced');
    const handler = new ConfigureBucketAccessControlsHandler(writer);
    await handler.execute(new ConfigureBucketAccessControlsCommand('site', { publicAccessBlock: BLOCK }, ALICE));
    expect(store.buckets.get('site')?.publicAccessBlock).toEqual(BLOCK);
    // The same again records nothing: the writer's state knows what is in force.
    await handler.execute(new ConfigureBucketAccessControlsCommand('site', { publicAccessBlock: { ...BLOCK } }, ALICE));
    await handler.execute(new ConfigureBucketAccessControlsCommand('site', { objectOwnership: 'ObjectWriter' }, ALICE));
    expect(store.buckets.get('site')?.objectOwnership).toBe('ObjectWriter');
    await handler.execute(new ConfigureBucketAccessControlsCommand('site', { objectOwnership: null }, ALICE));
    await handler.execute(new ConfigureBucketAccessControlsCommand('site', { publicAccessBlock: null }, ALICE));
    expect(store.buckets.get('site')).not.toHaveProperty('objectOwnership');
    expect(store.buckets.get('site')).not.toHaveProperty('publicAccessBlock');
    expect(eventTypes()).toEqual([
      'BucketCreated',
      'BucketOwnershipControlsConfigured',
      'BucketPublicAccessBlockConfigured',
      'BucketOwnershipControlsConfigured',
      'BucketOwnershipControlsConfigured',
      'BucketPublicAccessBlockConfigured',
    ]);
  });

  it('answers NoSuchBucket for a bucket that does not exist, appending nothing', async () => {
    const { writer, eventTypes } = await inMemoryBucketStream();
    await expect(
      new ConfigureBucketAccessControlsHandler(writer).execute(new ConfigureBucketAccessControlsCommand('missing', { objectOwnership: 'ObjectWriter' }, ALICE)),
    ).rejects.toMatchObject({ code: 'NoSuchBucket' });
    expect(eventTypes()).toEqual([]);
  });
});
