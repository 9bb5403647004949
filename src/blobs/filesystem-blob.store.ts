import { createHash, randomUUID, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat, unlink, type FileHandle } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Transform, Writable, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { S3Error } from '../errors/s3.error.js';
import { BlobStore, type BlobWriteOptions, type StoredBlob } from './blob-store.port.js';

/** Canonical lowercase UUID v4: the only shape a blob id may take (no path material possible). */
const BLOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export function isBlobId(value: unknown): value is string {
  return typeof value === 'string' && BLOB_ID.test(value);
}

/** Thrown (synchronously by read, as a rejection by delete/exists) for an id that is not a UUID v4. */
export class InvalidBlobIdError extends TypeError {
  readonly code = 'ERR_INVALID_BLOB_ID';
  constructor(blobId: unknown) {
    super(`Invalid blob id: ${JSON.stringify(String(blobId)).slice(0, 80)}`);
    this.name = 'InvalidBlobIdError';
  }
}

const TEMP_SUFFIX = '.tmp';
/** Buffering of the file write stream; bounds the memory one upload can hold. */
const FILE_HIGH_WATER_MARK = 1024 * 1024;

/**
 * Blobs on the local filesystem:
 *   <root>/tmp/<uuid>.tmp         bytes being received
 *   <root>/objects/ab/cd/<uuid>   durable blobs, fanned out by the first four hex digits
 * Paths derive from the UUID only. One store instance owns a root directory.
 */
export class FilesystemBlobStore extends BlobStore {
  private readonly rootDir: string;
  private readonly tmpDir: string;
  private readonly objectsDir: string;
  private initialised = false;
  /** Temp files of writes in flight, so a repeated init() does not delete them. */
  private readonly activeTemps = new Set<string>();
  /** Fan-out directories made durable by this process (memoised, shared by concurrent writers). */
  private readonly durableDirs = new Map<string, Promise<void>>();

  constructor(rootDir: string) {
    super();
    this.rootDir = resolve(rootDir);
    this.tmpDir = join(this.rootDir, 'tmp');
    this.objectsDir = join(this.rootDir, 'objects');
  }

  /** Creates the directory layout and removes temp files left behind by a crash. Await before write(). */
  async init(): Promise<void> {
    await mkdirDurable(this.rootDir);
    await mkdirDurable(this.tmpDir);
    await mkdirDurable(this.objectsDir);
    for (const entry of await readdir(this.tmpDir)) {
      const path = join(this.tmpDir, entry);
      if (!this.activeTemps.has(path)) await rm(path, { recursive: true, force: true });
    }
    await fsyncDir(this.tmpDir);
    this.initialised = true;
  }

  async write(source: NodeJS.ReadableStream | Readable, options: BlobWriteOptions = {}): Promise<StoredBlob> {
    if (!this.initialised) throw new Error('FilesystemBlobStore.init() must be awaited before write()');
    const { expectedSize, maxSize } = options;
    checkSizeOption('expectedSize', expectedSize);
    checkSizeOption('maxSize', maxSize);
    if (expectedSize !== undefined && maxSize !== undefined && expectedSize > maxSize) {
      throw new S3Error('EntityTooLarge');
    }
    if (isReadable(source) && (source.readableAborted || source.errored)) {
      // A decoding stage may already have failed a small body with the precise S3 error.
      throw source.errored instanceof S3Error ? source.errored : new S3Error('IncompleteBody');
    }

    const blobId = randomUUID();
    const tmpPath = join(this.tmpDir, blobId + TEMP_SUFFIX);
    const finalDir = join(this.objectsDir, blobId.slice(0, 2), blobId.slice(2, 4));
    const finalPath = join(finalDir, blobId);
    const meter = new MeteringTransform(expectedSize, maxSize);
    const watch = watchSource(source, meter);

    let handle: FileHandle | undefined;
    let tempExists = false;
    let finalExists = false;
    this.activeTemps.add(tmpPath);
    try {
      handle = await open(tmpPath, 'wx', 0o600);
      tempExists = true;
      watch.throwIfFailed();

      // (1) Stream into the temp file, hashing as bytes pass, and (2) fsync it: FileSink's
      // _final runs fsync, so the pipeline resolves only once the bytes are on disk.
      // pipeline() owns meter -> file; the source is attached with pipe() so that failures never
      // destroy it (see watchSource).
      const done = pipeline(meter, new FileSink(handle));
      watch.start();
      await done;
      watch.throwIfFailed();

      const closing = handle;
      handle = undefined;
      await closing.close();

      // (3) rename to the UUID-derived path.
      await this.ensureDurableFanOut(finalDir);
      await rename(tmpPath, finalPath);
      tempExists = false;
      finalExists = true;

      // (4) fsync the destination directory so the new entry survives a crash.
      await fsyncDir(finalDir);
      return { blobId, size: meter.bytes, md5Hex: meter.md5Hex() };
    } catch (error) {
      watch.abandon();
      meter.destroy();
      if (handle) await handle.close().catch(() => undefined);
      if (tempExists) await rm(tmpPath, { force: true }).catch(() => undefined);
      if (finalExists) await rm(finalPath, { force: true }).catch(() => undefined);
      throw error;
    } finally {
      watch.detach();
      this.activeTemps.delete(tmpPath);
    }
  }

