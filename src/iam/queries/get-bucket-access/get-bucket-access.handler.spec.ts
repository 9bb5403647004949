import type { QueryBus } from '@nestjs/cqrs';
import { ALICE, inMemoryBucketStream } from '../../../../test/support/in-memory-bucket-stream.js';
import { inMemoryIdentityStream } from '../../../../test/support/in-memory-identity-stream.js';
import { CreateBucketCommand } from '../../../buckets/commands/create-bucket/create-bucket.command.js';
import { CreateBucketHandler } from '../../../buckets/commands/create-bucket/create-bucket.handler.js';
import { DeleteBucketCommand } from '../../../buckets/commands/delete-bucket/delete-bucket.command.js';
import { DeleteBucketHandler } from '../../../buckets/commands/delete-bucket/delete-bucket.handler.js';
import { GetBucketHandler } from '../../../buckets/queries/get-bucket/get-bucket.handler.js';
import type { GetBucketQuery } from '../../../buckets/queries/get-bucket/get-bucket.query.js';
import { ChangeIdentityCommand } from '../../commands/change-identity/change-identity.command.js';
import { ChangeIdentityHandler } from '../../commands/change-identity/change-identity.handler.js';
import { GetBucketAccessHandler } from './get-bucket-access.handler.js';
import { GetBucketAccessQuery } from './get-bucket-access.query.js';

const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::site/*' }],
});

/** Bucket `site` with a policy and the public-read ACL, and the handler under test. */
async function siteWithAccess() {
  const buckets = await inMemoryBucketStream();
  const identities = await inMemoryIdentityStream();
  await new CreateBucketHandler(buckets.writer).execute(new CreateBucketCommand('site', 'us-east-1', ALICE));
  const bucketId = buckets.store.buckets.get('site')!.bucketId;
  const change = new ChangeIdentityHandler(identities.writer);
  await change.execute(new ChangeIdentityCommand({ type: 'PutBucketPolicy', data: { bucket: 'site', bucketId, policy: POLICY } }, ALICE));
  await change.execute(new ChangeIdentityCommand({ type: 'PutBucketAcl', data: { bucket: 'site', bucketId, acl: 'public-read' } }, ALICE));
  const getBucket = new GetBucketHandler(buckets.store);
  const queries = { execute: (query: GetBucketQuery) => getBucket.execute(query) } as unknown as QueryBus;
  return { ...buckets, handler: new GetBucketAccessHandler(queries, identities.directory) };
}

describe('GetBucketAccessHandler', () => {
  it("answers the bucket with its policy, as put, and its canned ACL", async () => {
    const { handler } = await siteWithAccess();
    await expect(handler.execute(new GetBucketAccessQuery('site'))).resolves.toMatchObject({ bucket: { _id: 'site' }, policy: POLICY, acl: 'public-read' });
  });

  it('does not apply the policy and ACL of an earlier bucket of the same name', async () => {
    const { handler, writer } = await siteWithAccess();
    await new DeleteBucketHandler(writer).execute(new DeleteBucketCommand('site', ALICE));
    await new CreateBucketHandler(writer).execute(new CreateBucketCommand('site', 'us-east-1', ALICE));
    const access = await handler.execute(new GetBucketAccessQuery('site'));
    expect(access.policy).toBeUndefined();
    expect(access.acl).toBe('private');
  });

  it('answers NoSuchBucket for a bucket that does not exist', async () => {
    const { handler } = await siteWithAccess();
    await expect(handler.execute(new GetBucketAccessQuery('missing'))).rejects.toMatchObject({ code: 'NoSuchBucket' });
  });
});
