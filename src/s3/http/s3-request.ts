import type { Request } from 'express';
import type { Principal } from '../../event-log/principal.js';
import type { VerifiedSignature } from '../../iam/sigv4/sigv4.verifier.js';

/**
 * Asks whether the request's principal may perform `action` on a bucket or object (DeleteObjects
 * asks per key). `conditionKeys` adds S3 condition keys of that question (`s3:prefix` when a
 * missing key asks for s3:ListBucket) to those of the request.
 */
export type AccessCheck = (action: string, bucket: string, key?: string, conditionKeys?: Readonly<Record<string, string>>) => Promise<boolean>;

/** What the edge learns about a request before an operation runs. */
export interface S3RequestState {
  requestId: string;
  /** Which API the request speaks: S3 (default) or the IAM Query API (signed for service `iam`). */
  protocol?: 's3' | 'iam';
  principal?: Principal;
  signature?: VerifiedSignature;
  /**
   * The S3 operation and its target, routed once by the guard. The operation's name is one of
   * `operations/index.ts`'s table, which this module (below the operations) does not import.
   */
  route?: { readonly operation: string; readonly bucket?: string; readonly key?: string };
  /** The raw path in path-style form (`/bucket/key`), also for virtual-hosted-style requests. */
  resourcePath?: string;
  /** The form body of an IAM request, read (and hashed) by the guard before verification. */
  iamBody?: string;
  authorize?: AccessCheck;
  /**
   * For POST Object, whose credentials are fields of the form: the principal that signed these
   * fields (lower-case names), or the anonymous one for a form without credentials; and the same
   * question as `authorize`, asked for that principal.
   */
  formSigner?: (fields: ReadonlyMap<string, string>) => Principal;
  authorizeAs?: (principal: Principal, action: string, bucket: string, key?: string) => Promise<boolean>;
  /** How long the body may stall on the client (SEDIMENT_BODY_IDLE_TIMEOUT_MS); see body-idle-timeout.ts. */
  bodyIdleTimeoutMs?: number;
}

export type S3HttpRequest = Request & { sediment: S3RequestState };

export function splitUrl(originalUrl: string): { rawPath: string; rawQuery: string } {
  const q = originalUrl.indexOf('?');
  return q < 0
    ? { rawPath: originalUrl, rawQuery: '' }
    : { rawPath: originalUrl.slice(0, q), rawQuery: originalUrl.slice(q + 1) };
}
