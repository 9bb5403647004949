/**
 * AWS Signature Version 4 verification of S3 requests signed in the Authorization header
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html).
 * Pure: no I/O, the secret lookup and the clock are injected.
 */
import { S3Error } from '../../s3/errors/s3.error.js';
import {
  buildCanonicalRequest,
  canonicalQueryString,
  canonicalUri,
  canonicalUriAsSent,
} from './canonical-request.js';
import { deriveSigningKey, sha256Hex, signString, signaturesMatch } from './signing-key.js';

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
}

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
  /** The header's signature, first link of the chunk chain. */
  seedSignature: string;
}

export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';
export const SIGV4_SERVICE = 's3';
/** AWS allows 15 minutes between the request time and its own clock. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

const CONTENT_SHA256 = 'x-amz-content-sha256';

const PAYLOAD_MODES: Readonly<Record<string, PayloadMode>> = {
  'UNSIGNED-PAYLOAD': { kind: 'unsigned' },
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

const MALFORMED_PREFIX = 'The authorization header is malformed; ';

interface ParsedAuthorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  scope: string;
  signedHeaders: string[];
  signature: string;
}

function malformed(reason: string): S3Error {
  return new S3Error('AuthorizationHeaderMalformed', { message: MALFORMED_PREFIX + reason });
}

function single(value: string | string[] | undefined): string | undefined {
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.join(',');
  return value;
}

/** Parses `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`. */
export function parseAuthorization(header: string): ParsedAuthorization {
  const trimmed = header.trim();
  const space = trimmed.search(/[ \t]/);
  const algorithm = space === -1 ? trimmed : trimmed.slice(0, space);
  if (algorithm !== SIGV4_ALGORITHM) {
    // What S3 answers to an Authorization scheme it does not know (e.g. "Bearer x").
    throw new S3Error('InvalidArgument', {
      message: 'Unsupported Authorization Type',
      details: { ArgumentName: 'Authorization', ArgumentValue: header },
    });
  }
  const fields = new Map<string, string>();
  for (const component of trimmed.slice(space + 1).split(',')) {
    const part = component.trim();
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = eq === -1 ? part : part.slice(0, eq).trim();
    if (eq === -1 || fields.has(key)) {
      throw malformed(`the authorization component "${part}" is malformed.`);
    }
    fields.set(key, part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (credential === undefined || signedHeaders === undefined || signature === undefined) {
    throw malformed(
      'the authorization header requires three components: Credential, SignedHeaders, and Signature.',
    );
  }
  for (const key of fields.keys()) {
    if (key !== 'Credential' && key !== 'SignedHeaders' && key !== 'Signature') {
      throw malformed(`the authorization component "${key}=${fields.get(key)}" is malformed.`);
    }
  }

  const parts = credential.split('/');
  const [accessKeyId, date, region, service, terminator] = parts;
  if (
    parts.length !== 5 ||
    !accessKeyId ||
    !date ||
    !region ||
    !service ||
    terminator !== 'aws4_request' ||
    !/^\d{8}$/.test(date)
  ) {
    throw malformed(
      'the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".',
    );
  }
  if (service !== SIGV4_SERVICE) {
    throw malformed(`incorrect service "${service}". This endpoint belongs to "${SIGV4_SERVICE}".`);
  }

  const names = signedHeaders.split(';').map((name) => name.trim().toLowerCase());
  if (names.some((name) => name === '' || !/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name))) {
    throw malformed(`the SignedHeaders component "${signedHeaders}" is malformed.`);
  }
  const sorted = [...new Set(names)].sort();

  return {
    accessKeyId,
    date,
    region,
    service,
    scope: `${date}/${region}/${service}/aws4_request`,
    signedHeaders: sorted,
    signature,
  };
}

/** Classifies x-amz-content-sha256 (required by S3 for SigV4). */
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

function parseAmzDate(value: string): Date | undefined {
  const m = AMZ_DATE.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  const time = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
  const date = new Date(time);
  // Reject rolled-over values such as month 13 or 25:00.
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

interface RequestTime {
  /** The header that carried it: 'x-amz-date' or 'date'. */
  header: string;
  raw: string;
  time: Date;
  amzDate: string;
}

function requestTime(headers: SignedRequest['headers']): RequestTime {
  const invalid = () =>
    new S3Error('AccessDenied', {
      message: 'AWS authentication requires a valid Date or x-amz-date header',
    });
  const amz = single(headers['x-amz-date']);
  if (amz !== undefined) {
    const time = parseAmzDate(amz.trim());
    if (!time) throw invalid();
    return { header: 'x-amz-date', raw: amz, time, amzDate: amz.trim() };
  }
  const date = single(headers['date']);
  if (date !== undefined) {
    const ms = Date.parse(date);
    if (Number.isNaN(ms)) throw invalid();
    const time = new Date(Math.floor(ms / 1000) * 1000);
    return { header: 'date', raw: date, time, amzDate: formatAmzDate(time) };
  }
  throw invalid();
}

/**
 * Verifies the SigV4 Authorization header of an S3 request. Throws an S3Error (AccessDenied,
 * InvalidArgument, AuthorizationHeaderMalformed, InvalidRequest, NotImplemented,
 * RequestTimeTooSkewed, InvalidAccessKeyId, SignatureDoesNotMatch) on any failure.
 *
 * The body is not looked at: for `sha256` payloads the caller must compare the hash of the
 * body it receives (XAmzContentSHA256Mismatch), for streaming payloads it decodes the
 * aws-chunked body with the returned signing key and seed signature.
 */
export function verifySigV4(req: SignedRequest, lookup: SecretLookup, now: Date): VerifiedSignature {
  const headers = lowerCaseKeys(req.headers);
  const authorization = single(headers['authorization']);
  if (authorization === undefined || authorization.trim() === '') {
    throw new S3Error('AccessDenied');
  }
  const auth = parseAuthorization(authorization);

  const contentSha256 = single(headers[CONTENT_SHA256]);
  const payload = parsePayloadMode(contentSha256);

  const time = requestTime(headers);
  const skew = Math.abs(now.getTime() - time.time.getTime());
  if (skew > MAX_CLOCK_SKEW_MS) {
    throw new S3Error('RequestTimeTooSkewed', {
      details: {
        RequestTime: time.raw,
        ServerTime: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        MaxAllowedSkewMilliseconds: String(MAX_CLOCK_SKEW_MS),
      },
    });
  }
  if (auth.date !== time.amzDate.slice(0, 8)) {
    throw malformed('Invalid credential date. Date is not the same as X-Amz-Date.');
  }

  // host, the header carrying the request time and every x-amz-* header present must be
  // signed (S3 tolerates an unsigned x-amz-content-sha256: it is the payload hash line).
  const signed = new Set(auth.signedHeaders);
  const notSigned: string[] = [];
  if (!signed.has('host')) notSigned.push('host');
  if (time.header === 'date' && !signed.has('date')) notSigned.push('date');
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

  const secret = lookup(auth.accessKeyId);
  if (secret === undefined) {
    throw new S3Error('InvalidAccessKeyId', { details: { AWSAccessKeyId: auth.accessKeyId } });
  }
  const signingKey = deriveSigningKey(secret, auth.date, auth.region, auth.service);

  const canonicalQuery = canonicalQueryString(req.rawQuery);
  const stringToSignFor = (uri: string) => {
    const canonicalRequest = buildCanonicalRequest({
      method: req.method.toUpperCase(),
      canonicalUri: uri,
      canonicalQuery,
      signedHeaders: auth.signedHeaders,
      headers,
      payloadHash: contentSha256 as string,
    });
    const stringToSign = [SIGV4_ALGORITHM, time.amzDate, auth.scope, sha256Hex(canonicalRequest)].join('\n');
    return { canonicalRequest, stringToSign };
  };

  // The URI as S3 canonicalises it (decoded, then UriEncoded once), and, when it differs,
  // the URI exactly as sent: both name the same resource, clients sign one or the other.
  const candidates = [canonicalUri(req.rawPath)];
  const asSent = canonicalUriAsSent(req.rawPath);
  if (asSent !== candidates[0]) candidates.push(asSent);

  let first: { canonicalRequest: string; stringToSign: string } | undefined;
  for (const uri of candidates) {
    const attempt = stringToSignFor(uri);
    first ??= attempt;
    if (signaturesMatch(signString(signingKey, attempt.stringToSign), auth.signature)) {
      return {
        accessKeyId: auth.accessKeyId,
        payload,
        amzDate: time.amzDate,
        scope: auth.scope,
        signingKey,
        seedSignature: auth.signature.toLowerCase(),
      };
    }
  }
  throw new S3Error('SignatureDoesNotMatch', {
    details: {
      AWSAccessKeyId: auth.accessKeyId,
      StringToSign: first!.stringToSign,
      SignatureProvided: auth.signature,
      CanonicalRequest: first!.canonicalRequest,
    },
  });
}

function lowerCaseKeys(
  headers: SignedRequest['headers'],
): Record<string, string | string[] | undefined> {
  const out: Record<string, string | string[] | undefined> = Object.create(null);
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