  read(blobId: string, range?: { start: number; end: number }): Readable {
    const path = this.blobPath(blobId);
    if (range === undefined) return createReadStream(path);
    const { start, end } = range;
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
      throw new RangeError(`Invalid byte range ${start}-${end}`);
    }
    return createReadStream(path, { start, end });
  }

  async delete(blobId: string): Promise<void> {
    const path = this.blobPath(blobId);
    try {
      await unlink(path);
    } catch (error) {
      if (isErrnoCode(error, 'ENOENT')) return;
      throw error;
    }
    await fsyncDir(dirname(path));
  }

  async exists(blobId: string): Promise<boolean> {
    const path = this.blobPath(blobId);
    try {
      return (await stat(path)).isFile();
    } catch (error) {
      if (isErrnoCode(error, 'ENOENT') || isErrnoCode(error, 'ENOTDIR')) return false;
      throw error;
    }
  }

  private blobPath(blobId: string): string {
    if (!isBlobId(blobId)) throw new InvalidBlobIdError(blobId);
    return join(this.objectsDir, blobId.slice(0, 2), blobId.slice(2, 4), blobId);
  }

  /**
   * Makes objects/ab/cd exist durably: created if needed, then objects/ab and objects fsynced
   * (their entries for the new directories). Done once per directory per process, which also
   * covers directories a crashed predecessor created but never fsynced. Concurrent writers
   * share the same promise, so none can acknowledge a blob before its directory is durable.
   */
  private async ensureDurableFanOut(leaf: string): Promise<void> {
    let ready = this.durableDirs.get(leaf);
    if (!ready) {
      ready = (async () => {
        await mkdir(leaf, { recursive: true });
        await fsyncDir(dirname(leaf));
        await fsyncDir(this.objectsDir);
      })();
      this.durableDirs.set(leaf, ready);
      ready.catch(() => this.durableDirs.delete(leaf));
    }
    await ready;
  }
}

/** Counts and hashes bytes as they pass; enforces expectedSize/maxSize without buffering. */
class MeteringTransform extends Transform {
  bytes = 0;
  private readonly hash: Hash = createHash('md5');

  constructor(
    private readonly expectedSize: number | undefined,
    private readonly maxSize: number | undefined,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.expectedSize !== undefined && this.bytes > this.expectedSize) {
      callback(
        new S3Error('IncompleteBody', {
          message: 'The request body is longer than the number of bytes specified by the Content-Length HTTP header.',
        }),
      );
      return;
    }
    if (this.maxSize !== undefined && this.bytes > this.maxSize) {
      callback(new S3Error('EntityTooLarge'));
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (this.expectedSize !== undefined && this.bytes !== this.expectedSize) {
      callback(new S3Error('IncompleteBody'));
      return;
    }
    callback();
  }

  md5Hex(): string {
    return this.hash.digest('hex');
  }
}

/** Writes sequentially to an open file handle; fsyncs in _final. Never closes the handle. */
class FileSink extends Writable {
  constructor(private readonly handle: FileHandle) {
    super({ highWaterMark: FILE_HIGH_WATER_MARK });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    writeFully(this.handle, [chunk]).then(() => callback(), callback);
  }

