import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { BlobStore, type StoredBlob } from './blob-store.port.js';
import { readBlobSequence } from './multipart-blob.reader.js';

/** Blobs held as strings; records which slices were opened. */
class StringBlobStore extends BlobStore {
  readonly opened: string[] = [];
  constructor(private readonly blobs: Record<string, string>) {
    super();
  }
  async write(): Promise<StoredBlob> {
    throw new Error('not used');
  }
  read(blobId: string, range?: { start: number; end: number }): Readable {
    this.opened.push(`${blobId}:${range?.start}-${range?.end}`);
    const body = this.blobs[blobId]!;
    return Readable.from([Buffer.from(range ? body.slice(range.start, range.end + 1) : body)]);
  }
  async delete(): Promise<void> {}
  async exists(): Promise<boolean> {
    return true;
  }
  async sweepAbandonedWrites(): Promise<number> {
    return 0;
  }
}

describe('readBlobSequence', () => {
  const parts = [
    { objectId: 'a', size: 4 },
    { objectId: 'e', size: 0 },
    { objectId: 'b', size: 3 },
    { objectId: 'c', size: 5 },
  ];
  const blobs = () => new StringBlobStore({ a: 'aaaa', e: '', b: 'bbb', c: 'ccccc' });

  it('streams the parts in order', async () => {
    expect(await text(readBlobSequence(blobs(), parts))).toBe('aaaabbbccccc');
  });

  it.each([
    [0, 3, 'aaaa', ['a:0-3']],
    [2, 5, 'aabb', ['a:2-3', 'b:0-1']],
    [3, 8, 'abbbcc', ['a:3-3', 'b:0-2', 'c:0-1']],
    [7, 11, 'ccccc', ['c:0-4']],
    [5, 5, 'b', ['b:1-1']],
  ])('serves bytes %i-%i across part boundaries, opening only the slices it needs', async (start, end, expected, opened) => {
    const store = blobs();
    expect(await text(readBlobSequence(store, parts, { start, end }))).toBe(expected);
    expect(store.opened).toEqual(opened);
  });
});
