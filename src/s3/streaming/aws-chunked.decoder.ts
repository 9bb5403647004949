/**
 * Streaming decoder of `Content-Encoding: aws-chunked` request bodies
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html,
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html).
 *
 *   <hex size>[;chunk-signature=<sig>]\r\n <data> \r\n   … repeated …
 *   0[;chunk-signature=<sig>]\r\n
 *   [<trailer name>:<value>\r\n]*  [x-amz-trailer-signature:<sig>\r\n]   (trailer modes)
 *   \r\n
 *
 * Only the payload bytes come out. Data is passed downstream as it arrives and hashed
 * incrementally: a chunk is never buffered, so a chunk whose signature turns out to be bad
 * has already been (partly) written downstream when the stream errors — the consumer must
 * discard everything on error. Every failure is an S3Error emitted as a stream error.
 */
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { chunkSignature, trailerSignature } from '../../iam/sigv4/chunk-signature.js';
import { signaturesMatch } from '../../iam/sigv4/signing-key.js';
import { S3Error } from '../../errors/s3.error.js';
import type { ChecksumAlgorithmName } from '../../bucket-stream/object.events.js';
import { assertChecksum, CHECKSUMS, type IncrementalChecksum, type VerifiedChecksum } from '../../integrity/checksums.js';

export interface AwsChunkedOptions {
  mode: 'streaming-unsigned-trailer' | 'streaming-signed' | 'streaming-signed-trailer';
  /** From x-amz-decoded-content-length: the number of payload bytes the body must carry. */
  decodedContentLength?: number;
  /** Lower-cased names from the x-amz-trailer header, e.g. ['x-amz-checksum-crc32']. */
  declaredTrailers: string[];
  /** Required in the signed modes (from the verified Authorization header). */
  signing?: { signingKey: Buffer; seedSignature: string; amzDate: string; scope: string };
}

/** Longest chunk-size or trailer line accepted (without its CRLF). */
export const MAX_CHUNKED_LINE = 4096;
/** Most trailer lines accepted (signature included). */
export const MAX_TRAILER_LINES = 16;
/** S3's minimum size of every chunk but the last in the signed streaming modes. */
export const MIN_SIGNED_CHUNK_SIZE = 8192;

const TRAILER_SIGNATURE = 'x-amz-trailer-signature';



/**
 * Validates the names of an x-amz-trailer header (lower-cased). Throws the S3Error S3 would
 * answer; the decoder runs it too and emits the error on its first write.
 */
export function validateDeclaredTrailers(names: readonly string[]): void {
  let checksums = 0;
  for (const name of names) {
    if (!CHECKSUMS[name]) {
      throw new S3Error('InvalidArgument', {
        message: 'The value specified in the x-amz-trailer header is not supported',
        details: { ArgumentName: 'x-amz-trailer', ArgumentValue: name },
      });
    }
    checksums++;
  }
  if (checksums > 1) {
    throw new S3Error('InvalidRequest', {
      message: 'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.',
    });
  }
}

type State =
  | 'chunk-header' // reading `<hex>[;ext]\r\n`
  | 'chunk-data' // passing chunk data through
  | 'chunk-cr' // expecting the CR after chunk data
  | 'chunk-lf' // expecting the LF after chunk data
  | 'trailers' // reading trailer lines until an empty one
  | 'final-line' // non-trailer mode: expecting the empty line after the last chunk
  | 'done';

function truncated(): S3Error {
  return new S3Error('IncompleteBody', { message: 'The request body terminated unexpectedly' });
}

function malformedFraming(reason: string): S3Error {
  return new S3Error('InvalidRequest', { message: `Malformed aws-chunked body: ${reason}.` });
}

function malformedTrailer(name?: string): S3Error {
  return new S3Error('MalformedTrailerError', name ? { details: { TrailerHeader: name } } : {});
}

export class AwsChunkedDecoder extends Transform {
  /** The trailing headers received (signature excluded), complete once the stream finished. */
  readonly trailers: Record<string, string> = {};
  /** The trailing x-amz-checksum-* value, once the payload ended and it matched. */
  verified: VerifiedChecksum | undefined;

  private readonly mode: AwsChunkedOptions['mode'];
  private readonly signed: boolean;
  private readonly hasTrailers: boolean;
  private readonly expectedLength: number | undefined;
  private readonly declared: ReadonlySet<string>;
  private readonly signing: AwsChunkedOptions['signing'];
  private configError: S3Error | undefined;

  private state: State = 'chunk-header';
  private readonly line = Buffer.alloc(MAX_CHUNKED_LINE + 2);
  private lineLength = 0;
  private trailerLines = 0;
  private trailerSignatureValue: string | undefined;

