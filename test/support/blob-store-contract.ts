import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { ABANDONED_WRITE_AGE_MS, type BlobStore } from '../../src/blobs/blob-store.port.js';
import { InvalidBlobIdError } from '../../src/blobs/blob-id.js';

/** One adapter of the blob store port, on storage of its own for one test file. */
export interface BlobStoreUnderContract {
  store: BlobStore;
  /** Another node on the same storage (the same shared directory, the same MongoDB database). */
  otherNode(): Promise<BlobStore>;
  /** Leaves in storage what a write that crashed half-way leaves, last touched `ageMs` ago. */
  leaveCrashedWrite(ageMs: number): Promise<void>;
  /** Writes whose remains are in storage without being blobs (temp files; pending documents, loose chunks). */
  remains(): Promise<number>;
  /** Blobs read/exists can see. */
  visibleBlobs(): Promise<number>;
}

const MiB = 1024 * 1024;

/** The port's promises, tried on one adapter; each adapter's test file calls this once. */
export function blobStoreContract(name: string, open: () => Promise<BlobStoreUnderContract>, close: () => Promise<void>): void {
  describe(`${name}: the BlobStore contract`, () => {
    let subject: BlobStoreUnderContract;
    let store: BlobStore;

    beforeAll(async () => {
      subject = await open();
      store = subject.store;
    }, 60_000);
    afterAll(close, 60_000);

    it('stores a payload streamed in odd pieces and reads back the same bytes, size and MD5', async () => {
      const payload = randomBytes(2 * MiB + 12_345);
      const stored = await store.write(oddPieces(payload), { expectedSize: payload.length });
      expect(stored).toEqual({ blobId: expect.stringMatching(/^[0-9a-f-]{36}$/), size: payload.length, md5Hex: md5(payload) });
      expect(await store.exists(stored.blobId)).toBe(true);
      expect((await buffer(store.read(stored.blobId))).equals(payload)).toBe(true);
    });

    it('reads inclusive ranges: inside a piece, across piece boundaries, the first and the last byte', async () => {
      const payload = randomBytes(3 * MiB + 7);
      const { blobId } = await store.write(Readable.from([payload]));
      const ranges = [
        { start: 0, end: 0 },
        { start: 10, end: 4095 },
        { start: MiB - 3, end: MiB + 2 },
        { start: MiB, end: 2 * MiB - 1 },
        { start: 1, end: payload.length - 2 },
        { start: payload.length - 1, end: payload.length - 1 },
        { start: 0, end: payload.length - 1 },
      ];
      for (const range of ranges) {
        const got = await buffer(store.read(blobId, range));
        expect({ range, equal: got.equals(payload.subarray(range.start, range.end + 1)) }).toEqual({ range, equal: true });
      }
      expect(() => store.read(blobId, { start: 5, end: 4 })).toThrow(RangeError);
    });

    it('stores an empty payload', async () => {
      const stored = await store.write(Readable.from([]), { expectedSize: 0 });
      expect(stored.size).toBe(0);
      expect(await buffer(store.read(stored.blobId))).toEqual(Buffer.alloc(0));
    });

    it('deletes, idempotently; a missing blob does not exist and its read fails with ENOENT', async () => {
      const { blobId } = await store.write(Readable.from([randomBytes(MiB + 1)]));
      await store.delete(blobId);
      expect(await store.exists(blobId)).toBe(false);
      await expect(buffer(store.read(blobId))).rejects.toMatchObject({ code: 'ENOENT' });
      await expect(store.delete(blobId)).resolves.toBeUndefined();
      await expect(buffer(store.read(randomUUID(), { start: 0, end: 1 }))).rejects.toMatchObject({ code: 'ENOENT' });
    });

    it('refuses ids that are not UUIDs', async () => {
      expect(() => store.read('../../etc/passwd')).toThrow(InvalidBlobIdError);
      await expect(store.delete('x')).rejects.toThrow(InvalidBlobIdError);
      await expect(store.exists(randomUUID().toUpperCase())).rejects.toThrow(InvalidBlobIdError);
    });

    describe('a write that fails leaves nothing, visible or not', () => {
      async function expectNothingLeft(before: number, writing: Promise<unknown>, code: string) {
        await expect(writing).rejects.toMatchObject({ code });
        expect({ visible: await subject.visibleBlobs(), remains: await subject.remains() }).toEqual({ visible: before, remains: 0 });
      }

      it('a client gone after several pieces were stored', async () => {
        const before = await subject.visibleBlobs();
        const source = new PassThrough();
        const writing = store.write(source, { expectedSize: 8 * MiB });
        source.write(randomBytes(3 * MiB));
        await new Promise((resolve) => setImmediate(resolve));
        source.write(randomBytes(MiB));
        source.destroy(new Error('socket hang up'));
        await expectNothingLeft(before, writing, 'IncompleteBody');
      });

      it('a body shorter than declared', async () => {
        const before = await subject.visibleBlobs();
        await expectNothingLeft(before, store.write(Readable.from([randomBytes(2 * MiB)]), { expectedSize: 2 * MiB + 1 }), 'IncompleteBody');
      });

      it('a body over the cap', async () => {
        const before = await subject.visibleBlobs();
        await expectNothingLeft(before, store.write(Readable.from([randomBytes(MiB), randomBytes(MiB)]), { maxSize: MiB + 10 }), 'EntityTooLarge');
      });
    });

    describe('abandoned writes, with two nodes on the same storage', () => {
      it('a crashed write stays invisible and is swept by another node once untouched for the cut-off', async () => {
        const before = await subject.visibleBlobs();
        const other = await subject.otherNode();
        await subject.leaveCrashedWrite(ABANDONED_WRITE_AGE_MS + 60_000);
        await subject.leaveCrashedWrite(60_000);
        expect(await subject.remains()).toBe(2);
        expect(await subject.visibleBlobs()).toBe(before);
        expect(await other.sweepAbandonedWrites(new Date(Date.now() - ABANDONED_WRITE_AGE_MS))).toBe(1);
        expect(await subject.remains()).toBe(1);
        expect(await other.sweepAbandonedWrites(new Date(Date.now() + 1000))).toBe(1);
        expect(await subject.remains()).toBe(0);
      });

      it("another node's sweep leaves a live write alone, and the write completes whole", async () => {
        const payload = randomBytes(3 * MiB);
        const source = new PassThrough();
        const writing = store.write(source, { expectedSize: payload.length });
        source.write(payload.subarray(0, 2 * MiB + 5));
        await until(async () => (await subject.remains()) === 1);
        const other = await subject.otherNode();
        expect(await other.sweepAbandonedWrites(new Date(Date.now() - ABANDONED_WRITE_AGE_MS))).toBe(0);
        source.end(payload.subarray(2 * MiB + 5));
        const { blobId } = await writing;
        expect((await buffer(other.read(blobId))).equals(payload)).toBe(true);
        expect(await subject.remains()).toBe(0);
      });

      it('a write another node took for abandoned (a node frozen past the cut-off) fails instead of publishing a blob', async () => {
        const before = await subject.visibleBlobs();
        const source = new PassThrough();
        const writing = store.write(source);
        source.write(randomBytes(2 * MiB + 5));
        await until(async () => (await subject.remains()) === 1);
        const other = await subject.otherNode();
        expect(await other.sweepAbandonedWrites(new Date(Date.now() + 1000))).toBe(1);
        source.end(randomBytes(10));
        await expect(writing).rejects.toThrow();
        expect({ visible: await subject.visibleBlobs(), remains: await subject.remains() }).toEqual({ visible: before, remains: 0 });
      });
    });

    it('keeps concurrent writes apart', async () => {
      const payloads = Array.from({ length: 8 }, (_, i) => randomBytes(1 + i * 300_001));
      const stored = await Promise.all(payloads.map((p) => store.write(oddPieces(p), { expectedSize: p.length })));
      expect(new Set(stored.map((s) => s.blobId)).size).toBe(payloads.length);
      for (const [i, s] of stored.entries()) expect((await buffer(store.read(s.blobId))).equals(payloads[i]!)).toBe(true);
    });
  });
}

/** The payload as pieces of varying sizes, none aligned to a storage piece. */
function oddPieces(payload: Buffer): Readable {
  const pieces: Buffer[] = [];
  for (let at = 0, i = 0; at < payload.length; i++) {
    const size = [1, 7_001, 65_536, 300_007][i % 4]!;
    pieces.push(payload.subarray(at, at + size));
    at += size;
  }
  return Readable.from(pieces);
}

function md5(payload: Buffer): string {
  return createHash('md5').update(payload).digest('hex');
}

/** Polls a condition about storage that the test itself causes (no timing is asserted). */
async function until(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 10));
}
