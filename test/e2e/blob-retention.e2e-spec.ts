// Blob retention (issue #4 §2): payloads that an overwrite or a delete released stay on disk for
// SEDIMENT_BLOB_GRACE_HOURS, for point-in-time recovery; after that the janitor deletes them, and
// never the payload a key still references.
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { CreateBucketCommand, DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { startSediment, type SedimentUnderTest } from '../support/sediment-under-test.js';

const blobPath = (sediment: SedimentUnderTest, id: string) =>
  join(sediment.config.SEDIMENT_BLOB_DIR, 'objects', id.slice(0, 2), id.slice(2, 4), id);
const exists = (path: string) => access(path).then(
  () => true,
  () => false,
);

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

interface Workload {
  /** The payload of `kept` before it was overwritten. */
  overwritten: string;
  /** The payload of `kept` now. */
  live: string;
  /** The payload of `gone`, which was deleted. */
  deleted: string;
}

/** Overwrite one key, delete another: two released payloads and one live one. */
async function workload(sediment: SedimentUnderTest): Promise<Workload> {
  const { s3, db } = sediment;
  const objectIdOf = async (key: string) => (await db.collection<{ _id: string; objectId: string }>('objects').findOne({ _id: `retention/${key}` }))!.objectId;
  await s3.send(new CreateBucketCommand({ Bucket: 'retention' }));
  await s3.send(new PutObjectCommand({ Bucket: 'retention', Key: 'kept', Body: 'first version' }));
  const overwritten = await objectIdOf('kept');
  await s3.send(new PutObjectCommand({ Bucket: 'retention', Key: 'kept', Body: 'second version' }));
  const live = await objectIdOf('kept');
  await s3.send(new PutObjectCommand({ Bucket: 'retention', Key: 'gone', Body: 'short-lived' }));
  const deleted = await objectIdOf('gone');
  await s3.send(new DeleteObjectCommand({ Bucket: 'retention', Key: 'gone' }));
  return { overwritten, live, deleted };
}

const releasedIds = async (sediment: SedimentUnderTest) =>
  (await sediment.db.collection('released_blobs').find({}).toArray()).map((d) => String(d._id)).sort();

describe('blob retention with a grace period of 0', () => {
  let sediment: SedimentUnderTest;
  let ids: Workload;

  beforeAll(async () => {
    sediment = await startSediment({ SEDIMENT_BLOB_GRACE_HOURS: '0', SEDIMENT_BLOB_JANITOR_INTERVAL_MS: '200' });
    ids = await workload(sediment);
  }, 30_000);
  afterAll(() => sediment?.stop(), 30_000);

  it('deletes the released blobs and their release records, and keeps the live one', async () => {
    await waitFor(async () => !(await exists(blobPath(sediment, ids.overwritten))) && !(await exists(blobPath(sediment, ids.deleted))));
    await waitFor(async () => (await releasedIds(sediment)).length === 0);
    expect(await exists(blobPath(sediment, ids.live))).toBe(true);
    const got = await sediment.s3.send(new GetObjectCommand({ Bucket: 'retention', Key: 'kept' }));
    expect(await got.Body!.transformToString()).toBe('second version');
  });

  it('deletes what later writes release too, while the service runs', async () => {
    await sediment.s3.send(new PutObjectCommand({ Bucket: 'retention', Key: 'kept', Body: 'third version' }));
    await waitFor(async () => !(await exists(blobPath(sediment, ids.live))));
    const got = await sediment.s3.send(new GetObjectCommand({ Bucket: 'retention', Key: 'kept' }));
    expect(await got.Body!.transformToString()).toBe('third version');
  });
});

describe('blob retention within the grace period', () => {
  let sediment: SedimentUnderTest;
  let ids: Workload;

  beforeAll(async () => {
    sediment = await startSediment({ SEDIMENT_BLOB_GRACE_HOURS: '168', SEDIMENT_BLOB_JANITOR_INTERVAL_MS: '100' });
    ids = await workload(sediment);
  }, 30_000);
  afterAll(() => sediment?.stop(), 30_000);

  it('keeps released blobs and records when and where each was released', async () => {
    const before = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 1000)); // ten sweeps
    for (const id of [ids.overwritten, ids.deleted, ids.live]) expect(await exists(blobPath(sediment, id))).toBe(true);
    const released = await sediment.db.collection('released_blobs').find({}).toArray();
    expect(released.map((r) => ({ id: r._id, key: r.key, bucket: r.bucket })).sort((a, b) => a.key.localeCompare(b.key))).toEqual([
      { id: ids.deleted, key: 'gone', bucket: 'retention' },
      { id: ids.overwritten, key: 'kept', bucket: 'retention' },
    ]);
    for (const r of released) expect((r.releasedAt as Date).getTime()).toBeLessThanOrEqual(before);
    expect(await releasedIds(sediment)).toEqual([ids.deleted, ids.overwritten].sort());
  });
});
