import { S3Error } from '../../errors/s3.error.js';
import { assertSendable, contentHeadersFrom, MAX_CONTENT_HEADERS_BYTES, setContentHeaders, storedContentEncoding } from './content-headers.js';

const refusal = (run: () => unknown): S3Error => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(S3Error);
    return error as S3Error;
  }
  throw new Error('expected an S3Error');
};

describe('content headers of a write', () => {
  it('takes the five headers S3 stores, by their lower-case names, and nothing else', () => {
    const headers = {
      'cache-control': 'max-age=60',
      'content-disposition': 'attachment; filename="a.txt"',
      'content-encoding': 'gzip',
      'content-language': 'de-CH',
      expires: 'Wed, 01 Dec 2094 16:00:00 GMT',
      'content-type': 'text/plain',
      'x-amz-meta-colour': 'blue',
    };
    expect(contentHeadersFrom(headers, { framed: true })).toEqual({
      cacheControl: 'max-age=60',
      contentDisposition: 'attachment; filename="a.txt"',
      contentEncoding: 'gzip',
      contentLanguage: 'de-CH',
      expires: 'Wed, 01 Dec 2094 16:00:00 GMT',
    });
    expect(contentHeadersFrom({}, { framed: true })).toEqual({});
  });

  it('keeps Expires as sent, an HTTP date or not, as S3 does', () => {
    expect(contentHeadersFrom({ expires: 'not a date' }, { framed: true })).toEqual({ expires: 'not a date' });
  });

  it('sets nothing for an empty value', () => {
    expect(contentHeadersFrom({ 'cache-control': '', expires: '' }, { framed: false })).toEqual({});
  });

  it.each([
    ['aws-chunked,deflate, gzip', 'deflate, gzip'],
    ['gzip, aws-chunked', 'gzip'],
    ['AWS-Chunked , br', 'br'],
    ['deflate,gzip', 'deflate,gzip'],
  ])('stores Content-Encoding %p of a request as %p: aws-chunked is the framing, not the object\'s encoding', (sent, stored) => {
    expect(storedContentEncoding(sent)).toBe(stored);
    expect(contentHeadersFrom({ 'content-encoding': sent }, { framed: true })).toEqual({ contentEncoding: stored });
  });

  it('stores no Content-Encoding when the request named only aws-chunked', () => {
    expect(contentHeadersFrom({ 'content-encoding': 'aws-chunked' }, { framed: true })).toEqual({});
  });

  it('keeps aws-chunked in a form field, which frames nothing', () => {
    expect(contentHeadersFrom({ 'content-encoding': 'aws-chunked' }, { framed: false })).toEqual({ contentEncoding: 'aws-chunked' });
  });

  it('keeps a byte above 0x7F (a latin1 character per byte) and a tab', () => {
    const utf8 = Buffer.from('attachment; filename="café.txt"\t', 'utf8').toString('latin1');
    expect(contentHeadersFrom({ 'content-disposition': utf8 }, { framed: false })).toEqual({ contentDisposition: utf8 });
  });

  it.each(['\u0000', '\n', '\r', '\u001b', '\u007f', '\u0100', '\ud83c'])('refuses a value holding %j with InvalidArgument naming the header', (bad) => {
    const error = refusal(() => contentHeadersFrom({ 'content-language': `en${bad}` }, { framed: false }));
    expect(error.code).toBe('InvalidArgument');
    expect(error.details).toEqual({ ArgumentName: 'Content-Language' });
  });

  it('refuses the five together beyond 8 KiB with MetadataTooLarge, and takes exactly 8 KiB', () => {
    const half = 'a'.repeat(MAX_CONTENT_HEADERS_BYTES / 2);
    expect(contentHeadersFrom({ 'cache-control': half, 'content-disposition': half }, { framed: false })).toEqual({ cacheControl: half, contentDisposition: half });
    const error = refusal(() => contentHeadersFrom({ 'cache-control': half, 'content-disposition': `${half}b` }, { framed: false }));
    expect(error.code).toBe('MetadataTooLarge');
    expect(error.details).toEqual({ Size: String(MAX_CONTENT_HEADERS_BYTES + 1), MaxSizeAllowed: String(MAX_CONTENT_HEADERS_BYTES) });
  });

  it('refuses any other value no header can carry (a POST form\'s Content-Type), naming it', () => {
    expect(() => assertSendable('Content-Type', 'text/plain')).not.toThrow();
    const error = refusal(() => assertSendable('Content-Type', 'text/\u0001plain'));
    expect({ code: error.code, details: error.details }).toEqual({ code: 'InvalidArgument', details: { ArgumentName: 'Content-Type' } });
  });

  it('writes the stored ones as response headers under their HTTP names', () => {
    const set: Record<string, string> = {};
    setContentHeaders({ setHeader: (name, value) => (set[name] = value) }, { cacheControl: 'no-cache', expires: '0' });
    expect(set).toEqual({ 'Cache-Control': 'no-cache', Expires: '0' });
  });
});
