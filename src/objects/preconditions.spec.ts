import { S3Error } from '../errors/s3.error.js';
import { evaluatePreconditions, parseHttpDate, type ConditionalHeaders } from './preconditions.js';

const etag = '"9b2cf535f27731c974343645a3985328"';
const bare = '9b2cf535f27731c974343645a3985328';
const other = '"00000000000000000000000000000000"';
// Stored with milliseconds; Last-Modified goes out as Wed, 15 Nov 2023 10:00:00 GMT.
const lastModified = new Date('2023-11-15T10:00:00.750Z');
const SAME = 'Wed, 15 Nov 2023 10:00:00 GMT';
const BEFORE = 'Wed, 15 Nov 2023 09:59:59 GMT';
const AFTER = 'Wed, 15 Nov 2023 10:00:01 GMT';

type Expected = 'proceed' | 'not-modified' | '412 If-Match' | '412 If-Unmodified-Since';

function outcome(headers: ConditionalHeaders): Expected | string {
  const result = evaluatePreconditions(headers, { etag, lastModified });
  if (result instanceof S3Error) return `${result.status} ${result.details.Condition}`;
  return result;
}

describe('evaluatePreconditions', () => {
  it.each<[string, ConditionalHeaders, Expected]>([
    ['no conditions', {}, 'proceed'],
    // If-Match
    ['If-Match quoted, equal', { 'if-match': etag }, 'proceed'],
    ['If-Match unquoted, equal', { 'if-match': bare }, 'proceed'],
    ['If-Match *', { 'if-match': '*' }, 'proceed'],
    ['If-Match list holding it', { 'if-match': `${other}, ${etag}` }, 'proceed'],
    ['If-Match unquoted list holding it', { 'if-match': `abc,${bare}` }, 'proceed'],
    ['If-Match other', { 'if-match': other }, '412 If-Match'],
    ['If-Match list without it', { 'if-match': `${other}, "abc"` }, '412 If-Match'],
    ['If-Match weak tag (strong comparison)', { 'if-match': `W/${etag}` }, '412 If-Match'],
    ['If-Match empty (ignored)', { 'if-match': '' }, 'proceed'],
    ['If-Match repeated header', { 'if-match': [other, etag] }, 'proceed'],
    // If-Unmodified-Since
    ['If-Unmodified-Since = Last-Modified', { 'if-unmodified-since': SAME }, 'proceed'],
    ['If-Unmodified-Since after', { 'if-unmodified-since': AFTER }, 'proceed'],
    ['If-Unmodified-Since before', { 'if-unmodified-since': BEFORE }, '412 If-Unmodified-Since'],
    ['If-Unmodified-Since not a date (ignored)', { 'if-unmodified-since': 'yesterday' }, 'proceed'],
    // If-None-Match
    ['If-None-Match equal', { 'if-none-match': etag }, 'not-modified'],
    ['If-None-Match unquoted', { 'if-none-match': bare }, 'not-modified'],
    ['If-None-Match weak tag (weak comparison)', { 'if-none-match': `W/${etag}` }, 'not-modified'],
    ['If-None-Match *', { 'if-none-match': '*' }, 'not-modified'],
    ['If-None-Match list holding it', { 'if-none-match': `"a", ${etag}` }, 'not-modified'],
    ['If-None-Match other', { 'if-none-match': other }, 'proceed'],
    // If-Modified-Since
    ['If-Modified-Since = Last-Modified', { 'if-modified-since': SAME }, 'not-modified'],
    ['If-Modified-Since after', { 'if-modified-since': AFTER }, 'not-modified'],
    ['If-Modified-Since before', { 'if-modified-since': BEFORE }, 'proceed'],
    ['If-Modified-Since not a date (ignored)', { 'if-modified-since': '2023-11-16' }, 'proceed'],
    // AWS: If-Match true + If-Unmodified-Since false → 200.
    ['If-Match true, If-Unmodified-Since false', { 'if-match': etag, 'if-unmodified-since': BEFORE }, 'proceed'],
    ['If-Match false, If-Unmodified-Since true', { 'if-match': other, 'if-unmodified-since': AFTER }, '412 If-Match'],
    // AWS: If-None-Match false + If-Modified-Since true → 304.
    ['If-None-Match false, If-Modified-Since true', { 'if-none-match': etag, 'if-modified-since': BEFORE }, 'not-modified'],
    ['If-None-Match true, If-Modified-Since false', { 'if-none-match': other, 'if-modified-since': AFTER }, 'proceed'],
    // 412 before 304 (RFC 7232 §6 steps 1-2 before 3-4).
    ['If-Match false, If-None-Match false', { 'if-match': other, 'if-none-match': etag }, '412 If-Match'],
    ['If-Unmodified-Since false, If-Modified-Since false', { 'if-unmodified-since': BEFORE, 'if-modified-since': AFTER }, '412 If-Unmodified-Since'],
    ['If-Match true, If-None-Match false', { 'if-match': etag, 'if-none-match': etag }, 'not-modified'],
    ['If-Match true, If-Modified-Since false', { 'if-match': etag, 'if-modified-since': AFTER }, 'not-modified'],
    ['all four pass', { 'if-match': etag, 'if-unmodified-since': AFTER, 'if-none-match': other, 'if-modified-since': BEFORE }, 'proceed'],
  ])('%s → %s', (_case, headers, expected) => {
    expect(outcome(headers)).toBe(expected);
  });

  it('fails with 412 PreconditionFailed and AWS message', () => {
    const result = evaluatePreconditions({ 'if-match': other }, { etag, lastModified });
    expect(result).toBeInstanceOf(S3Error);
    const error = result as S3Error;
    expect(error.code).toBe('PreconditionFailed');
    expect(error.status).toBe(412);
    expect(error.message).toBe('At least one of the pre-conditions you specified did not hold');
    expect(error.details).toEqual({ Condition: 'If-Match' });
  });
});

describe('parseHttpDate', () => {
  const instant = Date.UTC(1994, 10, 6, 8, 49, 37);
  it.each([
    ['Sun, 06 Nov 1994 08:49:37 GMT', instant],
    ['Sunday, 06-Nov-94 08:49:37 GMT', instant],
    ['Sun Nov  6 08:49:37 1994', instant],
    [' Sun, 06 Nov 1994 08:49:37 GMT ', instant],
  ])('reads %s', (text, expected) => expect(parseHttpDate(text)).toBe(expected));

  it.each([
    undefined,
    '',
    '1',
    'yesterday',
    '1994-11-06T08:49:37Z',
    'Sun, 31 Nov 1994 08:49:37 GMT',
    'Sun, 06 Nov 1994 24:00:00 GMT',
    'Sun, 06 Nov 1994 08:49:37 PST',
    'sun, 06 nov 1994 08:49:37 gmt',
  ])('ignores %p', (text) => expect(parseHttpDate(text)).toBeUndefined());
});
