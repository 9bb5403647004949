/**
 * Signatures of aws-chunked bodies (STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]):
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html and
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html
 */
import { EMPTY_SHA256, sha256Hex, signString } from './signing-key.js';

export const CHUNK_ALGORITHM = 'AWS4-HMAC-SHA256-PAYLOAD';
export const TRAILER_ALGORITHM = 'AWS4-HMAC-SHA256-TRAILER';

export interface ChunkSigningContext {
  signingKey: Buffer;
  amzDate: string;
  scope: string;
}

/**
 * AWS4-HMAC-SHA256-PAYLOAD \n <amzDate> \n <scope> \n <previous signature> \n
 * <sha256("")> \n <sha256(chunk data)>
 */
export function chunkStringToSign(
  ctx: Pick<ChunkSigningContext, 'amzDate' | 'scope'>,
  previousSignature: string,
  chunkSha256Hex: string,
): string {
  return [CHUNK_ALGORITHM, ctx.amzDate, ctx.scope, previousSignature, EMPTY_SHA256, chunkSha256Hex].join('\n');
}

export function chunkSignature(
  ctx: ChunkSigningContext,
  previousSignature: string,
  chunkSha256Hex: string,
): string {
  return signString(ctx.signingKey, chunkStringToSign(ctx, previousSignature, chunkSha256Hex));
}

/**
 * The trailing headers as they are hashed for the trailer signature: one `name:value\n` per
 * trailer (x-amz-trailer-signature excluded), names lower-cased and sorted, values trimmed.
 */
export function canonicalTrailers(trailers: Record<string, string>): string {
  return Object.entries(trailers)
    .map(([name, value]): [string, string] => [name.toLowerCase(), value.trim()])
    .filter(([name]) => name !== 'x-amz-trailer-signature')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}:${value}\n`)
    .join('');
}

/**
 * AWS4-HMAC-SHA256-TRAILER \n <amzDate> \n <scope> \n <previous (final chunk) signature> \n
 * <sha256(canonical trailers)>
 */
export function trailerStringToSign(
  ctx: Pick<ChunkSigningContext, 'amzDate' | 'scope'>,
  previousSignature: string,
  trailers: Record<string, string>,
): string {
  return [
    TRAILER_ALGORITHM,
    ctx.amzDate,
    ctx.scope,
    previousSignature,
    sha256Hex(canonicalTrailers(trailers)),
  ].join('\n');
}

export function trailerSignature(
  ctx: ChunkSigningContext,
  previousSignature: string,
  trailers: Record<string, string>,
): string {
  return signString(ctx.signingKey, trailerStringToSign(ctx, previousSignature, trailers));
}
