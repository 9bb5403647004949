// The database agrees with the storability rule (src/event-log/storable.ts): every generated
// history the rule calls storable, of every event type of both topics, is applied by the real
// projections to the real MongoDB-wire server without an error; and what the rule refuses, the
// server refuses too, which is why nothing unstorable may ever be appended (issue #10).
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { MongoClient, type Db } from 'mongodb';
import { envelope } from '../../src/event-log/event-envelope.js';
import { identityEnvelope } from '../../src/event-log/identity-envelope.js';
import { findUnstorable } from '../../src/event-log/storable.js';
import { IdentityDirectory } from '../../src/identity-stream/identity.directory.js';
import { MongoIdentityStore } from '../../src/metadata/mongo-identity.store.js';
import { MongoMetadataStore } from '../../src/metadata/mongo-metadata.store.js';
import { BucketMetadataProjector } from '../../src/projections/bucket-metadata/bucket-metadata.projector.js';
import { IdentityProjector } from '../../src/projections/identity/identity.projector.js';
import { ProjectionProgress } from '../../src/projections/projection-progress.js';
import { bucketHistory, identityHistory, unstorableText } from '../support/event-arbitraries.js';
import { readModelDocuments } from '../support/read-model-documents.js';

const url = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017';
const principal = { accessKeyId: 'AKIAEXAMPLE', arn: 'arn:aws:iam::000000000000:root' };
const RUNS = 25;

describe('the read model stores every event the storability rule accepts', () => {
  let client: MongoClient;
  let db: Db;

  beforeAll(async () => {
    client = await new MongoClient(url).connect();
    db = client.db(`int_storable_${randomUUID().slice(0, 8)}`);
    await new MongoMetadataStore(db).ensureIndexes();
  });
  afterAll(async () => {
    await db.dropDatabase();
    await client.close();
  });

  it('applies generated bucket histories (every bucket event type) with adversarial keys, metadata, tags and configurations', async () => {
    const store = new MongoMetadataStore(db);
    const progress = new ProjectionProgress();
    const projector = new BucketMetadataProjector(store, progress, 'storable.bucket-events');
    let offset = 0;
    let written = 0;
    for (const history of fc.sample(bucketHistory(), RUNS)) {
      for (const event of history) {
        const env = envelope(event, event.data.bucket, randomUUID(), new Date(), principal); // the writers' check passes
        await projector.apply({ envelope: env, event, position: { partition: 0, offset: offset++ } });
      }
      // Before BucketDeleted the object, its versions and the released blobs were really written.
      written += (await readModelDocuments(db, 'versions', (doc) => doc.bucket === history[0]!.data.bucket)).length;
    }
    expect(progress.appliedOffset(0)).toBe(offset - 1);
    expect(written).toBeGreaterThan(0);
  }, 120_000);

  it('applies generated identity histories (every identity event type)', async () => {
    const store = new MongoIdentityStore(db);
    const progress = new ProjectionProgress();
    const projector = new IdentityProjector(store, new MongoMetadataStore(db), new IdentityDirectory(), progress, 'storable.identity-events');
    await projector.start();
    let offset = 0;
    for (const history of fc.sample(identityHistory(), RUNS)) {
      for (const event of history) {
        const env = identityEnvelope(event, randomUUID(), new Date(), principal);
        await projector.apply({ envelope: env, event, position: { partition: 0, offset: offset++ } });
      }
    }
    expect(progress.appliedOffset(0)).toBe(offset - 1);
  }, 120_000);

  it('is right to refuse a NUL: the server cannot store one', async () => {
    const [text] = fc.sample(unstorableText.filter((t) => t.includes('\u0000')), 1);
    expect(findUnstorable({ text })).toBeDefined();
    await expect(db.collection('refused').insertOne({ _id: 'x' as never, text })).rejects.toThrow();
  });
});
