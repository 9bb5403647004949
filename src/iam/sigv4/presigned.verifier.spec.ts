import { createHash } from 'node:crypto';
import { buildQueryString } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';
import type { HttpRequest } from '@smithy/types';
import { S3Error } from '../../errors/s3.error.js';
import { uriEncode } from './canonical-request.js';
import { deriveSigningKey } from './signing-key.js';
import { type SignedRequest, verifySigV4 } from './sigv4.verifier.js';
import { NodeSha256 } from '../../../test/support/node-sha256.js';

// The example credentials of the AWS documentation (not a real key).
const ACCESS_KEY = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const DOC_NOW = new Date('2013-05-24T00:00:00Z');
const DOC_SIGNATURE = 'aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404';
const lookup = (id: string) => (id === ACCESS_KEY ? SECRET : undefined);

const MISSING_PARAMS =
  'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, ' +
  'X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.';

/**
 * The example of "Authenticating Requests: Using Query Parameters (AWS Signature Version 4)"
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html): GET
 * https://examplebucket.s3.amazonaws.com/test.txt, valid 86400 s from 20130524T000000Z.
 */
const DOC_PARAMS: ReadonlyArray<[string, string]> = [
  ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
  ['X-Amz-Credential', `${ACCESS_KEY}%2F20130524%2Fus-east-1%2Fs3%2Faws4_request`],
  ['X-Amz-Date', '20130524T000000Z'],
  ['X-Amz-Expires', '86400'],
  ['X-Amz-SignedHeaders', 'host'],
  ['X-Amz-Signature', DOC_SIGNATURE],
];

function docRequest(params: ReadonlyArray<[string, string]> = DOC_PARAMS, headers: SignedRequest['headers'] = {}): SignedRequest {
  return {
    method: 'GET',
    rawPath: '/test.txt',
    rawQuery: params.map(([name, value]) => `${name}=${value}`).join('&'),
    headers: { host: 'examplebucket.s3.amazonaws.com', ...headers },
  };
}

/** The documented request with one parameter replaced (value) or removed (undefined). */
function withParam(name: string, value: string | undefined): SignedRequest {
  const params = DOC_PARAMS.filter(([n]) => n !== name);
  return docRequest(value === undefined ? params : [...params, [name, value]]);
}

function s3ErrorOf(fn: () => unknown): S3Error {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(S3Error);
    return error as S3Error;
  }
  throw new Error('expected an S3Error, nothing was thrown');
}

function expectQueryError(req: SignedRequest, message: string, now = DOC_NOW): void {
  const error = s3ErrorOf(() => verifySigV4(req, lookup, now));
  expect(error.code).toBe('AuthorizationQueryParametersError');
  expect(error.status).toBe(400);
  expect(error.message).toBe(message);
}

const seconds = (date: Date, s: number) => new Date(date.getTime() + s * 1000);

describe('presigned URLs — the AWS documentation example', () => {
  it('verifies the published signature', () => {
    const verified = verifySigV4(docRequest(), lookup, DOC_NOW);
    expect(verified).toEqual({
      accessKeyId: ACCESS_KEY,
      payload: { kind: 'unsigned' },
      amzDate: '20130524T000000Z',
      scope: '20130524/us-east-1/s3/aws4_request',
      signingKey: deriveSigningKey(SECRET, '20130524', 'us-east-1', 's3'),
      seedSignature: DOC_SIGNATURE,
    });
  });

  it('computes the published canonical request (shown when the signature does not match)', () => {
    const error = s3ErrorOf(() => verifySigV4(docRequest(), () => 'another-secret', DOC_NOW));
    expect(error.code).toBe('SignatureDoesNotMatch');
    expect(error.details.CanonicalRequest).toBe(
      'GET\n/test.txt\n' +
        'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request' +
        '&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host\n' +
        'host:examplebucket.s3.amazonaws.com\n\nhost\nUNSIGNED-PAYLOAD',
    );
    expect(error.details.StringToSign).toBe(
      'AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n' +
        '3bfa292879f6447bbcda7001decf97f4a54dc650c8942174ae0a9121cf58ad04',
    );
    expect(error.details.SignatureProvided).toBe(DOC_SIGNATURE);
  });

  it('accepts the parameters in any order, the credential unescaped and the signature in upper case', () => {
    const params = [...DOC_PARAMS]
      .reverse()
      .map(([n, v]): [string, string] => [
        n,
        n === 'X-Amz-Credential' ? decodeURIComponent(v) : n === 'X-Amz-Signature' ? v.toUpperCase() : v,
      ]);
    expect(() => verifySigV4(docRequest(params), lookup, DOC_NOW)).not.toThrow();
  });

  it('ignores unsigned headers that are not x-amz-* (what a browser or curl adds)', () => {
    const req = docRequest(DOC_PARAMS, { 'user-agent': 'curl/8', accept: '*/*', 'x-amzn-trace-id': 'Root=1' });
    expect(() => verifySigV4(req, lookup, DOC_NOW)).not.toThrow();
  });
});

