/**
 * AWS Signature Version 4 verification of presigned URLs: the signature and its parameters are
 * in the query string (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html).
 * Reached through verifySigV4 (sigv4.verifier.ts), the one entry point. Pure: no I/O.
 *
 * The canonical request is the header-signed one with the query minus X-Amz-Signature and, as
 * payload hash, UNSIGNED-PAYLOAD, unless the URL signed an x-amz-content-sha256: as a signed
 * header, or as a query parameter (where @smithy/signature-v4 and the AWS SDK presigner hoist
 * it, e.g. `X-Amz-Content-Sha256=UNSIGNED-PAYLOAD`). Error codes and messages are S3's.
 */
import { S3Error } from '../../errors/s3.error.js';
import { canonicalQueryString, percentDecode } from './canonical-request.js';
import {
  assertHeadersSigned,
  checkSignature,
  CONTENT_SHA256,
  formatServerTime,
  type Headers,
  MAX_CLOCK_SKEW_MS,
  parseAmzDate,
  parsePayloadMode,
  parseSignedHeaderNames,
  type SecretLookup,
  type SignedRequest,
  SIGV4_ALGORITHM,
  SIGV4_SERVICE,
  single,
  UNSIGNED_PAYLOAD,
  type VerifiedSignature,
} from './sigv4-common.js';
import { deriveSigningKey } from './signing-key.js';

/** Query parameters by decoded name, each with its decoded values in order. */
export type AuthQuery = ReadonlyMap<string, readonly string[]>;

export const X_AMZ_ALGORITHM = 'X-Amz-Algorithm';
export const X_AMZ_CREDENTIAL = 'X-Amz-Credential';
export const X_AMZ_DATE = 'X-Amz-Date';
export const X_AMZ_EXPIRES = 'X-Amz-Expires';
export const X_AMZ_SIGNED_HEADERS = 'X-Amz-SignedHeaders';
export const X_AMZ_SIGNATURE = 'X-Amz-Signature';

/** The order of S3's own message. */
const REQUIRED_PARAMS = [
  X_AMZ_ALGORITHM,
  X_AMZ_CREDENTIAL,
  X_AMZ_SIGNATURE,
  X_AMZ_DATE,
  X_AMZ_SIGNED_HEADERS,
  X_AMZ_EXPIRES,
] as const;

/** A presigned URL lives at most a week (S3's limit for SigV4). */
export const MAX_PRESIGNED_EXPIRES_SECONDS = 604_800;
const MAX_INT64 = 2n ** 63n - 1n;
const MIN_INT64 = -(2n ** 63n);

const MISSING_PARAMS_MESSAGE =
  'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, ' +
  'X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.';

const ONLY_ONE_MECHANISM_MESSAGE =
  'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query ' +
  'string parameter or the Authorization header should be specified';

function queryError(message: string): S3Error {
  return new S3Error('AuthorizationQueryParametersError', { message });
}

/** Decodes the query the way SigV4 does (%XX only, '+' stays '+'). */
export function authQueryParams(rawQuery: string): AuthQuery {
  const params = new Map<string, string[]>();
  if (rawQuery === '') return params;
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = percentDecode(eq === -1 ? part : part.slice(0, eq)).toString('utf8');
    const value = eq === -1 ? '' : percentDecode(part.slice(eq + 1)).toString('utf8');
    const values = params.get(name);
    if (values) values.push(value);
    else params.set(name, [value]);
  }
  return params;
}

/** Whether the request means to authenticate by query string (a presigned URL). */
export function usesQueryAuth(query: AuthQuery): boolean {
  return query.has(X_AMZ_ALGORITHM) || query.has(X_AMZ_CREDENTIAL) || query.has(X_AMZ_SIGNATURE);
}

/** Whether the request carries SigV2 query-string credentials (refused: SigV4 only). */
export function usesSigV2QueryAuth(query: AuthQuery): boolean {
  return query.has('AWSAccessKeyId') || query.has('Signature');
}

/**
 * S3 refuses a request that carries an Authorization header as well as query-string credentials
 * (SigV4's X-Amz-Algorithm or SigV2's Signature).
 */
