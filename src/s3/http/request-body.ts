import { PassThrough, type Readable, type Transform } from 'node:stream';
import type { S3HttpRequest } from './s3-request.js';
import { S3Error } from '../../errors/s3.error.js';
import { watchBodyIdle } from './body-idle-timeout.js';
import { unsupportedChecksumAlgorithm } from '../../bucket-stream/multipart-checksum.js';
import type { ChecksumAlgorithmName } from '../../bucket-stream/object.events.js';
import { AwsChunkedDecoder } from '../streaming/aws-chunked.decoder.js';
import { checksumAlgorithmNamed, CHECKSUMS, type VerifiedChecksum } from '../../integrity/checksums.js';
import { IntegrityVerifier } from '../streaming/integrity-verifier.js';
import { Sha256Verifier } from '../streaming/sha256-verifier.js';

export interface PayloadStream {
  stream: Readable;
  /**
   * The payload's decoded length, which the blob writer holds the stream to; undefined for a
   * body sent with `Transfer-Encoding: chunked` and no Content-Length, whose end is its last
   * chunk (the blob writer then counts it, up to the size limit).
   */
  size: number | undefined;
  checksum: PayloadChecksum;
}

/** The flexible checksum (x-amz-checksum-* header or trailer) a payload came with. */
export interface PayloadChecksum {
  /** The algorithm the request declares, known before the body is read; undefined when none. */
  readonly algorithm: ChecksumAlgorithmName | undefined;
  /** The verified value, available once the stream has ended without error. */
  verified(): VerifiedChecksum | undefined;
}

const DIGITS = /^\d{1,15}$/;

function headerNumber(req: S3HttpRequest, name: string): number | undefined {
  const raw = req.headers[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !DIGITS.test(raw)) {
    throw new S3Error('InvalidArgument', { message: `Invalid ${name} header` });
  }
  return Number(raw);
}

export interface PayloadOptions {
  /** The x-amz-checksum-* headers describe an object (CompleteMultipartUpload), not this payload. */
  objectChecksumHeaders?: boolean;
}

/**
 * The request's payload as a stream of the bytes to store, whatever the signing mode: plain,
 * sha256-verified, or aws-chunked (decoded, chunk signatures and trailing checksum checked).
 * Errors of any stage surface as an error of the returned stream.
 */
export function payloadStream(req: S3HttpRequest, options: PayloadOptions = {}): PayloadStream {
  const integrity = IntegrityVerifier.fromHeaders(options.objectChecksumHeaders ? withoutFlexibleChecksums(req.headers) : req.headers);
  const trailerAlgorithm = String(req.headers['x-amz-trailer'] ?? '')
    .split(',')
    .map((name) => CHECKSUMS[name.trim().toLowerCase()]?.label)
    .find(Boolean);
  if (integrity?.algorithm && trailerAlgorithm) {
    throw new S3Error('InvalidRequest', {
      message: 'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.',
    });
  }
  if (!options.objectChecksumHeaders) assertSdkChecksumAlgorithm(req, integrity?.algorithm ?? trailerAlgorithm);
  const { stream: framed, size } = framedPayload(req);
  const stream = integrity ? chain(req, framed, integrity) : framed;
  // A small body can fail verification before the blob writer subscribes; the error must not
  // go unhandled (it would end the process). It stays on `stream.errored` for the writer.
  stream.on('error', () => undefined);
  // A checksum comes either as a header or as a trailer, never both (refused above).
  const source = integrity?.algorithm ? integrity : framed instanceof AwsChunkedDecoder ? framed : undefined;
  const checksum: PayloadChecksum = { algorithm: source?.algorithm, verified: () => source?.verified };
  return { stream, size, checksum };
}

/**
 * x-amz-sdk-checksum-algorithm names the algorithm an SDK used: S3 wants the checksum itself
 * with it (header or trailer), and BadDigest when that checksum is of another algorithm.
 */
function assertSdkChecksumAlgorithm(req: S3HttpRequest, sent: ChecksumAlgorithmName | undefined): void {
  const header = req.headers['x-amz-sdk-checksum-algorithm'];
  if (header === undefined) return;
  const named = checksumAlgorithmNamed(String(header));
  if (!named) throw unsupportedChecksumAlgorithm();
  if (!sent) {
    throw new S3Error('InvalidRequest', {
      message: 'x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.',
    });
  }
  if (sent !== named.label) {
    throw new S3Error('BadDigest', { message: `The ${named.label} you specified did not match the calculated checksum.` });
  }
}

function withoutFlexibleChecksums(headers: S3HttpRequest['headers']): S3HttpRequest['headers'] {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !name.startsWith('x-amz-checksum-')));
}

/**
 * The payload with its transfer framing removed and its signature-level hash checked. Without
 * Content-Length, a body needs HTTP's own chunked framing (Node has already removed it, so the
 * request stream ends with the last chunk), and its size is known only once it has arrived.
 */
