import { InMemoryEventLog } from '../../test/support/in-memory-event.log.js';
import { InMemoryMetadataStore } from '../../test/support/in-memory-metadata.store.js';
import { decideBucket } from '../buckets/domain/bucket.decider.js';
import { decideObject } from '../objects/domain/object.decider.js';
import { BucketMetadataProjector } from '../projections/bucket-metadata/bucket-metadata.projector.js';
import { ProjectionProgress } from '../projections/projection-progress.js';
import { BucketStreamWriter } from './bucket-stream.writer.js';

const principal = { accessKeyId: 'AKIAROOT', arn: 'arn:aws:iam::000000000000:root' };
const now = new Date('2026-11-27T10:00:00.000Z');

async function setup() {
  const log = new InMemoryEventLog();
  const store = new InMemoryMetadataStore();
  const progress = new ProjectionProgress();
  const projector = new BucketMetadataProjector(store, progress, 'events');
  await projector.start();
  log.subscribe((r) => projector.apply(r));
  const writer = new BucketStreamWriter(log, store, progress, 2000, 2000);
  const createBucket = (bucket: string, owner: string) =>
    writer.execute({
      bucket, principal, now,
      decide: (s) => decideBucket({ type: 'CreateBucket', data: { bucket, bucketId: `id-${owner}`, owner, ownerDisplayName: owner, region: 'r' }, metadata: { now } }, s),
    });
  const deleteBucket = (bucket: string) =>
    writer.execute({ bucket, needsEmptiness: true, principal, now, decide: (s) => decideBucket({ type: 'DeleteBucket', data: { bucket }, metadata: { now } }, s) });
  const putObject = (bucket: string, key: string, objectId: string) =>
    writer.execute({
      bucket, key, principal, now,
      decide: (s) => decideObject({
        type: 'PutObject',
        data: { bucket, key, objectId, size: 1, etag: '"e"', contentType: 't', userMetadata: [], owner: 'a', ownerDisplayName: 'a' },
        metadata: { now, newVersionId: 'v-1' },
      }, s),
    });
  return { log, store, writer, createBucket, deleteBucket, putObject };
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

  it('appends nothing for a rejected command', async () => {
    const { log, deleteBucket } = await setup();
    const result = await deleteBucket('missing');
    expect(result.outcome === 'rejected' && result.error.code).toBe('NoSuchBucket');
    expect(log.all()).toEqual([]);
  });
});
