/**
 * AWS Signature Version 4 verification of S3 requests, the one entry point for both ways of
 * carrying the signature: the Authorization header
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html), verified
 * here, and query parameters, i.e. presigned URLs
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html), verified in
 * presigned.verifier.ts. Pure: no I/O, the secret lookup and the clock are injected.
 */
import { S3Error } from '../../errors/s3.error.js';
import { canonicalQueryString } from './canonical-request.js';
import {
  authQueryParams,
  assertSingleAuthMechanism,
  usesQueryAuth,
  usesSigV2QueryAuth,
  verifyPresigned,
} from './presigned.verifier.js';
import {
  assertHeadersSigned,
  checkSignature,
  CONTENT_SHA256,
  formatAmzDate,
  formatServerTime,
  type Headers,
  lowerCaseKeys,
  MAX_CLOCK_SKEW_MS,
  parseAmzDate,
  parsePayloadMode,
  parseSignedHeaderNames,
  type SecretLookup,
  type SignedRequest,
  SIGV4_ALGORITHM,
  SIGV4_SERVICE,
  sigV2NotSupported,
  single,
  type VerifiedSignature,
} from './sigv4-common.js';
import { deriveSigningKey } from './signing-key.js';

export {
  formatAmzDate,
  MAX_CLOCK_SKEW_MS,
  parsePayloadMode,
  SIGV4_ALGORITHM,
  SIGV4_SERVICE,
  type PayloadMode,
  type SecretLookup,
  type SignedRequest,
  type VerifiedSignature,
} from './sigv4-common.js';

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

/**
 * Parses `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`; a credential scope of
 * another service, or of another region than `expectedRegion` (when given), is refused.
 */
export function parseAuthorization(
  header: string,
  expectedService: string = SIGV4_SERVICE,
  expectedRegion?: string,
): ParsedAuthorization {
  const trimmed = header.trim();
  const space = trimmed.search(/[ \t]/);
  const algorithm = space === -1 ? trimmed : trimmed.slice(0, space);
  if (algorithm === 'AWS') throw sigV2NotSupported();
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
  if (expectedRegion !== undefined && region !== expectedRegion) {
    // S3's answer, with the region to sign for as an element of its own (SDKs retry with it).
    throw new S3Error('AuthorizationHeaderMalformed', {
      message: `${MALFORMED_PREFIX}the region '${region}' is wrong; expecting '${expectedRegion}'`,
      details: { Region: expectedRegion },
    });
  }
  if (service !== expectedService) {
    throw malformed(`incorrect service "${service}". This endpoint belongs to "${expectedService}".`);
  }

  const sorted = parseSignedHeaderNames(signedHeaders);
  if (!sorted) throw malformed(`the SignedHeaders component "${signedHeaders}" is malformed.`);

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

interface RequestTime {
  /** The header that carried it: 'x-amz-date' or 'date'. */
  header: string;
  raw: string;
  time: Date;
  amzDate: string;
}

function requestTime(headers: Headers): RequestTime {
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
 * Verifies the SigV4 signature of an S3 request, whether it is in the Authorization header or
 * in the query string (presigned URL); a request carrying both is InvalidArgument. Throws an
 * S3Error (AccessDenied, InvalidArgument, AuthorizationHeaderMalformed,
 * AuthorizationQueryParametersError, InvalidRequest, NotImplemented, RequestTimeTooSkewed,
 * InvalidAccessKeyId, SignatureDoesNotMatch) on any failure.
 *
 * The body is not looked at: for `sha256` payloads the caller must compare the hash of the
 * body it receives (XAmzContentSHA256Mismatch), for streaming payloads it decodes the
 * aws-chunked body with the returned signing key and seed signature. A presigned request's
 * payload is `unsigned` unless it signed an x-amz-content-sha256.
 */
export function verifySigV4(req: SignedRequest, lookup: SecretLookup, now: Date): VerifiedSignature {
  const headers = lowerCaseKeys(req.headers);
  const query = authQueryParams(req.rawQuery);
  const authorization = single(headers['authorization']);
  const hasAuthorization = authorization !== undefined && authorization.trim() !== '';
  if (hasAuthorization) {
    assertSingleAuthMechanism(query, authorization);
    return verifyAuthorizationHeader(req, headers, authorization, lookup, now);
  }
  if (usesQueryAuth(query)) return verifyPresigned(req, headers, query, lookup, now);
  if (usesSigV2QueryAuth(query)) throw sigV2NotSupported();
  throw new S3Error('AccessDenied');
}

/** IAM requests sign the hash of the body the caller read; a sent x-amz-content-sha256 must agree. */
function bodyHashFor(req: SignedRequest, header: string | undefined): string | undefined {
  if (req.service !== 'iam') return header;
  if (req.bodySha256 === undefined) throw new Error('an IAM request needs the hash of its body');
  if (header !== undefined && header.toLowerCase() !== req.bodySha256) {
    throw new S3Error('XAmzContentSHA256Mismatch', {
      details: { ClientComputedContentSHA256: header, S3ComputedContentSHA256: req.bodySha256 },
    });
  }
  return req.bodySha256;
}

function verifyAuthorizationHeader(
  req: SignedRequest,
  headers: Headers,
  authorization: string,
  lookup: SecretLookup,
  now: Date,
): VerifiedSignature {
  const auth = parseAuthorization(authorization, req.service ?? SIGV4_SERVICE, req.region);

  const contentSha256 = bodyHashFor(req, single(headers[CONTENT_SHA256]));
  const payload = parsePayloadMode(contentSha256);

  const time = requestTime(headers);
  const skew = Math.abs(now.getTime() - time.time.getTime());
  if (skew > MAX_CLOCK_SKEW_MS) {
    throw new S3Error('RequestTimeTooSkewed', {
      details: {
        RequestTime: time.raw,
        ServerTime: formatServerTime(now),
        MaxAllowedSkewMilliseconds: String(MAX_CLOCK_SKEW_MS),
      },
    });
  }
  if (auth.date !== time.amzDate.slice(0, 8)) {
    throw malformed('Invalid credential date. Date is not the same as X-Amz-Date.');
  }

  // host, the header carrying the request time and every x-amz-* header present must be signed.
  assertHeadersSigned(headers, auth.signedHeaders, time.header === 'date' ? ['host', 'date'] : ['host']);

  const secret = lookup(auth.accessKeyId);
  if (secret === undefined) {
    throw new S3Error('InvalidAccessKeyId', { details: { AWSAccessKeyId: auth.accessKeyId } });
  }
  return checkSignature({
    req,
    headers,
    canonicalQuery: canonicalQueryString(req.rawQuery),
    signedHeaders: auth.signedHeaders,
    payloadHash: contentSha256 as string,
    payload,
    accessKeyId: auth.accessKeyId,
    amzDate: time.amzDate,
    scope: auth.scope,
    signingKey: deriveSigningKey(secret, auth.date, auth.region, auth.service),
    signature: auth.signature,
  });
}
