import { BucketDocumentCache } from './bucket-document-cache.js';
import type { BucketDocument } from './metadata.documents.js';

const doc = (name: string, offset: number): BucketDocument =>
  ({ _id: name, bucketId: `${name}-id`, owner: 'alice', ownerDisplayName: 'alice', region: 'us-east-1', createdAt: new Date(0), partition: 0, offset }) as BucketDocument;

/** A read the spec resolves by hand, counting calls. */
function manualReads() {
  const pending: Array<(d: BucketDocument | null) => void> = [];
  let calls = 0;
  return {
    read: () => {
      calls++;
      return new Promise<BucketDocument | null>((resolve) => pending.push(resolve));
    },
    resolveNext: (d: BucketDocument | null) => pending.shift()!(d),
    get calls() {
      return calls;
    },
  };
}

describe('BucketDocumentCache', () => {
  it('reads a bucket once, then answers copies of it until invalidated', async () => {
    const cache = new BucketDocumentCache();
    let calls = 0;
    const read = async (name: string) => (calls++, doc(name, 1));
    const first = await cache.get('docs', read);
    const second = await cache.get('docs', read);
    expect(second).toEqual(first);
    expect(calls).toBe(1);
    second!.versioning = 'Enabled';
    expect((await cache.get('docs', read))!.versioning).toBeUndefined();
    cache.invalidate();
    await cache.get('docs', read);
    expect(calls).toBe(2);
  });

  it('never keeps an absent bucket: one created meanwhile is seen at once', async () => {
    const cache = new BucketDocumentCache();
    let current: BucketDocument | null = null;
    const read = async () => current;
    expect(await cache.get('docs', read)).toBeNull();
    current = doc('docs', 5);
    expect(await cache.get('docs', read)).toEqual(current);
  });

  it('does not keep a read that was in flight when a write invalidated it, so an older document never comes back', async () => {
    const cache = new BucketDocumentCache();
    const reads = manualReads();
    const stale = cache.get('docs', reads.read);
    // The projection writes the bucket (invalidate, write, invalidate) while the read is out.
    cache.invalidate();
    cache.invalidate();
    reads.resolveNext(doc('docs', 1));
    expect(await stale).toEqual(doc('docs', 1));
    expect(cache.size).toBe(0);
    const fresh = cache.get('docs', reads.read);
    reads.resolveNext(doc('docs', 2));
    expect(await fresh).toEqual(doc('docs', 2));
    expect(await cache.get('docs', reads.read)).toEqual(doc('docs', 2));
    expect(reads.calls).toBe(2);
  });

  it('a read started between the two invalidations of a write is not kept either', async () => {
    const cache = new BucketDocumentCache();
    const reads = manualReads();
    cache.invalidate();
    const during = cache.get('docs', reads.read);
    reads.resolveNext(doc('docs', 1));
    await during;
    // Kept for now (the write may not have landed): the write's second invalidation drops it.
    cache.invalidate();
    expect(cache.size).toBe(0);
  });

  it('holds at most its capacity', async () => {
    const cache = new BucketDocumentCache(3);
    for (const name of ['a', 'b', 'c', 'd']) await cache.get(name, async (n) => doc(n, 1));
    expect(cache.size).toBeLessThanOrEqual(3);
  });
});
