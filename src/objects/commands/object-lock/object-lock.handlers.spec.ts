import { inMemoryBucketStream, ALICE } from '../../../../test/support/in-memory-bucket-stream.js';
import { ConfigureObjectLockCommand } from '../../../buckets/commands/configure-object-lock/configure-object-lock.command.js';
import { ConfigureObjectLockHandler } from '../../../buckets/commands/configure-object-lock/configure-object-lock.handler.js';
import { CreateBucketCommand } from '../../../buckets/commands/create-bucket/create-bucket.command.js';
import { CreateBucketHandler } from '../../../buckets/commands/create-bucket/create-bucket.handler.js';
import { DeleteObjectCommand } from '../delete-object/delete-object.command.js';
import { DeleteObjectHandler } from '../delete-object/delete-object.handler.js';
import { DeleteObjectsCommand } from '../delete-objects/delete-objects.command.js';
import { DeleteObjectsHandler } from '../delete-objects/delete-objects.handler.js';
import { PutObjectLegalHoldCommand, PutObjectRetentionCommand } from './object-lock.commands.js';
import { PutObjectLegalHoldHandler, PutObjectRetentionHandler } from './object-lock.handlers.js';

const inADay = () => new Date(Date.now() + 86_400_000).toISOString();

/** A bucket created with Object Lock, holding one version of `a.tar` (v-o-1); decided from the read model. */
async function lockedBucket() {
  const stream = await inMemoryBucketStream();
  await new CreateBucketHandler(stream.writer).execute(new CreateBucketCommand('vault', 'us-east-1', ALICE, { objectLockEnabled: true }));
  await stream.putObject('vault', 'a.tar', 'o-1');
  return {
    ...stream,
    retention: new PutObjectRetentionHandler(stream.writer),
    legalHold: new PutObjectLegalHoldHandler(stream.writer),
    deleteObject: new DeleteObjectHandler(stream.writer),
    deleteObjects: new DeleteObjectsHandler(stream.writer),
  };
}

describe('Object Lock handlers', () => {
  it('creates a locked, versioned bucket, and a default retention is put on its configuration', async () => {
    const { writer, store, eventTypes } = await inMemoryBucketStream();
    await new CreateBucketHandler(writer).execute(new CreateBucketCommand('vault', 'us-east-1', ALICE, { objectLockEnabled: true }));
    await new ConfigureObjectLockHandler(writer).execute(new ConfigureObjectLockCommand('vault', { mode: 'GOVERNANCE', days: 3 }, ALICE));
    expect(store.buckets.get('vault')).toMatchObject({ versioning: 'Enabled', objectLock: { defaultRetention: { mode: 'GOVERNANCE', days: 3 } } });
    expect(eventTypes()).toEqual(['BucketCreated', 'BucketVersioningConfigured', 'BucketObjectLockConfigured', 'BucketObjectLockConfigured']);
  });

  it('refuses Object Lock on a bucket whose versioning is not Enabled, appending nothing', async () => {
    const { writer, eventTypes } = await inMemoryBucketStream();
    await new CreateBucketHandler(writer).execute(new CreateBucketCommand('plain', 'us-east-1', ALICE));
    await expect(new ConfigureObjectLockHandler(writer).execute(new ConfigureObjectLockCommand('plain', null, ALICE))).rejects.toMatchObject({ code: 'InvalidBucketState' });
    expect(eventTypes()).toEqual(['BucketCreated']);
  });

  it('keeps a version under GOVERNANCE retention until the bypass deletes it, deciding from the read model', async () => {
    const { retention, deleteObject, store, eventTypes } = await lockedBucket();
    const until = inADay();
    await retention.execute(new PutObjectRetentionCommand('vault', 'a.tar', { mode: 'GOVERNANCE', retainUntil: until }, false, ALICE, 'v-o-1'));
    expect(store.objects.get('vault/a.tar')?.retention).toEqual({ mode: 'GOVERNANCE', retainUntil: until });
    await expect(deleteObject.execute(new DeleteObjectCommand('vault', 'a.tar', ALICE, 'v-o-1'))).rejects.toMatchObject({ code: 'AccessDenied' });
    await deleteObject.execute(new DeleteObjectCommand('vault', 'a.tar', ALICE, 'v-o-1', true));
    expect(eventTypes().slice(-2)).toEqual(['ObjectRetentionPut', 'ObjectDeleted']);
  });

  it('keeps a version under a legal hold whatever the bypass, and DeleteObjects reports it refused', async () => {
    const { legalHold, deleteObject, deleteObjects, putObject, store, eventTypes } = await lockedBucket();
    await putObject('vault', 'b.tar', 'o-2');
    await legalHold.execute(new PutObjectLegalHoldCommand('vault', 'a.tar', true, ALICE));
    expect(store.objects.get('vault/a.tar')?.legalHold).toBe(true);
    await expect(deleteObject.execute(new DeleteObjectCommand('vault', 'a.tar', ALICE, 'v-o-1', true))).rejects.toMatchObject({ code: 'AccessDenied' });
    const outcomes = await deleteObjects.execute(
      new DeleteObjectsCommand('vault', [{ key: 'a.tar', versionId: 'v-o-1', bypassGovernance: true }, { key: 'b.tar', versionId: 'v-o-2' }], ALICE),
    );
    expect(outcomes).toEqual([
      { versionId: 'v-o-1', deleteMarker: false, refused: { code: 'AccessDenied', message: 'Access Denied because object protected by object lock.' } },
      { versionId: 'v-o-2', deleteMarker: false },
    ]);
    await legalHold.execute(new PutObjectLegalHoldCommand('vault', 'a.tar', false, ALICE, 'v-o-1'));
    await deleteObject.execute(new DeleteObjectCommand('vault', 'a.tar', ALICE, 'v-o-1'));
    expect(eventTypes().slice(-4)).toEqual(['ObjectLegalHoldPut', 'ObjectDeleted', 'ObjectLegalHoldPut', 'ObjectDeleted']);
  });
});
