import { inMemoryBucketStream, ALICE } from '../../../../test/support/in-memory-bucket-stream.js';
import { CreateBucketCommand } from '../../commands/create-bucket/create-bucket.command.js';
import { CreateBucketHandler } from '../../commands/create-bucket/create-bucket.handler.js';
import { decodeBucketToken, encodeBucketToken, ListBucketsHandler } from './list-buckets.handler.js';
import { ListBucketsQuery, type ListBucketsOptions } from './list-buckets.query.js';

/** ALICE owns apple, apricot and zebra (zebra in eu-west-3); bob owns bobs. */
async function threeBuckets() {
  const { writer, store } = await inMemoryBucketStream();
  const create = new CreateBucketHandler(writer);
  const bob = { ...ALICE, arn: 'arn:aws:iam::111111111111:root', canonicalId: 'b'.repeat(64), displayName: 'bob' };
  await create.execute(new CreateBucketCommand('zebra', 'eu-west-3', ALICE));
  await create.execute(new CreateBucketCommand('apple', 'us-east-1', ALICE));
  await create.execute(new CreateBucketCommand('apricot', 'us-east-1', ALICE));
  await create.execute(new CreateBucketCommand('bobs', 'us-east-1', bob));
  const handler = new ListBucketsHandler(store);
  return async (options: ListBucketsOptions = {}) => {
    const page = await handler.execute(new ListBucketsQuery(ALICE.canonicalId, options));
    return { names: page.buckets.map((b) => b._id), token: page.continuationToken };
  };
}

describe('ListBucketsHandler', () => {
  it("lists the owner's buckets by name, all of them without max-buckets, and no one else's", async () => {
    const list = await threeBuckets();
    await expect(list()).resolves.toEqual({ names: ['apple', 'apricot', 'zebra'], token: undefined });
  });

  it('pages by max-buckets, each page ending on a token the next one starts after', async () => {
    const list = await threeBuckets();
    const first = await list({ maxBuckets: 2 });
    expect(first).toEqual({ names: ['apple', 'apricot'], token: encodeBucketToken('apricot') });
    await expect(list({ maxBuckets: 2, after: decodeBucketToken(first.token!) })).resolves.toEqual({ names: ['zebra'], token: undefined });
  });

  it('narrows by prefix and by region', async () => {
    const list = await threeBuckets();
    await expect(list({ prefix: 'ap' })).resolves.toEqual({ names: ['apple', 'apricot'], token: undefined });
    await expect(list({ region: 'eu-west-3' })).resolves.toEqual({ names: ['zebra'], token: undefined });
  });
});

describe('bucket continuation tokens', () => {
  it('round-trip a bucket name, and refuse what this service did not issue', () => {
    expect(decodeBucketToken(encodeBucketToken('my.bucket-1'))).toBe('my.bucket-1');
    expect(decodeBucketToken('not a token')).toBeUndefined();
    expect(decodeBucketToken(Buffer.from('no/slash').toString('base64url'))).toBeUndefined();
  });
});
