// The ledger a store keeps as it writes (ADR 0014) equals the digest of the model read whole,
// whether events are applied one by one or in batches, across generated histories of every
// bucket event type; a redelivered batch, which the store cannot account for, makes it unclean;
// a ledger computed from a model's documents matches too.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { MongoClient, type Db } from 'mongodb';
import type { RecordedEvent } from '../../src/event-log/event-envelope.js';
import { envelope } from '../../src/event-log/event-envelope.js';
import type { SedimentEvent } from '../../src/bucket-stream/sediment-event.js';
import { MongoMetadataStore } from '../../src/metadata/mongo-metadata.store.js';
import { BucketMetadataProjector } from '../../src/projections/bucket-metadata/bucket-metadata.projector.js';
import { ProjectionProgress } from '../../src/projections/projection-progress.js';
import { digestFromLedger, digestReadModel, ledgerOfReadModel } from '../../src/replay/read-model.digest.js';
import { bucketHistory } from '../support/event-arbitraries.js';

const url = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017';
const principal = { accessKeyId: 'AKIAEXAMPLE', arn: 'arn:aws:iam::000000000000:root' };

/** Generated histories as recorded events, spread over two partitions as buckets would be. */
function recorded(histories: SedimentEvent[][]): RecordedEvent[] {
  const offsets = [0, 0];
  return histories.flatMap((history, i) =>
    history.map((event) => {
      const partition = i % 2;
      return { envelope: envelope(event, event.data.bucket, randomUUID(), new Date(0), principal), event, position: { partition, offset: offsets[partition]++ } };
    }),
  );
}

describe('the digest ledger', () => {
  let client: MongoClient;
  const dbs: Db[] = [];
  const freshDb = () => {
    const db = client.db(`int_ledger_${randomUUID().slice(0, 8)}`);
    dbs.push(db);
    return db;
  };

  beforeAll(async () => {
    client = await new MongoClient(url).connect();
  });
  afterAll(async () => {
    for (const db of dbs) await db.dropDatabase();
    await client.close();
  });

  // Histories that keep their objects (the last events deleted everything): drop the deletions.
  const keeping = bucketHistory().map((events) => events.filter((e) => e.type !== 'BucketDeleted' && e.type !== 'ObjectDeleted'));

  it.each([
    ['one by one', false],
    ['in batches', true],
  ])('equals the digest read whole after events applied %s', async (_how, batched) => {
    const db = freshDb();
    const store = new MongoMetadataStore(db);
    await store.ensureIndexes();
    const projector = new BucketMetadataProjector(store, new ProjectionProgress(), 'ledger.topic');
    await projector.start();
    const events = recorded(fc.sample(keeping, 6));
    if (batched) {
      for (const partition of [0, 1]) {
        const ofPartition = events.filter((e) => e.position.partition === partition);
        for (let at = 0; at < ofPartition.length; at += 7) await projector.applyBatch(ofPartition.slice(at, at + 7));
      }
    } else {
      for (const event of events) await projector.apply(event);
    }
    expect(store.ledger.clean).toBe(true);
    const whole = await digestReadModel(db);
    expect(whole.counts.objects).toBeGreaterThan(0);
    expect(await digestFromLedger(db, store.ledger)).toEqual(whole);
  }, 120_000);

  it('equals the digest read whole after whole histories, deletions of objects, versions and buckets included', async () => {
    const db = freshDb();
    const store = new MongoMetadataStore(db);
    const projector = new BucketMetadataProjector(store, new ProjectionProgress(), 'ledger.topic');
    await projector.start();
    const events = recorded(fc.sample(bucketHistory(), 6));
    for (const partition of [0, 1]) await projector.applyBatch(events.filter((e) => e.position.partition === partition));
    expect(store.ledger.clean).toBe(true);
    expect(await digestFromLedger(db, store.ledger)).toEqual(await digestReadModel(db));
  }, 120_000);

  it('survives a restart through the checkpoints, and turns unclean when a batch comes again', async () => {
    const db = freshDb();
    const first = new MongoMetadataStore(db);
    const projector = new BucketMetadataProjector(first, new ProjectionProgress(), 'ledger.topic');
    await projector.start();
    const events = recorded(fc.sample(keeping, 2)).filter((e) => e.position.partition === 0);
    await projector.applyBatch(events.slice(0, 10));
    await projector.flush();

    // A restart loads the ledger saved with the checkpoint and goes on from there.
    const second = new MongoMetadataStore(db);
    const resumed = new BucketMetadataProjector(second, new ProjectionProgress(), 'ledger.topic');
    await resumed.start();
    await resumed.applyBatch(events.slice(10));
    expect(second.ledger.clean).toBe(true);
    expect(await digestFromLedger(db, second.ledger)).toEqual(await digestReadModel(db));

    // A crash after writes and before their checkpoint: the same records come again.
    const third = new MongoMetadataStore(db);
    await new BucketMetadataProjector(third, new ProjectionProgress(), 'ledger.topic').start();
    await new BucketMetadataProjector(third, new ProjectionProgress(), 'unused').applyBatch(events.slice(5));
    expect(third.ledger.clean).toBe(false);
  }, 120_000);

  it('computed from the documents of a model, equals the digest read whole', async () => {
    const db = freshDb();
    const projector = new BucketMetadataProjector(new MongoMetadataStore(db), new ProjectionProgress(), 'ledger.topic');
    await projector.start();
    for (const event of recorded(fc.sample(keeping, 4))) await projector.applyBatch([event]);
    expect(await digestFromLedger(db, await ledgerOfReadModel(db))).toEqual(await digestReadModel(db));
  }, 120_000);
});