describe('presigned URLs — validity window', () => {
  it('is valid up to and including X-Amz-Date + X-Amz-Expires, expired one second later', () => {
    expect(() => verifySigV4(docRequest(), lookup, seconds(DOC_NOW, 86_400))).not.toThrow();
    const error = s3ErrorOf(() => verifySigV4(docRequest(), lookup, seconds(DOC_NOW, 86_401)));
    expect(error.code).toBe('AccessDenied');
    expect(error.status).toBe(403);
    expect(error.message).toBe('Request has expired');
    expect(error.details).toEqual({
      'X-Amz-Expires': '86400',
      Expires: '2013-05-25T00:00:00Z',
      ServerTime: '2013-05-25T00:00:01Z',
    });
  });

  it('is expired even a millisecond after the deadline', () => {
    const error = s3ErrorOf(() => verifySigV4(docRequest(), lookup, new Date(DOC_NOW.getTime() + 86_400_001)));
    expect(error.message).toBe('Request has expired');
  });

  it('reports expiry before checking the signature (as S3 does)', () => {
    const req = withParam('X-Amz-Signature', '0'.repeat(64));
    expect(s3ErrorOf(() => verifySigV4(req, lookup, seconds(DOC_NOW, 86_401))).message).toBe('Request has expired');
  });

  it('tolerates 15 minutes of clock skew before X-Amz-Date, then is "not yet valid"', () => {
    expect(() => verifySigV4(docRequest(), lookup, seconds(DOC_NOW, -15 * 60))).not.toThrow();
    const error = s3ErrorOf(() => verifySigV4(docRequest(), lookup, seconds(DOC_NOW, -15 * 60 - 1)));
    expect(error.code).toBe('AccessDenied');
    expect(error.status).toBe(403);
    expect(error.message).toBe('Request is not yet valid');
    expect(error.details).toEqual({
      'X-Amz-Date': String(DOC_NOW.getTime()), // S3 writes it in epoch milliseconds
      Expires: '2013-05-25T00:00:00Z',
      ServerTime: '2013-05-23T23:44:59Z',
    });
  });
});

