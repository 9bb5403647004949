import { inMemoryBucketStream, ALICE } from '../../../../test/support/in-memory-bucket-stream.js';
import { CreateBucketCommand } from '../../commands/create-bucket/create-bucket.command.js';
import { CreateBucketHandler } from '../../commands/create-bucket/create-bucket.handler.js';
import { ListBucketsHandler } from './list-buckets.handler.js';
import { ListBucketsQuery } from './list-buckets.query.js';

describe('ListBucketsHandler', () => {
  it("lists the owner's buckets by name, and no one else's", async () => {
    const { writer, store } = await inMemoryBucketStream();
    const create = new CreateBucketHandler(writer);
    const bob = { ...ALICE, arn: 'arn:aws:iam::111111111111:root', canonicalId: 'b'.repeat(64), displayName: 'bob' };
    await create.execute(new CreateBucketCommand('zebra', 'us-east-1', ALICE));
    await create.execute(new CreateBucketCommand('apple', 'us-east-1', ALICE));
    await create.execute(new CreateBucketCommand('bobs', 'us-east-1', bob));
    const listed = await new ListBucketsHandler(store).execute(new ListBucketsQuery(ALICE.canonicalId));
    expect(listed.map((b) => b._id)).toEqual(['apple', 'zebra']);
  });
});