export function assertSingleAuthMechanism(query: AuthQuery, authorization: string): void {
  if (query.has(X_AMZ_ALGORITHM) || query.has('Signature')) {
    throw new S3Error('InvalidArgument', {
      message: ONLY_ONE_MECHANISM_MESSAGE,
      details: { ArgumentName: 'Authorization', ArgumentValue: authorization },
    });
  }
}

interface PresignedParams {
  accessKeyId: string;
  /** The credential scope's date, YYYYMMDD. */
  date: string;
  region: string;
  service: string;
  amzDate: string;
  signedAt: Date;
  expiresSeconds: number;
  signedHeaders: string[];
  signature: string;
}

function requiredParam(query: AuthQuery, name: string): string {
  const values = query.get(name);
  if (values === undefined || values.length === 0 || values[0] === '') throw queryError(MISSING_PARAMS_MESSAGE);
  if (values.length > 1) throw queryError(`The ${name} query parameter must be given only once.`);
  return values[0]!;
}

/** X-Amz-Expires: a whole number of seconds, 0 to 604800 (0 is valid but already expired). */
function parseExpires(raw: string): number {
  if (!/^-?\d+$/.test(raw)) throw queryError('X-Amz-Expires should be a number');
  const value = BigInt(raw);
  if (value > MAX_INT64 || value < MIN_INT64) throw queryError('X-Amz-Expires should be a number');
  if (value < 0n) throw queryError('X-Amz-Expires must be non-negative');
  if (value > BigInt(MAX_PRESIGNED_EXPIRES_SECONDS)) {
    throw queryError(
      'X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires ' +
        `must be less than ${MAX_PRESIGNED_EXPIRES_SECONDS} seconds`,
    );
  }
  return Number(value);
}

function parsePresignedParams(query: AuthQuery, expectedRegion: string | undefined): PresignedParams {
  const raw = Object.fromEntries(REQUIRED_PARAMS.map((name) => [name, requiredParam(query, name)])) as Record<
    (typeof REQUIRED_PARAMS)[number],
    string
  >;

  if (raw[X_AMZ_ALGORITHM] !== SIGV4_ALGORITHM) {
    throw queryError(`X-Amz-Algorithm only supports "${SIGV4_ALGORITHM}"`);
  }

  const parts = raw[X_AMZ_CREDENTIAL].split('/');
  const [accessKeyId, date, region, service, terminator] = parts;
  if (parts.length !== 5 || !accessKeyId || !date || !region || !service || terminator !== 'aws4_request') {
    throw queryError(
      'Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; ' +
        'expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".',
    );
  }
  if (!/^\d{8}$/.test(date)) {
    throw queryError(
      `Error parsing the X-Amz-Credential parameter; incorrect date format "${date}". ` +
        'This date in the credential must be in the format "yyyyMMdd".',
    );
  }
  if (expectedRegion !== undefined && region !== expectedRegion) {
    throw new S3Error('AuthorizationQueryParametersError', {
      message: `Error parsing the X-Amz-Credential parameter; the region '${region}' is wrong; expecting '${expectedRegion}'`,
      details: { Region: expectedRegion },
    });
  }
  if (service !== SIGV4_SERVICE) {
    throw queryError(
      `Error parsing the X-Amz-Credential parameter; incorrect service "${service}". ` +
        `This endpoint belongs to "${SIGV4_SERVICE}".`,
    );
  }

  const amzDate = raw[X_AMZ_DATE];
  const signedAt = parseAmzDate(amzDate);
  if (!signedAt) throw queryError(`X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`);
  if (amzDate.slice(0, 8) !== date) {
    throw queryError(
      `Invalid credential date "${date}". This date is not the same as X-Amz-Date: "${amzDate.slice(0, 8)}".`,
    );
  }

  const expiresSeconds = parseExpires(raw[X_AMZ_EXPIRES]);

  const signedHeaders = parseSignedHeaderNames(raw[X_AMZ_SIGNED_HEADERS]);
  if (!signedHeaders) {
    throw queryError(
      `Error parsing the X-Amz-SignedHeaders parameter; "${raw[X_AMZ_SIGNED_HEADERS]}" is malformed.`,
    );
  }

  return {
    accessKeyId,
    date,
    region,
    service,
    amzDate,
    signedAt,
    expiresSeconds,
    signedHeaders,
    signature: raw[X_AMZ_SIGNATURE],
  };
}

