import { CONTENT_HEADER_FIELDS, CONTENT_HEADER_NAMES, type ContentHeaders } from '../../bucket-stream/content-headers.js';
import { S3Error } from '../../errors/s3.error.js';
import type { S3HttpRequest } from './s3-request.js';

/**
 * The most the five content headers may hold together, in bytes. S3 counts only user metadata
 * against its 2 KB metadata limit (MAX_USER_METADATA_BYTES), so these are not in it; AWS bounds
 * them by its 8 KB limit on a PUT request's headers, which is where they come from. A POST form
 * has no such limit, so Sediment applies this one to every write, headers or form fields: a value
 * S3 would never have been sent never becomes an event.
 */
export const MAX_CONTENT_HEADERS_BYTES = 8192;

/** What a header value cannot carry (CTLs other than HTAB, or beyond one byte): Node would refuse to send it back. */
const UNSENDABLE = /[^\t\x20-\x7e\x80-\xff]/;

const FRAMING_ENCODING = 'aws-chunked';

/**
 * Content-Encoding as S3 stores it: without `aws-chunked`, which names the request body's framing
 * (SigV4 streaming), not the object's encoding. `aws-chunked,deflate, gzip` is stored as
 * `deflate, gzip`; `aws-chunked` alone is not stored at all. A value without it is kept as sent.
 */
export function storedContentEncoding(value: string): string | undefined {
  const codings = value.split(',');
  if (!codings.some((coding) => coding.trim().toLowerCase() === FRAMING_ENCODING)) return value;
  const kept = codings
    .filter((coding) => coding.trim().toLowerCase() !== FRAMING_ENCODING)
    .join(',')
    .trim();
  return kept === '' ? undefined : kept;
}

/**
 * The content headers of a write, from its request headers (PutObject, CreateMultipartUpload,
 * CopyObject with the REPLACE directive), checked at the edge.
 */
export function contentHeadersOfRequest(req: S3HttpRequest): ContentHeaders {
  return contentHeadersFrom(req.headers, { framed: true });
}

/**
 * The content headers among `values`, keyed by lower-case header (or form field) name, each one
 * a string of bytes (one latin1 character per byte, as Node gives header values). An empty value
 * sets nothing. Refused with 400: a value holding a character no header can carry
 * (InvalidArgument), and values together longer than MAX_CONTENT_HEADERS_BYTES (MetadataTooLarge).
 * `framed`: the values are the request's own headers, whose Content-Encoding may name aws-chunked.
 * Expires is kept as sent, a valid HTTP date or not, as S3 keeps it.
 */
export function contentHeadersFrom(values: Readonly<Record<string, string | string[] | undefined>>, { framed }: { framed: boolean }): ContentHeaders {
  const headers: ContentHeaders = {};
  let size = 0;
  for (const field of CONTENT_HEADER_FIELDS) {
    const name = CONTENT_HEADER_NAMES[field];
    const raw = values[name.toLowerCase()];
    if (raw === undefined) continue;
    const value = Array.isArray(raw) ? raw.join(', ') : raw;
    assertSendable(name, value);
    const stored = field === 'contentEncoding' && framed ? storedContentEncoding(value) : value;
    if (stored === undefined || stored === '') continue;
    size += Buffer.byteLength(stored, 'latin1');
    headers[field] = stored;
  }
  if (size > MAX_CONTENT_HEADERS_BYTES) {
    throw new S3Error('MetadataTooLarge', { details: { Size: String(size), MaxSizeAllowed: String(MAX_CONTENT_HEADERS_BYTES) } });
  }
  return headers;
}

/**
 * Refuses (400 InvalidArgument) a value GET and HEAD could not send back as header `name`: one
 * from a POST form field, which no HTTP parser has checked (a header's own value always passes).
 */
export function assertSendable(name: string, value: string): void {
  if (UNSENDABLE.test(value)) {
    throw new S3Error('InvalidArgument', { message: `${name} holds a character a header cannot carry.`, details: { ArgumentName: name } });
  }
}

/** The stored content headers as response headers, before any response-* override. */
export function setContentHeaders(res: { setHeader(name: string, value: string): unknown }, stored: ContentHeaders): void {
  for (const field of CONTENT_HEADER_FIELDS) {
    const value = stored[field];
    if (value !== undefined) res.setHeader(CONTENT_HEADER_NAMES[field], value);
  }
}
