import { Transform, type TransformCallback } from 'node:stream';
import type { ChecksumAlgorithmName } from '../../bucket-stream/object.events.js';
import { S3Error } from '../../errors/s3.error.js';
import { assertChecksum, CHECKSUMS, CONTENT_MD5, type IncrementalChecksum, type VerifiedChecksum } from '../../integrity/checksums.js';

interface Expectation {
  name: string;
  provided: string;
  checksum: IncrementalChecksum;
}

/**
 * Verifies the integrity headers of a payload (Content-MD5 and x-amz-checksum-*) over the
 * decoded bytes as they pass, and fails the stream at its end on a mismatch, before the blob
 * writer can make the object durable.
 */
export class IntegrityVerifier extends Transform {
  /** The x-amz-checksum-* value, once the payload ended and it matched. */
  verified: VerifiedChecksum | undefined;

  private constructor(private readonly expectations: Expectation[]) {
    super();
  }

  /** The flexible checksum algorithm the headers name, known before any byte is read. */
  get algorithm(): ChecksumAlgorithmName | undefined {
    const flexible = this.expectations.find((e) => e.name !== 'content-md5');
    return flexible ? CHECKSUMS[flexible.name]!.label : undefined;
  }

  /** The verifier the request's headers ask for, or undefined when they ask for none. */
  static fromHeaders(headers: Record<string, string | string[] | undefined>): IntegrityVerifier | undefined {
    const expectations: Expectation[] = [];
    const md5 = headers['content-md5'];
    if (md5 !== undefined) {
      const bytes = Buffer.from(String(md5), 'base64');
      if (bytes.length !== 16 || bytes.toString('base64') !== md5) throw new S3Error('InvalidDigest');
      expectations.push({ name: 'content-md5', provided: String(md5), checksum: CONTENT_MD5.create() });
    }
    for (const [name, value] of Object.entries(headers)) {
      if (!name.startsWith('x-amz-checksum-') || name === 'x-amz-checksum-mode' || name === 'x-amz-checksum-type') continue;
      if (!CHECKSUMS[name]) {
        throw new S3Error('InvalidRequest', { message: `Unknown checksum header ${name}.` });
      }
      expectations.push({ name, provided: String(value), checksum: CHECKSUMS[name]!.create() });
    }
    const algorithms = expectations.filter((e) => e.name !== 'content-md5');
    if (algorithms.length > 1) {
      throw new S3Error('InvalidRequest', {
        message: 'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.',
      });
    }
    return expectations.length > 0 ? new IntegrityVerifier(expectations) : undefined;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    for (const e of this.expectations) e.checksum.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.verify().then(() => callback(), callback);
  }

  private async verify(): Promise<void> {
    for (const e of this.expectations) {
      const computed = await e.checksum.digest();
      if (e.name === 'content-md5') {
        if (!Buffer.from(e.provided, 'base64').equals(computed)) throw new S3Error('BadDigest');
      } else {
        assertChecksum(e.name, e.provided, computed, 'header');
        this.verified = { algorithm: CHECKSUMS[e.name]!.label, value: e.provided };
      }
    }
  }
}
