/**
 * Canonical request pieces for AWS Signature Version 4 as S3 computes them
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html).
 *
 * UriEncode: every byte is percent-encoded (upper-case hex) except the RFC 3986 unreserved
 * characters A-Z a-z 0-9 - . _ ~ ; '/' is kept in paths and encoded in query components.
 */

const HEX = '0123456789ABCDEF';

function isUnreserved(byte: number): boolean {
  return (
    (byte >= 0x41 && byte <= 0x5a) || // A-Z
    (byte >= 0x61 && byte <= 0x7a) || // a-z
    (byte >= 0x30 && byte <= 0x39) || // 0-9
    byte === 0x2d || // -
    byte === 0x2e || // .
    byte === 0x5f || // _
    byte === 0x7e // ~
  );
}

/** One entry per byte value: the byte itself if unreserved, else its %XX form. */
const ENCODED_BYTE: readonly string[] = Array.from({ length: 256 }, (_, byte) =>
  isUnreserved(byte) ? String.fromCharCode(byte) : `%${HEX[byte >> 4]}${HEX[byte & 15]}`,
);

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
}

/** AWS UriEncode over raw bytes. */
export function uriEncodeBytes(bytes: Uint8Array, encodeSlash: boolean): string {
  let out = '';
  for (const byte of bytes) {
    out += byte === 0x2f && !encodeSlash ? '/' : ENCODED_BYTE[byte];
  }
  return out;
}

/** AWS UriEncode of a (decoded) string, UTF-8. */
export function uriEncode(value: string, encodeSlash: boolean): string {
  return uriEncodeBytes(Buffer.from(value, 'utf8'), encodeSlash);
}

/** UTF-8 bytes of the single code point starting at `index` of `s` (ASCII fast path). */
function pushCodePoint(s: string, index: number, bytes: number[]): number {
  const code = s.charCodeAt(index);
  if (code < 0x80) {
    bytes.push(code);
    return 1;
  }
  const point = s.codePointAt(index) ?? code;
  const width = point > 0xffff ? 2 : 1;
  for (const b of Buffer.from(s.slice(index, index + width), 'utf8')) bytes.push(b);
  return width;
}

/**
 * Decodes the %XX escapes of a wire string into bytes. No '+'-to-space (RFC 3986, as SigV4).
 * A '%' not followed by two hex digits stays a literal '%'. Characters outside ASCII (which
 * node never lets through in a request line) are taken as UTF-8.
 */
export function percentDecode(raw: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; ) {
    if (raw.charCodeAt(i) === 0x25) {
      const hi = hexValue(raw.charCodeAt(i + 1));
      const lo = hexValue(raw.charCodeAt(i + 2));
      if (hi >= 0 && lo >= 0) {
        bytes.push((hi << 4) | lo);
        i += 3;
        continue;
      }
    }
    i += pushCodePoint(raw, i, bytes);
  }
  return Buffer.from(bytes);
}

/**
 * Canonical URI per the S3 rule: the URI-encoded path, '/' kept, no normalisation (no
 * removal of '.', '..' or repeated slashes) and no double encoding. The path is decoded
 * and re-encoded so that every reserved byte is %XX-escaped exactly once.
 */
export function canonicalUri(rawPath: string): string {
  if (rawPath === '') return '/';
  return uriEncodeBytes(percentDecode(rawPath), false);
}

/**
 * The wire path with its existing escapes kept verbatim and only the characters that must
 * be escaped (anything not unreserved, '/' or part of a valid %XX) encoded. This is what a
 * client that signs the path exactly as it sends it (e.g. one that escapes '/' inside a key
 * as %2F, or uses lower-case hex) puts in its canonical request.
 */
export function canonicalUriAsSent(rawPath: string): string {
  if (rawPath === '') return '/';
  let out = '';
  for (let i = 0; i < rawPath.length; ) {
    const code = rawPath.charCodeAt(i);
    if (
      code === 0x25 &&
      hexValue(rawPath.charCodeAt(i + 1)) >= 0 &&
      hexValue(rawPath.charCodeAt(i + 2)) >= 0
    ) {
      out += rawPath.slice(i, i + 3);
      i += 3;
      continue;
    }
    const bytes: number[] = [];
    i += pushCodePoint(rawPath, i, bytes);
    out += uriEncodeBytes(Uint8Array.from(bytes), false);
  }
  return out;
}

/**
 * Canonical query string: each name and value decoded then UriEncoded ('/' too), parameters
 * without '=' get an empty value, sorted by encoded name then encoded value, joined by '&'.
 */
export function canonicalQueryString(rawQuery: string): string {
  if (rawQuery === '') return '';
  const pairs: Array<[string, string]> = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = eq === -1 ? part : part.slice(0, eq);
    const value = eq === -1 ? '' : part.slice(eq + 1);
    pairs.push([
      uriEncodeBytes(percentDecode(name), true),
      uriEncodeBytes(percentDecode(value), true),
    ]);
  }
  pairs.sort((a, b) => compare(a[0], b[0]) || compare(a[1], b[1]));
  return pairs.map(([name, value]) => `${name}=${value}`).join('&');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Canonical header value: sequential spaces/tabs collapsed to one space, leading and
 * trailing ones removed; several values (one per header line) joined with ','.
 */
export function canonicalHeaderValue(value: string | string[] | undefined): string {
  if (value === undefined) return '';
  const values = Array.isArray(value) ? value : [value];
  return values
    .map((v) => v.replace(/[\r\n]/g, ' ').replace(/[ \t]+/g, ' ').replace(/^ | $/g, ''))
    .join(',');
}

/**
 * The bytes a client signed. Node hands over header values (and the request target) one
 * character per byte received (ISO-8859-1), and a client signs the bytes it sends: an SDK sending
 * `x-amz-meta-a: é` as UTF-8 signed C3 A9, which Node shows as 'Ã©'. Encoding the canonical
 * request back as ISO-8859-1 gives those bytes again; hashing its string as UTF-8 would not. A
 * character above U+00FF cannot come off the wire: such a string (an in-process caller's) is
 * taken as UTF-8, the only encoding it can mean.
 */
export function bytesAsSent(text: string): Buffer {
  return /[\u0100-\uffff]/.test(text) ? Buffer.from(text, 'utf8') : Buffer.from(text, 'latin1');
}

export interface CanonicalRequestParts {
  method: string;
  canonicalUri: string;
  canonicalQuery: string;
  /** Lower-case names, already sorted. */
  signedHeaders: readonly string[];
  headers: Record<string, string | string[] | undefined>;
  payloadHash: string;
}

export function buildCanonicalRequest(parts: CanonicalRequestParts): string {
  const canonicalHeaders = parts.signedHeaders
    .map((name) => `${name}:${canonicalHeaderValue(parts.headers[name])}\n`)
    .join('');
  return [
    parts.method,
    parts.canonicalUri,
    parts.canonicalQuery,
    canonicalHeaders,
    parts.signedHeaders.join(';'),
    parts.payloadHash,
  ].join('\n');
}
