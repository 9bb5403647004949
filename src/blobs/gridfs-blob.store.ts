import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { GridFSBucket, type Collection, type Db, type GridFSBucketWriteStream, type ObjectId, type WriteConcernSettings } from 'mongodb';

import { checkByteRange, checkedBlobId } from './blob-id.js';
import { ABANDONED_WRITE_AGE_MS, BlobStore, type BlobWriteOptions, type StoredBlob } from './blob-store.port.js';
import { meterSource, refuseBeforeReading } from './metered-source.js';

/**
 * A write acknowledged only once it is in the on-disk journal of a majority of the replica set
 * (on a standalone server: in its journal). That is what "durable on a 200" means here, as fsync
 * + rename means it for the filesystem adapter.
 */
export const DURABLE: WriteConcernSettings = { w: 'majority', journal: true };

/**
 * 1 MiB chunks rather than the driver's 255 KiB: a quarter of the documents (inserts, index
 * entries, round trips) per byte; a server batch of them is still capped at 16 MiB.
 */
export const GRIDFS_CHUNK_BYTES = 1024 * 1024;

/** How long a failed write waits for its chunk inserts in flight before it leaves them to a sweep. */
const DISCARD_WAIT_MS = 30_000;

/** What a write in progress leaves in `<bucket>.pending` until its files document exists. */
interface PendingWrite {
  _id: string;
  node: string;
  startedAt: Date;
  /** Moved forward by the writing node's heartbeat; the sweep goes by it. */
  touchedAt: Date;
}

export interface GridFsBlobStoreOptions {
  /** Collections `<bucketName>.files`, `.chunks` and `.pending`; default `blobs`. */
  bucketName?: string;
  chunkSizeBytes?: number;
  /** How often the writes in flight on this node are marked live; default a tenth of ABANDONED_WRITE_AGE_MS. */
  heartbeatMs?: number;
}

/**
 * Blobs in MongoDB GridFS (the driver's GridFSBucket), so every node of a cluster reads every
 * blob with nothing but MongoDB:
 *   <bucket>.files     one document per blob, `_id` = the blob's UUID: its existence IS the blob
 *   <bucket>.chunks    its bytes, `{files_id, n, data}`
 *   <bucket>.pending   one document per write in flight, written before the first chunk
 *
 * A blob becomes visible atomically: the driver inserts the files document only after every
 * chunk insert was acknowledged (all with DURABLE). Until then read and exists do not see it,
 * as a temp file is never seen by the filesystem adapter. A write that fails deletes its chunks
 * and its pending document; one that cannot (a crash, a lost connection) leaves its pending
 * document, which its node's heartbeat no longer touches, and any node's sweep deletes it with
 * its chunks an hour later (ABANDONED_WRITE_AGE_MS).
 *
 * The pending document is also the claim between a write and a sweep: the sweep deletes
 * chunks only after it has deleted the pending document itself, and a write succeeds only if
 * it is the one that deletes it. So a write paused past the sweep's cut-off (a frozen process)
 * fails instead of publishing a blob whose chunks a sweep removed.
 */
export class GridFsBlobStore extends BlobStore {
  private readonly bucket: GridFSBucket;
  private readonly files: Collection<{ _id: string }>;
  private readonly chunks: Collection<{ files_id: string; n: number }>;
  private readonly pending: Collection<PendingWrite>;
  private readonly chunkSizeBytes: number;
  private readonly heartbeatMs: number;
  private readonly node = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  /** Writes in flight on this node: the heartbeat keeps them live, this node's sweep skips them. */
  private readonly inFlight = new Set<string>();
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(db: Db, options: GridFsBlobStoreOptions = {}) {
    super();
    const bucketName = options.bucketName ?? 'blobs';
    this.chunkSizeBytes = options.chunkSizeBytes ?? GRIDFS_CHUNK_BYTES;
    this.heartbeatMs = options.heartbeatMs ?? ABANDONED_WRITE_AGE_MS / 10;
    this.bucket = new GridFSBucket(db, { bucketName, chunkSizeBytes: this.chunkSizeBytes, writeConcern: DURABLE });
    this.files = db.collection(`${bucketName}.files`);
    this.chunks = db.collection(`${bucketName}.chunks`);
    this.pending = db.collection(`${bucketName}.pending`);
  }

