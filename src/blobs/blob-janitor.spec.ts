import { Readable } from 'node:stream';
import { Logger } from '@nestjs/common';
import { InMemoryMetadataStore } from '../../test/support/in-memory-metadata.store.js';
import { versionDocumentId, type ObjectDocument, type ReleasedBlobDocument } from '../metadata/metadata.documents.js';
import { BlobJanitor, judgeRelease } from './blob-janitor.js';
import { BlobStore, type StoredBlob } from './blob-store.port.js';

// The janitor logs each sweep; its outcome is asserted here instead.
Logger.overrideLogger(false);

const HOUR = 3_600_000;
const now = new Date('2026-12-01T12:00:00.000Z');
const hoursAgo = (h: number) => new Date(now.getTime() - h * HOUR);

/** Blobs as a set of ids; records deletes, can be told to fail some. */
class FakeBlobStore extends BlobStore {
  readonly ids = new Set<string>();
  readonly deleted: string[] = [];
  readonly failing = new Set<string>();

  async write(): Promise<StoredBlob> {
    throw new Error('not used');
  }
  read(): Readable {
    throw new Error('not used');
  }
  async delete(blobId: string): Promise<void> {
    if (this.failing.has(blobId)) throw Object.assign(new Error('EIO'), { code: 'EIO' });
    this.deleted.push(blobId);
    this.ids.delete(blobId); // a missing blob resolves too, as the port says
  }
  async exists(blobId: string): Promise<boolean> {
    return this.ids.has(blobId);
  }
  /** Cut-offs the janitor asked for; answers `abandonedRemains` (or throws `abandonedFailure`). */
  readonly sweptUntouchedSince: Date[] = [];
  abandonedRemains = 0;
  abandonedFailure: Error | undefined;
  async sweepAbandonedWrites(untouchedSince: Date): Promise<number> {
    this.sweptUntouchedSince.push(untouchedSince);
    if (this.abandonedFailure) throw this.abandonedFailure;
    return this.abandonedRemains;
  }
}

const release = (objectId: string, releasedAt: Date, key = `key-of-${objectId}`): ReleasedBlobDocument => ({
  _id: objectId, bucket: 'docs', key, releasedAt, partition: 0, offset: 1,
});
const object = (key: string, objectId: string): ObjectDocument => ({
  _id: `docs/${key}`, bucket: 'docs', bucketId: 'b', key, objectId, size: 1, etag: '"e"', contentType: 'text/plain',
  userMetadata: [], owner: 'o', ownerDisplayName: 'root', lastModified: now, partition: 0, offset: 2,
});

/** An object as the projection stores it: its current document and its (`null`) version. */
async function stored(metadata: InMemoryMetadataStore, doc: ObjectDocument): Promise<void> {
  await metadata.applyMutation({ collection: 'objects', op: 'upsert', doc });
  await metadata.applyMutation({
    collection: 'versions',
    op: 'upsert',
    doc: { ...doc, _id: versionDocumentId(doc.bucket, doc.key, doc.offset), versionId: 'null', seq: doc.offset, isDeleteMarker: false },
  });
}

function setup(graceHours: number, ...releases: ReleasedBlobDocument[]) {
  const metadata = new InMemoryMetadataStore();
  const blobs = new FakeBlobStore();
  for (const r of releases) {
    metadata.releasedBlobs.set(r._id, r);
    blobs.ids.add(r._id);
  }
  const janitor = new BlobJanitor(metadata, blobs, { graceHours, intervalMs: 60_000, batchSize: 2, now: () => now });
  return { metadata, blobs, janitor };
}

