import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile, mkdir } from 'node:fs/promises';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { PassThrough, Readable } from 'node:stream';

import { S3Error } from '../errors/s3.error.js';
import { ABANDONED_WRITE_AGE_MS, BlobStore } from './blob-store.port.js';
import { FilesystemBlobStore, InvalidBlobIdError, isBlobId } from './filesystem-blob.store.js';

const MiB = 1024 * 1024;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const md5 = (data: Buffer): string => createHash('md5').update(data).digest('hex');

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Feeds `data` in irregular, odd-sized chunks. */
function oddChunks(data: Buffer): Readable {
  const sizes = [1, 7, 4093, 65_537, 13, 131_071, 999, 3];
  return Readable.from(
    (function* () {
      for (let offset = 0, i = 0; offset < data.length; i++) {
        const size = sizes[i % sizes.length]!;
        yield data.subarray(offset, offset + size);
        offset += size;
      }
    })(),
  );
}

/** Emits `head`, then fails the way a dropped client does, without ever emitting 'end'. */
function failingSource(head: Buffer, mode: 'error' | 'close' | 'aborted'): Readable {
  const source = new Readable({ read() {} });
  source.push(head);
  setTimeout(() => {
    if (mode === 'error') source.destroy(new Error('ECONNRESET'));
    else if (mode === 'close') source.destroy();
    else {
      source.emit('aborted');
      source.destroy();
    }
  }, 20);
  return source;
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path)));
    else out.push(path);
  }
  return out;
}