describe('presigned URLs — rejections', () => {
  it.each(['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-Date', 'X-Amz-SignedHeaders', 'X-Amz-Expires'])(
    'AuthorizationQueryParametersError without %s, or with it empty',
    (name) => {
      expectQueryError(withParam(name, undefined), MISSING_PARAMS);
      expectQueryError(withParam(name, ''), MISSING_PARAMS);
    },
  );

  it('AuthorizationQueryParametersError for a parameter given twice', () => {
    expectQueryError(docRequest([...DOC_PARAMS, ['X-Amz-Expires', '60']]), 'The X-Amz-Expires query parameter must be given only once.');
  });

  it.each(['AWS4-HMAC-SHA1', 'aws4-hmac-sha256', 'AWS4-ECDSA-P256-SHA256'])('AuthorizationQueryParametersError for X-Amz-Algorithm=%s', (algorithm) => {
    expectQueryError(withParam('X-Amz-Algorithm', algorithm), 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');
  });

  const CREDENTIAL_MALFORMED =
    'Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".';
  it.each([
    ['too few parts', `${ACCESS_KEY}/20130524/us-east-1/s3`],
    ['too many parts', `${ACCESS_KEY}/20130524/us-east-1/s3/aws4_request/x`],
    ['another terminator', `${ACCESS_KEY}/20130524/us-east-1/s3/aws5_request`],
    ['an empty access key', '/20130524/us-east-1/s3/aws4_request'],
    ['an empty region', `${ACCESS_KEY}/20130524//s3/aws4_request`],
  ])('AuthorizationQueryParametersError for a credential with %s', (_name, credential) => {
    expectQueryError(withParam('X-Amz-Credential', encodeURIComponent(credential)), CREDENTIAL_MALFORMED);
  });

  it('AuthorizationQueryParametersError for a credential date not in yyyyMMdd', () => {
    expectQueryError(
      withParam('X-Amz-Credential', `${ACCESS_KEY}/2013-05-24/us-east-1/s3/aws4_request`),
      'Error parsing the X-Amz-Credential parameter; incorrect date format "2013-05-24". This date in the credential must be in the format "yyyyMMdd".',
    );
  });

  it('AuthorizationQueryParametersError for a service other than s3', () => {
    expectQueryError(
      withParam('X-Amz-Credential', `${ACCESS_KEY}/20130524/us-east-1/iam/aws4_request`),
      'Error parsing the X-Amz-Credential parameter; incorrect service "iam". This endpoint belongs to "s3".',
    );
  });

  it.each([
    ['a SigV2 presigned URL', `AWSAccessKeyId=${ACCESS_KEY}&Expires=1369353600&Signature=vjbyPxybdZaNmGa%2ByT272YEAiv4%3D`],
    ['a lone Signature', 'Signature=abc'],
    ['a lone AWSAccessKeyId', `AWSAccessKeyId=${ACCESS_KEY}`],
  ])('InvalidRequest for %s: S3 answers SigV4-only', (_name, rawQuery) => {
    const error = s3ErrorOf(() => verifySigV4({ ...docRequest(), rawQuery }, lookup, DOC_NOW));
    expect(error.code).toBe('InvalidRequest');
    expect(error.status).toBe(400);
    expect(error.message).toBe('The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.');
  });

  it('AuthorizationQueryParametersError naming the expected region for a credential of another region, as S3 answers', () => {
    const error = s3ErrorOf(() => verifySigV4({ ...docRequest(), region: 'eu-central-1' }, lookup, DOC_NOW));
    expect(error.code).toBe('AuthorizationQueryParametersError');
    expect(error.status).toBe(400);
    expect(error.message).toBe("Error parsing the X-Amz-Credential parameter; the region 'us-east-1' is wrong; expecting 'eu-central-1'");
    expect(error.details).toEqual({ Region: 'eu-central-1' });
    expect(() => verifySigV4({ ...docRequest(), region: 'us-east-1' }, lookup, DOC_NOW)).not.toThrow();
  });

  it.each(['2013-05-24T00:00:00Z', '20130524T000000', '20131324T000000Z', '20130524T250000Z'])(
    'AuthorizationQueryParametersError for X-Amz-Date=%s',
    (date) => {
      expectQueryError(withParam('X-Amz-Date', date), `X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`);
    },
  );

  it('AuthorizationQueryParametersError when the credential date is not the day of X-Amz-Date', () => {
    expectQueryError(
      withParam('X-Amz-Date', '20130525T000000Z'),
      'Invalid credential date "20130524". This date is not the same as X-Amz-Date: "20130525".',
    );
  });

  it.each([
    ['abc', 'X-Amz-Expires should be a number'],
    ['1.5', 'X-Amz-Expires should be a number'],
    ['+60', 'X-Amz-Expires should be a number'],
    ['1e3', 'X-Amz-Expires should be a number'],
    ['9223372036854775808', 'X-Amz-Expires should be a number'], // beyond a signed 64-bit integer
    ['-1', 'X-Amz-Expires must be non-negative'],
    ['604801', 'X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds'],
    ['9223372036854775807', 'X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds'],
  ])('AuthorizationQueryParametersError for X-Amz-Expires=%s', (expires, message) => {
    expectQueryError(withParam('X-Amz-Expires', expires), message);
  });

  it('AuthorizationQueryParametersError for malformed X-Amz-SignedHeaders', () => {
    expectQueryError(withParam('X-Amz-SignedHeaders', 'host;;range'), 'Error parsing the X-Amz-SignedHeaders parameter; "host;;range" is malformed.');
  });

  it('X-Amz-Expires=0 parses but the URL is already expired', () => {
    const error = s3ErrorOf(() => verifySigV4(withParam('X-Amz-Expires', '0'), lookup, seconds(DOC_NOW, 1)));
    expect(error.code).toBe('AccessDenied');
    expect(error.message).toBe('Request has expired');
  });

  it('InvalidAccessKeyId for an unknown access key', () => {
    const error = s3ErrorOf(() => verifySigV4(docRequest(), () => undefined, DOC_NOW));
    expect(error.code).toBe('InvalidAccessKeyId');
    expect(error.status).toBe(403);
    expect(error.details.AWSAccessKeyId).toBe(ACCESS_KEY);
  });

  it.each([
    ['another path', { ...docRequest(), rawPath: '/test.txt2' }],
    ['another method', { ...docRequest(), method: 'PUT' }],
    ['another host', docRequest(DOC_PARAMS, { host: 'otherbucket.s3.amazonaws.com' })],
    ['an added query parameter', { ...docRequest(), rawQuery: `${docRequest().rawQuery}&versionId=1` }],
    ['a longer X-Amz-Expires', withParam('X-Amz-Expires', '604800')],
    ['a later X-Amz-Date', withParam('X-Amz-Date', '20130524T000001Z')],
    ['another signed header list', withParam('X-Amz-SignedHeaders', 'host;user-agent')],
    ['a flipped signature digit', withParam('X-Amz-Signature', DOC_SIGNATURE.replace(/^a/, 'b'))],
    ['a truncated signature', withParam('X-Amz-Signature', DOC_SIGNATURE.slice(0, 63))],
    ['a non-hex signature', withParam('X-Amz-Signature', 'z'.repeat(64))],
    ['a hoisted x-amz-content-sha256 that was not signed', docRequest([...DOC_PARAMS, ['X-Amz-Content-Sha256', 'UNSIGNED-PAYLOAD']])],
  ])('SignatureDoesNotMatch for %s', (_name, req) => {
    const error = s3ErrorOf(() => verifySigV4(req, lookup, DOC_NOW));
    expect(error.code).toBe('SignatureDoesNotMatch');
    expect(error.status).toBe(403);
  });

  it('AccessDenied when host is not signed', () => {
    const error = s3ErrorOf(() => verifySigV4(withParam('X-Amz-SignedHeaders', 'range'), lookup, DOC_NOW));
    expect(error.code).toBe('AccessDenied');
    expect(error.details.HeadersNotSigned).toBe('host');
  });

  it('AccessDenied when an x-amz-* header is sent but not signed', () => {
    const req = docRequest(DOC_PARAMS, { 'x-amz-acl': 'public-read', 'x-amz-date': '20130524T000000Z' });
    const error = s3ErrorOf(() => verifySigV4(req, lookup, DOC_NOW));
    expect(error.code).toBe('AccessDenied');
    expect(error.message).toBe('There were headers present in the request which were not signed');
    expect(error.details.HeadersNotSigned).toBe('x-amz-acl, x-amz-date');
  });

  it('tolerates an unsigned x-amz-content-sha256 header; the payload stays unsigned', () => {
    const req = docRequest(DOC_PARAMS, { 'x-amz-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' });
    expect(verifySigV4(req, lookup, DOC_NOW).payload).toEqual({ kind: 'unsigned' });
  });

  const ONLY_ONE =
    'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified';
  it.each([
    ['SigV4 query parameters', docRequest()],
    ['a SigV2 Signature query parameter', { ...docRequest([]), rawQuery: `AWSAccessKeyId=${ACCESS_KEY}&Expires=1369353600&Signature=abc%3D` }],
  ])('InvalidArgument for %s together with an Authorization header', (_name, req) => {
    const authorization = `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY}/20130524/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`;
    const error = s3ErrorOf(() => verifySigV4({ ...req, headers: { ...req.headers, Authorization: authorization } }, lookup, DOC_NOW));
    expect(error.code).toBe('InvalidArgument');
    expect(error.status).toBe(400);
    expect(error.message).toBe(ONLY_ONE);
    expect(error.details).toEqual({ ArgumentName: 'Authorization', ArgumentValue: authorization });
  });

  it('treats an empty Authorization header as absent', () => {
    expect(() => verifySigV4(docRequest(DOC_PARAMS, { authorization: '' }), lookup, DOC_NOW)).not.toThrow();
  });

  it('AccessDenied with neither an Authorization header nor query credentials', () => {
    const error = s3ErrorOf(() => verifySigV4({ ...docRequest([]), rawQuery: 'X-Amz-Date=20130524T000000Z' }, lookup, DOC_NOW));
    expect(error.code).toBe('AccessDenied');
    expect(error.message).toBe('Access Denied');
  });
});



/** The presigned request as our HTTP layer hands it over: no Authorization header. */
function onTheWire(request: HttpRequest): SignedRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
  expect(headers.authorization).toBeUndefined();
  return { method: request.method, rawPath: request.path, rawQuery: buildQueryString(request.query ?? {}), headers };
}

