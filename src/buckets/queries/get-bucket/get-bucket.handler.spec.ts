import { inMemoryBucketStream, ALICE } from '../../../../test/support/in-memory-bucket-stream.js';
import { CreateBucketCommand } from '../../commands/create-bucket/create-bucket.command.js';
import { CreateBucketHandler } from '../../commands/create-bucket/create-bucket.handler.js';
import { GetBucketHandler } from './get-bucket.handler.js';
import { GetBucketQuery } from './get-bucket.query.js';

describe('GetBucketHandler', () => {
  it('returns the bucket as the read model holds it', async () => {
    const { writer, store } = await inMemoryBucketStream();
    await new CreateBucketHandler(writer).execute(new CreateBucketCommand('photos', 'us-east-1', ALICE));
    await expect(new GetBucketHandler(store).execute(new GetBucketQuery('photos'))).resolves.toMatchObject({ _id: 'photos', owner: ALICE.canonicalId });
  });

  it('answers NoSuchBucket naming the bucket', async () => {
    const { store } = await inMemoryBucketStream();
    await expect(new GetBucketHandler(store).execute(new GetBucketQuery('missing'))).rejects.toMatchObject({
      code: 'NoSuchBucket',
      resource: '/missing',
      details: { BucketName: 'missing' },
    });
  });
});
