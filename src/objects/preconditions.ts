import { S3Error } from '../errors/s3.error.js';

/** The validators of the object a conditional GET or HEAD is about. */
export interface ObjectValidators {
  /** As stored and sent: the quoted MD5 (or multipart) ETag. */
  etag: string;
  lastModified: Date;
}

/** The request headers this looks at, as Node hands them over (lower-case names). */
export type ConditionalHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** Go on to Range and the body; answer 304 Not Modified; or fail with 412 PreconditionFailed. */
export type PreconditionOutcome = 'proceed' | 'not-modified' | S3Error;

/**
 * Evaluates If-Match, If-Unmodified-Since, If-None-Match and If-Modified-Since on a GET or HEAD
 * in the order of RFC 7232 §6, which is the order S3 documents for GetObject and HeadObject:
 *
 * 1. If-Match present: no match → 412 (Condition: If-Match). If-Unmodified-Since is then not
 *    looked at, so If-Match true + If-Unmodified-Since false is 200 ("S3 returns 200 OK and the
 *    data requested").
 * 2. Otherwise If-Unmodified-Since (a valid date): modified since → 412 (Condition:
 *    If-Unmodified-Since).
 * 3. If-None-Match present: a match → 304. If-Modified-Since is then not looked at, so
 *    If-None-Match false + If-Modified-Since true is 304 ("S3 returns 304 Not Modified").
 * 4. Otherwise If-Modified-Since (a valid date): not modified since → 304.
 *
 * Entity tags may be quoted or not, `*`, or a comma-separated list. If-Match compares strongly
 * (a weak `W/"…"` tag never matches), If-None-Match weakly. Dates are HTTP-dates, compared at
 * the one-second resolution of Last-Modified; a date that is not a valid HTTP-date is ignored,
 * as is an empty header. Pure: the caller decides what 304 and 412 look like on the wire.
 */
export function evaluatePreconditions(headers: ConditionalHeaders, object: ObjectValidators): PreconditionOutcome {
  const etag = opaqueTag(object.etag);
  // Last-Modified is sent with one-second resolution; a client echoing it must see "not modified".
  const lastModified = Math.floor(object.lastModified.getTime() / 1000) * 1000;

  const ifMatch = headerValue(headers, 'if-match');
  if (ifMatch !== undefined) {
    if (!matchesAny(ifMatch, etag, 'strong')) return preconditionFailed('If-Match');
  } else {
    const since = parseHttpDate(headerValue(headers, 'if-unmodified-since'));
    if (since !== undefined && lastModified > since) return preconditionFailed('If-Unmodified-Since');
  }

  const ifNoneMatch = headerValue(headers, 'if-none-match');
  if (ifNoneMatch !== undefined) {
    if (matchesAny(ifNoneMatch, etag, 'weak')) return 'not-modified';
  } else {
    const since = parseHttpDate(headerValue(headers, 'if-modified-since'));
    if (since !== undefined && lastModified <= since) return 'not-modified';
  }

  return 'proceed';
}

function preconditionFailed(condition: string): S3Error {
  return new S3Error('PreconditionFailed', { details: { Condition: condition } });
}

function headerValue(headers: ConditionalHeaders, name: string): string | undefined {
  const raw = headers[name];
  const value = (Array.isArray(raw) ? raw.join(', ') : raw)?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** An entity tag without its quotes (and without W/, which the caller reads separately). */
function opaqueTag(tag: string): string {
  const trimmed = tag.trim();
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1) : trimmed;
}

/** One list member: optional W/, then a quoted tag (which may hold commas) or a bare one. */
const LIST_MEMBER = /\s*(W\/)?("[^"]*"|[^,]*)\s*(?:,|$)/gy;

function matchesAny(list: string, etag: string, comparison: 'strong' | 'weak'): boolean {
  if (list === '*') return true;
  LIST_MEMBER.lastIndex = 0;
  let match: RegExpExecArray | null;
  while (LIST_MEMBER.lastIndex < list.length && (match = LIST_MEMBER.exec(list)) !== null) {
    const [, weak, tag = ''] = match;
    if (tag.trim() === '') continue;
    if (weak && comparison === 'strong') continue;
    if (opaqueTag(tag) === etag) return true;
  }
  return false;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH = MONTHS.join('|');
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
/** IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT */
const IMF_FIXDATE = new RegExp(`^(${DAYS.join('|')}), (\\d{2}) (${MONTH}) (\\d{4}) ${TIME} GMT$`);
/** Obsolete RFC 850: Sunday, 06-Nov-94 08:49:37 GMT */
const RFC_850 = new RegExp(`^(${LONG_DAYS.join('|')}), (\\d{2})-(${MONTH})-(\\d{2}) ${TIME} GMT$`);
/** Obsolete asctime: Sun Nov  6 08:49:37 1994 */
const ASCTIME = new RegExp(`^(${DAYS.join('|')}) (${MONTH}) ( \\d|\\d{2}) ${TIME} (\\d{4})$`);

/**
 * The instant an HTTP-date (RFC 7231 §7.1.1.1: IMF-fixdate or one of the two obsolete forms)
 * names, in ms; undefined for anything else, including impossible dates such as 31 Nov.
 */
export function parseHttpDate(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  let parts: { day: string; month: string; year: number; h: string; m: string; s: string } | undefined;
  let match: RegExpExecArray | null;
  if ((match = IMF_FIXDATE.exec(text))) {
    const [, , day, month, year, h, m, s] = match as unknown as string[];
    parts = { day: day!, month: month!, year: Number(year), h: h!, m: m!, s: s! };
  } else if ((match = RFC_850.exec(text))) {
    const [, , day, month, yy, h, m, s] = match as unknown as string[];
    parts = { day: day!, month: month!, year: twoDigitYear(Number(yy)), h: h!, m: m!, s: s! };
  } else if ((match = ASCTIME.exec(text))) {
    const [, , month, day, h, m, s, year] = match as unknown as string[];
    parts = { day: day!.trim(), month: month!, year: Number(year), h: h!, m: m!, s: s! };
  }
  if (!parts) return undefined;
  const month = MONTHS.indexOf(parts.month);
  const [day, h, m, s] = [Number(parts.day), Number(parts.h), Number(parts.m), Number(parts.s)];
  if (h > 23 || m > 59 || s > 60) return undefined;
  const date = new Date(Date.UTC(parts.year, month, day, h, m, Math.min(s, 59)));
  if (date.getUTCFullYear() !== parts.year || date.getUTCMonth() !== month || date.getUTCDate() !== day) return undefined;
  return date.getTime();
}

/** RFC 7231: a two-digit year more than 50 years in the future is in the past century. */
function twoDigitYear(yy: number): number {
  const thisYear = new Date().getUTCFullYear();
  const year = Math.floor(thisYear / 100) * 100 + yy;
  return year > thisYear + 50 ? year - 100 : year;
}