/**
 * Valid from 15 minutes before X-Amz-Date (clock skew) until X-Amz-Date + X-Amz-Expires
 * inclusive. The details are the elements S3 adds to these two AccessDenied answers (S3 writes
 * X-Amz-Date in epoch milliseconds there).
 */
function assertWithinValidity(params: PresignedParams, now: Date): void {
  const expiresAt = new Date(params.signedAt.getTime() + params.expiresSeconds * 1000);
  if (params.signedAt.getTime() - now.getTime() > MAX_CLOCK_SKEW_MS) {
    throw new S3Error('AccessDenied', {
      message: 'Request is not yet valid',
      details: {
        'X-Amz-Date': String(params.signedAt.getTime()),
        Expires: formatServerTime(expiresAt),
        ServerTime: formatServerTime(now),
      },
    });
  }
  if (now.getTime() > expiresAt.getTime()) {
    throw new S3Error('AccessDenied', {
      message: 'Request has expired',
      details: {
        'X-Amz-Expires': String(params.expiresSeconds),
        Expires: formatServerTime(expiresAt),
        ServerTime: formatServerTime(now),
      },
    });
  }
}

/** The payload hash line: a signed x-amz-content-sha256 header, else the query's, else unsigned. */
function payloadHashOf(headers: Headers, signedHeaders: readonly string[], query: AuthQuery): string {
  if (signedHeaders.includes(CONTENT_SHA256)) {
    const header = single(headers[CONTENT_SHA256]);
    if (header !== undefined) return header;
  }
  for (const [name, values] of query) {
    if (name.toLowerCase() === CONTENT_SHA256 && values[0] !== undefined) return values[0];
  }
  return UNSIGNED_PAYLOAD;
}

/** The raw query without X-Amz-Signature, the one parameter the signature does not cover. */
function queryWithoutSignature(rawQuery: string): string {
  return rawQuery
    .split('&')
    .filter((part) => {
      const eq = part.indexOf('=');
      return percentDecode(eq === -1 ? part : part.slice(0, eq)).toString('utf8') !== X_AMZ_SIGNATURE;
    })
    .join('&');
}

/**
 * Verifies a presigned request. `headers` has lower-case names; `query` is authQueryParams of
 * req.rawQuery. Throws AuthorizationQueryParametersError, AccessDenied (expired, not yet valid,
 * unsigned headers), InvalidArgument / NotImplemented (x-amz-content-sha256), InvalidAccessKeyId
 * or SignatureDoesNotMatch.
 */
export function verifyPresigned(
  req: SignedRequest,
  headers: Headers,
  query: AuthQuery,
  lookup: SecretLookup,
  now: Date,
): VerifiedSignature {
  const params = parsePresignedParams(query, req.region);
  assertWithinValidity(params, now);
  assertHeadersSigned(headers, params.signedHeaders, ['host']);

  const payloadHash = payloadHashOf(headers, params.signedHeaders, query);
  const payload = parsePayloadMode(payloadHash);

  const secret = lookup(params.accessKeyId);
  if (secret === undefined) {
    throw new S3Error('InvalidAccessKeyId', { details: { AWSAccessKeyId: params.accessKeyId } });
  }
  return checkSignature({
    req,
    headers,
    canonicalQuery: canonicalQueryString(queryWithoutSignature(req.rawQuery)),
    signedHeaders: params.signedHeaders,
    payloadHash,
    payload,
    accessKeyId: params.accessKeyId,
    amzDate: params.amzDate,
    scope: `${params.date}/${params.region}/${params.service}/aws4_request`,
    signingKey: deriveSigningKey(secret, params.date, params.region, params.service),
    signature: params.signature,
  });
}
