import { inMemoryBucketStream, ALICE } from '../../../../test/support/in-memory-bucket-stream.js';
import { userPrincipal } from '../../../event-log/principal.js';
import { CreateBucketCommand } from './create-bucket.command.js';
import { CreateBucketHandler } from './create-bucket.handler.js';

describe('CreateBucketHandler', () => {
  it('records BucketCreated owned by the caller and answers once the read model has the bucket', async () => {
    const { writer, store, log } = await inMemoryBucketStream();
    await expect(new CreateBucketHandler(writer).execute(new CreateBucketCommand('photos', 'eu-west-1', ALICE))).resolves.toEqual({ bucket: 'photos' });
    expect(store.buckets.get('photos')).toMatchObject({ owner: ALICE.canonicalId, region: 'eu-west-1' });
    expect(log.all().map((r) => [r.event.type, r.envelope.bucket, r.envelope.principal.arn])).toEqual([['BucketCreated', 'photos', ALICE.arn]]);
  });

  it.each(['Photos', 'ab', 'a_b', '-photos', '192.168.1.1'])('refuses %j with InvalidBucketName and appends nothing', async (name) => {
    const { writer, eventTypes } = await inMemoryBucketStream();
    await expect(new CreateBucketHandler(writer).execute(new CreateBucketCommand(name, 'us-east-1', ALICE))).rejects.toMatchObject({ code: 'InvalidBucketName' });
    expect(eventTypes()).toEqual([]);
  });

  it('refuses a name another account holds with BucketAlreadyExists', async () => {
    const { writer, eventTypes } = await inMemoryBucketStream();
    const handler = new CreateBucketHandler(writer);
    await handler.execute(new CreateBucketCommand('shared', 'us-east-1', ALICE));
    const other = { ...ALICE, arn: 'arn:aws:iam::111111111111:root', canonicalId: 'b'.repeat(64), displayName: 'bob' };
    await expect(handler.execute(new CreateBucketCommand('shared', 'us-east-1', other))).rejects.toMatchObject({ code: 'BucketAlreadyExists' });
    expect(eventTypes()).toEqual(['BucketCreated']);
  });

  it('gives a bucket an IAM user creates to the account, as S3 does', async () => {
    const { writer, store } = await inMemoryBucketStream();
    const user = userPrincipal('AKIAUSER000000000001', { userName: 'carol', userId: 'AIDACAROL', arn: 'arn:aws:iam::000000000000:user/carol' });
    await new CreateBucketHandler(writer).execute(new CreateBucketCommand('team', 'us-east-1', user));
    expect(store.buckets.get('team')?.owner).toBe(ALICE.canonicalId);
  });
});