  override _writev(chunks: { chunk: Buffer }[], callback: (error?: Error | null) => void): void {
    writeFully(
      this.handle,
      chunks.map(({ chunk }) => chunk),
    ).then(() => callback(), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.handle.sync().then(() => callback(), callback);
  }
}

/** writev() until every byte is written (a regular-file write may be short). */
async function writeFully(handle: FileHandle, buffers: Buffer[]): Promise<void> {
  let pending = buffers.filter((b) => b.length > 0);
  while (pending.length > 0) {
    let { bytesWritten } = await handle.writev(pending);
    const rest: Buffer[] = [];
    for (const buffer of pending) {
      if (bytesWritten >= buffer.length) bytesWritten -= buffer.length;
      else {
        rest.push(bytesWritten > 0 ? buffer.subarray(bytesWritten) : buffer);
        bytesWritten = 0;
      }
    }
    pending = rest;
  }
}

interface SourceWatch {
  /** Pipes the source into the meter (backpressure via pipe()). */
  start(): void;
  throwIfFailed(): void;
  /** After a failed write: stop reading, keep a no-op 'error' listener so late errors cannot crash. */
  abandon(): void;
  /** Removes the watch listeners. */
  detach(): void;
}

/**
 * Watches the source for every way a client disconnect shows up ('aborted', 'error', or 'close'
 * before 'end') and turns it into S3Error('IncompleteBody') on the meter, which fails the
 * pipeline. The source is attached with pipe() rather than as a pipeline() stage on purpose:
 * pipeline() destroys every stage on failure, and destroying an IncomingMessage destroys its
 * socket, so the caller could not answer EntityTooLarge/IncompleteBody. Listeners are attached
 * before any await so an early 'error' is never unhandled.
 */
function watchSource(source: NodeJS.ReadableStream | Readable, meter: MeteringTransform): SourceWatch {
  let ended = isReadable(source) && source.readableEnded;
  let failure: S3Error | undefined;
  let piped = false;

  const fail = (cause?: unknown): void => {
    if (ended || failure) return;
    // A decoding stage fails with the precise S3 error (BadDigest, SignatureDoesNotMatch, …);
    // anything else means the body did not arrive whole.
    if (cause instanceof S3Error) {
      failure = cause;
    } else {
      failure = new S3Error('IncompleteBody');
      if (cause !== undefined) (failure as Error & { cause?: unknown }).cause = cause;
    }
    if (piped) meter.destroy(failure);
  };
  const onEnd = (): void => {
    ended = true;
  };
  const onError = (error: unknown): void => fail(error);
  const onAborted = (): void => fail();
  const onClose = (): void => fail();

  source.on('end', onEnd);
  source.on('error', onError);
  source.on('aborted', onAborted);
  source.on('close', onClose);

  return {
    start() {
      piped = true;
      if (failure) {
        meter.destroy(failure);
        return;
      }
      source.pipe(meter);
    },
    throwIfFailed() {
      if (failure) throw failure;
    },
    abandon() {
      if (piped) source.unpipe(meter);
      if (!ended) source.on('error', noop);
    },
    detach() {
      source.removeListener('end', onEnd);
      source.removeListener('error', onError);
      source.removeListener('aborted', onAborted);
      source.removeListener('close', onClose);
    },
  };
}

function noop(): void {}

function isReadable(source: NodeJS.ReadableStream | Readable): source is Readable {
  return typeof (source as Readable).readableEnded === 'boolean';
}

function checkSizeOption(name: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) {
    throw new RangeError(`${name} must be a non-negative safe integer, got ${value}`);
  }
}

function isErrnoCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as NodeJS.ErrnoException).code === code;
}

async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** mkdir -p, then fsync every directory whose entry changed (parent of the first one created, down to dir). */
async function mkdirDurable(dir: string): Promise<void> {
  const firstCreated = await mkdir(dir, { recursive: true });
  if (firstCreated === undefined) return;
  const chain: string[] = [];
  for (let d = dir; ; d = dirname(d)) {
    chain.push(d);
    if (d === firstCreated || d === dirname(d)) break;
  }
  chain.push(dirname(firstCreated));
  for (const d of chain.reverse()) await fsyncDir(d);
}
