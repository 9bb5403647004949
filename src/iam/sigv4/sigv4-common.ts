/**
 * What the two SigV4 verifiers share: the Authorization header one (sigv4.verifier.ts) and the
 * query-string (presigned URL) one (presigned.verifier.ts). Pure: no I/O, no clock.
 */
import { S3Error } from '../../errors/s3.error.js';
import { buildCanonicalRequest, bytesAsSent, canonicalUri, canonicalUriAsSent } from './canonical-request.js';
import { sha256Hex, signString, signaturesMatch } from './signing-key.js';

export interface SignedRequest {
  method: string;
  /** Path exactly as on the wire (still percent-encoded), no query. */
  rawPath: string;
  /** Query string as on the wire without '?', may be ''. */
  rawQuery: string;
  /**
   * Lower-case names, as node's IncomingMessage.headers. Passing `req.headersDistinct`
   * (arrays) is better: repeated header lines are then joined with ',' as SigV4 wants,
   * where node's `headers` has already joined them with ', '.
   */
  headers: Record<string, string | string[] | undefined>;
  /**
   * The service the request must be signed for: `s3` (default) or `iam` (the IAM Query API).
   * IAM clients sign the body's hash without sending x-amz-content-sha256, so for them the
   * caller reads the (small) body first and passes its hash as `bodySha256`.
   */
  service?: 's3' | 'iam';
  bodySha256?: string;
  /**
   * The region the credential scope must name (S3: the service's SEDIMENT_REGION); a scope of
   * another region is refused naming this one, as S3 does. Undefined accepts any region.
   */
  region?: string;
}

export type Headers = Record<string, string | string[] | undefined>;

export interface SecretLookup {
  (accessKeyId: string): string | undefined;
}

export type PayloadMode =
  | { kind: 'unsigned' } // UNSIGNED-PAYLOAD
  | { kind: 'sha256'; hash: string } // hex sha256 of the body, to be checked by the caller
  | { kind: 'streaming-unsigned-trailer' } // STREAMING-UNSIGNED-PAYLOAD-TRAILER
  | { kind: 'streaming-signed' } // STREAMING-AWS4-HMAC-SHA256-PAYLOAD
  | { kind: 'streaming-signed-trailer' }; // STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER

export interface VerifiedSignature {
  accessKeyId: string;
  payload: PayloadMode;
  /** e.g. 20130524T000000Z */
  amzDate: string;
  /** e.g. 20130524/us-east-1/s3/aws4_request */
  scope: string;
  /** Derived key, needed for chunk signatures. */
  signingKey: Buffer;
  /** The request's signature (header or X-Amz-Signature), first link of the chunk chain. */
  seedSignature: string;
}

export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';
export const SIGV4_SERVICE = 's3';
/** AWS allows 15 minutes between the request time and its own clock. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
export const CONTENT_SHA256 = 'x-amz-content-sha256';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

/**
 * What S3 answers a Signature Version 2 request (an `AWS AKID:signature` header, or a URL
 * presigned with AWSAccessKeyId/Signature/Expires) in the regions that accept only SigV4.
 */
export function sigV2NotSupported(): S3Error {
  return new S3Error('InvalidRequest', {
    message: 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.',
  });
}

const PAYLOAD_MODES: Readonly<Record<string, PayloadMode>> = {
  [UNSIGNED_PAYLOAD]: { kind: 'unsigned' },
  'STREAMING-UNSIGNED-PAYLOAD-TRAILER': { kind: 'streaming-unsigned-trailer' },
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD': { kind: 'streaming-signed' },
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER': { kind: 'streaming-signed-trailer' },
};

const SIGV4A_PAYLOADS = new Set([
  'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD',
  'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER',
]);

const INVALID_CONTENT_SHA256_MESSAGE =
  'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, ' +
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, ' +
  'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER ' +
  'or a valid sha256 value.';

/** Classifies x-amz-content-sha256 (required by S3 for header-signed SigV4). */
export function parsePayloadMode(value: string | undefined): PayloadMode {
  if (value === undefined) {
    throw new S3Error('InvalidRequest', {
      message: 'Missing required header for this request: x-amz-content-sha256',
    });
  }
  const mode = PAYLOAD_MODES[value];
  if (mode) return mode;
  if (/^[0-9a-fA-F]{64}$/.test(value)) return { kind: 'sha256', hash: value.toLowerCase() };
  if (SIGV4A_PAYLOADS.has(value)) {
    throw new S3Error('NotImplemented', {
      message: `x-amz-content-sha256 ${value} (SigV4a) is not supported.`,
    });
  }
  throw new S3Error('InvalidArgument', {
    message: INVALID_CONTENT_SHA256_MESSAGE,
    details: { ArgumentName: CONTENT_SHA256, ArgumentValue: value },
  });
}

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** Parses `yyyyMMdd'T'HHmmss'Z'`; undefined when malformed or rolled over (month 13, 25:00). */
export function parseAmzDate(value: string): Date | undefined {
  const m = AMZ_DATE.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  const time = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
  const date = new Date(time);
  if (
    Number.isNaN(time) ||
    date.getUTCFullYear() !== y ||
    date.getUTCMonth() !== mo! - 1 ||
    date.getUTCDate() !== d ||
    date.getUTCHours() !== h ||
    date.getUTCMinutes() !== mi ||
    date.getUTCSeconds() !== s
  ) {
    return undefined;
  }
  return date;
}

