import { usesSigV2, verifySigV2, type SigV2Request } from './sigv2/sigv2.verifier.js';
import { authQueryParams } from './sigv4/presigned.verifier.js';
import { verifySigV4, type SecretLookup, type VerifiedSignature } from './sigv4/sigv4.verifier.js';

/**
 * The signature of an S3 request: SigV4 (header or presigned URL), or SigV2 when `sigV2` allows
 * it. Without it, a SigV2 request gets the answer of S3's SigV4-only regions.
 */
export function verifyS3Signature(req: SigV2Request, lookup: SecretLookup, now: Date, options: { sigV2: boolean }): VerifiedSignature {
  if (options.sigV2 && usesSigV2(req.headers, authQueryParams(req.rawQuery))) return verifySigV2(req, lookup, now);
  return verifySigV4(req, lookup, now);
}
