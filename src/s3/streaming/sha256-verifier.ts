import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { S3Error } from '../../errors/s3.error.js';

/**
 * Passes a signed single-chunk payload through while hashing it, and fails the stream at its
 * end when the body does not match x-amz-content-sha256. The blob writer then discards it.
 */
export class Sha256Verifier extends Transform {
  private readonly hash = createHash('sha256');

  constructor(private readonly expectedHex: string) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    const actual = this.hash.digest('hex');
    if (actual !== this.expectedHex.toLowerCase()) {
      callback(
        new S3Error('XAmzContentSHA256Mismatch', {
          details: { ClientComputedContentSHA256: this.expectedHex, S3ComputedContentSHA256: actual },
        }),
      );
      return;
    }
    callback();
  }
}
