import { s3ErrorOf } from '../../../test/support/s3-error-of.js';
import { usesSigV2, verifySigV2, type SigV2Request } from './sigv2.verifier.js';
import { authQueryParams } from '../sigv4/presigned.verifier.js';

// The examples of AWS's "Authenticating requests (AWS signature version 2)" page.
const ACCESS_KEY = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const lookup = (id: string) => (id === ACCESS_KEY ? SECRET : undefined);

function request(overrides: Partial<SigV2Request> & { headers: SigV2Request['headers'] }): SigV2Request {
  return { method: 'GET', rawPath: '/photos/puppy.jpg', rawQuery: '', resourcePath: '/awsexamplebucket1/photos/puppy.jpg', ...overrides };
}

describe('verifySigV2 — the AWS documentation examples', () => {
  it('verifies an object GET signed with the Date header', () => {
    const date = 'Tue, 27 Mar 2007 19:36:42 +0000';
    const verified = verifySigV2(
      request({ headers: { date, authorization: `AWS ${ACCESS_KEY}:qgk2+6Sv9/oM7G3qLEjTH1a1l1g=` } }),
      lookup,
      new Date(Date.parse(date) + 60_000),
    );
    expect(verified).toMatchObject({ accessKeyId: ACCESS_KEY, payload: { kind: 'unsigned' } });
  });

  it('verifies a PUT, whose Content-Type is signed', () => {
    const date = 'Tue, 27 Mar 2007 21:15:45 +0000';
    const req = request({ method: 'PUT', headers: { date, 'content-type': 'image/jpeg', authorization: `AWS ${ACCESS_KEY}:iqRzw+ileNPu1fhspnRs8nOjjIA=` } });
    expect(() => verifySigV2(req, lookup, new Date(Date.parse(date)))).not.toThrow();
    const otherType = { ...req, headers: { ...req.headers, 'content-type': 'image/png' } };
    expect(s3ErrorOf(() => verifySigV2(otherType, lookup, new Date(Date.parse(date)))).code).toBe('SignatureDoesNotMatch');
  });

  it('verifies a listing: query parameters that are not sub-resources are not signed', () => {
    const date = 'Tue, 27 Mar 2007 19:42:41 +0000';
    const req = request({
      rawPath: '/',
      rawQuery: 'prefix=photos&max-keys=50&marker=puppy',
      resourcePath: '/awsexamplebucket1/',
      headers: { date, 'user-agent': 'Mozilla/5.0', authorization: `AWS ${ACCESS_KEY}:m0WP8eCtspQl5Ahe6L1SozdX9YA=` },
    });
    expect(() => verifySigV2(req, lookup, new Date(Date.parse(date)))).not.toThrow();
    // Path-style, the bucket is `/awsexamplebucket1`; botocore signs it as `/awsexamplebucket1/`.
    expect(() => verifySigV2({ ...req, rawPath: '/awsexamplebucket1', resourcePath: '/awsexamplebucket1' }, lookup, new Date(Date.parse(date)))).not.toThrow();
  });

  it('verifies an upload whose x-amz- headers are signed: sorted, lower-cased, repeated ones joined with ","', () => {
    const date = 'Tue, 27 Mar 2007 21:06:08 +0000';
    const req = request({
      method: 'PUT',
      rawPath: '/db-backup.dat.gz',
      resourcePath: '/static.example.com/db-backup.dat.gz',
      headers: {
        date,
        'x-amz-acl': 'public-read',
        'content-type': 'application/x-download',
        'content-md5': '4gJE4saaMU4BqNR0kLY+lw==',
        'x-amz-meta-reviewedby': ['joe@example.com', 'jane@example.com'],
        'x-amz-meta-filechecksum': '0x02661779',
        'x-amz-meta-checksumalgorithm': 'crc32',
        'content-disposition': 'attachment; filename=database.dat',
        authorization: `AWS ${ACCESS_KEY}:jtBQa0Aq+DkULFI8qrpwIjGEx0E=`,
      },
    });
    expect(() => verifySigV2(req, lookup, new Date(Date.parse(date)))).not.toThrow();
    const altered = { ...req, headers: { ...req.headers, 'x-amz-acl': 'private' } };
    expect(s3ErrorOf(() => verifySigV2(altered, lookup, new Date(Date.parse(date)))).code).toBe('SignatureDoesNotMatch');
  });

  it('verifies a presigned URL (AWSAccessKeyId, Expires, Signature) until it expires', () => {
    const req = request({
      rawQuery: `AWSAccessKeyId=${ACCESS_KEY}&Expires=1175139620&Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D`,
      resourcePath: '/johnsmith/photos/puppy.jpg',
      headers: {},
    });
    expect(() => verifySigV2(req, lookup, new Date(1175139620 * 1000 - 1000))).not.toThrow();
    const expired = s3ErrorOf(() => verifySigV2(req, lookup, new Date(1175139620 * 1000 + 1000)));
    expect([expired.code, expired.message]).toEqual(['AccessDenied', 'Request has expired']);
  });
});

