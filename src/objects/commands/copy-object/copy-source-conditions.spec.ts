import { assertCopySourcePreconditions } from './copy-source-conditions.js';
import { s3ErrorOf } from '../../../../test/support/s3-error-of.js';

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
    const error = s3ErrorOf(check(headers));
    expect([error.code, error.status, error.details.Condition]).toEqual(['PreconditionFailed', 412, condition]);
  });

  it('ignores the plain If-* headers, which are about the destination', () => {
    expect(check({ 'if-match': '"zzz"', 'if-none-match': '"abc"' })).not.toThrow();
  });
});
