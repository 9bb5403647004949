import { Transform, type Readable, type TransformCallback } from 'node:stream';
import type { ChecksumAlgorithmName } from './checksum-algorithm.js';
import { S3Error } from '../errors/s3.error.js';
import { CHECKSUM_ALGORITHMS, type IncrementalChecksum, type VerifiedChecksum } from './checksums.js';

/** Computes a checksum of the bytes passing through, for a payload that came without one. */
class ChecksumComputer extends Transform {
  computed: VerifiedChecksum | undefined;
  private readonly checksum: IncrementalChecksum;

  constructor(private readonly algorithm: ChecksumAlgorithmName) {
    super();
    this.checksum = CHECKSUM_ALGORITHMS[algorithm].create();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.checksum.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.checksum.digest().then((digest) => {
      this.computed = { algorithm: this.algorithm, value: digest.toString('base64') };
      callback();
    }, callback);
  }
}

/**
 * `body` with `algorithm` computed over it; `computed()` is set once the returned stream ended.
 * A failure or early close of `body` fails the returned stream, which the blob writer reports.
 */
export function computeChecksum(body: Readable, algorithm: ChecksumAlgorithmName): { stream: Readable; computed: () => VerifiedChecksum | undefined } {
  const computer = new ChecksumComputer(algorithm);
  computer.on('error', () => undefined); // kept on `errored` for the blob writer, as payloadStream does
  if (body.errored) {
    computer.destroy(body.errored);
  } else {
    body.pipe(computer);
    body.once('error', (error) => computer.destroy(error));
    body.once('close', () => {
      if (!body.readableEnded) computer.destroy(new S3Error('IncompleteBody'));
    });
    computer.once('error', () => body.unpipe(computer));
  }
  return { stream: computer, computed: () => computer.computed };
}
