import type { Db } from 'mongodb';
import { canonicalJson, digestReadModel } from './read-model.digest.js';

describe('canonicalJson', () => {
  it('sorts keys at every level, so field order never changes a digest', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { y: 1, x: 0 }], c: 'x' } })).toBe('{"a":{"c":"x","d":[2,{"x":0,"y":1}]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });

  it('writes dates as ISO strings and keeps every value distinct', () => {
    expect(canonicalJson({ at: new Date('2026-11-27T10:00:00.000Z') })).toBe('{"at":"2026-11-27T10:00:00.000Z"}');
    expect(canonicalJson({ a: '1' })).not.toBe(canonicalJson({ a: 1 }));
    expect(canonicalJson({ a: null })).toBe('{"a":null}');
  });
});

/** Just enough of a Db for the digest: collection(name).find({}) as an async iterable. */
function fakeDb(collections: Record<string, object[]>): Db {
  return {
    collection: (name: string) => ({
      find: () => ({
        async *[Symbol.asyncIterator]() {
          yield* collections[name] ?? [];
        },
      }),
    }),
  } as unknown as Db;
}

describe('digestReadModel', () => {
  const bucket = { _id: 'b1', name: 'photos', partition: 0, offset: 1 };
  const part = (partNumber: number, etag: string) => ({
    partNumber,
    objectId: `blob-${partNumber}`,
    size: 5 * 1024 * 1024,
    etag,
    lastModified: new Date('2026-11-27T10:00:00.000Z'),
  });
  const upload = (parts: object[]) => ({
    _id: 'upload-1',
    bucket: 'photos',
    bucketId: 'b1',
    key: 'big.bin',
    initiatedAt: new Date('2026-11-27T09:00:00.000Z'),
    parts,
    partition: 0,
    offset: 7,
  });

  it('digests uploads in progress, so a replay that lost an upload is detected', async () => {
    const withUpload = await digestReadModel(fakeDb({ buckets: [bucket], uploads: [upload([part(1, 'a')])] }));
    const without = await digestReadModel(fakeDb({ buckets: [bucket] }));
    expect(withUpload.counts).toEqual({ buckets: 1, objects: 0, versions: 0, identities: 0, uploads: 1 });
    expect(withUpload.digest).not.toBe(without.digest);
  });

  it('tells uploads apart by their parts', async () => {
    const one = await digestReadModel(fakeDb({ uploads: [upload([part(1, 'a')])] }));
    const two = await digestReadModel(fakeDb({ uploads: [upload([part(1, 'a'), part(2, 'b')])] }));
    const otherEtag = await digestReadModel(fakeDb({ uploads: [upload([part(1, 'c')])] }));
    expect(new Set([one.digest, two.digest, otherEtag.digest]).size).toBe(3);
  });

  it('does not depend on the order documents come back in', async () => {
    const a = { ...upload([]), _id: 'a' };
    const b = { ...upload([part(1, 'x')]), _id: 'b' };
    expect((await digestReadModel(fakeDb({ uploads: [a, b] }))).digest).toBe((await digestReadModel(fakeDb({ uploads: [b, a] }))).digest);
  });
});
