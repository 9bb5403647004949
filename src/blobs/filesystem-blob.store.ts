import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat, unlink, type FileHandle } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { checkByteRange, checkedBlobId } from './blob-id.js';
import { ABANDONED_WRITE_AGE_MS, BlobStore, type BlobWriteOptions, type StoredBlob } from './blob-store.port.js';
import { meterSource, refuseBeforeReading } from './metered-source.js';

export { InvalidBlobIdError, isBlobId } from './blob-id.js';

const TEMP_SUFFIX = '.tmp';
/** Buffering of the file write stream; bounds the memory one upload can hold. */
const FILE_HIGH_WATER_MARK = 1024 * 1024;

/**
 * Blobs on the local filesystem:
 *   <root>/tmp/<uuid>.tmp         bytes being received
 *   <root>/objects/ab/cd/<uuid>   durable blobs, fanned out by the first four hex digits
 * Paths derive from the UUID only. Several processes may share a root (a shared POSIX mount,
 * ADR 0028): a blob appears by an atomic rename of a fsynced file, and nothing deletes another
 * process's temp file while it is being written.
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

  /**
   * Creates the directory layout and removes temp files a crash left behind long ago. Only old
   * ones: on a shared mount (NFS, CephFS, EFS) the other nodes' uploads in flight are in the same
   * tmp/, and a point-in-time instance may share the directory with the live service. Await
   * before write().
   */
  async init(): Promise<void> {
    await mkdirDurable(this.rootDir);
    await mkdirDurable(this.tmpDir);
    await mkdirDurable(this.objectsDir);
    await this.sweepAbandonedWrites(new Date(Date.now() - ABANDONED_WRITE_AGE_MS));
    this.initialised = true;
  }

  /** Temp files not written to since `untouchedSince` (a live write updates its mtime with every chunk). */
  async sweepAbandonedWrites(untouchedSince: Date): Promise<number> {
    let removed = 0;
    for (const entry of await readdir(this.tmpDir)) {
      const path = join(this.tmpDir, entry);
      if (this.activeTemps.has(path)) continue;
      const stats = await stat(path).catch(() => undefined);
      if (!stats || stats.mtimeMs >= untouchedSince.getTime()) continue;
      await rm(path, { recursive: true, force: true });
      removed++;
    }
    if (removed > 0) await fsyncDir(this.tmpDir);
    return removed;
  }

  async write(source: NodeJS.ReadableStream | Readable, options: BlobWriteOptions = {}): Promise<StoredBlob> {
    if (!this.initialised) throw new Error('FilesystemBlobStore.init() must be awaited before write()');
    refuseBeforeReading(source, options);

    const blobId = randomUUID();
    const tmpPath = join(this.tmpDir, blobId + TEMP_SUFFIX);
    const finalDir = join(this.objectsDir, blobId.slice(0, 2), blobId.slice(2, 4));
    const finalPath = join(finalDir, blobId);
    const { meter, watch } = meterSource(source, options);

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
    checkByteRange(range);
    return createReadStream(path, { start: range.start, end: range.end });
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
    checkedBlobId(blobId);
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
