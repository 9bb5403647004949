import { S3Error } from '../../errors/s3.error.js';
import { assertCopySourcePreconditions, parseCopySource, parseDirective } from './copy-source.js';
import { parseCopySourceRange } from './copy-source-range.js';

function errorOf(run: () => unknown): S3Error {
  try {
    run();
  } catch (error) {
    if (error instanceof S3Error) return error;
    throw error;
  }
  throw new Error('expected an S3Error');
}

describe('parseCopySource (x-amz-copy-source)', () => {
  it.each([
    ['awsexamplebucket/reports/january.pdf', { bucket: 'awsexamplebucket', key: 'reports/january.pdf' }],
    ['/awsexamplebucket/reports/january.pdf', { bucket: 'awsexamplebucket', key: 'reports/january.pdf' }],
    ['/b/caf%C3%A9%20au%20lait%3F.txt', { bucket: 'b', key: 'café au lait?.txt' }],
    ['/b/a%2Fb', { bucket: 'b', key: 'a/b' }],
    ['/b/k?versionId=null', { bucket: 'b', key: 'k', versionId: 'null' }],
    ['b/k?versionId=QUpfdndhfd8438MNFDN93jdnJFkdmqnh893', { bucket: 'b', key: 'k', versionId: 'QUpfdndhfd8438MNFDN93jdnJFkdmqnh893' }],
  ])('%s', (header, expected) => {
    expect(parseCopySource(header)).toEqual(expected);
  });

  it.each(['', 'bucket', '/bucket', '/bucket/', '//key', '/b/%E0%A4%A', '/b/k?acl', '/b/k?versionId=v&x=1', '/b/x%00y', '/b%00/k'])(
    '%j is 400 InvalidArgument',
    (header) => {
      const error = errorOf(() => parseCopySource(header));
      expect([error.code, error.status, error.details.ArgumentName]).toEqual(['InvalidArgument', 400, 'x-amz-copy-source']);
    },
  );

  it.each(['/b/k?versionId=%00', '/b/k?versionId=', '/b/k?versionId=a%00b'])('%j names a version id no version can have: InvalidArgument', (header) => {
    const error = errorOf(() => parseCopySource(header));
    expect([error.code, error.message, error.details.ArgumentName]).toEqual(['InvalidArgument', 'Invalid version id specified', 'versionId']);
  });

  it('is InvalidArgument when the header is missing altogether', () => {
    expect(errorOf(() => parseCopySource(undefined)).code).toBe('InvalidArgument');
  });
});

describe('parseDirective', () => {
  it('defaults to COPY and takes COPY or REPLACE', () => {
    expect(parseDirective(undefined, 'metadata')).toBe('COPY');
    expect(parseDirective('COPY', 'tagging')).toBe('COPY');
    expect(parseDirective('REPLACE', 'metadata')).toBe('REPLACE');
  });

  it.each(['replace', 'MOVE', ''])('%j is InvalidArgument naming the header', (value) => {
    const error = errorOf(() => parseDirective(value, 'tagging'));
    expect([error.code, error.message, error.details.ArgumentName]).toEqual(['InvalidArgument', 'Unknown tagging directive.', 'x-amz-tagging-directive']);
  });
});

describe('assertCopySourcePreconditions', () => {
  const source = { etag: '"abc"', lastModified: new Date('2026-01-10T12:00:00.000Z') };
  const before = 'Fri, 09 Jan 2026 12:00:00 GMT';
  const after = 'Sun, 11 Jan 2026 12:00:00 GMT';
  const check = (headers: Record<string, string>) => () => assertCopySourcePreconditions(headers, source);

  it.each<[string, Record<string, string>]>([
    ['no condition', {}],
    ['if-match that matches', { 'x-amz-copy-source-if-match': '"abc"' }],
    ['if-none-match that does not match', { 'x-amz-copy-source-if-none-match': '"zzz"' }],
    ['if-modified-since before the change', { 'x-amz-copy-source-if-modified-since': before }],
    ['if-unmodified-since after the change', { 'x-amz-copy-source-if-unmodified-since': after }],
    // AWS: if-match true and if-unmodified-since false -> the copy is made.
    ['if-match true + if-unmodified-since false', { 'x-amz-copy-source-if-match': 'abc', 'x-amz-copy-source-if-unmodified-since': before }],
  ])('copies with %s', (_, headers) => {
    expect(check(headers)).not.toThrow();
  });

  it.each<[string, Record<string, string>, string]>([
    ['if-match that does not match', { 'x-amz-copy-source-if-match': '"zzz"' }, 'x-amz-copy-source-If-Match'],
    ['if-unmodified-since before the change', { 'x-amz-copy-source-if-unmodified-since': before }, 'x-amz-copy-source-If-Unmodified-Since'],
    // Where a GET would answer 304, a copy answers 412.
    ['if-none-match that matches', { 'x-amz-copy-source-if-none-match': '"abc"' }, 'x-amz-copy-source-If-None-Match'],
    ['if-modified-since after the change', { 'x-amz-copy-source-if-modified-since': after }, 'x-amz-copy-source-If-Modified-Since'],
    // AWS: if-none-match false and if-modified-since true -> 412.
    ['if-none-match false + if-modified-since true', { 'x-amz-copy-source-if-none-match': '"abc"', 'x-amz-copy-source-if-modified-since': before }, 'x-amz-copy-source-If-None-Match'],
  ])('is 412 PreconditionFailed with %s', (_, headers, condition) => {
    const error = errorOf(check(headers));
    expect([error.code, error.status, error.details.Condition]).toEqual(['PreconditionFailed', 412, condition]);
  });

  it('ignores the plain If-* headers, which are about the destination', () => {
    expect(check({ 'if-match': '"zzz"', 'if-none-match': '"abc"' })).not.toThrow();
  });
});

describe('parseCopySourceRange (x-amz-copy-source-range)', () => {
  it('reads bytes=first-last, both inclusive', () => {
    expect(parseCopySourceRange('bytes=0-9', 10)).toEqual({ start: 0, end: 9 });
    expect(parseCopySourceRange('bytes=3-3', 10)).toEqual({ start: 3, end: 3 });
    expect(parseCopySourceRange(undefined, 10)).toBeUndefined();
  });

  it.each(['bytes=0-', 'bytes=-5', 'bytes=0-1,3-4', 'items=0-1', '0-1', 'bytes=a-b'])('%j is malformed: InvalidArgument', (header) => {
    const error = errorOf(() => parseCopySourceRange(header, 10));
    expect([error.code, error.status]).toEqual(['InvalidArgument', 400]);
    expect(error.message).toMatch(/^The x-amz-copy-source-range value must be of the form bytes=first-last/);
  });

  it.each(['bytes=0-10', 'bytes=10-12', 'bytes=5-4'])('%j is not within a 10-byte source: InvalidArgument', (header) => {
    const error = errorOf(() => parseCopySourceRange(header, 10));
    expect([error.code, error.status, error.message]).toEqual(['InvalidArgument', 400, 'Range specified is not valid for source object of size: 10']);
  });
});
