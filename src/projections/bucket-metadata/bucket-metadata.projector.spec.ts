import { InMemoryMetadataStore } from '../../../test/support/in-memory-metadata.store.js';
import { partListFingerprint } from '../../bucket-stream/completed-upload.js';
import type { RecordedEvent } from '../../event-log/event-envelope.js';
import type { SedimentEvent } from '../../bucket-stream/sediment-event.js';
import { ProjectionProgress } from '../projection-progress.js';
import { projectBucketMetadata } from './bucket-metadata.projection.js';
import { BucketMetadataProjector } from './bucket-metadata.projector.js';

const t = '2026-11-27T10:00:00.000Z';
const created: SedimentEvent = {
  type: 'BucketCreated',
  data: { bucket: 'docs', bucketId: 'b-1', owner: 'o', ownerDisplayName: 'root', region: 'us-east-1', createdAt: t },
};
const stored = (key: string, objectId: string, replacedObjectId?: string, storedAt = t): SedimentEvent => ({
  type: 'ObjectStored',
  data: {
    bucket: 'docs', bucketId: 'b-1', key, objectId, size: 3, etag: '"e"', contentType: 'text/plain',
    userMetadata: [{ name: 'a.b', value: 'c' }], owner: 'o', ownerDisplayName: 'root', storedAt, storageClass: 'STANDARD',
    ...(replacedObjectId ? { replacedObjectId } : {}),
  },
});
const deleted = (key: string, objectId: string, deletedAt = t): SedimentEvent => ({
  type: 'ObjectDeleted',
  data: { bucket: 'docs', bucketId: 'b-1', key, objectId, deletedAt },
});

const record = (event: SedimentEvent, offset: number, partition = 3): RecordedEvent =>
  ({ event, position: { partition, offset }, envelope: {} as RecordedEvent['envelope'] });

/** given(recorded events, in delivery order).then(read model) */
async function given(...records: RecordedEvent[]) {
  const store = new InMemoryMetadataStore();
  const progress = new ProjectionProgress();
  const projector = new BucketMetadataProjector(store, progress, 'topic');
  await projector.start();
  for (const r of records) await projector.apply(r);
  await projector.checkpoint(3);
  return { store, progress, projector };
}

