import type { Request } from 'express';
import type { Principal } from '../../event-log/principal.js';
import type { VerifiedSignature } from '../../iam/sigv4/sigv4.verifier.js';

/** What the edge learns about a request before an operation runs. */
export interface S3RequestState {
  requestId: string;
  principal?: Principal;
  signature?: VerifiedSignature;
}

export type S3HttpRequest = Request & { sediment: S3RequestState };

export function splitUrl(originalUrl: string): { rawPath: string; rawQuery: string } {
  const q = originalUrl.indexOf('?');
  return q < 0
    ? { rawPath: originalUrl, rawQuery: '' }
    : { rawPath: originalUrl.slice(0, q), rawQuery: originalUrl.slice(q + 1) };
}