  private chunkRemaining = 0;
  private chunkIndex = 0;
  private previousChunkSize = -1;
  private chunkHash: Hash | undefined;
  private expectedChunkSignature = '';
  private previousSignature = '';
  private decoded = 0;

  private readonly checksumName: string | undefined;
  private readonly checksum: IncrementalChecksum | undefined;

  constructor(options: AwsChunkedOptions) {
    super();
    this.mode = options.mode;
    this.signed = options.mode !== 'streaming-unsigned-trailer';
    this.hasTrailers = options.mode !== 'streaming-signed';
    this.expectedLength = options.decodedContentLength;
    this.declared = new Set(options.declaredTrailers.map((name) => name.toLowerCase()));
    this.signing = options.signing;
    if (this.signed) {
      if (!options.signing) throw new TypeError(`aws-chunked mode ${options.mode} needs signing`);
      this.previousSignature = options.signing.seedSignature.toLowerCase();
    }
    try {
      validateDeclaredTrailers([...this.declared]);
      if (!this.hasTrailers && this.declared.size > 0) {
        throw new S3Error('InvalidRequest', {
          message: 'x-amz-trailer requires a trailer x-amz-content-sha256 (…-TRAILER).',
        });
      }
    } catch (error) {
      this.configError = error as S3Error;
    }
    this.checksumName = [...this.declared].find((name) => CHECKSUMS[name]);
    this.checksum = this.checksumName ? CHECKSUMS[this.checksumName]!.create() : undefined;
  }

  /** The flexible checksum algorithm x-amz-trailer declares, known before any byte is read. */
  get algorithm(): ChecksumAlgorithmName | undefined {
    return this.checksumName ? CHECKSUMS[this.checksumName]!.label : undefined;
  }

  /** Payload bytes decoded so far. */
  get decodedBytes(): number {
    return this.decoded;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.configError) return callback(this.configError);
    try {
      this.consume(chunk);
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    if (this.configError) return callback(this.configError);
    try {
      if (this.state === 'final-line' && this.lineLength === 0) {
        this.state = 'done'; // tolerate a body that ends without the last empty line
      } else if (this.state === 'trailers' && this.lineLength === 0) {
        this.finishTrailers();
      }
      if (this.state !== 'done') throw truncated();
    } catch (error) {
      return callback(error as Error);
    }
    this.verifyChecksum().then(() => callback(), callback);
  }

  /** At the end, not on the trailer line: the CRC64NVME digest is async. */
  private async verifyChecksum(): Promise<void> {
    if (!this.checksumName || !this.checksum) return;
    const provided = this.trailers[this.checksumName]!;
    assertChecksum(this.checksumName, provided, await this.checksum.digest(), 'trailing header');
    this.verified = { algorithm: CHECKSUMS[this.checksumName]!.label, value: provided };
  }

  private consume(buf: Buffer): void {
    let offset = 0;
    while (offset < buf.length) {
      switch (this.state) {
        case 'chunk-data': {
          const n = Math.min(this.chunkRemaining, buf.length - offset);
          const data = buf.subarray(offset, offset + n);
          offset += n;
          this.chunkRemaining -= n;
          this.decoded += n;
          this.chunkHash?.update(data);
          this.checksum?.update(data);
          this.push(data);
          if (this.chunkRemaining === 0) {
            this.endOfChunkData();
            this.state = 'chunk-cr';
          }
          break;
        }
        case 'chunk-cr':
          if (buf[offset++] !== 0x0d) throw malformedFraming('chunk data longer than its size');
          this.state = 'chunk-lf';
          break;
        case 'chunk-lf':
          if (buf[offset++] !== 0x0a) throw malformedFraming('chunk data not followed by CRLF');
          this.state = 'chunk-header';
          break;
        case 'done':
          throw malformedFraming('data after the end of the body');
        default: {
          const { line, next } = this.readLine(buf, offset);
          offset = next;
          if (line !== undefined) this.onLine(line);
        }
      }
    }
  }

  /**
   * Accumulates one CRLF-terminated line (bounded). Returns it without the CRLF once
   * complete. In the trailer section an LF not preceded by CR stays part of the line (some
   * clients end trailer values with "\n\r\n").
   */
  private readLine(buf: Buffer, offset: number): { line?: string; next: number } {
    while (offset < buf.length) {
      const lf = buf.indexOf(0x0a, offset);
      const end = lf === -1 ? buf.length : lf + 1;
      if (this.lineLength + (end - offset) > this.line.length) {
        throw malformedFraming(
          this.state === 'trailers' ? 'trailer line too long' : 'chunk header line too long',
        );
      }
      buf.copy(this.line, this.lineLength, offset, end);
      this.lineLength += end - offset;
      offset = end;
      if (lf === -1) break;
      if (this.lineLength >= 2 && this.line[this.lineLength - 2] === 0x0d) {
        const line = this.line.toString('latin1', 0, this.lineLength - 2);
        this.lineLength = 0;
        return { line, next: offset };
      }
      if (this.state !== 'trailers') throw malformedFraming('line not terminated by CRLF');
    }
    return { next: offset };
  }

