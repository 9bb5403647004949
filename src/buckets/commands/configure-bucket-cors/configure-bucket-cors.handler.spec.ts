import { inMemoryBucketStream, ALICE } from '../../../../test/support/in-memory-bucket-stream.js';
import { CreateBucketCommand } from '../create-bucket/create-bucket.command.js';
import { CreateBucketHandler } from '../create-bucket/create-bucket.handler.js';
import { ConfigureBucketCorsCommand } from './configure-bucket-cors.command.js';
import { ConfigureBucketCorsHandler } from './configure-bucket-cors.handler.js';

const RULES = { rules: [{ allowedMethods: ['GET'], allowedOrigins: ['https://example.com'], allowedHeaders: [], exposeHeaders: ['ETag'] }] };

describe('ConfigureBucketCorsHandler', () => {
  it('puts the rules on the bucket, and a null configuration (DeleteBucketCors) removes them', async () => {
    const { writer, store, eventTypes } = await inMemoryBucketStream();
    await new CreateBucketHandler(writer).execute(new CreateBucketCommand('site', 'us-east-1', ALICE));
    const handler = new ConfigureBucketCorsHandler(writer);
    await handler.execute(new ConfigureBucketCorsCommand('site', RULES, ALICE));
    expect(store.buckets.get('site')?.cors).toEqual(RULES);
    await handler.execute(new ConfigureBucketCorsCommand('site', null, ALICE));
    expect(store.buckets.get('site')?.cors).toBeUndefined();
    expect(eventTypes()).toEqual(['BucketCreated', 'BucketCorsConfigured', 'BucketCorsConfigured']);
  });

  it('answers NoSuchBucket for a bucket that does not exist, appending nothing', async () => {
    const { writer, eventTypes } = await inMemoryBucketStream();
    await expect(new ConfigureBucketCorsHandler(writer).execute(new ConfigureBucketCorsCommand('missing', RULES, ALICE))).rejects.toMatchObject({ code: 'NoSuchBucket' });
    expect(eventTypes()).toEqual([]);
  });
});
