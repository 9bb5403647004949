import type { Readable } from 'node:stream';

/** What a successful write produced. */
export interface StoredBlob {
  /** Fresh UUID v4 (lowercase, canonical form); also the object's UUID. */
  blobId: string;
  /** Number of bytes stored. */
  size: number;
  /** MD5 of the stored bytes, lowercase hex (the basis of a single-part ETag). */
  md5Hex: string;
}

export interface BlobWriteOptions {
  /**
   * The declared length (Content-Length / x-amz-decoded-content-length). A body that ends
   * short of it, or runs past it, is rejected with S3Error('IncompleteBody').
   */
  expectedSize?: number;
  /** Hard cap on the body. Exceeding it (or declaring more) rejects with S3Error('EntityTooLarge'). */
  maxSize?: number;
}

/** Bytes `start` to `end` of a payload, both inclusive. */
export interface ByteRange {
  start: number;
  /** Inclusive. */
  end: number;
}

/**
 * How long the remains of a write (a temp file, chunks without a files document) may go
 * untouched before any node may take them for a crashed write and delete them. A live write
 * touches its remains far more often than this: every write of a body byte (a temp file's
 * mtime), or a heartbeat (GridFS); a body idle for SEDIMENT_BODY_IDLE_TIMEOUT_MS fails first.
 */
export const ABANDONED_WRITE_AGE_MS = 3_600_000;

/**
 * Where payload bytes live. Blobs are addressed only by their UUID, never by bucket or key.
 * An abstract class rather than an interface so NestJS can inject it by class.
 */
export abstract class BlobStore {
  /**
   * Streams `source` into a new blob whose id is a fresh UUID v4 (the object's UUID).
   * Resolves only once the bytes are durable.
   *
   * Rejects with S3Error('IncompleteBody') when the source errors, is aborted, closes before
   * 'end', or delivers a length other than `expectedSize`; with S3Error('EntityTooLarge') when
   * it exceeds `maxSize`; with the raw error on any other I/O failure. A rejected write leaves
   * nothing behind. The store never destroys `source`: on rejection it stops reading it and
   * leaves it to the caller (which may still want to send a response on that connection).
   */
  abstract write(source: NodeJS.ReadableStream | Readable, options?: BlobWriteOptions): Promise<StoredBlob>;

  /**
   * Streams a blob's bytes; optional inclusive byte range. A missing blob makes the stream
   * error with an error whose `code === 'ENOENT'`. Throws synchronously on a malformed id.
   */
  abstract read(blobId: string, range?: ByteRange): Readable;

  /** Removes a blob. Idempotent: deleting a missing blob resolves. */
  abstract delete(blobId: string): Promise<void>;

  abstract exists(blobId: string): Promise<boolean>;

  /**
   * Deletes what writes that will never finish left behind (a crash, a node gone) and no live
   * write, on this node or another sharing the store, is still adding to: remains untouched
   * since `untouchedSince`. Such remains were never visible to read/exists. Resolves to how
   * many writes' remains it removed. The blob janitor calls it on each sweep.
   */
  abstract sweepAbandonedWrites(untouchedSince: Date): Promise<number>;
}