describe('FilesystemBlobStore', () => {
  let root: string;
  let store: FilesystemBlobStore;

  const tmpFiles = () => readdir(join(root, 'tmp'));
  const objectFiles = () => listFiles(join(root, 'objects'));
  const expectNothingLeft = async () => {
    expect(await tmpFiles()).toEqual([]);
    expect(await objectFiles()).toEqual([]);
  };
  const expectS3Error = async (promise: Promise<unknown>, code: string) => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(S3Error);
    expect((error as S3Error).code).toBe(code);
  };

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'sediment-blobs-'));
    store = new FilesystemBlobStore(root);
    await store.init();
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('is a BlobStore', () => {
    expect(store).toBeInstanceOf(BlobStore);
  });

  describe('write + read round trip', () => {
    it('stores a multi-MiB random payload fed in odd-sized chunks byte-identically, with its MD5', async () => {
      const payload = randomBytes(5 * MiB + 12_345);
      const stored = await store.write(oddChunks(payload), { expectedSize: payload.length });

      expect(stored.blobId).toMatch(UUID_V4);
      expect(stored.size).toBe(payload.length);
      expect(stored.md5Hex).toBe(md5(payload));
      expect((await collect(store.read(stored.blobId))).equals(payload)).toBe(true);
    });

    it('stores an empty body', async () => {
      const stored = await store.write(Readable.from([]), { expectedSize: 0 });
      expect(stored).toEqual({ blobId: expect.stringMatching(UUID_V4), size: 0, md5Hex: 'd41d8cd98f00b204e9800998ecf8427e' });
      expect(await collect(store.read(stored.blobId))).toHaveLength(0);
    });

    it('accepts string chunks and works without size options', async () => {
      const stored = await store.write(Readable.from(['hello ', 'world']));
      expect(stored.size).toBe(11);
      expect(stored.md5Hex).toBe(md5(Buffer.from('hello world')));
    });

    it('gives every write a fresh id', async () => {
      const a = await store.write(Readable.from([Buffer.from('same')]));
      const b = await store.write(Readable.from([Buffer.from('same')]));
      expect(a.blobId).not.toBe(b.blobId);
    });
  });

  describe('layout', () => {
    it('puts the file at a path derived from the UUID only, and leaves tmp empty', async () => {
      // The API takes no key at all; the only input to the path is the generated UUID.
      const stored = await store.write(Readable.from([Buffer.from('photos/../../etc/passwd')]));
      const id = stored.blobId;

      const files = await listFiles(root);
      expect(files).toHaveLength(1);
      expect(relative(root, files[0]!).split(sep)).toEqual(['objects', id.slice(0, 2), id.slice(2, 4), id]);
      expect((await stat(join(root, 'objects', id.slice(0, 2), id.slice(2, 4), id))).isFile()).toBe(true);
      expect(await tmpFiles()).toEqual([]);
    });
  });

  describe('failed writes leave nothing behind', () => {
    it.each(['error', 'close', 'aborted'] as const)('source %s mid-way -> IncompleteBody', async (mode) => {
      const source = failingSource(randomBytes(300_000), mode);
      await expectS3Error(store.write(source, { expectedSize: 1 * MiB }), 'IncompleteBody');
      await expectNothingLeft();
    });

    it('source error mid-way without a declared size -> IncompleteBody', async () => {
      await expectS3Error(store.write(failingSource(randomBytes(100_000), 'error')), 'IncompleteBody');
      await expectNothingLeft();
    });

    it('source already destroyed before write -> IncompleteBody', async () => {
      const source = new PassThrough();
      source.destroy();
      await expectS3Error(store.write(source), 'IncompleteBody');
      await expectNothingLeft();
    });

    it('premature end, shorter than expectedSize -> IncompleteBody', async () => {
      const payload = randomBytes(100_000);
      await expectS3Error(store.write(oddChunks(payload), { expectedSize: payload.length + 1 }), 'IncompleteBody');
      await expectNothingLeft();
    });

    it('longer than expectedSize -> IncompleteBody, source left undestroyed for the caller', async () => {
      const source = new PassThrough();
      const writing = store.write(source, { expectedSize: 1000 });
      source.write(randomBytes(600));
      source.write(randomBytes(600));
      await expectS3Error(writing, 'IncompleteBody');
      expect(source.destroyed).toBe(false);
      await expectNothingLeft();
    });

    it('longer than maxSize -> EntityTooLarge, source left undestroyed for the caller', async () => {
      const source = oddChunks(randomBytes(2 * MiB));
      await expectS3Error(store.write(source, { maxSize: 1 * MiB }), 'EntityTooLarge');
      expect(source.destroyed).toBe(false);
      await expectNothingLeft();
    });

    it('declared size above maxSize -> EntityTooLarge before reading anything', async () => {
      const source = oddChunks(randomBytes(1000));
      await expectS3Error(store.write(source, { expectedSize: 1000, maxSize: 999 }), 'EntityTooLarge');
      expect(source.readableDidRead).toBe(false);
      await expectNothingLeft();
    });

    it('exactly maxSize is accepted', async () => {
      const payload = randomBytes(4096);
      const stored = await store.write(oddChunks(payload), { expectedSize: 4096, maxSize: 4096 });
      expect(stored.size).toBe(4096);
    });

    it('an I/O failure rejects with the raw error', async () => {
      await rm(join(root, 'tmp'), { recursive: true });
      const error = await store.write(Readable.from([Buffer.from('x')])).catch((e: unknown) => e);
      expect(error).not.toBeInstanceOf(S3Error);
      expect((error as NodeJS.ErrnoException).code).toBe('ENOENT');
      expect(await objectFiles()).toEqual([]);
    });

    it('rejects invalid size options', async () => {
      await expect(store.write(Readable.from([]), { expectedSize: -1 })).rejects.toThrow(RangeError);
      await expect(store.write(Readable.from([]), { maxSize: 1.5 })).rejects.toThrow(RangeError);
    });

    it('refuses to write before init()', async () => {
      const fresh = new FilesystemBlobStore(join(root, 'other'));
      await expect(fresh.write(Readable.from([]))).rejects.toThrow(/init\(\)/);
    });
  });

  describe('over real HTTP', () => {
    let server: Server;
    let port: number;
    let handle: (req: IncomingMessage) => Promise<{ status: number; body: string }>;

    beforeEach(async () => {
      server = createServer((req, res) => {
        void handle(req).then(({ status, body }) => {
          res.writeHead(status, { connection: 'close' }).end(body);
        });
      });
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      port = (server.address() as AddressInfo).port;
    });

    afterEach(async () => {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    });

    const outcome = (promise: Promise<unknown>) =>
      promise.then(
        () => ({ status: 200, body: 'ok' }),
        (e: unknown) => ({ status: e instanceof S3Error ? e.status : 500, body: e instanceof S3Error ? e.code : String(e) }),
      );

    it('a client disconnecting mid-body -> IncompleteBody, nothing left', async () => {
      let serverSide!: Promise<{ status: number; body: string }>;
      const received = new Promise<void>((done) => {
        handle = (req) => {
          serverSide = outcome(store.write(req, { expectedSize: Number(req.headers['content-length']) }));
          done();
          return serverSide;
        };
      });
      const client = request({ port, method: 'PUT', path: '/b/k', headers: { 'content-length': String(4 * MiB) } });
      client.on('error', () => undefined);
      client.write(randomBytes(256 * 1024));
      await received;
      await new Promise((done) => setTimeout(done, 50));
      client.destroy();

      expect(await serverSide).toEqual({ status: 400, body: 'IncompleteBody' });
      await expectNothingLeft();
    });

    it('a body over maxSize -> EntityTooLarge, and the connection can still carry the response', async () => {
      handle = (req) => outcome(store.write(req, { maxSize: 1024 }));
      const response = await new Promise<{ status: number; body: string }>((done, fail) => {
        const client = request({ port, method: 'PUT', path: '/b/k', headers: { 'transfer-encoding': 'chunked' } }, (res) => {
          void collect(res).then((body) => done({ status: res.statusCode!, body: body.toString() }), fail);
        });
        client.on('error', fail);
        client.end(randomBytes(64 * 1024));
      });
      expect(response).toEqual({ status: 400, body: 'EntityTooLarge' });
      await expectNothingLeft();
    });

    it('a complete upload round-trips', async () => {
      const payload = randomBytes(3 * MiB + 1);
      let stored!: Promise<{ blobId: string; md5Hex: string }>;
      handle = (req) => {
        stored = store.write(req, { expectedSize: Number(req.headers['content-length']) });
        return outcome(stored);
      };
      const status = await new Promise<number>((done, fail) => {
        const client = request({ port, method: 'PUT', path: '/b/k', headers: { 'content-length': String(payload.length) } }, (res) => {
          res.resume();
          res.on('end', () => done(res.statusCode!));
        });
        client.on('error', fail);
        client.end(payload);
      });
      expect(status).toBe(200);
      const { blobId, md5Hex } = await stored;
      expect(md5Hex).toBe(md5(payload));
      expect((await collect(store.read(blobId))).equals(payload)).toBe(true);
    });
  });

  describe('read', () => {
    let payload: Buffer;
    let blobId: string;

    beforeEach(async () => {
      payload = randomBytes(200_003);
      ({ blobId } = await store.write(oddChunks(payload)));
    });

    it.each([
      [0, 0],
      [10, 19],
      [0, 200_002],
      [65_530, 131_080],
      [200_002, 200_002],
    ])('returns the inclusive range %i-%i', async (start, end) => {
      const bytes = await collect(store.read(blobId, { start, end }));
      expect(bytes.equals(payload.subarray(start, end + 1))).toBe(true);
    });

    it('rejects a malformed range', () => {
      expect(() => store.read(blobId, { start: 5, end: 4 })).toThrow(RangeError);
      expect(() => store.read(blobId, { start: -1, end: 4 })).toThrow(RangeError);
      expect(() => store.read(blobId, { start: 0.5, end: 4 })).toThrow(RangeError);
    });

    it('errors the stream with ENOENT for a missing blob', async () => {
      const error = await collect(store.read(randomUUID())).catch((e: unknown) => e);
      expect((error as NodeJS.ErrnoException).code).toBe('ENOENT');
    });

    it.each(['../../../etc/passwd', 'objects/../tmp/x', '', blobIdUpper(), '12345678-1234-1234-1234-123456789012', 'a/b'])(
      'refuses the malformed id %j',
      (id) => {
        expect(() => store.read(id)).toThrow(InvalidBlobIdError);
      },
    );
  });

  describe('delete and exists', () => {
    it('deletes, and deleting again is a no-op', async () => {
      const { blobId } = await store.write(Readable.from([Buffer.from('bye')]));
      expect(await store.exists(blobId)).toBe(true);
      await store.delete(blobId);
      expect(await store.exists(blobId)).toBe(false);
      await expect(store.delete(blobId)).resolves.toBeUndefined();
      await expect(store.delete(randomUUID())).resolves.toBeUndefined();
      expect(await objectFiles()).toEqual([]);
    });

    it('refuses malformed ids', async () => {
      await expect(store.delete('../tmp')).rejects.toThrow(InvalidBlobIdError);
      await expect(store.exists('../tmp')).rejects.toThrow(InvalidBlobIdError);
      expect(isBlobId(randomUUID())).toBe(true);
      expect(isBlobId('../x')).toBe(false);
    });
  });

  describe('init', () => {
    it('removes temp files a crash left an hour ago, keeps younger ones (another node may be writing them) and stored blobs', async () => {
      const { blobId } = await store.write(Readable.from([Buffer.from('keep me')]));
      const old = new Date(Date.now() - ABANDONED_WRITE_AGE_MS - 1000);
      const stale = [join(root, 'tmp', `${randomUUID()}.tmp`), join(root, 'tmp', 'junk'), join(root, 'tmp', 'dir')];
      await writeFile(stale[0]!, 'half an upload');
      await writeFile(stale[1]!, 'x');
      await mkdir(stale[2]!);
      for (const path of stale) await utimes(path, old, old);
      const live = `${randomUUID()}.tmp`;
      await writeFile(join(root, 'tmp', live), 'another node is writing this');

      const restarted = new FilesystemBlobStore(root);
      await restarted.init();

      expect(await tmpFiles()).toEqual([live]);
      expect((await collect(restarted.read(blobId))).toString()).toBe('keep me');
    });

    it('creates a missing root directory', async () => {
      const nested = new FilesystemBlobStore(join(root, 'a', 'b'));
      await nested.init();
      expect(await readdir(join(root, 'a', 'b'))).toEqual(expect.arrayContaining(['objects', 'tmp']));
    });
  });

  it('handles concurrent writes', async () => {
    const payloads = Array.from({ length: 24 }, (_, i) => randomBytes(1 + i * 37_011));
    const stored = await Promise.all(payloads.map((p) => store.write(oddChunks(p), { expectedSize: p.length })));

    expect(new Set(stored.map((s) => s.blobId)).size).toBe(payloads.length);
    for (const [i, s] of stored.entries()) {
      expect(s.md5Hex).toBe(md5(payloads[i]!));
      expect((await readFile(join(root, 'objects', s.blobId.slice(0, 2), s.blobId.slice(2, 4), s.blobId))).equals(payloads[i]!)).toBe(
        true,
      );
    }
    expect(await tmpFiles()).toEqual([]);
  });

  it('streams: writing 256 MiB keeps RSS growth far below the payload size', async () => {
    const total = 256 * MiB;
    const chunk = 64 * 1024;
    const expected = createHash('md5');
    function* generate() {
      for (let i = 0; i < total / chunk; i++) {
        const buf = Buffer.allocUnsafe(chunk).fill(i % 251);
        buf.writeUInt32BE(i, 0);
        expected.update(buf);
        yield buf;
      }
    }

    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 5);
    try {
      const stored = await store.write(Readable.from(generate()), { expectedSize: total });
      peak = Math.max(peak, process.memoryUsage().rss);
      expect(stored.size).toBe(total);
      expect(stored.md5Hex).toBe(expected.digest('hex'));
    } finally {
      clearInterval(sampler);
    }
    const growth = peak - baseline;
    console.log(`rss growth while writing 256 MiB: ${(growth / MiB).toFixed(1)} MiB`);
    expect(growth).toBeLessThan(64 * MiB);
  }, 120_000);
});

function blobIdUpper(): string {
  return randomUUID().toUpperCase();
}

describe('FilesystemBlobStore source errors', () => {
  it('keeps the S3 error a decoding stage failed with, and leaves nothing behind', async () => {
    const root = await mkdtemp(join(tmpdir(), 'blob-s3error-'));
    const store = new FilesystemBlobStore(root);
    await store.init();
    const source = new PassThrough();
    const writing = store.write(source, { expectedSize: 10 });
    source.write(Buffer.from('hello'));
    source.destroy(new S3Error('BadDigest'));
    await expect(writing).rejects.toMatchObject({ code: 'BadDigest' });
    expect(await readdir(join(root, 'tmp'))).toEqual([]);
    await rm(root, { recursive: true, force: true });
  });
});