function framedPayload(req: S3HttpRequest): { stream: Readable; size: number | undefined } {
  const payload = req.sediment.signature?.payload ?? { kind: 'unsigned' as const };
  const contentLength = headerNumber(req, 'content-length');
  if (contentLength === undefined && !isChunked(req)) throw new S3Error('MissingContentLength');
  switch (payload.kind) {
    case 'unsigned':
      // A stage even with nothing to decode: failing it (a stalled body) must not cut the socket.
      return { stream: pipeRequest(req, new PassThrough()), size: contentLength };
    case 'sha256':
      return { stream: pipeRequest(req, new Sha256Verifier(payload.hash)), size: contentLength };
    case 'streaming-unsigned-trailer':
    case 'streaming-signed':
    case 'streaming-signed-trailer': {
      const decoded = headerNumber(req, 'x-amz-decoded-content-length');
      if (decoded === undefined) throw new S3Error('MissingContentLength');
      const signature = req.sediment.signature!;
      const declaredTrailers = String(req.headers['x-amz-trailer'] ?? '')
        .split(',')
        .map((t) => t.trim().toLowerCase())
        .filter(Boolean);
      const decoder = new AwsChunkedDecoder({
        mode: payload.kind,
        decodedContentLength: decoded,
        declaredTrailers,
        signing: {
          signingKey: signature.signingKey,
          seedSignature: signature.seedSignature,
          amzDate: signature.amzDate,
          scope: signature.scope,
        },
      });
      return { stream: pipeRequest(req, decoder), size: decoded };
    }
    default: {
      const unreachable: never = payload;
      return unreachable;
    }
  }
}

/**
 * The request body as it arrives, undecoded, with the usual guards: a client that goes away or
 * stalls fails the stream (IncompleteBody, RequestTimeout) without cutting the socket.
 */
export function rawBodyStream(req: S3HttpRequest): Readable {
  return pipeRequest(req, new PassThrough());
}

/** Whether HTTP chunked transfer coding frames the body (the last coding must be chunked, RFC 9112 §6.1). */
function isChunked(req: S3HttpRequest): boolean {
  const codings = String(req.headers['transfer-encoding'] ?? '').split(',');
  return codings[codings.length - 1]!.trim().toLowerCase() === 'chunked';
}

/**
 * Pipes the request through a decoding stage without tying their fates the way pipeline()
 * would: a decoding error must not destroy the request's socket, or the client would never
 * read the 400 that explains it. A client that goes away fails the stage instead.
 */
function pipeRequest(req: S3HttpRequest, stage: Transform): Transform {
  req.pipe(stage);
  req.once('error', (error) => stage.destroy(error));
  req.once('close', () => {
    if (!req.complete) stage.destroy(new S3Error('IncompleteBody'));
  });
  stage.once('error', () => req.unpipe(stage));
  watchBodyIdle(req, stage);
  return stage;
}

/** Appends a verifying stage; an error upstream fails it with the same error. */
function chain(req: S3HttpRequest, upstream: Readable, stage: Transform): Transform {
  if (upstream === req) return pipeRequest(req, stage);
  upstream.pipe(stage);
  upstream.once('error', (error) => stage.destroy(error));
  return stage;
}

/**
 * Reads a small request body (XML configuration), refusing more than `limit` bytes. It goes
 * through the same decoding and verification as an object payload, so a signed body that was
 * altered in transit is refused here too.
 */
export async function readSmallBody(req: S3HttpRequest, limit: number, options: PayloadOptions = {}): Promise<string> {
  const declared = req.headers['content-length'];
  if (declared === undefined && req.headers['transfer-encoding'] === undefined) return '';
  const { stream, size } = payloadStream(req, options);
  if (size !== undefined && size > limit) throw new S3Error('MaxMessageLengthExceeded');
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > limit) throw new S3Error('MaxMessageLengthExceeded');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Whether the request carries Content-MD5 or an x-amz-checksum-* (as a header or a trailer). */
export function hasIntegrityHeader(req: S3HttpRequest): boolean {
  const names = Object.keys(req.headers);
  const hasChecksumHeader = names.some((n) => n.startsWith('x-amz-checksum-') && n !== 'x-amz-checksum-mode' && n !== 'x-amz-checksum-type');
  const trailer = String(req.headers['x-amz-trailer'] ?? '').toLowerCase();
  return req.headers['content-md5'] !== undefined || hasChecksumHeader || trailer.includes('x-amz-checksum-');
}

/**
 * AWS refuses some requests (DeleteObjects, PutBucketCors) without an integrity check of their
 * body: Content-MD5 or an x-amz-checksum-* header (or trailer, for an aws-chunked body).
 */
export function assertIntegrityHeader(req: S3HttpRequest): void {
  if (hasIntegrityHeader(req)) return;
  throw new S3Error('InvalidRequest', { message: 'Missing required header for this request: Content-MD5' });
}
