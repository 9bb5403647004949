import { S3Error } from '../../errors/s3.error.js';

/**
 * The query parameters with which a GetObject or HeadObject request overrides response headers,
 * and the header each one sets (AWS GetObject, "Overriding response header values"). Names are
 * case-sensitive, as S3 reads them.
 */
export const RESPONSE_OVERRIDE_PARAMS = {
  'response-content-type': 'Content-Type',
  'response-content-language': 'Content-Language',
  'response-expires': 'Expires',
  'response-cache-control': 'Cache-Control',
  'response-content-disposition': 'Content-Disposition',
  'response-content-encoding': 'Content-Encoding',
} as const;

/** Bytes a header value cannot carry (CTLs other than HTAB); Node would refuse to send them. */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const INVALID_HEADER_BYTE = /[\x00-\x08\x0a-\x1f\x7f]/;

/**
 * The response headers the request's `response-*` parameters ask for, header name → value.
 * AWS sends them only on success, so the caller applies them to 200/206 and nothing else.
 * The value goes out as its UTF-8 bytes (e.g. a non-ASCII filename in Content-Disposition);
 * an empty parameter sets nothing, and one holding control characters, which no header can
 * carry, is refused with 400 InvalidArgument. AWS refuses them on anonymous requests: they
 * would let anyone serve a public object as, say, text/html from the bucket's origin.
 */
export function responseHeaderOverrides(query: URLSearchParams, anonymous: boolean): Record<string, string> {
  if (anonymous && Object.keys(RESPONSE_OVERRIDE_PARAMS).some((param) => query.has(param))) {
    throw new S3Error('InvalidRequest', { message: 'Request specific response headers cannot be used for anonymous GET requests.' });
  }
  const headers: Record<string, string> = {};
  for (const [param, header] of Object.entries(RESPONSE_OVERRIDE_PARAMS)) {
    const value = query.get(param);
    if (value === null || value === '') continue;
    if (INVALID_HEADER_BYTE.test(value)) {
      throw new S3Error('InvalidArgument', {
        message: `Invalid value for ${param}`,
        details: { ArgumentName: param, ArgumentValue: value },
      });
    }
    // Node writes header strings as latin1: hand it the UTF-8 bytes so they reach the wire intact.
    headers[header] = Buffer.from(value, 'utf8').toString('latin1');
  }
  return headers;
}
