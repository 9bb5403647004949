import { createHash, createHmac } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { buildQueryString } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';
import type { HttpRequest } from '@smithy/types';
import { S3Error } from '../../errors/s3.error.js';
import { canonicalQueryString, canonicalUri, uriEncode } from './canonical-request.js';
import { deriveSigningKey, EMPTY_SHA256 } from './signing-key.js';
import { type SignedRequest, verifySigV4 } from './sigv4.verifier.js';
import { NodeSha256 } from '../../../test/support/node-sha256.js';

// The example credentials of the AWS documentation (not a real key).
const ACCESS_KEY = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const DOC_NOW = new Date('2013-05-24T00:00:00Z');
const lookup = (id: string) => (id === ACCESS_KEY ? SECRET : undefined);

function authorization(signedHeaders: string, signature: string, scopeDate = '20130524'): string {
  return (
    `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY}/${scopeDate}/us-east-1/s3/aws4_request,` +
    `SignedHeaders=${signedHeaders},Signature=${signature}`
  );
}

/**
 * The four examples of "Signature Calculations for the Authorization Header: Transferring
 * Payload in a Single Chunk" (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html).
 */
const GET_OBJECT: SignedRequest = {
  method: 'GET',
  rawPath: '/test.txt',
  rawQuery: '',
  headers: {
    host: 'examplebucket.s3.amazonaws.com',
    range: 'bytes=0-9',
    'x-amz-content-sha256': EMPTY_SHA256,
    'x-amz-date': '20130524T000000Z',
    authorization: authorization(
      'host;range;x-amz-content-sha256;x-amz-date',
      'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    ),
  },
};

const PUT_OBJECT: SignedRequest = {
  method: 'PUT',
  // The document's request line is `PUT test$file.text`: '$' reaches us unescaped.
  rawPath: '/test$file.text',
  rawQuery: '',
  headers: {
    host: 'examplebucket.s3.amazonaws.com',
    date: 'Fri, 24 May 2013 00:00:00 GMT',
    'x-amz-date': '20130524T000000Z',
    'x-amz-storage-class': 'REDUCED_REDUNDANCY',
    'x-amz-content-sha256': '44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072',
    authorization: authorization(
      'date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class',
      '98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd',
    ),
  },
};

const GET_LIFECYCLE: SignedRequest = {
  method: 'GET',
  rawPath: '/',
  rawQuery: 'lifecycle',
  headers: {
    host: 'examplebucket.s3.amazonaws.com',
    'x-amz-date': '20130524T000000Z',
    'x-amz-content-sha256': EMPTY_SHA256,
    authorization: authorization(
      'host;x-amz-content-sha256;x-amz-date',
      'fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543',
    ),
  },
};

const LIST_OBJECTS: SignedRequest = {
  method: 'GET',
  rawPath: '/',
  rawQuery: 'max-keys=2&prefix=J',
  headers: {
    host: 'examplebucket.s3.amazonaws.com',
    'x-amz-date': '20130524T000000Z',
    'x-amz-content-sha256': EMPTY_SHA256,
    authorization: authorization(
      'host;x-amz-content-sha256;x-amz-date',
      '34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7',
    ),
  },
};

function withHeaders(req: SignedRequest, headers: SignedRequest['headers']): SignedRequest {
  return { ...req, headers: { ...req.headers, ...headers } };
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



/** The request an HttpRequest becomes on the wire, as our HTTP layer will hand it over. */
function onTheWire(request: HttpRequest): SignedRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
  return {
    method: request.method,
    rawPath: request.path,
    rawQuery: buildQueryString(request.query ?? {}),
    headers,
  };
}

describe('verifySigV4 — the AWS documentation examples', () => {
  it.each([
    ['GET Object with Range', GET_OBJECT],
    ['PUT Object with x-amz-storage-class (and an unescaped $ in the key)', PUT_OBJECT],
    ['GET Bucket lifecycle (?lifecycle)', GET_LIFECYCLE],
    ['GET Bucket (?max-keys=2&prefix=J)', LIST_OBJECTS],
  ])('%s', (_name, req) => {
    const verified = verifySigV4(req, lookup, DOC_NOW);
    expect(verified.accessKeyId).toBe(ACCESS_KEY);
    expect(verified.amzDate).toBe('20130524T000000Z');
    expect(verified.scope).toBe('20130524/us-east-1/s3/aws4_request');
    expect(verified.signingKey).toEqual(deriveSigningKey(SECRET, '20130524', 'us-east-1', 's3'));
    expect(verified.seedSignature).toBe(/Signature=([0-9a-f]{64})/.exec(String(req.headers.authorization))![1]);
  });

  it('reports the payload mode of a signed body', () => {
    expect(verifySigV4(PUT_OBJECT, lookup, DOC_NOW).payload).toEqual({
      kind: 'sha256',
      hash: '44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072',
    });
  });

  it('verifies the seed signature of the documented chunked upload', () => {
    // https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
    const verified = verifySigV4(
      {
        method: 'PUT',
        rawPath: '/examplebucket/chunkObject.txt',
        rawQuery: '',
        headers: {
          host: 's3.amazonaws.com',
          'x-amz-date': '20130524T000000Z',
          'x-amz-storage-class': 'REDUCED_REDUNDANCY',
          'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
          'content-encoding': 'aws-chunked',
          'x-amz-decoded-content-length': '66560',
          'content-length': '66824',
          authorization: authorization(
            'content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class',
            '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9',
          ),
        },
      },
      lookup,
      DOC_NOW,
    );
    expect(verified.payload).toEqual({ kind: 'streaming-signed' });
    expect(verified.seedSignature).toBe('4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9');
  });

  it('accepts the request within 15 minutes either way', () => {
    const minutes = (m: number) => new Date(DOC_NOW.getTime() + m * 60_000);
    expect(() => verifySigV4(GET_OBJECT, lookup, minutes(15))).not.toThrow();
    expect(() => verifySigV4(GET_OBJECT, lookup, minutes(-15))).not.toThrow();
  });

  it('accepts header values with extra inner and outer whitespace (collapsed)', () => {
    const req = withHeaders(GET_OBJECT, { range: '  bytes=0-9  ' });
    expect(() => verifySigV4(req, lookup, DOC_NOW)).not.toThrow();
  });

  it('accepts a path whose escapes use lower-case hex or escape unreserved characters', () => {
    // %74 is 't': decoded and re-encoded it becomes the documented /test.txt.
    const req = { ...GET_OBJECT, rawPath: '/%74est.txt' };
    expect(() => verifySigV4(req, lookup, DOC_NOW)).not.toThrow();
  });
});

describe('verifySigV4 — rejections', () => {
  it('AccessDenied without an Authorization header', () => {
    const { authorization: _dropped, ...headers } = GET_OBJECT.headers;
    const error = s3ErrorOf(() => verifySigV4({ ...GET_OBJECT, headers }, lookup, DOC_NOW));
    expect(error.code).toBe('AccessDenied');
    expect(error.status).toBe(403);
  });

  it('InvalidArgument "Unsupported Authorization Type" for another scheme', () => {
    const error = s3ErrorOf(() =>
      verifySigV4(withHeaders(GET_OBJECT, { authorization: 'Bearer abc' }), lookup, DOC_NOW),
    );
    expect(error.code).toBe('InvalidArgument');
    expect(error.message).toBe('Unsupported Authorization Type');
    expect(error.details.ArgumentName).toBe('Authorization');
  });

  it('InvalidRequest for a SigV2 header ("AWS AKID:signature"): S3 answers SigV4-only', () => {
    const error = s3ErrorOf(() =>
      verifySigV4(withHeaders(GET_OBJECT, { authorization: `AWS ${ACCESS_KEY}:frJIUN8DYpKDtOLCwo//yllqDzg=` }), lookup, DOC_NOW),
    );
    expect(error.code).toBe('InvalidRequest');
    expect(error.status).toBe(400);
    expect(error.message).toBe('The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.');
  });

  it.each([
    ['no components', 'AWS4-HMAC-SHA256'],
    ['a missing Signature', `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY}/20130524/us-east-1/s3/aws4_request, SignedHeaders=host`],
    ['a component without "="', `AWS4-HMAC-SHA256 Credential, SignedHeaders=host, Signature=${'0'.repeat(64)}`],
    ['a duplicated component', authorization('host', '0'.repeat(64)) + ',Signature=1'],
    ['an unknown component', authorization('host', '0'.repeat(64)) + ',Foo=bar'],
    ['a short credential', `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY}/20130524/us-east-1/s3, SignedHeaders=host, Signature=${'0'.repeat(64)}`],
    ['a credential not ending in aws4_request', `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY}/20130524/us-east-1/s3/aws5_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`],
    ['a bad scope date', `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY}/2013-05-24/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`],
    ['an empty region', `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY}/20130524//s3/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`],
    ['empty SignedHeaders', `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY}/20130524/us-east-1/s3/aws4_request, SignedHeaders=, Signature=${'0'.repeat(64)}`],
  ])('AuthorizationHeaderMalformed for %s', (_name, header) => {
    const error = s3ErrorOf(() =>
      verifySigV4(withHeaders(GET_OBJECT, { authorization: header }), lookup, DOC_NOW),
    );
    expect(error.code).toBe('AuthorizationHeaderMalformed');
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/^The authorization header is malformed; /);
  });

  it('AuthorizationHeaderMalformed for a service other than s3', () => {
    const header = `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY}/20130524/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`;
    const error = s3ErrorOf(() =>
      verifySigV4(withHeaders(GET_OBJECT, { authorization: header }), lookup, DOC_NOW),
    );
    expect(error.code).toBe('AuthorizationHeaderMalformed');
    expect(error.message).toContain('incorrect service "iam"');
  });

  it("AuthorizationHeaderMalformed naming the expected region for a scope of another region, as S3 answers", () => {
    const error = s3ErrorOf(() => verifySigV4({ ...GET_OBJECT, region: 'eu-west-1' }, lookup, DOC_NOW));
    expect(error.code).toBe('AuthorizationHeaderMalformed');
    expect(error.status).toBe(400);
    expect(error.message).toBe("The authorization header is malformed; the region 'us-east-1' is wrong; expecting 'eu-west-1'");
    expect(error.details).toEqual({ Region: 'eu-west-1' });
  });

  it('accepts the scope of the expected region, and any region when none is expected', () => {
    expect(() => verifySigV4({ ...GET_OBJECT, region: 'us-east-1' }, lookup, DOC_NOW)).not.toThrow();
    expect(() => verifySigV4(GET_OBJECT, lookup, DOC_NOW)).not.toThrow();
  });

  it('AuthorizationHeaderMalformed when the scope date is not the x-amz-date date', () => {
    const req = withHeaders(GET_OBJECT, {
      authorization: authorization(
        'host;range;x-amz-content-sha256;x-amz-date',
        'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
        '20130523',
      ),
    });
    const error = s3ErrorOf(() => verifySigV4(req, lookup, DOC_NOW));
    expect(error.code).toBe('AuthorizationHeaderMalformed');
    expect(error.message).toContain('Date is not the same as X-Amz-Date');
  });

  it('InvalidAccessKeyId for an unknown access key', () => {
    const error = s3ErrorOf(() => verifySigV4(GET_OBJECT, () => undefined, DOC_NOW));
    expect(error.code).toBe('InvalidAccessKeyId');
    expect(error.status).toBe(403);
    expect(error.details.AWSAccessKeyId).toBe(ACCESS_KEY);
  });

  it('SignatureDoesNotMatch with the wrong secret', () => {
    const error = s3ErrorOf(() => verifySigV4(GET_OBJECT, () => 'not-the-secret', DOC_NOW));
    expect(error.code).toBe('SignatureDoesNotMatch');
    expect(error.status).toBe(403);
    expect(error.details.StringToSign).toBe(
      'AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n' +
        '7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972',
    );
    expect(error.details.CanonicalRequest).toBe(
      'GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n' +
        `x-amz-content-sha256:${EMPTY_SHA256}\nx-amz-date:20130524T000000Z\n\n` +
        `host;range;x-amz-content-sha256;x-amz-date\n${EMPTY_SHA256}`,
    );
  });

  it.each([
    ['a tampered signed header', withHeaders(GET_OBJECT, { range: 'bytes=0-10' })],
    ['another path', { ...GET_OBJECT, rawPath: '/test.txt2' }],
    ['a path that differs only by normalisation', { ...GET_OBJECT, rawPath: '/./test.txt' }],
    ['a double slash', { ...GET_OBJECT, rawPath: '//test.txt' }],
    ['another method', { ...GET_OBJECT, method: 'HEAD' }],
    ['an added query parameter', { ...GET_OBJECT, rawQuery: 'versionId=1' }],
    ['a changed query value', { ...LIST_OBJECTS, rawQuery: 'max-keys=3&prefix=J' }],
    ['a truncated signature', withHeaders(GET_OBJECT, { authorization: authorization('host;range;x-amz-content-sha256;x-amz-date', 'f0e8bdb8') })],
    ['a non-hex signature', withHeaders(GET_OBJECT, { authorization: authorization('host;range;x-amz-content-sha256;x-amz-date', 'z'.repeat(64)) })],
    ['a different payload hash', withHeaders(GET_OBJECT, { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' })],
  ])('SignatureDoesNotMatch for %s', (_name, req) => {
    expect(s3ErrorOf(() => verifySigV4(req, lookup, DOC_NOW)).code).toBe('SignatureDoesNotMatch');
  });

  it('RequestTimeTooSkewed beyond 15 minutes either way', () => {
    for (const offset of [15 * 60_000 + 1000, -(15 * 60_000 + 1000)]) {
      const error = s3ErrorOf(() =>
        verifySigV4(GET_OBJECT, lookup, new Date(DOC_NOW.getTime() + offset)),
      );
      expect(error.code).toBe('RequestTimeTooSkewed');
      expect(error.status).toBe(403);
      expect(error.details.RequestTime).toBe('20130524T000000Z');
      expect(error.details.MaxAllowedSkewMilliseconds).toBe('900000');
    }
  });

  it('AccessDenied without x-amz-date nor Date, or with an invalid x-amz-date', () => {
    const { 'x-amz-date': _dropped, ...headers } = GET_OBJECT.headers;
    for (const req of [
      { ...GET_OBJECT, headers },
      withHeaders(GET_OBJECT, { 'x-amz-date': '2013-05-24T00:00:00Z' }),
      withHeaders(GET_OBJECT, { 'x-amz-date': '20131324T000000Z' }),
    ]) {
      const error = s3ErrorOf(() => verifySigV4(req, lookup, DOC_NOW));
      expect(error.code).toBe('AccessDenied');
      expect(error.message).toBe('AWS authentication requires a valid Date or x-amz-date header');
    }
  });

  it('InvalidRequest without x-amz-content-sha256', () => {
    const { 'x-amz-content-sha256': _dropped, ...headers } = GET_OBJECT.headers;
    const error = s3ErrorOf(() => verifySigV4({ ...GET_OBJECT, headers }, lookup, DOC_NOW));
    expect(error.code).toBe('InvalidRequest');
    expect(error.message).toBe('Missing required header for this request: x-amz-content-sha256');
  });

  it.each(['GIBBERISH', 'e3b0c442', 'STREAMING-UNSIGNED-PAYLOAD', 'unsigned-payload'])(
    'InvalidArgument for x-amz-content-sha256 %s',
    (value) => {
      const error = s3ErrorOf(() =>
        verifySigV4(withHeaders(GET_OBJECT, { 'x-amz-content-sha256': value }), lookup, DOC_NOW),
      );
      expect(error.code).toBe('InvalidArgument');
      expect(error.message).toMatch(/^x-amz-content-sha256 must be UNSIGNED-PAYLOAD/);
      expect(error.details).toEqual({ ArgumentName: 'x-amz-content-sha256', ArgumentValue: value });
    },
  );

  it('NotImplemented for the SigV4a streaming payloads', () => {
    const req = withHeaders(GET_OBJECT, {
      'x-amz-content-sha256': 'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD',
    });
    expect(s3ErrorOf(() => verifySigV4(req, lookup, DOC_NOW)).code).toBe('NotImplemented');
  });

  it('AccessDenied when host is not signed', () => {
    const req = withHeaders(GET_OBJECT, {
      authorization: authorization('range;x-amz-content-sha256;x-amz-date', '0'.repeat(64)),
    });
    const error = s3ErrorOf(() => verifySigV4(req, lookup, DOC_NOW));
    expect(error.code).toBe('AccessDenied');
    expect(error.details.HeadersNotSigned).toBe('host');
  });

  it('AccessDenied when an x-amz-* header is present but not signed', () => {
    const req = withHeaders(GET_OBJECT, { 'x-amz-copy-source': '/other/key', 'x-amz-acl': 'public-read' });
    const error = s3ErrorOf(() => verifySigV4(req, lookup, DOC_NOW));
    expect(error.code).toBe('AccessDenied');
    expect(error.message).toBe('There were headers present in the request which were not signed');
    expect(error.details.HeadersNotSigned).toBe('x-amz-acl, x-amz-copy-source');
  });

  it('tolerates an unsigned x-amz-content-sha256 and other unsigned non-x-amz headers', () => {
    // Re-sign GET_OBJECT without x-amz-content-sha256 among the signed headers.
    const signer = referenceSigner();
    const req = signer({
      method: 'GET',
      rawPath: '/test.txt',
      rawQuery: '',
      headers: {
        host: 'examplebucket.s3.amazonaws.com',
        'x-amz-date': '20130524T000000Z',
      },
      payloadHash: EMPTY_SHA256,
    });
    const withUnsigned = withHeaders(req, {
      'x-amz-content-sha256': EMPTY_SHA256,
      'user-agent': 'curl/8',
      'x-amzn-trace-id': 'Root=1',
    });
    expect(() => verifySigV4(withUnsigned, lookup, DOC_NOW)).not.toThrow();
  });

  it('uses the Date header when there is no x-amz-date (it must then be signed)', () => {
    const signer = referenceSigner();
    const req = signer({
      method: 'GET',
      rawPath: '/test.txt',
      rawQuery: '',
      headers: { host: 'examplebucket.s3.amazonaws.com', date: 'Fri, 24 May 2013 00:00:00 GMT' },
      payloadHash: EMPTY_SHA256,
      amzDate: '20130524T000000Z',
    });
    const verified = verifySigV4(withHeaders(req, { 'x-amz-content-sha256': EMPTY_SHA256 }), lookup, DOC_NOW);
    expect(verified.amzDate).toBe('20130524T000000Z');

    const unsignedDate = signer({
      method: 'GET',
      rawPath: '/test.txt',
      rawQuery: '',
      headers: { host: 'examplebucket.s3.amazonaws.com' },
      payloadHash: EMPTY_SHA256,
      amzDate: '20130524T000000Z',
    });
    const error = s3ErrorOf(() =>
      verifySigV4(
        withHeaders(unsignedDate, {
          'x-amz-content-sha256': EMPTY_SHA256,
          date: 'Fri, 24 May 2013 00:00:00 GMT',
        }),
        lookup,
        DOC_NOW,
      ),
    );
    expect(error.code).toBe('AccessDenied');
    expect(error.details.HeadersNotSigned).toBe('date');
  });
});

interface ReferenceInput {
  method: string;
  rawPath: string;
  rawQuery: string;
  headers: Record<string, string>;
  payloadHash: string;
  amzDate?: string;
  canonicalUri?: string;
}

/**
 * A deliberately literal SigV4 signer for the tests (its canonical URI/query come from the
 * module under test unless given): signs every header passed in.
 */
function referenceSigner(secret = SECRET) {
  return (input: ReferenceInput): SignedRequest => {
    const amzDate = input.amzDate ?? input.headers['x-amz-date']!;
    const names = Object.keys(input.headers).sort();
    const canonicalRequest = [
      input.method,
      input.canonicalUri ?? canonicalUri(input.rawPath),
      canonicalQueryString(input.rawQuery),
      names.map((n) => `${n}:${input.headers[n]!.trim()}\n`).join(''),
      names.join(';'),
      input.payloadHash,
    ].join('\n');
    const scope = `${amzDate.slice(0, 8)}/us-east-1/s3/aws4_request`;
    const stringToSign = [
      'AWS4-HMAC-SHA256',
      amzDate,
      scope,
      createHash('sha256').update(canonicalRequest).digest('hex'),
    ].join('\n');
    const key = deriveSigningKey(secret, amzDate.slice(0, 8), 'us-east-1', 's3');
    const signature = createHmac('sha256', key).update(stringToSign).digest('hex');
    return {
      method: input.method,
      rawPath: input.rawPath,
      rawQuery: input.rawQuery,
      headers: {
        ...input.headers,
        authorization: `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`,
      },
    };
  };
}

describe('canonicalisation', () => {
  it('UriEncodes per AWS: unreserved kept, upper-case hex, / optional', () => {
    expect(uriEncode("a b/c+d/é/~x!*'()$", false)).toBe('a%20b/c%2Bd/%C3%A9/~x%21%2A%27%28%29%24');
    expect(uriEncode('a/b', true)).toBe('a%2Fb');
    expect(uriEncode('AZaz09-._~', true)).toBe('AZaz09-._~');
  });

  it('canonical URI: decodes then re-encodes once, no normalisation', () => {
    expect(canonicalUri('/test$file.text')).toBe('/test%24file.text');
    expect(canonicalUri('/a%20b/c+d/%c3%a9')).toBe('/a%20b/c%2Bd/%C3%A9');
    expect(canonicalUri('/a//./../b/')).toBe('/a//./../b/');
    expect(canonicalUri('/100%')).toBe('/100%25');
    expect(canonicalUri('')).toBe('/');
  });

  it('canonical query: decoded, UriEncoded (/ too), sorted by name then value, "=" added', () => {
    expect(canonicalQueryString('prefix=J&max-keys=2')).toBe('max-keys=2&prefix=J');
    expect(canonicalQueryString('lifecycle')).toBe('lifecycle=');
    expect(canonicalQueryString('b=2&a=2&a=1&c')).toBe('a=1&a=2&b=2&c=');
    expect(canonicalQueryString('prefix=a/b c&delimiter=%2f')).toBe('delimiter=%2F&prefix=a%2Fb%20c');
    expect(canonicalQueryString('k=a+b')).toBe('k=a%2Bb');
    expect(canonicalQueryString('')).toBe('');
  });
});

describe('verifySigV4 — keys with spaces, unicode and reserved characters', () => {
  const NOW = new Date('2024-02-29T12:34:56Z');
  const smithy = new SignatureV4({
    service: 's3',
    region: 'eu-west-3',
    credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET },
    sha256: NodeSha256,
    // What the S3 client does: the path it signs is already escaped, no double encoding.
    uriEscapePath: false,
  });

  async function signWithSmithy(key: string, query: Record<string, string> = {}) {
    const path =
      '/my-bucket/' +
      key
        .split('/')
        .map((segment) => uriEncode(segment, true))
        .join('/');
    return smithy.sign(
      {
        method: 'PUT',
        protocol: 'http:',
        hostname: 'localhost',
        port: 9000,
        path,
        query,
        headers: {
          host: 'localhost:9000',
          'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
          'x-amz-meta-note': '  two   spaces  ',
          'content-type': 'text/plain',
        },
      },
      { signingDate: NOW },
    );
  }

  it.each([
    "a b/c+d/é/~x!*'()",
    'plain.txt',
    'dir/sub dir/file name with  two spaces.txt',
    'ünïcödé/日本語/😀.bin',
    'reserved/$&,:;=@[]{}^`|"<>#%.txt',
    'trailing/slash/',
  ])('verifies what @smithy/signature-v4 signed for key %j', async (key) => {
    const signed = await signWithSmithy(key);
    const verified = verifySigV4(onTheWire(signed), lookup, NOW);
    expect(verified.scope).toBe('20240229/eu-west-3/s3/aws4_request');
    expect(verified.payload).toEqual({ kind: 'unsigned' });
  });

  it('verifies a signed query with reserved characters in names and values', async () => {
    const signed = await signWithSmithy('k', {
      prefix: "a b/c+d/é/~x!*'()",
      'list-type': '2',
      delimiter: '/',
      empty: '',
    });
    expect(() => verifySigV4(onTheWire(signed), lookup, NOW)).not.toThrow();
  });

  it('accepts a client that escapes / inside the key and signs the path as sent', async () => {
    const signed = await smithy.sign(
      {
        method: 'GET',
        protocol: 'http:',
        hostname: 'localhost',
        path: '/my-bucket/a%2Fb%20c',
        query: {},
        headers: { host: 'localhost', 'x-amz-content-sha256': EMPTY_SHA256 },
      },
      { signingDate: NOW },
    );
    expect(() => verifySigV4(onTheWire(signed), lookup, NOW)).not.toThrow();
  });

  it('verifies user metadata with non-ASCII values, signed as the UTF-8 bytes the SDK sends', async () => {
    const value = 'Hello World\u00e9 \u65e5\u672c';
    const signed = await smithy.sign(
      {
        method: 'PUT',
        protocol: 'http:',
        hostname: 'localhost',
        path: '/my-bucket/k',
        query: {},
        headers: { host: 'localhost', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'x-amz-meta-note': value },
      },
      { signingDate: NOW },
    );
    // Node's HTTP server hands each received byte over as one character (ISO-8859-1).
    const received = onTheWire(signed);
    received.headers['x-amz-meta-note'] = Buffer.from(value, 'utf8').toString('latin1');
    expect(() => verifySigV4(received, lookup, NOW)).not.toThrow();
    received.headers['x-amz-meta-note'] = Buffer.from('Hello World\u00e8 \u65e5\u672c', 'utf8').toString('latin1');
    expect(s3ErrorOf(() => verifySigV4(received, lookup, NOW)).code).toBe('SignatureDoesNotMatch');
  });

  it('rejects the same signature for another key', async () => {
    const signed = onTheWire(await signWithSmithy('a b/c+d'));
    const tampered = { ...signed, rawPath: signed.rawPath.replace('c%2Bd', 'c%20d') };
    expect(s3ErrorOf(() => verifySigV4(tampered, lookup, NOW)).code).toBe('SignatureDoesNotMatch');
  });

  it('accepts a client that sends some reserved characters unescaped', () => {
    const signer = referenceSigner();
    const req = signer({
      method: 'GET',
      rawPath: "/my-bucket/a+b/it's(1)!*$,;=@:.txt",
      rawQuery: '',
      headers: {
        host: 'localhost',
        'x-amz-date': '20240229T123456Z',
        'x-amz-content-sha256': EMPTY_SHA256,
      },
      payloadHash: EMPTY_SHA256,
      canonicalUri: '/my-bucket/a%2Bb/it%27s%281%29%21%2A%24%2C%3B%3D%40%3A.txt',
    });
    expect(() => verifySigV4(req, lookup, NOW)).not.toThrow();
  });
});

describe('verifySigV4 — requests built by @aws-sdk/client-s3', () => {
  // The SDK warns when a streaming request fails, which is what the capturing handler does.
  const warn = console.warn;
  beforeAll(() => {
    console.warn = () => undefined;
  });
  afterAll(() => {
    console.warn = warn;
  });
  const captured: HttpRequest[] = [];
  const client = new S3Client({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:9000',
    forcePathStyle: true,
    maxAttempts: 1,
    credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET },
    requestHandler: {
      handle: async (request: HttpRequest) => {
        captured.push(request);
        throw new Error('captured');
      },
    } as unknown as S3ClientConfig['requestHandler'],
  });

  async function capture(send: () => Promise<unknown>): Promise<HttpRequest> {
    captured.length = 0;
    await expect(send()).rejects.toThrow('captured');
    expect(captured).toHaveLength(1);
    return captured[0]!;
  }

  const KEY = "a b/c+d/é/~x!*'()";

  it('GetObject', async () => {
    const request = await capture(() => client.send(new GetObjectCommand({ Bucket: 'bkt', Key: KEY, Range: 'bytes=0-9' })));
    expect(verifySigV4(onTheWire(request), lookup, new Date()).payload.kind).toBeDefined();
  });

  it('ListObjectsV2 with an odd prefix', async () => {
    const request = await capture(() =>
      client.send(new ListObjectsV2Command({ Bucket: 'bkt', Prefix: KEY, Delimiter: '/', MaxKeys: 5 })),
    );
    expect(() => verifySigV4(onTheWire(request), lookup, new Date())).not.toThrow();
  });

  it('PutObject of a buffer (signed payload hash)', async () => {
    const request = await capture(() =>
      client.send(new PutObjectCommand({ Bucket: 'bkt', Key: KEY, Body: Buffer.from('hello'), Metadata: { Note: 'x  y' } })),
    );
    const verified = verifySigV4(onTheWire(request), lookup, new Date());
    expect(['sha256', 'unsigned']).toContain(verified.payload.kind);
  });

  it('PutObject of a stream (aws-chunked with a trailer)', async () => {
    const request = await capture(() =>
      client.send(
        new PutObjectCommand({
          Bucket: 'bkt',
          Key: KEY,
          Body: Readable.from([Buffer.from('hello '), Buffer.from('world')]),
          ContentLength: 11,
        }),
      ),
    );
    const verified = verifySigV4(onTheWire(request), lookup, new Date());
    expect(verified.payload.kind).toBe('streaming-unsigned-trailer');
  });
});
