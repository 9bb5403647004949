import { createHash, createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';

/** Hex SHA-256 of the empty string, used by chunk string-to-signs and empty bodies. */
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export function hmacSha256(key: Buffer | KeyObject | string, data: string | Buffer): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Derived keys kept, oldest dropped first: a key serves every request of its day and scope. */
export const SIGNING_KEY_CACHE_SIZE = 1024;
const signingKeys = new Map<string, Buffer>();
/**
 * The cached keys as KeyObjects: createHmac checks whether a Buffer key is a KeyObject by
 * catching a thrown brand check, which made one HMAC over a Buffer key cost about 17 µs against
 * 3 µs over a KeyObject (Node 24); that was most of SigV4's CPU per request.
 */
const keyObjects = new WeakMap<Buffer, KeyObject>();

/**
 * kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request").
 * `date` is the scope date (YYYYMMDD). Four HMACs per request were 8% of the service's CPU under
 * a PUT load; a key is derived once per secret, day and scope instead, as the SDKs do when
 * signing. The returned buffer is shared: never write to it.
 */
export function deriveSigningKey(
  secretAccessKey: string,
  date: string,
  region: string,
  service: string,
): Buffer {
  const cacheKey = `${date}\n${region}\n${service}\n${secretAccessKey}`;
  const cached = signingKeys.get(cacheKey);
  if (cached) return cached;
  const kDate = hmacSha256(Buffer.from(`AWS4${secretAccessKey}`, 'utf8'), date);
  const kRegion = hmacSha256(kDate, region);
  const kService = hmacSha256(kRegion, service);
  const key = hmacSha256(kService, 'aws4_request');
  if (signingKeys.size >= SIGNING_KEY_CACHE_SIZE) signingKeys.delete(signingKeys.keys().next().value!);
  signingKeys.set(cacheKey, key);
  keyObjects.set(key, createSecretKey(key));
  return key;
}

/** How many derived keys are kept now (for specs). */
export function cachedSigningKeys(): number {
  return signingKeys.size;
}

/** Lower-case hex HMAC-SHA256 of `stringToSign` under the derived signing key. */
export function signString(signingKey: Buffer, stringToSign: string): string {
  return hmacSha256(keyObjects.get(signingKey) ?? signingKey, stringToSign).toString('hex');
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
