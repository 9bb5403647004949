import { inMemoryBucketStream } from '../../test/support/in-memory-bucket-stream.js';
import { InMemoryEventLog } from '../../test/support/in-memory-event.log.js';
import { InMemoryMetadataStore } from '../../test/support/in-memory-metadata.store.js';
import { decideBucket } from '../bucket-stream/bucket.decider.js';
import { decideObject } from '../bucket-stream/object.decider.js';
import { envelope } from '../event-log/event-envelope.js';
import { BucketMetadataProjector } from '../projections/bucket-metadata/bucket-metadata.projector.js';
import { ProjectionProgress } from '../projections/projection-progress.js';
import { BucketStreamWriter } from './bucket-stream.writer.js';

const principal = { accessKeyId: 'AKIAROOT', arn: 'arn:aws:iam::000000000000:root' };
const now = new Date('2026-11-27T10:00:00.000Z');

async function setup() {
  const { log, store, progress, writer } = await inMemoryBucketStream();
  const createBucket = (bucket: string, owner: string) =>
    writer.execute({
      bucket, principal, now,
      decide: (s) => decideBucket({ type: 'CreateBucket', data: { bucket, bucketId: `id-${owner}`, owner, ownerDisplayName: owner, region: 'r' }, metadata: { now } }, s),
    });
  const deleteBucket = (bucket: string) =>
    writer.execute({ bucket, needsEmptiness: true, principal, now, decide: (s) => decideBucket({ type: 'DeleteBucket', data: { bucket }, metadata: { now } }, s) });
  const putObject = (bucket: string, key: string, objectId: string, condition?: { ifNoneMatch: '*' }) =>
    writer.execute({
      bucket, key, principal, now,
      decide: (s) => decideObject({
        type: 'PutObject',
        data: { bucket, key, objectId, size: 1, etag: '"e"', contentType: 't', userMetadata: [], owner: 'a', ownerDisplayName: 'a' },
        ...(condition ? { condition } : {}),
        metadata: { now, newVersionId: 'v-1' },
      }, s),
    });
  return { log, store, progress, writer, createBucket, deleteBucket, putObject };
}

