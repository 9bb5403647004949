/**
 * AWS Signature Version 2 for S3 (https://docs.aws.amazon.com/AmazonS3/latest/userguide/RESTAuthentication.html):
 * `Authorization: AWS <AccessKeyId>:<Signature>`, or a URL presigned with
 * `AWSAccessKeyId`, `Expires` and `Signature`. Older SDKs still presign this way by default
 * (boto3 before 1.36, Debian 12's among them). The signature is HMAC-SHA1 over
 *
 *     Method \n Content-MD5 \n Content-Type \n Date-or-Expires \n CanonicalizedAmzHeaders CanonicalizedResource
 *
 * and covers no payload hash: the body is checked only by Content-MD5 or a checksum header, if
 * the client sent one. Pure: the secret lookup and the clock are injected.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { S3Error } from '../../errors/s3.error.js';
import { bytesAsSent } from '../sigv4/canonical-request.js';
import { assertSingleAuthMechanism, authQueryParams, usesSigV2QueryAuth, type AuthQuery } from '../sigv4/presigned.verifier.js';
import {
  formatServerTime,
  lowerCaseKeys,
  MAX_CLOCK_SKEW_MS,
  single,
  type Headers,
  type SecretLookup,
  type SignedRequest,
  type VerifiedSignature,
} from '../sigv4/sigv4-common.js';

/**
 * The query parameters that are part of the resource a SigV2 signature names (sub-resources and
 * response overrides), as the SDKs that sign with it list them; any other parameter is not signed.
 */
const SIGNED_SUBRESOURCES: ReadonlySet<string> = new Set([
  'accelerate', 'acl', 'analytics', 'attributes', 'cors', 'delete', 'encryption', 'inventory', 'legal-hold', 'lifecycle', 'location',
  'logging', 'metrics', 'notification', 'object-lock', 'ownershipControls', 'partNumber', 'policy', 'policyStatus', 'publicAccessBlock',
  'replication', 'requestPayment', 'restore', 'retention', 'select', 'select-type', 'tagging', 'torrent', 'uploadId', 'uploads',
  'versionId', 'versioning', 'versions', 'website',
  'response-cache-control', 'response-content-disposition', 'response-content-encoding', 'response-content-language',
  'response-content-type', 'response-expires',
]);

/** A SigV2 request: the wire request, plus its path in path-style form (`/bucket/key`), which names the resource. */
export interface SigV2Request extends SignedRequest {
  resourcePath: string;
}

/** Whether the request carries SigV2 credentials, in its Authorization header or its query. */
export function usesSigV2(headers: Headers, query: AuthQuery): boolean {
  const authorization = single(lowerCaseKeys(headers)['authorization'])?.trim() ?? '';
  return /^AWS [^\s:]+:/.test(authorization) || usesSigV2QueryAuth(query);
}

/**
 * Verifies a SigV2 request, header or presigned. Throws S3's answers: AccessDenied (no valid
 * date, an expired URL, missing parameters), RequestTimeTooSkewed, InvalidAccessKeyId,
 * SignatureDoesNotMatch.
 */
export function verifySigV2(req: SigV2Request, lookup: SecretLookup, now: Date): VerifiedSignature {
  const headers = lowerCaseKeys(req.headers);
  const query = authQueryParams(req.rawQuery);
  const authorization = single(headers['authorization'])?.trim();
  if (authorization) assertSingleAuthMechanism(query, authorization);
  const credentials = authorization ? fromHeader(authorization, headers, now) : fromQuery(query, now);
  if (/^STREAMING-/.test(single(headers['x-amz-content-sha256']) ?? '')) {
    throw new S3Error('InvalidRequest', { message: 'An aws-chunked body is signed with AWS4-HMAC-SHA256 only.' });
  }
  const secret = lookup(credentials.accessKeyId);
  if (secret === undefined) throw new S3Error('InvalidAccessKeyId', { details: { AWSAccessKeyId: credentials.accessKeyId } });
  const stringToSignFor = (resourcePath: string) =>
    [
      req.method.toUpperCase(),
      single(headers['content-md5']) ?? '',
      single(headers['content-type']) ?? '',
      credentials.dateLine,
      canonicalAmzHeaders(headers) + canonicalResource(resourcePath, query),
    ].join('\n');
  const provided = Buffer.from(credentials.signature, 'base64');
  const matches = (candidate: string) => {
    const expected = createHmac('sha1', secret).update(bytesAsSent(candidate)).digest();
    return provided.length === expected.length && timingSafeEqual(provided, expected);
  };
  // A bucket addressed path-style (`/bucket`) is signed as `/bucket/` by botocore, which names
  // the bucket's resource as virtual-hosted style does (`/bucket/` for the path `/`).
  const candidates = [req.resourcePath, ...(/^\/[^/]+$/.test(req.resourcePath) ? [`${req.resourcePath}/`] : [])];
  const stringToSign = stringToSignFor(candidates[0]!);
  if (!candidates.some((path) => matches(stringToSignFor(path)))) {
    throw new S3Error('SignatureDoesNotMatch', {
      details: {
        AWSAccessKeyId: credentials.accessKeyId,
        StringToSign: stringToSign,
        SignatureProvided: credentials.signature,
        StringToSignBytes: [...bytesAsSent(stringToSign)].map((b) => b.toString(16).padStart(2, '0')).join(' '),
      },
    });
  }
  return {
    accessKeyId: credentials.accessKeyId,
    payload: { kind: 'unsigned' },
    amzDate: '',
    scope: '',
    signingKey: Buffer.alloc(0),
    seedSignature: '',
  };
}