  private onLine(line: string): void {
    switch (this.state) {
      case 'chunk-header':
        return this.onChunkHeader(line);
      case 'trailers':
        return this.onTrailerLine(line);
      case 'final-line':
        if (line !== '') throw malformedFraming('unexpected data after the last chunk');
        this.state = 'done';
        return;
      default:
        throw new Error(`unexpected line in state ${this.state}`);
    }
  }

  private onChunkHeader(line: string): void {
    const semicolon = line.indexOf(';');
    const sizeText = (semicolon === -1 ? line : line.slice(0, semicolon)).trim();
    if (!/^[0-9a-fA-F]{1,13}$/.test(sizeText)) throw malformedFraming('invalid chunk size');
    const size = parseInt(sizeText, 16);
    this.chunkIndex++;

    let signature: string | undefined;
    if (semicolon !== -1) {
      for (const extension of line.slice(semicolon + 1).split(';')) {
        const eq = extension.indexOf('=');
        const name = (eq === -1 ? extension : extension.slice(0, eq)).trim();
        if (name === 'chunk-signature' && eq !== -1) signature = extension.slice(eq + 1).trim();
      }
    }
    if (this.signed) {
      if (signature === undefined || !/^[0-9a-fA-F]{64}$/.test(signature)) {
        throw this.signatureMismatch();
      }
      this.expectedChunkSignature = signature.toLowerCase();
      // Every chunk but the last must carry at least 8 KiB.
      if (size > 0 && this.previousChunkSize >= 0 && this.previousChunkSize < MIN_SIGNED_CHUNK_SIZE) {
        throw new S3Error('InvalidChunkSizeError', {
          details: { Chunk: String(this.chunkIndex - 1), BadChunkSize: String(this.previousChunkSize) },
        });
      }
    }
    this.previousChunkSize = size;

    if (this.expectedLength !== undefined && this.decoded + size > this.expectedLength) {
      throw this.lengthMismatch(this.decoded + size);
    }

    this.chunkRemaining = size;
    this.chunkHash = this.signed ? createHash('sha256') : undefined;
    if (size > 0) {
      this.state = 'chunk-data';
      return;
    }
    // The zero-size chunk ends the payload.
    this.endOfChunkData();
    if (this.expectedLength !== undefined && this.decoded !== this.expectedLength) {
      throw this.lengthMismatch(this.decoded);
    }
    this.state = this.hasTrailers ? 'trailers' : 'final-line';
  }

  /** Verifies the signature of the chunk whose data just ended (signed modes). */
  private endOfChunkData(): void {
    if (!this.signed || !this.chunkHash) return;
    const computed = chunkSignature(
      this.signing!,
      this.previousSignature,
      this.chunkHash.digest('hex'),
    );
    this.chunkHash = undefined;
    if (!signaturesMatch(computed, this.expectedChunkSignature)) throw this.signatureMismatch();
    this.previousSignature = computed;
  }

  private onTrailerLine(rawLine: string): void {
    if (rawLine === '') {
      this.finishTrailers();
      return;
    }
    if (++this.trailerLines > MAX_TRAILER_LINES) throw malformedTrailer();
    const line = rawLine.replace(/\n+$/, '');
    const colon = line.indexOf(':');
    if (colon <= 0) throw malformedTrailer();
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === TRAILER_SIGNATURE) {
      if (this.trailerSignatureValue !== undefined) throw malformedTrailer(name);
      this.trailerSignatureValue = value;
      return;
    }
    if (!this.declared.has(name) || Object.prototype.hasOwnProperty.call(this.trailers, name)) {
      throw malformedTrailer(name);
    }
    this.trailers[name] = value;
  }

  private finishTrailers(): void {
    if (this.mode === 'streaming-signed-trailer') {
      const provided = this.trailerSignatureValue;
      const computed = trailerSignature(this.signing!, this.previousSignature, this.trailers);
      if (provided === undefined || !signaturesMatch(computed, provided)) {
        throw this.signatureMismatch();
      }
    }
    for (const name of this.declared) {
      if (this.trailers[name] === undefined) throw malformedTrailer(name);
    }
    this.state = 'done';
  }

  private signatureMismatch(): S3Error {
    return new S3Error('SignatureDoesNotMatch');
  }

  private lengthMismatch(provided: number): S3Error {
    return new S3Error('IncompleteBody', {
      details: {
        NumberBytesExpected: String(this.expectedLength),
        NumberBytesProvided: String(provided),
      },
    });
  }
}