describe('verifySigV2 — refusals', () => {
  const date = 'Tue, 27 Mar 2007 19:36:42 +0000';
  const good = request({ headers: { date, authorization: `AWS ${ACCESS_KEY}:qgk2+6Sv9/oM7G3qLEjTH1a1l1g=` } });

  it('refuses an unknown key, a request without a date and one too far from the clock', () => {
    const unknown = { ...good, headers: { ...good.headers, authorization: 'AWS AKIAUNKNOWN000000000:qgk2+6Sv9/oM7G3qLEjTH1a1l1g=' } };
    expect(s3ErrorOf(() => verifySigV2(unknown, lookup, new Date(Date.parse(date)))).code).toBe('InvalidAccessKeyId');
    const undated = { ...good, headers: { authorization: good.headers.authorization } };
    expect(s3ErrorOf(() => verifySigV2(undated, lookup, new Date(Date.parse(date)))).code).toBe('AccessDenied');
    expect(s3ErrorOf(() => verifySigV2(good, lookup, new Date(Date.parse(date) + 16 * 60_000))).code).toBe('RequestTimeTooSkewed');
  });

  it('refuses another path, a signed sub-resource added, and a presigned URL missing a parameter', () => {
    const now = new Date(Date.parse(date));
    expect(s3ErrorOf(() => verifySigV2({ ...good, resourcePath: '/awsexamplebucket1/photos/kitten.jpg' }, lookup, now)).code).toBe('SignatureDoesNotMatch');
    expect(s3ErrorOf(() => verifySigV2({ ...good, rawQuery: 'acl' }, lookup, now)).code).toBe('SignatureDoesNotMatch');
    const partial = request({ rawQuery: `AWSAccessKeyId=${ACCESS_KEY}&Signature=x`, headers: {} });
    expect(s3ErrorOf(() => verifySigV2(partial, lookup, now)).code).toBe('AccessDenied');
  });

  it('refuses a request carrying both a header and query credentials', () => {
    const both = { ...good, rawQuery: `AWSAccessKeyId=${ACCESS_KEY}&Expires=1&Signature=x` };
    expect(s3ErrorOf(() => verifySigV2(both, lookup, new Date(Date.parse(date)))).code).toBe('InvalidArgument');
  });
});

describe('usesSigV2', () => {
  it('tells SigV2 credentials from SigV4 ones and from none', () => {
    expect(usesSigV2({ authorization: `AWS ${ACCESS_KEY}:abc=` }, authQueryParams(''))).toBe(true);
    expect(usesSigV2({}, authQueryParams(`AWSAccessKeyId=${ACCESS_KEY}&Expires=1&Signature=x`))).toBe(true);
    expect(usesSigV2({ authorization: 'AWS4-HMAC-SHA256 Credential=AKIA/20130524/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=abc' }, authQueryParams(''))).toBe(false);
    expect(usesSigV2({}, authQueryParams('X-Amz-Algorithm=AWS4-HMAC-SHA256'))).toBe(false);
  });
});