interface V2Credentials {
  accessKeyId: string;
  signature: string;
  /** The fourth line of the string to sign: the Date header (empty when x-amz-date is sent), or Expires. */
  dateLine: string;
}

function fromHeader(authorization: string, headers: Headers, now: Date): V2Credentials {
  const match = /^AWS ([^\s:]+):(\S+)$/.exec(authorization);
  if (!match) {
    throw new S3Error('InvalidArgument', {
      message: 'Authorization header is invalid -- one and only one \' \' (space) required',
      details: { ArgumentName: 'Authorization', ArgumentValue: authorization },
    });
  }
  const amzDate = single(headers['x-amz-date']);
  const date = single(headers['date']);
  const raw = amzDate ?? date;
  const ms = raw === undefined ? NaN : Date.parse(raw);
  if (Number.isNaN(ms)) throw new S3Error('AccessDenied', { message: 'AWS authentication requires a valid Date or x-amz-date header' });
  if (Math.abs(now.getTime() - ms) > MAX_CLOCK_SKEW_MS) {
    throw new S3Error('RequestTimeTooSkewed', {
      details: { RequestTime: raw!, ServerTime: formatServerTime(now), MaxAllowedSkewMilliseconds: String(MAX_CLOCK_SKEW_MS) },
    });
  }
  // With x-amz-date, the Date line is empty and x-amz-date is signed among the x-amz- headers.
  return { accessKeyId: match[1]!, signature: match[2]!, dateLine: amzDate !== undefined ? '' : date! };
}

function fromQuery(query: AuthQuery, now: Date): V2Credentials {
  const one = (name: string) => query.get(name)?.[0];
  const accessKeyId = one('AWSAccessKeyId');
  const signature = one('Signature');
  const expires = one('Expires');
  if (accessKeyId === undefined || signature === undefined || expires === undefined) {
    throw new S3Error('AccessDenied', { message: 'Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters' });
  }
  if (!/^\d{1,12}$/.test(expires)) {
    throw new S3Error('AccessDenied', { message: 'Invalid date (should be seconds since epoch)', details: { Expires: expires } });
  }
  const expiresAt = new Date(Number(expires) * 1000);
  if (now.getTime() > expiresAt.getTime()) {
    throw new S3Error('AccessDenied', { message: 'Request has expired', details: { Expires: formatServerTime(expiresAt), ServerTime: formatServerTime(now) } });
  }
  return { accessKeyId, signature, dateLine: expires };
}

/** Every x-amz- header: name lower-cased, values joined with ',', folded whitespace unfolded, sorted by name. */
function canonicalAmzHeaders(headers: Headers): string {
  return Object.keys(headers)
    .filter((name) => name.startsWith('x-amz-'))
    .sort()
    .map((name) => {
      const raw = headers[name];
      const values = Array.isArray(raw) ? raw : [raw ?? ''];
      return `${name}:${values.map((v) => v.replace(/\s*\r?\n\s*/g, ' ').trim()).join(',')}\n`;
    })
    .join('');
}

/** The path as sent (path-style), then the signed sub-resources sorted by name, their values decoded. */
function canonicalResource(resourcePath: string, query: AuthQuery): string {
  const signed = [...query.keys()].filter((name) => SIGNED_SUBRESOURCES.has(name)).sort();
  if (signed.length === 0) return resourcePath;
  const parts = signed.flatMap((name) => query.get(name)!.map((value) => (value === '' ? name : `${name}=${value}`)));
  return `${resourcePath}?${parts.join('&')}`;
}