describe('bucket metadata projection', () => {
  it('counts every event of a batch it applies, and none it had applied already', async () => {
    const { projector, progress } = await given(record(created, 0), record(stored('a', 'o-1'), 1));
    expect(progress.eventsApplied).toBe(2);
    await projector.applyBatch([record(stored('a', 'o-1'), 1), record(stored('b', 'o-2'), 2), record(stored('c', 'o-3'), 3), record(deleted('b', 'o-2'), 4)]);
    expect(progress.eventsApplied).toBe(5);
    expect(progress.appliedOffset(3)).toBe(4);
  });

  describe('copies', () => {
    const copied = (key: string, over: Record<string, unknown> = {}): SedimentEvent => ({
      type: 'ObjectCopied',
      data: {
        bucket: 'docs', bucketId: 'b-1', key, objectId: 'o-1', size: 3, etag: '"e"', contentType: 'image/png', userMetadata: [],
        owner: 'o2', ownerDisplayName: 'bob', storedAt: '2026-11-27T11:00:00.000Z', storageClass: 'STANDARD',
        sourceBucket: 'docs', sourceKey: 'a', ...over,
      },
    });

    it('builds the copy’s document as for a stored object, sharing the source’s objectId', async () => {
      const { store } = await given(record(created, 0), record(stored('a', 'o-1'), 1), record(copied('b'), 2));
      const { _id, key, contentType, owner, lastModified, offset, objectId } = store.objects.get('docs/b')!;
      expect({ _id, key, contentType, owner, lastModified: lastModified.toISOString(), offset, objectId }).toEqual({
        _id: 'docs/b', key: 'b', contentType: 'image/png', owner: 'o2', lastModified: '2026-11-27T11:00:00.000Z', offset: 2, objectId: 'o-1',
      });
      expect(store.objects.get('docs/a')!.objectId).toBe('o-1');
      expect(store.releasedBlobs.size).toBe(0);
    });

    it('keeps the parts of a multipart source and the tags, and releases what the key held', async () => {
      const parts = [{ objectId: 'p-1', size: 2 }, { objectId: 'p-2', size: 1 }];
      const tags = [{ key: 'k', value: 'v' }];
      const { store } = await given(record(created, 0), record(stored('b', 'o-old'), 1), record(copied('b', { parts, tags, replacedObjectId: 'o-old' }), 2));
      expect(store.objects.get('docs/b')).toMatchObject({ parts, tags });
      expect([...store.releasedBlobs.keys()]).toEqual(['o-old']);
    });

    it('replaces the key’s null version when a copy lands on a key that already held the shared blob (onto itself, or the same copy again)', async () => {
      const onto = (key: string) => copied(key, { sourceKey: key, userMetadata: [{ name: 'new', value: 'meta' }] });
      const { store } = await given(record(created, 0), record(stored('a', 'o-1'), 1), record(onto('a'), 2), record(copied('b'), 3), record(copied('b'), 4));
      const versionsOf = (key: string) => [...store.versions.values()].filter((v) => v.key === key).map((v) => [v.versionId, v.seq]);
      expect(versionsOf('a')).toEqual([['null', 2]]);
      expect(versionsOf('b')).toEqual([['null', 4]]);
      expect(store.releasedBlobs.size).toBe(0);
    });
  });

  describe('multipart uploads', () => {
    const upload = (type: 'MultipartUploadInitiated'): SedimentEvent => ({
      type,
      data: { bucket: 'docs', bucketId: 'b-1', key: 'big', uploadId: 'up-1', contentType: 'video/mp4', userMetadata: [], owner: 'o', ownerDisplayName: 'root', initiatedAt: t },
    });
    const part = (partNumber: number, objectId: string, replacedObjectId?: string): SedimentEvent => ({
      type: 'MultipartPartUploaded',
      data: { bucket: 'docs', bucketId: 'b-1', key: 'big', uploadId: 'up-1', partNumber, objectId, size: 5, etag: `"${objectId}"`, uploadedAt: t, ...(replacedObjectId ? { replacedObjectId } : {}) },
    });
    const completed: SedimentEvent = {
      type: 'MultipartUploadCompleted',
      data: {
        bucket: 'docs', bucketId: 'b-1', key: 'big', uploadId: 'up-1', objectId: 'm-1', size: 10, etag: '"x-2"',
        parts: [{ partNumber: 1, objectId: 'p-1b', size: 5, etag: '"p-1b"' }, { partNumber: 2, objectId: 'p-2', size: 5, etag: '"p-2"' }],
        contentType: 'video/mp4', userMetadata: [], owner: 'o', ownerDisplayName: 'root', storageClass: 'STANDARD', storedAt: t,
        discardedObjectIds: ['p-3'],
      },
    };
    const history = () => [
      record(created, 0),
      record(upload('MultipartUploadInitiated'), 1),
      record(part(2, 'p-2'), 2),
      record(part(1, 'p-1'), 3),
      record(part(1, 'p-1b', 'p-1'), 4),
      record(part(3, 'p-3'), 5),
    ];

    it('keeps the upload with its latest part per number, ascending', async () => {
      const { store } = await given(...history());
      expect(store.uploads.get('up-1')).toMatchObject({ bucket: 'docs', key: 'big', partition: 3, offset: 5 });
      expect(store.uploads.get('up-1')!.parts.map((p) => [p.partNumber, p.objectId])).toEqual([[1, 'p-1b'], [2, 'p-2'], [3, 'p-3']]);
      expect([...store.releasedBlobs.keys()]).toEqual(['p-1']);
    });

    it('ignores a redelivered part', async () => {
      const { store } = await given(...history(), record(part(1, 'p-1'), 3));
      expect(store.uploads.get('up-1')!.parts[0]!.objectId).toBe('p-1b');
    });

    it('turns a completion into the object with its parts, a manifest, and releases the parts left out', async () => {
      const { store } = await given(...history(), record(completed, 6));
      expect(store.uploads.size).toBe(0);
      expect(store.objects.get('docs/big')).toMatchObject({ objectId: 'm-1', size: 10, etag: '"x-2"', parts: [{ objectId: 'p-1b', size: 5 }, { objectId: 'p-2', size: 5 }], offset: 6 });
      expect(store.manifests.get('m-1')).toMatchObject({ partObjectIds: ['p-1b', 'p-2'] });
      expect([...store.releasedBlobs.keys()].sort()).toEqual(['p-1', 'p-3']);
    });

    it('keeps what the completion answered, by upload id, for a retried Complete; a redelivery changes nothing', async () => {
      const { store } = await given(...history(), record(completed, 6), record(stored('big', 'o-9', 'm-1'), 7), record(completed, 6));
      expect(store.completedUploads.get('up-1')).toEqual({
        _id: 'up-1', bucket: 'docs', bucketId: 'b-1', key: 'big', etag: '"x-2"',
        partsFingerprint: partListFingerprint([{ partNumber: 1, etag: '"p-1b"' }, { partNumber: 2, etag: '"p-2"' }]),
        completedAt: new Date(t), partition: 3, offset: 6,
      });
      const done = completed as Extract<SedimentEvent, { type: 'MultipartUploadCompleted' }>;
      const versioned = await given(...history(), record({ ...done, data: { ...done.data, versionId: 'v-1' } }, 6));
      expect(versioned.store.completedUploads.get('up-1')).toMatchObject({ versionId: 'v-1' });
    });

    it('forgets an aborted upload and releases its parts', async () => {
      const aborted: SedimentEvent = {
        type: 'MultipartUploadAborted',
        data: { bucket: 'docs', bucketId: 'b-1', key: 'big', uploadId: 'up-1', discardedObjectIds: ['p-1b', 'p-2', 'p-3'], abortedAt: t },
      };
      const { store } = await given(...history(), record(aborted, 6));
      expect(store.uploads.size).toBe(0);
      expect([...store.releasedBlobs.keys()].sort()).toEqual(['p-1', 'p-1b', 'p-2', 'p-3']);
    });

    it('keeps the checksum algorithm of an upload, each part checksum, and the object checksum', async () => {
      const initiated = upload('MultipartUploadInitiated') as Extract<SedimentEvent, { type: 'MultipartUploadInitiated' }>;
      const withAlgorithm: SedimentEvent = { ...initiated, data: { ...initiated.data, checksumAlgorithm: 'SHA256', checksumType: 'COMPOSITE' } };
      const first = part(1, 'p-1') as Extract<SedimentEvent, { type: 'MultipartPartUploaded' }>;
      const checked: SedimentEvent = { ...first, data: { ...first.data, checksum: { algorithm: 'SHA256', value: 'c2hh' } } };
      const during = await given(record(created, 0), record(withAlgorithm, 1), record(checked, 2));
      expect(during.store.uploads.get('up-1')).toMatchObject({ checksumAlgorithm: 'SHA256', checksumType: 'COMPOSITE' });
      expect(during.store.uploads.get('up-1')!.parts[0]!.checksum).toEqual({ algorithm: 'SHA256', value: 'c2hh' });
      const done = completed as Extract<SedimentEvent, { type: 'MultipartUploadCompleted' }>;
      const checksum = { algorithm: 'SHA256', value: 'Y29tcG9zaXRl-2', type: 'COMPOSITE' } as const;
      const after = await given(...history(), record({ ...done, data: { ...done.data, checksum } }, 6));
      expect(after.store.objects.get('docs/big')!.checksum).toEqual(checksum);
    });

    it('applies a replay batch with multipart events like one by one', async () => {
      const oneByOne = await given(...history(), record(completed, 6));
      const store = new InMemoryMetadataStore();
      const projector = new BucketMetadataProjector(store, new ProjectionProgress(), 'topic');
      await projector.start();
      await projector.applyBatch([...history(), record(completed, 6)]);
      expect(store.objects).toEqual(oneByOne.store.objects);
      expect(store.manifests).toEqual(oneByOne.store.manifests);
      expect(store.completedUploads).toEqual(oneByOne.store.completedUploads);
    });
  });

  it('builds bucket and object documents with their log position', async () => {
    const { store } = await given(record(created, 0), record(stored('script.txt', 'u-1'), 1));
    expect(store.buckets.get('docs')).toMatchObject({ bucketId: 'b-1', owner: 'o', partition: 3, offset: 0 });
    expect(store.objects.get('docs/script.txt')).toEqual({
      _id: 'docs/script.txt', bucket: 'docs', bucketId: 'b-1', key: 'script.txt', objectId: 'u-1', size: 3,
      etag: '"e"', contentType: 'text/plain', userMetadata: [{ name: 'a.b', value: 'c' }], owner: 'o',
      ownerDisplayName: 'root', lastModified: new Date(t), storageClass: 'STANDARD', partition: 3, offset: 1,
    });
  });

  it('keeps the checksum an object was stored with, and none for one stored without', async () => {
    const plain = stored('plain.txt', 'u-1') as Extract<SedimentEvent, { type: 'ObjectStored' }>;
    const checksum = { algorithm: 'CRC64NVME', value: 'rosUhgp5mIg=', type: 'FULL_OBJECT' } as const;
    const checked: SedimentEvent = { ...plain, data: { ...plain.data, key: 'checked.txt', objectId: 'u-2', checksum } };
    const { store } = await given(record(created, 0), record(plain, 1), record(checked, 2));
    expect(store.objects.get('docs/checked.txt')!.checksum).toEqual(checksum);
    expect('checksum' in store.objects.get('docs/plain.txt')!).toBe(false);
  });

  it('keeps the content headers of an object, its versions and an upload, and none for one written without', async () => {
    const headers = { cacheControl: 'max-age=60', contentDisposition: 'inline', contentEncoding: 'gzip', contentLanguage: 'en', expires: 'not a date' };
    const plain = stored('plain.txt', 'u-1') as Extract<SedimentEvent, { type: 'ObjectStored' }>;
    const withHeaders: SedimentEvent = { ...plain, data: { ...plain.data, key: 'headers.txt', objectId: 'u-2', ...headers } };
    const initiated: SedimentEvent = {
      type: 'MultipartUploadInitiated',
      data: { bucket: 'docs', bucketId: 'b-1', key: 'big', uploadId: 'up-1', contentType: 'video/mp4', userMetadata: [], owner: 'o', ownerDisplayName: 'root', initiatedAt: t, ...headers },
    };
    const { store } = await given(record(created, 0), record(plain, 1), record(withHeaders, 2), record(initiated, 3));
    expect(store.objects.get('docs/headers.txt')).toMatchObject(headers);
    expect([...store.versions.values()].find((v) => v.key === 'headers.txt')).toMatchObject(headers);
    expect(store.uploads.get('up-1')).toMatchObject(headers);
    for (const field of Object.keys(headers)) expect(field in store.objects.get('docs/plain.txt')!).toBe(false);
  });

  it('lets the last write of a key win', async () => {
    const { store } = await given(record(created, 0), record(stored('k', 'u-1'), 1), record(stored('k', 'u-2'), 2));
    expect(store.objects.get('docs/k')?.objectId).toBe('u-2');
  });

  it('removes deleted objects and buckets', async () => {
    const { store } = await given(
      record(created, 0),
      record(stored('k', 'u-1'), 1),
      record(deleted('k', 'u-1'), 2),
      record({ type: 'BucketDeleted', data: { bucket: 'docs', bucketId: 'b-1', deletedAt: t } }, 3),
    );
    expect(store.objects.size).toBe(0);
    expect(store.buckets.size).toBe(0);
  });

  it('changes nothing when a batch is delivered twice', async () => {
    const batch = [record(created, 0), record(stored('k', 'u-1'), 1), record(stored('k', 'u-2'), 2)];
    const once = await given(...batch);
    const twice = await given(...batch, ...batch);
    expect([...twice.store.objects]).toEqual([...once.store.objects]);
    expect(twice.store.objects.get('docs/k')?.objectId).toBe('u-2');
  });

  it('does not resurrect a deleted object when an older write is redelivered after a restart', async () => {
    const first = await given(record(created, 0), record(stored('k', 'u-1'), 1), record(deleted('k', 'u-1'), 2));
    // A new projector over the same store resumes from the saved checkpoint.
    const progress = new ProjectionProgress();
    const projector = new BucketMetadataProjector(first.store, progress, 'topic');
    await projector.start();
    await projector.apply(record(stored('k', 'u-1'), 1));
    expect(first.store.objects.has('docs/k')).toBe(false);
    expect(first.store.checkpoints.get('bucket-metadata:topic:3')).toBe(2);
  });

  it('hints that an object write replaces a document exactly when the event replaced a payload', () => {
    const hintOf = (event: SedimentEvent) =>
      projectBucketMetadata(event, { partition: 3, offset: 9 }).find((m) => m.collection === 'objects' && m.op === 'upsert');
    expect(hintOf(stored('k', 'u-2', 'u-1'))).toMatchObject({ replaces: true });
    expect(hintOf(stored('k', 'u-1'))).not.toHaveProperty('replaces');
  });

  it('skips an older position for a document even past the checkpoint', async () => {
    const { store, projector } = await given(record(created, 0), record(stored('k', 'u-2'), 5));
    await store.applyMutation({
      collection: 'objects', op: 'upsert',
      doc: { ...store.objects.get('docs/k')!, objectId: 'stale', offset: 4 },
    });
    expect(store.objects.get('docs/k')?.objectId).toBe('u-2');
    expect(projector.name).toBe('bucket-metadata');
  });

  describe('released payloads', () => {
    const later = '2026-11-28T08:30:00.000Z';

    it('records the payload an overwrite replaced, at the time of the overwrite', async () => {
      const { store } = await given(record(created, 0), record(stored('k', 'u-1'), 1), record(stored('k', 'u-2', 'u-1', later), 2));
      expect([...store.releasedBlobs.values()]).toEqual([
        { _id: 'u-1', bucket: 'docs', key: 'k', releasedAt: new Date(later), partition: 3, offset: 2 },
      ]);
      expect(store.objects.get('docs/k')?.objectId).toBe('u-2');
    });

    it('records the payload a delete released', async () => {
      const { store } = await given(record(created, 0), record(stored('k', 'u-1'), 1), record(deleted('k', 'u-1', later), 2));
      expect([...store.releasedBlobs.values()]).toEqual([
        { _id: 'u-1', bucket: 'docs', key: 'k', releasedAt: new Date(later), partition: 3, offset: 2 },
      ]);
    });

    it('records nothing for a first write', async () => {
      const { store } = await given(record(created, 0), record(stored('k', 'u-1'), 1));
      expect(store.releasedBlobs.size).toBe(0);
    });

    it('records each release once, even when the store sees it again past the checkpoint guard', async () => {
      const batch = [record(created, 0), record(stored('k', 'u-1'), 1), record(stored('k', 'u-2', 'u-1'), 2), record(deleted('k', 'u-2'), 3)];
      const { store } = await given(...batch);
      const before = [...store.releasedBlobs];
      for (const r of batch) for (const m of projectBucketMetadata(r.event, r.position)) await store.applyMutation(m);
      expect([...store.releasedBlobs.keys()].sort()).toEqual(['u-1', 'u-2']);
      expect([...store.releasedBlobs]).toEqual(before);
    });
  });
});