describe('judgeRelease', () => {
  it.each([
    ['younger than the grace period', hoursAgo(167), false, 'wait'],
    ['exactly the grace period old', hoursAgo(168), false, 'delete'],
    ['older than the grace period', hoursAgo(500), false, 'delete'],
    ['older, but an object (a copy) still references it', hoursAgo(500), true, 'forget'],
    ['young and still referenced', hoursAgo(1), true, 'wait'],
  ] as const)('%s -> %s', (_, releasedAt, referenced, verdict) => {
    expect(judgeRelease({ _id: 'u-1', releasedAt }, referenced, now, 168)).toBe(verdict);
  });

  it('with a grace period of 0, deletes what was released a moment ago', () => {
    expect(judgeRelease({ _id: 'u-1', releasedAt: now }, false, now, 0)).toBe('delete');
  });
});

describe('BlobJanitor.sweep', () => {
  it('deletes the part blobs of a released multipart object (its manifest), then forgets the manifest', async () => {
    const { metadata, blobs, janitor } = setup(24, release('m-1', hoursAgo(30)));
    metadata.manifests.set('m-1', { _id: 'm-1', bucket: 'docs', key: 'key-of-m-1', partObjectIds: ['p-1', 'p-2'], partition: 0, offset: 1 });
    blobs.ids.add('p-1').add('p-2');
    expect(await janitor.sweep()).toEqual({ deleted: 1, forgotten: 0, failed: 0, abandoned: 0 });
    expect(blobs.deleted).toEqual(['p-1', 'p-2', 'm-1']);
    expect(metadata.manifests.size).toBe(0);
    expect(metadata.releasedBlobs.size).toBe(0);
  });

  it('deletes the blobs of due releases, then forgets the releases; younger ones wait', async () => {
    const { metadata, blobs, janitor } = setup(24, release('old-1', hoursAgo(30)), release('old-2', hoursAgo(25)), release('new', hoursAgo(2)), release('old-3', hoursAgo(100)));
    expect(await janitor.sweep()).toEqual({ deleted: 3, forgotten: 0, failed: 0, abandoned: 0 });
    expect(blobs.deleted.sort()).toEqual(['old-1', 'old-2', 'old-3']);
    expect([...metadata.releasedBlobs.keys()]).toEqual(['new']);
    expect([...blobs.ids]).toEqual(['new']);
  });

  it('deletes nothing while a projection is stopped, and sweeps again once it runs', async () => {
    const { metadata, blobs } = setup(24, release('old-1', hoursAgo(30)));
    let complete = false;
    const janitor = new BlobJanitor(metadata, blobs, { graceHours: 24, intervalMs: 60_000, now: () => now, readModelComplete: () => complete });
    expect(await janitor.sweep()).toEqual({ deleted: 0, forgotten: 0, failed: 0, abandoned: 0 });
    expect(blobs.deleted).toEqual([]);
    complete = true;
    expect(await janitor.sweep()).toEqual({ deleted: 1, forgotten: 0, failed: 0, abandoned: 0 });
  });

  it('keeps a suspected blob that an upload in progress holds as a part', async () => {
    const { metadata, blobs, janitor } = setup(24);
    await metadata.suspectBlob('part-blob', 'docs', 'big', hoursAgo(30));
    blobs.ids.add('part-blob');
    await metadata.applyMutation({
      collection: 'uploads',
      op: 'upsert',
      doc: {
        _id: 'u1', bucket: 'docs', bucketId: 'b', key: 'big', contentType: 't', userMetadata: [], owner: 'o', ownerDisplayName: 'root',
        initiatedAt: now, parts: [{ partNumber: 1, objectId: 'part-blob', size: 1, etag: '"e"', lastModified: now }], partition: 0, offset: 3,
      },
    });
    expect(await janitor.sweep()).toEqual({ deleted: 0, forgotten: 1, failed: 0, abandoned: 0 });
    expect([...blobs.ids]).toEqual(['part-blob']);
  });

  it('never deletes a blob its key still references, and drops that release', async () => {
    const { metadata, blobs, janitor } = setup(0, release('live', hoursAgo(1), 'k'), release('gone', hoursAgo(1), 'k2'));
    await stored(metadata, object('k', 'live'));
    await stored(metadata, object('k2', 'newer'));
    expect(await janitor.sweep()).toEqual({ deleted: 1, forgotten: 1, failed: 0, abandoned: 0 });
    expect(blobs.deleted).toEqual(['gone']);
    expect(blobs.ids.has('live')).toBe(true);
    expect(metadata.releasedBlobs.size).toBe(0);
  });

  it('keeps a blob a noncurrent version still holds (versioning)', async () => {
    const { metadata, blobs, janitor } = setup(0, release('old', hoursAgo(1), 'k'));
    await stored(metadata, object('k', 'new'));
    await metadata.applyMutation({
      collection: 'versions',
      op: 'upsert',
      doc: { ...object('k', 'old'), _id: 'docs/v-1/k', versionId: 'v-1', seq: 1, isDeleteMarker: false },
    });
    expect(await janitor.sweep()).toEqual({ deleted: 0, forgotten: 1, failed: 0, abandoned: 0 });
    expect(blobs.ids.has('old')).toBe(true);
  });

  it('keeps a blob a copy under another key still references, then deletes it once the copy lets go too', async () => {
    const { metadata, blobs, janitor } = setup(0, release('shared', hoursAgo(2), 'source'));
    await stored(metadata, object('copy', 'shared'));
    expect(await janitor.sweep()).toEqual({ deleted: 0, forgotten: 1, failed: 0, abandoned: 0 });
    expect(blobs.ids.has('shared')).toBe(true);
    expect(metadata.releasedBlobs.size).toBe(0);
    // The copy is deleted: the projection releases the same objectId a second time.
    await metadata.applyMutation({ collection: 'objects', op: 'delete', id: 'docs/copy', position: { partition: 0, offset: 3 } });
    await metadata.applyMutation({ collection: 'versions', op: 'deleteVersion', bucket: 'docs', key: 'copy', versionId: 'null', position: { partition: 0, offset: 3 } });
    await metadata.applyMutation({ collection: 'released_blobs', op: 'release', doc: release('shared', hoursAgo(1), 'copy') });
    expect(metadata.releasedBlobs.get('shared')?.key).toBe('copy');
    expect(await janitor.sweep()).toEqual({ deleted: 1, forgotten: 0, failed: 0, abandoned: 0 });
    expect(blobs.deleted).toEqual(['shared']);
  });

  it('keeps a multipart object’s manifest and parts while a copy references the manifest', async () => {
    const { metadata, blobs, janitor } = setup(0, release('m-1', hoursAgo(2)));
    metadata.manifests.set('m-1', { _id: 'm-1', bucket: 'docs', key: 'key-of-m-1', partObjectIds: ['p-1'], partition: 0, offset: 1 });
    blobs.ids.add('p-1');
    await stored(metadata, { ...object('copy', 'm-1'), parts: [{ objectId: 'p-1', size: 1 }] });
    expect(await janitor.sweep()).toEqual({ deleted: 0, forgotten: 1, failed: 0, abandoned: 0 });
    expect(blobs.deleted).toEqual([]);
    expect(metadata.manifests.has('m-1')).toBe(true);
  });

  it('keeps a released blob an object lists among its parts', async () => {
    const { metadata, blobs, janitor } = setup(0, release('p-1', hoursAgo(2)));
    await stored(metadata, { ...object('big', 'm-9'), parts: [{ objectId: 'p-1', size: 1 }] });
    expect(await janitor.sweep()).toMatchObject({ deleted: 0, forgotten: 1 });
    expect(blobs.ids.has('p-1')).toBe(true);
  });

  it('keeps the latest of two releases of one blob, whatever order they arrive in (redelivery)', async () => {
    const metadata = new InMemoryMetadataStore();
    const first = release('shared', hoursAgo(5), 'source');
    const second = release('shared', hoursAgo(1), 'copy');
    for (const doc of [first, second, first]) await metadata.applyMutation({ collection: 'released_blobs', op: 'release', doc });
    expect(metadata.releasedBlobs.get('shared')).toEqual(second);
  });

  it('treats an already missing blob as deleted', async () => {
    const { metadata, blobs, janitor } = setup(0, release('missing', hoursAgo(1)));
    blobs.ids.clear();
    expect(await janitor.sweep()).toMatchObject({ deleted: 1 });
    expect(metadata.releasedBlobs.size).toBe(0);
  });

  it('keeps the release of a blob it failed to delete for the next sweep, and goes on with the others', async () => {
    const { metadata, blobs, janitor } = setup(0, release('a', hoursAgo(9)), release('b', hoursAgo(8)), release('c', hoursAgo(7)), release('d', hoursAgo(6)));
    blobs.failing.add('a');
    blobs.failing.add('c');
    expect(await janitor.sweep()).toEqual({ deleted: 2, forgotten: 0, failed: 2, abandoned: 0 });
    expect([...metadata.releasedBlobs.keys()].sort()).toEqual(['a', 'c']);
    blobs.failing.clear();
    expect(await janitor.sweep()).toEqual({ deleted: 2, forgotten: 0, failed: 0, abandoned: 0 });
    expect(metadata.releasedBlobs.size).toBe(0);
  });

  it('sweeps the remains of writes untouched for an hour, even while the read model is incomplete', async () => {
    const metadata = new InMemoryMetadataStore();
    const blobs = new FakeBlobStore();
    blobs.abandonedRemains = 2;
    const janitor = new BlobJanitor(metadata, blobs, { graceHours: 0, intervalMs: 60_000, now: () => now, readModelComplete: () => false });
    expect(await janitor.sweep()).toEqual({ deleted: 0, forgotten: 0, failed: 0, abandoned: 2 });
    expect(blobs.sweptUntouchedSince).toEqual([hoursAgo(1)]);
  });

  it('goes on with the releases when the sweep of abandoned writes fails', async () => {
    const { metadata, blobs, janitor } = setup(0, release('a', hoursAgo(9)));
    blobs.abandonedFailure = new Error('database down');
    expect(await janitor.sweep()).toEqual({ deleted: 1, forgotten: 0, failed: 0, abandoned: 0 });
    expect(metadata.releasedBlobs.size).toBe(0);
  });

  it('drops a release whose id no blob can carry', async () => {
    const { metadata, blobs, janitor } = setup(0, release('not-a-uuid', hoursAgo(1)));
    blobs.delete = async () => {
      throw Object.assign(new TypeError('Invalid blob id'), { code: 'ERR_INVALID_BLOB_ID' });
    };
    expect(await janitor.sweep()).toMatchObject({ deleted: 1, failed: 0 });
    expect(metadata.releasedBlobs.size).toBe(0);
  });
});

describe('BlobJanitor scheduling', () => {
  it('sweeps every interval once started, and not after stop()', async () => {
    const metadata = new InMemoryMetadataStore();
    const blobs = new FakeBlobStore();
    const janitor = new BlobJanitor(metadata, blobs, { graceHours: 0, intervalMs: 20 });
    janitor.start();
    metadata.releasedBlobs.set('a', release('a', new Date()));
    await waitFor(() => blobs.deleted.includes('a'));
    metadata.releasedBlobs.set('b', release('b', new Date()));
    await waitFor(() => blobs.deleted.includes('b'));
    await janitor.stop();
    metadata.releasedBlobs.set('c', release('c', new Date()));
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(blobs.deleted).toEqual(['a', 'b']);
  });

  it('survives a failing sweep', async () => {
    const metadata = new InMemoryMetadataStore();
    let calls = 0;
    metadata.releasedBlobsDue = async () => {
      calls++;
      if (calls === 1) throw new Error('database down');
      return [];
    };
    const janitor = new BlobJanitor(metadata, new FakeBlobStore(), { graceHours: 0, intervalMs: 10 });
    janitor.start();
    await waitFor(() => calls >= 3);
    await janitor.stop();
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