describe('presigned URLs — made by @smithy/signature-v4 presign()', () => {
  const NOW = new Date('2024-02-29T12:34:56Z');
  const signer = new SignatureV4({
    service: 's3',
    region: 'eu-west-3',
    credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET },
    sha256: NodeSha256,
    // What the S3 client does: the path it signs is already escaped, no double encoding.
    uriEscapePath: false,
  });

  function pathOf(key: string): string {
    return '/my-bucket/' + key.split('/').map((segment) => uriEncode(segment, true)).join('/');
  }

  async function presign(
    method: string,
    key: string,
    options: { query?: Record<string, string>; headers?: Record<string, string>; expiresIn?: number; unhoistableHeaders?: Set<string> } = {},
  ): Promise<SignedRequest> {
    const presigned = await signer.presign(
      {
        method,
        protocol: 'http:',
        hostname: 'localhost',
        port: 9000,
        path: pathOf(key),
        query: options.query ?? {},
        // As @aws-sdk/s3-request-presigner does: without it presign() signs the hash of an
        // empty body, which S3 (and we) would not take for UNSIGNED-PAYLOAD. It is hoisted
        // into the query as x-amz-content-sha256=UNSIGNED-PAYLOAD.
        headers: { host: 'localhost:9000', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', ...options.headers },
      },
      { signingDate: NOW, expiresIn: options.expiresIn ?? 900, unhoistableHeaders: options.unhoistableHeaders },
    );
    return onTheWire(presigned);
  }

  it.each([
    "a b/c+d/é/~x!*'()",
    'plain.txt',
    'dir/sub dir/file name with  two spaces.txt',
    'ünïcödé/日本語/😀.bin',
    'reserved/$&,:;=@[]{}^`|"<>#%?.txt',
    'trailing/slash/',
    'X-Amz-Signature=looks-like-a-param',
  ])('verifies GET and PUT URLs for key %j', async (key) => {
    for (const method of ['GET', 'PUT']) {
      const verified = verifySigV4(await presign(method, key), lookup, NOW);
      expect(verified.scope).toBe('20240229/eu-west-3/s3/aws4_request');
      expect(verified.amzDate).toBe('20240229T123456Z');
      expect(verified.payload).toEqual({ kind: 'unsigned' });
    }
  });

  it('verifies a URL with other query parameters (response overrides, x-id)', async () => {
    const req = await presign('GET', 'k', {
      query: { 'response-content-disposition': 'attachment; filename="a b.txt"', 'x-id': 'GetObject', empty: '' },
    });
    expect(() => verifySigV4(req, lookup, NOW)).not.toThrow();
    const tampered = { ...req, rawQuery: req.rawQuery.replace('x-id=GetObject', 'x-id=PutObject') };
    expect(s3ErrorOf(() => verifySigV4(tampered, lookup, NOW)).code).toBe('SignatureDoesNotMatch');
  });

  it('verifies the longest allowed URL (X-Amz-Expires=604800) until its last second', async () => {
    const req = await presign('GET', 'k', { expiresIn: 604_800 });
    expect(() => verifySigV4(req, lookup, seconds(NOW, 604_800))).not.toThrow();
    expect(s3ErrorOf(() => verifySigV4(req, lookup, seconds(NOW, 604_801))).message).toBe('Request has expired');
  });

  it('verifies x-amz-* headers hoisted into the query (x-amz-meta, x-amz-content-sha256 like the S3 presigner)', async () => {
    const req = await presign('PUT', 'k', { headers: { 'x-amz-meta-note': 'hello', 'x-amz-acl': 'private' } });
    expect(req.rawQuery).toContain('x-amz-content-sha256=UNSIGNED-PAYLOAD');
    expect(verifySigV4(req, lookup, NOW).payload).toEqual({ kind: 'unsigned' });
  });

  it('uses a hoisted x-amz-content-sha256 hash as the payload hash (the body must then match)', async () => {
    const hash = createHash('sha256').update('hello').digest('hex');
    const req = await presign('PUT', 'k', { headers: { 'x-amz-content-sha256': hash } });
    expect(verifySigV4(req, lookup, NOW).payload).toEqual({ kind: 'sha256', hash });
  });

  it('uses a signed x-amz-content-sha256 header as the payload hash', async () => {
    const hash = createHash('sha256').update('hello').digest('hex');
    const req = await presign('PUT', 'k', {
      headers: { 'x-amz-content-sha256': hash },
      unhoistableHeaders: new Set(['x-amz-content-sha256']),
    });
    expect(req.headers['x-amz-content-sha256']).toBe(hash);
    expect(verifySigV4(req, lookup, NOW).payload).toEqual({ kind: 'sha256', hash });
    const otherHash = createHash('sha256').update('other').digest('hex');
    const tampered = { ...req, headers: { ...req.headers, 'x-amz-content-sha256': otherHash } };
    expect(s3ErrorOf(() => verifySigV4(tampered, lookup, NOW)).code).toBe('SignatureDoesNotMatch');
  });

  it('verifies signed headers the client must send, and rejects other values', async () => {
    const req = await presign('PUT', 'k', {
      headers: { 'content-type': 'text/plain', 'x-amz-storage-class': 'STANDARD' },
      unhoistableHeaders: new Set(['x-amz-storage-class']),
    });
    expect(() => verifySigV4(req, lookup, NOW)).not.toThrow();
    for (const header of [{ 'content-type': 'text/html' }, { 'x-amz-storage-class': 'GLACIER' }]) {
      const tampered = { ...req, headers: { ...req.headers, ...header } };
      expect(s3ErrorOf(() => verifySigV4(tampered, lookup, NOW)).code).toBe('SignatureDoesNotMatch');
    }
  });

  it('rejects the URL of one key used for another', async () => {
    const req = await presign('GET', 'a b/c+d');
    const tampered = { ...req, rawPath: req.rawPath.replace('c%2Bd', 'c%20d') };
    expect(s3ErrorOf(() => verifySigV4(tampered, lookup, NOW)).code).toBe('SignatureDoesNotMatch');
  });

  it('rejects a URL signed with the empty-body hash instead of UNSIGNED-PAYLOAD', async () => {
    const presigned = await signer.presign(
      { method: 'GET', protocol: 'http:', hostname: 'localhost', port: 9000, path: '/my-bucket/k', query: {}, headers: { host: 'localhost:9000' } },
      { signingDate: NOW },
    );
    expect(s3ErrorOf(() => verifySigV4(onTheWire(presigned), lookup, NOW)).code).toBe('SignatureDoesNotMatch');
  });

  it('X-Amz-Expires=0 is valid only at the very instant of signing', async () => {
    const req = await presign('GET', 'k', { expiresIn: 0 });
    expect(() => verifySigV4(req, lookup, NOW)).not.toThrow();
    expect(s3ErrorOf(() => verifySigV4(req, lookup, new Date(NOW.getTime() + 1))).message).toBe('Request has expired');
  });
});
