import { jest } from '@jest/globals';
import { inMemoryBucketStream, ALICE } from '../../../../test/support/in-memory-bucket-stream.js';
import { ConfigureBucketVersioningCommand } from '../../../buckets/commands/configure-bucket-versioning/configure-bucket-versioning.command.js';
import { ConfigureBucketVersioningHandler } from '../../../buckets/commands/configure-bucket-versioning/configure-bucket-versioning.handler.js';
import { CreateBucketCommand } from '../../../buckets/commands/create-bucket/create-bucket.command.js';
import { CreateBucketHandler } from '../../../buckets/commands/create-bucket/create-bucket.handler.js';
import type { DeletionTarget } from '../../../bucket-stream/object.decider.js';
import { DeleteObjectsCommand } from './delete-objects.command.js';
import { DeleteObjectsHandler } from './delete-objects.handler.js';

const V1 = 'a'.repeat(32);
const V2 = 'b'.repeat(32);

/** Bucket `docs` (versioned if asked) and a `deleteObjects` that runs the handler under test. */
async function withBucket(versioning?: 'Enabled') {
  const stream = await inMemoryBucketStream();
  await new CreateBucketHandler(stream.writer).execute(new CreateBucketCommand('docs', 'us-east-1', ALICE));
  if (versioning) await new ConfigureBucketVersioningHandler(stream.writer).execute(new ConfigureBucketVersioningCommand('docs', versioning, ALICE));
  const handler = new DeleteObjectsHandler(stream.writer);
  const deleteObjects = (objects: DeletionTarget[], bucket = 'docs') => handler.execute(new DeleteObjectsCommand(bucket, objects, ALICE));
  /** [type, key, versionId] of the events appended after the first `skip`. */
  const appendedAfter = (skip: number) =>
    stream.log
      .all()
      .slice(skip)
      .map((r) => [r.event.type, (r.event.data as { key?: string }).key, (r.event.data as { versionId?: string }).versionId]);
  return { ...stream, deleteObjects, appendedAfter };
}

