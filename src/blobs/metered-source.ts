import { createHash, type Hash } from 'node:crypto';
import { Transform, type Readable, type TransformCallback } from 'node:stream';

import { S3Error } from '../errors/s3.error.js';
import type { BlobWriteOptions } from './blob-store.port.js';

/**
 * What every adapter does with a write's source before and while its bytes reach storage:
 * the checks the port promises before a byte is read, and a metering stage that counts, hashes
 * and enforces the sizes while watching the source for a client that goes away.
 */

/** The port's refusals that need no byte of the body; throws as BlobStore.write rejects. */
export function refuseBeforeReading(source: NodeJS.ReadableStream | Readable, options: BlobWriteOptions): void {
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
}

/** A source on its way through a meter; `watch` turns a client going away into the meter's error. */
export function meterSource(source: NodeJS.ReadableStream | Readable, options: BlobWriteOptions): { meter: MeteringTransform; watch: SourceWatch } {
  const meter = new MeteringTransform(options.expectedSize, options.maxSize);
  return { meter, watch: watchSource(source, meter) };
}

/** Counts and hashes bytes as they pass; enforces expectedSize/maxSize without buffering. */
export class MeteringTransform extends Transform {
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

export interface SourceWatch {
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

