import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Hex SHA-256 of the empty string, used by chunk string-to-signs and empty bodies. */
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export function hmacSha256(key: Buffer | string, data: string | Buffer): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request").
 * `date` is the scope date (YYYYMMDD).
 */
export function deriveSigningKey(
  secretAccessKey: string,
  date: string,
  region: string,
  service: string,
): Buffer {
  const kDate = hmacSha256(Buffer.from(`AWS4${secretAccessKey}`, 'utf8'), date);
  const kRegion = hmacSha256(kDate, region);
  const kService = hmacSha256(kRegion, service);
  return hmacSha256(kService, 'aws4_request');
}

/** Lower-case hex HMAC-SHA256 of `stringToSign` under the derived signing key. */
export function signString(signingKey: Buffer, stringToSign: string): string {
  return hmacSha256(signingKey, stringToSign).toString('hex');
}

/**
 * Constant-time comparison of a computed signature (lower-case hex) with the one a client
 * provided. Hex case is ignored; anything of another length is simply unequal.
 */
export function signaturesMatch(expected: string, provided: string): boolean {
  const a = Buffer.from(expected.toLowerCase(), 'latin1');
  const b = Buffer.from(provided.toLowerCase(), 'latin1');
  if (a.length !== b.length) {
    // Still spend the time of a comparison so the length is the only thing learnt.
    timingSafeEqual(a, a);
    return false;
  }
  return timingSafeEqual(a, b);
}