  /** Creates GridFS's indexes (the driver would on the first write of each process) and starts the heartbeat. */
  async init(): Promise<void> {
    await this.files.createIndex({ filename: 1, uploadDate: 1 });
    await this.chunks.createIndex({ files_id: 1, n: 1 }, { unique: true });
    await this.pending.createIndex({ touchedAt: 1 });
    this.heartbeat ??= setInterval(() => void this.touchInFlight(), this.heartbeatMs).unref();
  }

  /** Stops the heartbeat; writes still in flight become abandoned for the other nodes. */
  close(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  async write(source: NodeJS.ReadableStream | Readable, options: BlobWriteOptions = {}): Promise<StoredBlob> {
    if (!this.heartbeat) throw new Error('GridFsBlobStore.init() must be awaited before write()');
    refuseBeforeReading(source, options);
    const blobId = randomUUID();
    const { meter, watch } = meterSource(source, options);
    let upload: GridFSBucketWriteStream | undefined;
    this.inFlight.add(blobId);
    try {
      const now = new Date();
      // Not journaled on its own: the first chunk's DURABLE insert comes after it in the same
      // journal (and oplog), so it is never lost while a chunk survives.
      await this.pending.insertOne({ _id: blobId, node: this.node, startedAt: now, touchedAt: now });
      watch.throwIfFailed();
      upload = this.bucket.openUploadStreamWithId(asGridFsId(blobId), blobId);
      const done = pipeline(meter, upload);
      watch.start();
      await done;
      watch.throwIfFailed();
      // The files document exists: the blob is whole and durable, unless a sweep took this write
      // for abandoned (it deletes the pending document before any chunk).
      const { deletedCount } = await this.pending.deleteOne({ _id: blobId }, { writeConcern: DURABLE });
      if (deletedCount !== 1) throw new Error(`write of blob ${blobId} was swept as abandoned before it finished`);
      return { blobId, size: meter.bytes, md5Hex: meter.md5Hex() };
    } catch (error) {
      watch.abandon();
      meter.destroy();
      await this.discard(blobId, upload);
      throw error;
    } finally {
      watch.detach();
      this.inFlight.delete(blobId);
    }
  }

  /**
   * GridFS's layout read with a cursor of our own rather than the driver's download stream, whose
   * chunk cursor grew its batches (4, 8, 16, 32 … chunks) until a 64 MiB blob was in memory at
   * once: here a reader holds READ_BATCH_CHUNKS chunks at most. Only the chunks the range touches
   * are fetched. Like a file read, a range past the end stops at the end.
   */
  read(blobId: string, range?: { start: number; end: number }): Readable {
    const id = checkedBlobId(blobId);
    if (range !== undefined) checkByteRange(range);
    return Readable.from(this.chunksOf(id, range), { objectMode: false });
  }

  private async *chunksOf(id: string, range: { start: number; end: number } | undefined): AsyncGenerator<Buffer> {
    const file = await this.files.findOne({ _id: id }, { projection: { length: 1, chunkSize: 1 } });
    if (!file) throw Object.assign(new Error(`blob ${id} not found`), { code: 'ENOENT' });
    const { length, chunkSize } = file as unknown as { length: number; chunkSize: number };
    const start = range?.start ?? 0;
    const end = Math.min(range?.end ?? length - 1, length - 1);
    if (start > end) return;
    const first = Math.floor(start / chunkSize);
    const last = Math.floor(end / chunkSize);
    const cursor = this.chunks
      .find({ files_id: id, n: { $gte: first, $lte: last } }, { projection: { _id: 0, n: 1, data: 1 } })
      .sort({ n: 1 })
      .batchSize(READ_BATCH_CHUNKS);
    let expected = first;
    try {
      for await (const chunk of cursor as AsyncIterable<{ n: number; data: { buffer: Uint8Array } }>) {
        const bytes = chunk.data.buffer;
        const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        const wanted = Math.min(chunkSize, length - expected * chunkSize);
        if (chunk.n !== expected || data.length !== wanted) throw new Error(`blob ${id}: chunk ${chunk.n} (${data.length} bytes) where chunk ${expected} (${wanted} bytes) belongs`);
        const offset = expected * chunkSize;
        yield data.subarray(Math.max(start - offset, 0), Math.min(end - offset + 1, data.length));
        expected++;
      }
    } finally {
      await cursor.close();
    }
    if (expected !== last + 1) throw new Error(`blob ${id}: chunks from ${expected} on are missing`);
  }

  /** Chunks first, then the files document: a crash in between leaves a blob that a repeated delete finishes. */
  async delete(blobId: string): Promise<void> {
    const id = checkedBlobId(blobId);
    await this.chunks.deleteMany({ files_id: id }, { writeConcern: DURABLE });
    await this.files.deleteOne({ _id: id }, { writeConcern: DURABLE });
  }

  async exists(blobId: string): Promise<boolean> {
    const id = checkedBlobId(blobId);
    return (await this.files.findOne({ _id: id }, { projection: { _id: 1 } })) !== null;
  }

  /**
   * Pending writes untouched since `untouchedSince` and not in flight here: claimed by deleting
   * their pending document, then their chunks are deleted unless their files document exists
   * (a crash between the files document and the pending delete: a whole blob, left to the janitor's
   * usual rules).
   */
  async sweepAbandonedWrites(untouchedSince: Date): Promise<number> {
    const stale = await this.pending.find({ touchedAt: { $lt: untouchedSince } }, { projection: { _id: 1 } }).limit(1000).toArray();
    let removed = 0;
    for (const { _id } of stale) {
      if (this.inFlight.has(_id)) continue;
      const claim = await this.pending.deleteOne({ _id, touchedAt: { $lt: untouchedSince } }, { writeConcern: DURABLE });
      if (claim.deletedCount !== 1) continue;
      if (await this.exists(_id)) continue;
      await this.chunks.deleteMany({ files_id: _id }, { writeConcern: DURABLE });
      removed++;
    }
    return removed;
  }

  /**
   * After a failed write: waits for the chunk inserts the driver still has in flight, so none
   * lands after the delete, then removes chunks, files document and pending document. When it
   * cannot know they all settled (the driver stops counting after an insert fails; a server that
   * does not answer) or the delete fails, the pending document stays: no heartbeat touches it
   * any more, so a sweep removes whatever landed, an hour on.
   */
  private async discard(blobId: string, upload: GridFSBucketWriteStream | undefined): Promise<void> {
    const giveUpAt = Date.now() + DISCARD_WAIT_MS;
    while (upload && upload.state.outstandingRequests > 0 && !upload.state.errored && Date.now() < giveUpAt) await sleep(5);
    const settled = !upload || upload.state.outstandingRequests === 0;
    try {
      await this.delete(blobId);
      if (settled) await this.pending.deleteOne({ _id: blobId });
    } catch {
      // left for sweepAbandonedWrites
    }
  }

  private async touchInFlight(): Promise<void> {
    if (this.inFlight.size === 0) return;
    await this.pending.updateMany({ _id: { $in: [...this.inFlight] } }, { $set: { touchedAt: new Date() } }).catch(() => undefined);
  }
}

/** Chunks per server batch of a read: 4 MiB in memory per reader, not a whole object. */
const READ_BATCH_CHUNKS = 4;

/**
 * GridFS takes any BSON value as a file's `_id`; the driver's types say ObjectId only. A blob's
 * `_id` is its UUID string, so a blob is found by the same id in every adapter.
 */
function asGridFsId(blobId: string): ObjectId {
  return blobId as unknown as ObjectId;
}
