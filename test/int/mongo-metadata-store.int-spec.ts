import type { ReadModelMutation } from '../../src/metadata/read-model-mutations.js';
import { randomUUID } from 'node:crypto';
import { MongoClient, type Db } from 'mongodb';
import { MongoMetadataStore, READ_MODEL_FORMAT } from '../../src/metadata/mongo-metadata.store.js';
import { versionDocumentId, type ObjectDocument } from '../../src/metadata/metadata.documents.js';
import { readModelDocuments } from '../support/read-model-documents.js';

const url = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017';

const object = (key: string, offset: number, objectId = `o-${offset}`): ObjectDocument => ({
  _id: `docs/${key}`, bucket: 'docs', bucketId: 'b', key, objectId, size: 1, etag: '"e"', contentType: 't',
  userMetadata: [], owner: 'o', ownerDisplayName: 'root', lastModified: new Date(0), partition: 0, offset,
});

describe('MongoMetadataStore on the MongoDB-wire server', () => {
  let client: MongoClient;
  let db: Db;
  let store: MongoMetadataStore;

  beforeAll(async () => {
    client = await new MongoClient(url).connect();
    db = client.db(`int_store_${randomUUID().slice(0, 8)}`);
    store = new MongoMetadataStore(db);
    await store.ensureIndexes();
  });

  afterAll(async () => {
    await db.dropDatabase();
    await client.close();
  });

  it('keeps the newer document when an older event is applied after it', async () => {
    await store.applyMutation({ collection: 'objects', op: 'upsert', doc: object('guard', 7, 'new') });
    await store.applyMutation({ collection: 'objects', op: 'upsert', doc: object('guard', 5, 'old') });
    await store.applyMutation({ collection: 'objects', op: 'upsert', doc: object('guard', 7, 'new') });
    expect((await store.getObject('docs', 'guard'))?.objectId).toBe('new');
    await store.applyMutation({ collection: 'objects', op: 'delete', id: 'docs/guard', position: { partition: 0, offset: 6 } });
    expect(await store.getObject('docs', 'guard')).not.toBeNull();
    await store.applyMutation({ collection: 'objects', op: 'delete', id: 'docs/guard', position: { partition: 0, offset: 8 } });
    expect(await store.getObject('docs', 'guard')).toBeNull();
  });

  it('stores objects, versions and listing entries packed (ADR 0027): only _id and the indexed fields are fields, and reads them back as written', async () => {
    const doc = { ...object('packed/a.txt', 3), tags: [{ key: 'k', value: 'v' }], lastModified: new Date('2026-12-08T01:02:03.456Z') };
    const version = { ...doc, _id: versionDocumentId('docs', doc.key, 3), versionId: 'v-3', seq: 3, isDeleteMarker: false as const };
    await store.applyMutations([
      { collection: 'objects', op: 'upsert', doc },
      { collection: 'versions', op: 'upsert', doc: version },
    ]);
    expect(Object.keys((await db.collection('objects').findOne({ _id: doc._id as never }))!).sort()).toEqual(['_id', 'm', 'objectId']);
    expect(Object.keys((await db.collection('versions').findOne({ _id: version._id as never }))!).sort()).toEqual(['_id', 'm', 'objectId']);
    for (const entry of await db.collection('listing_tree').find({ _id: { $gte: 'docs/', $lt: 'docs0' } as never }).toArray()) {
      expect(Object.keys(entry).sort()).toEqual(['_id', 'm']);
    }
    expect(await store.getObject('docs', doc.key)).toEqual(doc);
    expect(await store.getVersion('docs', doc.key, 'v-3')).toEqual(version);
    expect(await store.listLevel('docs', { prefix: 'packed/', limit: 10 })).toEqual([
      { key: doc.key, lastModified: doc.lastModified, etag: doc.etag, size: doc.size, owner: doc.owner, ownerDisplayName: doc.ownerDisplayName },
    ]);
  });

  it('sets and removes tags only on the object they were put on, and only over an earlier position', async () => {
    const tags = [{ key: 'colour', value: 'blue' }];
    const setTags = (objectId: string, value: typeof tags | null, offset: number) =>
      store.applyMutation({ collection: 'objects', op: 'patchVersion', bucket: 'docs', key: 'tagged', objectId, versionId: 'null', field: 'tags', value, position: { partition: 0, offset } });
    await store.applyMutation({ collection: 'objects', op: 'upsert', doc: object('tagged', 10, 'o-1') });
    await setTags('o-1', tags, 11);
    expect(await store.getObject('docs', 'tagged')).toMatchObject({ tags, offset: 11 });
    await setTags('o-1', null, 10); // redelivered, older
    expect((await store.getObject('docs', 'tagged'))?.tags).toEqual(tags);
    await setTags('o-0', null, 12); // another object's tags
    expect((await store.getObject('docs', 'tagged'))?.tags).toEqual(tags);
    // Tags of another version of the key leave the current document alone.
    await store.applyMutation({ collection: 'objects', op: 'patchVersion', bucket: 'docs', key: 'tagged', objectId: 'o-1', versionId: 'v-other', field: 'tags', value: null, position: { partition: 0, offset: 13 } });
    expect((await store.getObject('docs', 'tagged'))?.tags).toEqual(tags);
    await setTags('o-1', null, 13);
    expect(await store.getObject('docs', 'tagged')).not.toHaveProperty('tags');
    await store.applyMutation({ collection: 'objects', op: 'patchVersion', bucket: 'docs', key: 'never', objectId: 'o-9', versionId: 'null', field: 'tags', value: tags, position: { partition: 0, offset: 14 } });
    expect(await store.getObject('docs', 'never')).toBeNull();
  });

  it('sets and removes a bucket CORS configuration in a batch, guarded by position', async () => {
    const cors = { rules: [{ allowedMethods: ['GET'], allowedOrigins: ['*'], allowedHeaders: [], exposeHeaders: [] }] };
    const doc = { _id: 'cors-bucket', bucketId: 'b', owner: 'o', ownerDisplayName: 'root', region: 'us-east-1', createdAt: new Date(0), partition: 0, offset: 1 };
    await store.applyMutations([
      { collection: 'buckets', op: 'upsert', doc },
      { collection: 'buckets', op: 'patchBucket', id: 'cors-bucket', field: 'cors', value: cors, position: { partition: 0, offset: 2 } },
    ]);
    expect(await store.getBucket('cors-bucket')).toMatchObject({ cors, offset: 2 });
    await store.applyMutation({ collection: 'buckets', op: 'patchBucket', id: 'cors-bucket', field: 'cors', value: null, position: { partition: 0, offset: 2 } });
    expect((await store.getBucket('cors-bucket'))?.cors).toEqual(cors);
    await store.applyMutation({ collection: 'buckets', op: 'patchBucket', id: 'cors-bucket', field: 'cors', value: null, position: { partition: 0, offset: 3 } });
    expect(await store.getBucket('cors-bucket')).not.toHaveProperty('cors');
  });

  it('with its bucket cache (ADR 0030), reads a bucket from the database once and sees every change applied through it, one by one or batched', async () => {
    const cached = new MongoMetadataStore(db, { cacheBuckets: true });
    const doc = { _id: 'cached-bucket', bucketId: 'b', owner: 'o', ownerDisplayName: 'root', region: 'us-east-1', createdAt: new Date(0), partition: 0, offset: 1 };
    expect(await cached.getBucket('cached-bucket')).toBeNull();
    await cached.applyMutation({ collection: 'buckets', op: 'upsert', doc });
    expect(await cached.getBucket('cached-bucket')).toEqual(doc);
    // Kept: a change made behind the store's back (never done live, where only its projection writes) is not seen.
    await db.collection('buckets').updateOne({ _id: 'cached-bucket' as never }, { $set: { region: 'elsewhere' } });
    expect((await cached.getBucket('cached-bucket'))?.region).toBe('us-east-1');
    await cached.applyMutation({ collection: 'buckets', op: 'setVersioning', id: 'cached-bucket', status: 'Enabled', position: { partition: 0, offset: 2 } });
    expect(await cached.getBucket('cached-bucket')).toMatchObject({ versioning: 'Enabled', region: 'elsewhere', offset: 2 });
    await cached.applyMutations([
      { collection: 'objects', op: 'upsert', doc: object('cached', 3) },
      { collection: 'buckets', op: 'delete', id: 'cached-bucket', position: { partition: 0, offset: 4 } },
    ]);
    expect(await cached.getBucket('cached-bucket')).toBeNull();
  });

  it('pages the buckets with a lifecycle configuration, and a bucket’s uploads, by _id (the lifecycle worker’s reads)', async () => {
    const lifecycle = { rules: [{ id: 'r', status: 'Enabled' as const, filter: {}, expiration: { days: 1 } }] };
    const bucket = (name: string) => ({ _id: name, bucketId: 'b', owner: 'o', ownerDisplayName: 'root', region: 'us-east-1', createdAt: new Date(0), partition: 0, offset: 1 });
    for (const name of ['lc-a', 'lc-b', 'lc-c', 'lc-none']) await store.applyMutation({ collection: 'buckets', op: 'upsert', doc: bucket(name) });
    for (const name of ['lc-a', 'lc-b', 'lc-c']) {
      await store.applyMutation({ collection: 'buckets', op: 'patchBucket', id: name, field: 'lifecycle', value: lifecycle, position: { partition: 0, offset: 2 } });
    }
    const names = async (after: string | undefined) => (await store.listLifecycleBuckets(after, 2)).map((b) => b._id);
    expect(await names(undefined)).toEqual(['lc-a', 'lc-b']);
    expect(await names('lc-b')).toEqual(['lc-c']);
    expect((await store.listLifecycleBuckets(undefined, 10)).every((b) => b.lifecycle !== undefined)).toBe(true);

    const upload = (id: string, bucketName: string) => ({
      _id: id, bucket: bucketName, bucketId: 'b', key: 'k', contentType: 't', userMetadata: [], owner: 'o', ownerDisplayName: 'root',
      initiatedAt: new Date(0), parts: [], partition: 0, offset: 3,
    });
    for (const [id, name] of [['u-3', 'lc-a'], ['u-1', 'lc-a'], ['u-2', 'lc-b'], ['u-4', 'lc-a']] as const) {
      await store.applyMutation({ collection: 'uploads', op: 'upsert', doc: upload(id, name) });
    }
    const page = async (after: string | undefined) => (await store.listUploadsPage('lc-a', after, 2)).map((u) => u._id);
    expect(await page(undefined)).toEqual(['u-1', 'u-3']);
    expect(await page('u-3')).toEqual(['u-4']);
  });

  it('stores an empty user-metadata array as an empty array', async () => {
    await store.applyMutation({ collection: 'objects', op: 'upsert', doc: object('empty-meta', 1) });
    expect((await store.getObject('docs', 'empty-meta'))?.userMetadata).toEqual([]);
  });

  it('fetches the existing ones of several keys in one query', async () => {
    for (const [i, key] of ['many/a', 'many/b', 'many/c'].entries()) {
      await store.applyMutation({ collection: 'objects', op: 'upsert', doc: object(key, 200 + i) });
    }
    const found = await store.getObjects('docs', ['many/c', 'many/missing', 'many/a']);
    expect(found.map((o) => o.key).sort()).toEqual(['many/a', 'many/c']);
    expect(await store.getObjects('docs', [])).toEqual([]);
    expect(await store.getObjects('other', ['many/a'])).toEqual([]);
  });

  it('lists keys by prefix and lower bound in UTF-8 byte order', async () => {
    const keys = ['p/a', 'p/b', 'p/é', 'p/\uFFFD', 'p/😀', 'p0', 'o/x', 'p/'];
    for (const [i, key] of keys.entries()) {
      await store.applyMutation({ collection: 'objects', op: 'upsert', doc: object(key, 100 + i) });
    }
    const listed = (await store.listObjects('docs', { prefix: 'p/', limit: 100 })).map((o) => o.key);
    expect(listed).toEqual(['p/', 'p/a', 'p/b', 'p/é', 'p/\uFFFD', 'p/😀']);
    const after = (await store.listObjects('docs', { prefix: 'p/', after: 'p/é', limit: 2 })).map((o) => o.key);
    expect(after).toEqual(['p/\uFFFD', 'p/😀']);
  });

  it('lists only what a listing shows of an object, not the parts of a multipart one', async () => {
    const doc = { ...object('lean/multipart', 300), parts: Array.from({ length: 3 }, (_, i) => ({ objectId: `p${i}`, size: 5 })), storageClass: 'STANDARD_IA' };
    await store.applyMutation({ collection: 'objects', op: 'upsert', doc });
    const [listed] = await store.listObjects('docs', { prefix: 'lean/', limit: 10 });
    expect(listed).toEqual({ key: 'lean/multipart', lastModified: doc.lastModified, etag: doc.etag, size: doc.size, owner: doc.owner, ownerDisplayName: doc.ownerDisplayName, storageClass: 'STANDARD_IA' });
  });

  it('saves checkpoints monotonically per projection and partition', async () => {
    await store.saveCheckpoint('proj', 'topic', 0, 10);
    await store.saveCheckpoint('proj', 'topic', 0, 4);
    await store.saveCheckpoint('proj', 'topic', 3, 2);
    await store.saveCheckpoint('other', 'topic', 0, 99);
    expect(await store.loadCheckpoints('proj', 'topic')).toEqual(new Map([[0, 10], [3, 2]]));
  });

  it('records a released payload once and lists the due ones oldest first', async () => {
    const release = (id: string, at: string, offset: number) => ({
      collection: 'released_blobs' as const,
      op: 'release' as const,
      doc: { _id: id, bucket: 'docs', key: `k-${id}`, releasedAt: new Date(at), partition: 0, offset },
    });
    await store.applyMutation(release('r-2', '2026-01-02T00:00:00.000Z', 2));
    await store.applyMutation(release('r-1', '2026-01-01T00:00:00.000Z', 1));
    await store.applyMutation(release('r-3', '2026-01-03T00:00:00.000Z', 3));
    // Redelivered (the same event again, or an older release of the blob): the record stands.
    await store.applyMutation(release('r-1', '2026-01-01T00:00:00.000Z', 1));
    await store.applyMutation(release('r-1', '2025-12-01T00:00:00.000Z', 0));
    const due = await store.releasedBlobsDue(new Date('2026-01-02T00:00:00.000Z'), 10);
    expect(due.map((r) => [r._id, r.releasedAt.toISOString(), r.offset])).toEqual([
      ['r-1', '2026-01-01T00:00:00.000Z', 1],
      ['r-2', '2026-01-02T00:00:00.000Z', 2],
    ]);
    expect((await store.releasedBlobsDue(new Date('2027-01-01T00:00:00.000Z'), 2)).map((r) => r._id)).toEqual(['r-1', 'r-2']);
    await store.forgetReleasedBlob('r-1');
    await store.forgetReleasedBlob('r-1');
    expect((await store.releasedBlobsDue(new Date('2027-01-01T00:00:00.000Z'), 10)).map((r) => r._id)).toEqual(['r-2', 'r-3']);
  });

  it('keeps the later of two releases of a blob shared by copies, one by one and batched', async () => {
    const release = (id: string, at: string, key: string) => ({
      collection: 'released_blobs' as const,
      op: 'release' as const,
      doc: { _id: id, bucket: 'docs', key, releasedAt: new Date(at), partition: 0, offset: 1 },
    });
    await store.applyMutation(release('shared-1', '2026-02-01T00:00:00.000Z', 'source'));
    await store.applyMutation(release('shared-1', '2026-03-01T00:00:00.000Z', 'copy'));
    await store.applyMutation(release('shared-1', '2026-02-01T00:00:00.000Z', 'source'));
    await store.applyMutations([release('shared-2', '2026-03-01T00:00:00.000Z', 'copy'), release('shared-2', '2026-02-01T00:00:00.000Z', 'source')]);
    const due = await store.releasedBlobsDue(new Date('2026-04-01T00:00:00.000Z'), 100);
    expect(due.filter((r) => r._id.startsWith('shared-')).map((r) => [r._id, r.key, r.releasedAt.toISOString()])).toEqual([
      ['shared-1', 'copy', '2026-03-01T00:00:00.000Z'],
      ['shared-2', 'copy', '2026-03-01T00:00:00.000Z'],
    ]);
  });

  it('tells whether any version of any key references a blob, as its objectId or among its parts', async () => {
    const version = (doc: ReturnType<typeof object>, versionId: string) =>
      store.applyMutation({
        collection: 'versions',
        op: 'upsert',
        doc: { ...doc, _id: versionDocumentId(doc.bucket, doc.key, doc.offset), versionId, seq: doc.offset, isDeleteMarker: false },
      });
    // A noncurrent version: no `objects` document names the blob any more, its version does.
    await version(object('ref/plain', 500, 'blob-plain'), 'v-old');
    await version({ ...object('ref/multi', 501, 'manifest-1'), parts: [{ objectId: 'part-1', size: 1 }, { objectId: 'part-2', size: 1 }] }, 'null');
    expect(await store.isBlobReferenced('blob-plain')).toBe(true);
    expect(await store.isBlobReferenced('manifest-1')).toBe(true);
    expect(await store.isBlobReferenced('part-2')).toBe(true);
    expect(await store.isBlobReferenced('nobody')).toBe(false);
  });

  it('counts a part of an upload in progress as a reference, so a suspected blob is never deleted under it', async () => {
    await store.applyMutation({
      collection: 'uploads',
      op: 'upsert',
      doc: {
        _id: 'upload-1', bucket: 'docs', bucketId: 'b', key: 'big', contentType: 't', userMetadata: [], owner: 'o', ownerDisplayName: 'root',
        initiatedAt: new Date(0), parts: [{ partNumber: 1, objectId: 'part-in-progress', size: 5, etag: '"e"', lastModified: new Date(0) }],
        partition: 0, offset: 600,
      },
    });
    expect(await store.isBlobReferenced('part-in-progress')).toBe(true);
    await store.suspectBlob('suspect-1', 'docs', 'big', new Date('2026-01-01T00:00:00.000Z'));
    const due = await store.releasedBlobsDue(new Date('2026-01-02T00:00:00.000Z'), 100);
    expect(due.find((r) => r._id === 'suspect-1')).toMatchObject({ bucket: 'docs', key: 'big', releasedAt: new Date('2026-01-01T00:00:00.000Z') });
  });

  it('applies a batch of mutations with the same outcome as one by one, redelivery included', async () => {
    // A partition's history: creates, overwrites, deletes and re-creates of a few keys.
    const history: ReadModelMutation[] = [];
    for (let offset = 100; offset < 400; offset++) {
      const key = `k${offset % 17}`;
      history.push(
        offset % 5 === 0
          ? { collection: 'objects', op: 'delete', id: `docs/${key}`, position: { partition: 0, offset } }
          : { collection: 'objects', op: 'upsert', doc: object(key, offset) },
      );
    }
    const oneByOne = new MongoMetadataStore(client.db(`${db.databaseName}_seq`));
    const batched = new MongoMetadataStore(client.db(`${db.databaseName}_batch`));
    for (const m of history) await oneByOne.applyMutation(m);
    // Batches of 64, then everything from an older checkpoint again (redelivery after a crash).
    for (let i = 0; i < history.length; i += 64) await batched.applyMutations(history.slice(i, i + 64));
    for (let i = 100; i < history.length; i += 50) await batched.applyMutations(history.slice(i, i + 50));
    const all = (d: Db) => readModelDocuments(d, 'objects');
    try {
      expect(await all(client.db(`${db.databaseName}_batch`))).toEqual(await all(client.db(`${db.databaseName}_seq`)));
      expect((await all(client.db(`${db.databaseName}_seq`))).length).toBeGreaterThan(5);
    } finally {
      await client.db(`${db.databaseName}_seq`).dropDatabase();
      await client.db(`${db.databaseName}_batch`).dropDatabase();
    }
  });

  it('takes the replaces hint as a hint: right or wrong, a batch ends as one by one, ledger included', async () => {
    // Creates, overwrites and deletes of a few keys; every upsert says whether the key held an
    // object before it, as ObjectStored's replacedObjectId does, except a few that say it wrongly.
    const history: ReadModelMutation[] = [];
    const live = new Set<string>();
    for (let offset = 1000; offset < 1300; offset++) {
      const key = `h${offset % 13}`;
      if (offset % 6 === 0) {
        history.push({ collection: 'objects', op: 'delete', id: `docs/${key}`, position: { partition: 0, offset } });
        live.delete(key);
        continue;
      }
      const wrong = offset % 11 === 0;
      const replaces = live.has(key) !== wrong;
      history.push({ collection: 'objects', op: 'upsert', doc: object(key, offset), ...(replaces ? { replaces: true as const } : {}) });
      live.add(key);
    }
    const oneByOne = new MongoMetadataStore(client.db(`${db.databaseName}_hseq`));
    const batched = new MongoMetadataStore(client.db(`${db.databaseName}_hbatch`));
    for (const m of history) await oneByOne.applyMutation(m);
    for (let i = 0; i < history.length; i += 40) await batched.applyMutations(history.slice(i, i + 40));
    const all = (d: Db) => readModelDocuments(d, 'objects');
    try {
      const expected = await all(client.db(`${db.databaseName}_hseq`));
      expect(expected.map((d) => d.key)).toEqual([...live].sort());
      expect(await all(client.db(`${db.databaseName}_hbatch`))).toEqual(expected);
      expect(batched.ledger.clean).toBe(true);
      expect(batched.ledger.totals()).toEqual(oneByOne.ledger.totals());
    } finally {
      await client.db(`${db.databaseName}_hseq`).dropDatabase();
      await client.db(`${db.databaseName}_hbatch`).dropDatabase();
    }
  });
});

describe('the read model format', () => {
  let client: MongoClient;
  beforeAll(async () => {
    client = await new MongoClient(url).connect();
  });
  afterAll(async () => {
    await client.close();
  });

  it('marks a new database, accepts it again, and refuses one an older Sediment built', async () => {
    const fresh = client.db(`int_format_${randomUUID().slice(0, 8)}`);
    const old = client.db(`int_format_${randomUUID().slice(0, 8)}`);
    try {
      await new MongoMetadataStore(fresh).assertFormat();
      await new MongoMetadataStore(fresh).assertFormat();
      expect(await fresh.collection('read_model_format').findOne({ _id: 'format' as never })).toMatchObject({ version: READ_MODEL_FORMAT });
      // A model with checkpoints and no marker: its versions have the ids of format 1.
      await old.collection('projection_checkpoints').insertOne({ _id: 'bucket-metadata:t:0' as never, projection: 'bucket-metadata', topic: 't', partition: 0, offset: 9 });
      await expect(new MongoMetadataStore(old).assertFormat()).rejects.toThrow(/made by an older Sediment .*sediment replay/);
    } finally {
      await fresh.dropDatabase();
      await old.dropDatabase();
    }
  });
});