describe('DeleteObjectsHandler', () => {
  it('deletes every key named in one append, answering one outcome per target in order (a missing key too)', async () => {
    const { deleteObjects, putObject, store, log, appendedAfter } = await withBucket();
    await putObject('docs', 'a.txt', 'o-1');
    await putObject('docs', 'b.txt', 'o-2');
    await putObject('docs', 'c.txt', 'o-3');
    const before = log.all().length;
    const append = jest.spyOn(log, 'append');
    await expect(deleteObjects([{ key: 'b.txt' }, { key: 'missing' }, { key: 'a.txt' }])).resolves.toEqual([
      { deleteMarker: false },
      { deleteMarker: false },
      { deleteMarker: false },
    ]);
    expect(append).toHaveBeenCalledTimes(1);
    expect(appendedAfter(before)).toEqual([
      ['ObjectDeleted', 'b.txt', undefined],
      ['ObjectDeleted', 'a.txt', undefined],
    ]);
    expect([...store.objects.keys()]).toEqual(['docs/c.txt']);
  });

  it('puts a delete marker on each key of a versioned bucket and answers its version id; a key named twice gets one marker', async () => {
    const { deleteObjects, putObject, store, log, appendedAfter } = await withBucket('Enabled');
    await putObject('docs', 'a.txt', 'o-1', V1);
    await putObject('docs', 'b.txt', 'o-2', V2);
    const before = log.all().length;
    const outcomes = await deleteObjects([{ key: 'a.txt' }, { key: 'b.txt' }, { key: 'a.txt' }]);
    const markers = appendedAfter(before);
    expect(markers.map(([type, key]) => [type, key])).toEqual([
      ['DeleteMarkerCreated', 'a.txt'],
      ['DeleteMarkerCreated', 'b.txt'],
    ]);
    expect(outcomes).toEqual([
      { versionId: markers[0]![2], deleteMarker: true },
      { versionId: markers[1]![2], deleteMarker: true },
      { versionId: markers[0]![2], deleteMarker: true },
    ]);
    expect(store.objects.size).toBe(0);
    expect(store.versions.size).toBe(4);
  });

  it('removes the versions named for good, newest first, so the key is left with nothing', async () => {
    const { deleteObjects, putObject, store, log, appendedAfter } = await withBucket('Enabled');
    await putObject('docs', 'a.txt', 'o-1', V1);
    await putObject('docs', 'a.txt', 'o-2', V2);
    const before = log.all().length;
    await expect(deleteObjects([{ key: 'a.txt', versionId: V2 }, { key: 'a.txt', versionId: V1 }])).resolves.toEqual([
      { versionId: V2, deleteMarker: false },
      { versionId: V1, deleteMarker: false },
    ]);
    expect(appendedAfter(before)).toEqual([
      ['ObjectDeleted', 'a.txt', V2],
      ['ObjectDeleted', 'a.txt', V1],
    ]);
    expect(store.objects.has('docs/a.txt')).toBe(false);
    expect(store.versions.size).toBe(0);
  });

  it('answers two targets of one key by their own events: the marker for the key, the version named for good', async () => {
    const { deleteObjects, putObject, log, appendedAfter, store } = await withBucket('Enabled');
    await putObject('docs', 'a.txt', 'o-1', V1);
    await putObject('docs', 'a.txt', 'o-2', V2);
    const before = log.all().length;
    const outcomes = await deleteObjects([{ key: 'a.txt' }, { key: 'a.txt', versionId: V1 }]);
    const [marker, deleted] = appendedAfter(before);
    expect([marker?.[0], deleted]).toEqual(['DeleteMarkerCreated', ['ObjectDeleted', 'a.txt', V1]]);
    expect(outcomes).toEqual([
      { versionId: marker![2], deleteMarker: true },
      { versionId: V1, deleteMarker: false },
    ]);
    expect([...store.versions.values()].map((v) => v.versionId).sort()).toEqual([marker![2], V2].sort());
  });

  it('answers the marker for the key even when a version of it, named first, was deleted before the marker', async () => {
    const { deleteObjects, putObject, log, appendedAfter } = await withBucket('Enabled');
    await putObject('docs', 'a.txt', 'o-1', V1);
    await putObject('docs', 'a.txt', 'o-2', V2);
    const before = log.all().length;
    const outcomes = await deleteObjects([{ key: 'a.txt', versionId: V1 }, { key: 'a.txt' }]);
    const [deleted, marker] = appendedAfter(before);
    expect([deleted, marker?.[0]]).toEqual([['ObjectDeleted', 'a.txt', V1], 'DeleteMarkerCreated']);
    expect(outcomes).toEqual([
      { versionId: V1, deleteMarker: false },
      { versionId: marker![2], deleteMarker: true },
    ]);
  });

  it('answers a delete marker removed by version id as a delete marker, and the key reads again', async () => {
    const { deleteObjects, putObject, store } = await withBucket('Enabled');
    await putObject('docs', 'a.txt', 'o-1', V1);
    const [marker] = await deleteObjects([{ key: 'a.txt' }]);
    expect(store.objects.has('docs/a.txt')).toBe(false);
    await expect(deleteObjects([{ key: 'a.txt', versionId: marker!.versionId! }])).resolves.toEqual([{ versionId: marker!.versionId, deleteMarker: true }]);
    expect(store.objects.get('docs/a.txt')).toMatchObject({ objectId: 'o-1', versionId: V1 });
  });

  it('answers NoSuchBucket for a bucket that does not exist, appending nothing', async () => {
    const { deleteObjects, eventTypes } = await withBucket();
    await expect(deleteObjects([{ key: 'a.txt' }], 'missing')).rejects.toMatchObject({ code: 'NoSuchBucket', details: { BucketName: 'missing' } });
    expect(eventTypes()).toEqual(['BucketCreated']);
  });
});