export function formatAmzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** ISO 8601 to the second, as AWS writes ServerTime and Expires: 2013-05-24T00:00:00Z. */
export function formatServerTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function single(value: string | string[] | undefined): string | undefined {
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.join(',');
  return value;
}

export function lowerCaseKeys(headers: Headers): Headers {
  const out: Headers = Object.create(null);
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase();
    const existing = out[key];
    if (existing === undefined) {
      out[key] = value;
    } else if (value !== undefined) {
      out[key] = [...(Array.isArray(existing) ? existing : [existing]), ...(Array.isArray(value) ? value : [value])];
    }
  }
  return out;
}

/** `host;x-amz-date` → sorted, de-duplicated lower-case names; undefined if malformed. */
export function parseSignedHeaderNames(value: string): string[] | undefined {
  const names = value.split(';').map((name) => name.trim().toLowerCase());
  if (names.some((name) => name === '' || !/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name))) {
    return undefined;
  }
  return [...new Set(names)].sort();
}

/**
 * The `required` headers and every x-amz-* header present must be signed. S3 tolerates an
 * unsigned x-amz-content-sha256 (it is the payload hash line, not a header line).
 */
export function assertHeadersSigned(
  headers: Headers,
  signedHeaders: readonly string[],
  required: readonly string[],
): void {
  const signed = new Set(signedHeaders);
  const notSigned = required.filter((name) => !signed.has(name));
  for (const name of Object.keys(headers).sort()) {
    if (
      name.startsWith('x-amz-') &&
      name !== CONTENT_SHA256 &&
      headers[name] !== undefined &&
      !signed.has(name)
    ) {
      notSigned.push(name);
    }
  }
  if (notSigned.length > 0) {
    throw new S3Error('AccessDenied', {
      message: 'There were headers present in the request which were not signed',
      details: { HeadersNotSigned: notSigned.join(', ') },
    });
  }
}

export interface SignatureCheck {
  req: SignedRequest;
  headers: Headers;
  canonicalQuery: string;
  signedHeaders: readonly string[];
  payloadHash: string;
  payload: PayloadMode;
  accessKeyId: string;
  amzDate: string;
  scope: string;
  signingKey: Buffer;
  /** The signature the client sent. */
  signature: string;
}

/**
 * Recomputes the signature and compares it in constant time. The canonical URI is tried as S3
 * canonicalises it (decoded, then UriEncoded once) and, when it differs, exactly as sent: both
 * name the same resource, clients sign one or the other. Throws SignatureDoesNotMatch.
 */
export function checkSignature(check: SignatureCheck): VerifiedSignature {
  const stringToSignFor = (uri: string) => {
    const canonicalRequest = buildCanonicalRequest({
      method: check.req.method.toUpperCase(),
      canonicalUri: uri,
      canonicalQuery: check.canonicalQuery,
      signedHeaders: check.signedHeaders,
      headers: check.headers,
      payloadHash: check.payloadHash,
    });
    const stringToSign = [SIGV4_ALGORITHM, check.amzDate, check.scope, sha256Hex(bytesAsSent(canonicalRequest))].join('\n');
    return { canonicalRequest, stringToSign };
  };

  const candidates = [canonicalUri(check.req.rawPath)];
  const asSent = canonicalUriAsSent(check.req.rawPath);
  if (asSent !== candidates[0]) candidates.push(asSent);

  let first: { canonicalRequest: string; stringToSign: string } | undefined;
  for (const uri of candidates) {
    const attempt = stringToSignFor(uri);
    first ??= attempt;
    if (signaturesMatch(signString(check.signingKey, attempt.stringToSign), check.signature)) {
      return {
        accessKeyId: check.accessKeyId,
        payload: check.payload,
        amzDate: check.amzDate,
        scope: check.scope,
        signingKey: check.signingKey,
        seedSignature: check.signature.toLowerCase(),
      };
    }
  }
  throw new S3Error('SignatureDoesNotMatch', {
    details: {
      AWSAccessKeyId: check.accessKeyId,
      StringToSign: first!.stringToSign,
      SignatureProvided: check.signature,
      CanonicalRequest: first!.canonicalRequest,
    },
  });
}
