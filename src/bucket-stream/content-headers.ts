/**
 * S3's system metadata that a write sets and GET and HEAD send back as HTTP headers: Cache-Control,
 * Content-Disposition, Content-Encoding, Content-Language and Expires. Part of the published event
 * contract (docs/events.md): each is the value as sent (bytes as latin1 characters, as header
 * strings hold them), except that Content-Encoding never holds `aws-chunked`, which names the
 * request's framing and not the object's. An absent field was not set. `expires` is a string, not
 * a date: S3 keeps it as sent, even when it is not an HTTP date, and sends it back unchanged.
 */
export interface ContentHeaders {
  cacheControl?: string;
  contentDisposition?: string;
  contentEncoding?: string;
  contentLanguage?: string;
  expires?: string;
}

/** Each field and the HTTP header (or POST form field, case-insensitively) it comes from and goes to. */
export const CONTENT_HEADER_NAMES: Readonly<Record<keyof ContentHeaders, string>> = {
  cacheControl: 'Cache-Control',
  contentDisposition: 'Content-Disposition',
  contentEncoding: 'Content-Encoding',
  contentLanguage: 'Content-Language',
  expires: 'Expires',
};

export const CONTENT_HEADER_FIELDS = Object.keys(CONTENT_HEADER_NAMES) as (keyof ContentHeaders)[];

/** The content headers of something that carries them among other fields (an event, a document, an upload), and nothing else. */
export function contentHeadersOf(source: ContentHeaders): ContentHeaders {
  const picked: ContentHeaders = {};
  for (const field of CONTENT_HEADER_FIELDS) {
    const value = source[field];
    if (value !== undefined) picked[field] = value;
  }
  return picked;
}