describe('BucketStreamWriter', () => {
  it('answers only after the event is applied to the read model', async () => {
    const { store, createBucket } = await setup();
    const result = await createBucket('photos', 'alice');
    expect(result.outcome).toBe('recorded');
    expect(store.buckets.get('photos')?.owner).toBe('alice');
  });

  it('lets exactly one of many concurrent creations of a name win', async () => {
    const { log, createBucket } = await setup();
    const owners = Array.from({ length: 20 }, (_, i) => `owner-${i}`);
    const results = await Promise.all(owners.map((o) => createBucket('contested', o)));
    const recorded = results.filter((r) => r.outcome === 'recorded');
    expect(recorded).toHaveLength(1);
    const codes = results.flatMap((r) => (r.outcome === 'rejected' ? [r.error.code] : []));
    expect(codes).toEqual(Array(19).fill('BucketAlreadyExists'));
    expect(log.all().filter((r) => r.event.type === 'BucketCreated')).toHaveLength(1);
  });

  it('never leaves an object in a deleted bucket when delete races put', async () => {
    const { store, log, createBucket, deleteBucket, putObject } = await setup();
    for (let round = 0; round < 20; round++) {
      const bucket = `race-${round}`;
      await createBucket(bucket, 'alice');
      const [del, put] = await Promise.all([deleteBucket(bucket), putObject(bucket, 'k', `o-${round}`)]);
      const bucketExists = store.buckets.has(bucket);
      const objectExists = store.objects.has(`${bucket}/k`);
      if (del.outcome === 'recorded') {
        expect(put.outcome).toBe('rejected');
        expect(bucketExists || objectExists).toBe(false);
      } else {
        expect(put.outcome).toBe('recorded');
        expect(del.outcome === 'rejected' && del.error.code).toBe('BucketNotEmpty');
        expect(bucketExists && objectExists).toBe(true);
      }
    }
    const facts = log.all();
    for (const deleted of facts.filter((r) => r.event.type === 'BucketDeleted')) {
      const later = facts.filter(
        (r) => r.envelope.bucket === deleted.envelope.bucket && r.position.offset > deleted.position.offset,
      );
      expect(later).toEqual([]);
    }
  });

  it('orders overwrites of one key by the log, last one wins', async () => {
    const { store, log, createBucket, putObject } = await setup();
    await createBucket('docs', 'alice');
    await Promise.all(Array.from({ length: 10 }, (_, i) => putObject('docs', 'k', `o-${i}`)));
    const stored = log.all().filter((r) => r.event.type === 'ObjectStored');
    const last = stored[stored.length - 1]!;
    expect(store.objects.get('docs/k')?.objectId).toBe(last.event.type === 'ObjectStored' && last.event.data.objectId);
  });

  it('decides writes of different keys of one bucket without waiting for each other to be applied', async () => {
    const { log, progress, createBucket, putObject } = await setup();
    await createBucket('many', 'alice');
    const partition = log.partitionOf('many');
    const appliedBefore = progress.appliedOffset(partition);
    const puts = Array.from({ length: 8 }, (_, i) => putObject('many', `k-${i}`, `o-${i}`));
    // Every put is appended before the first of them is applied: none waited on another's round trip.
    const appended = () => log.all().filter((r) => r.event.type === 'ObjectStored').length;
    await new Promise((resolve) => setImmediate(resolve));
    expect(appended()).toBe(8);
    expect(progress.appliedOffset(partition)).toBeLessThan(appliedBefore + 8);
    expect((await Promise.all(puts)).every((r) => r.outcome === 'recorded')).toBe(true);
  });

  it('lets exactly one of many concurrent create-only writes of one key win, while other keys go on', async () => {
    const { log, createBucket, putObject } = await setup();
    await createBucket('cond', 'alice');
    const results = await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => putObject('cond', 'contested', `o-${i}`, { ifNoneMatch: '*' })),
      ...Array.from({ length: 10 }, (_, i) => putObject('cond', `free-${i}`, `f-${i}`, { ifNoneMatch: '*' })),
    ]);
    const contested = results.slice(0, 10);
    expect(contested.filter((r) => r.outcome === 'recorded')).toHaveLength(1);
    expect(contested.flatMap((r) => (r.outcome === 'rejected' ? [r.error.code] : []))).toEqual(Array(9).fill('PreconditionFailed'));
    expect(results.slice(10).every((r) => r.outcome === 'recorded')).toBe(true);
    expect(log.all().filter((r) => r.event.type === 'ObjectStored' && r.event.data.key === 'contested')).toHaveLength(1);
  });

  it('appends nothing for a rejected command', async () => {
    const { log, deleteBucket } = await setup();
    const result = await deleteBucket('missing');
    expect(result.outcome === 'rejected' && result.error.code).toBe('NoSuchBucket');
    expect(log.all()).toEqual([]);
  });

  describe('with a partition stopped on a poison record (ADR 0011)', () => {
    const stop = (partition: number, offset: number) => ({ topic: 'events', partition, offset, reason: 'record is not JSON', since: now });

    it('refuses a write to that partition at once, appending nothing, and takes writes to the others', async () => {
      const { log, progress, createBucket } = await setup();
      const [stopped, other] = ['a-bucket', 'b-bucket', 'c-bucket', 'd-bucket', 'e-bucket'].reduce<string[]>(
        (found, name) => (found.length < 2 && !found.some((f) => log.partitionOf(f) === log.partitionOf(name)) ? [...found, name] : found),
        [],
      );
      progress.halt(stop(log.partitionOf(stopped!), 0));
      await expect(createBucket(stopped!, 'alice')).rejects.toMatchObject({
        code: 'ServiceUnavailable',
        message: expect.stringContaining(`Partition ${log.partitionOf(stopped!)} of events is stopped at offset 0`),
      });
      expect(log.all()).toEqual([]);
      expect((await createBucket(other!, 'alice')).outcome).toBe('recorded');
    });

    it('finishes its catch-up when a partition stops short of the log end, and waits for that end once it runs again', async () => {
      const log = new InMemoryEventLog();
      const store = new InMemoryMetadataStore();
      const progress = new ProjectionProgress();
      const projector = new BucketMetadataProjector(store, progress, 'events');
      await projector.start();
      // Two events already in the log, nothing applied: the first one of them is poison.
      const bucket = 'photos';
      const events = [0, 1].map((i) => ({
        type: 'BucketCreated' as const,
        data: { bucket: `${bucket}-${i}`, bucketId: `id-${i}`, owner: 'o', ownerDisplayName: 'o', region: 'r', createdAt: now.toISOString() },
      }));
      const partition = log.partitionOf(bucket);
      await log.append(bucket, events.map((e, i) => envelope(e, bucket, `id-${i}`, now, principal)));
      const writer = new BucketStreamWriter(log, store, progress, 60_000, 60_000);
      const catchingUp = writer.catchUp();
      progress.halt(stop(partition, 0));
      await catchingUp;
      // The partition gets past the record (an operator quarantined it); its next event is still to come.
      progress.markApplied(partition, 0);
      progress.resume(partition);
      let decided = false;
      const write = writer.execute({ bucket, principal, now, decide: () => ((decided = true), []) });
      await new Promise((resolve) => setImmediate(resolve));
      expect(decided).toBe(false);
      progress.markApplied(partition, 1);
      await write;
      expect(decided).toBe(true);
    });
  });
});
