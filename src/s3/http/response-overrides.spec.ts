import { S3Error } from '../../errors/s3.error.js';
import { responseHeaderOverrides } from './response-overrides.js';

describe('responseHeaderOverrides', () => {
  it.each([
    ['response-content-type', 'text/plain; charset=utf-8', 'Content-Type'],
    ['response-content-language', 'de-CH', 'Content-Language'],
    ['response-expires', 'Thu, 01 Dec 1994 16:00:00 GMT', 'Expires'],
    ['response-cache-control', 'no-cache', 'Cache-Control'],
    ['response-content-disposition', 'attachment; filename="report.pdf"', 'Content-Disposition'],
    ['response-content-encoding', 'gzip', 'Content-Encoding'],
  ])('%s sets %s', (param, value, header) => {
    expect(responseHeaderOverrides(new URLSearchParams({ [param]: value }), false)).toEqual({ [header]: value });
  });

  it('sets all six at once and ignores every other parameter', () => {
    const query = new URLSearchParams(
      'response-content-type=a%2Fb&response-content-language=en&response-expires=never&response-cache-control=max-age%3D60' +
        '&response-content-disposition=inline&response-content-encoding=br&x-id=GetObject&response-foo=bar&Response-Content-Type=x%2Fy',
    );
    expect(responseHeaderOverrides(query, false)).toEqual({
      'Content-Type': 'a/b',
      'Content-Language': 'en',
      Expires: 'never',
      'Cache-Control': 'max-age=60',
      'Content-Disposition': 'inline',
      'Content-Encoding': 'br',
    });
  });

  it('sets nothing without parameters, or for an empty one', () => {
    expect(responseHeaderOverrides(new URLSearchParams(), false)).toEqual({});
    expect(responseHeaderOverrides(new URLSearchParams('response-content-type='), false)).toEqual({});
  });

  it('sends a non-ASCII value as its UTF-8 bytes', () => {
    const value = "attachment; filename=\"résumé 日本.txt\"";
    const headers = responseHeaderOverrides(new URLSearchParams({ 'response-content-disposition': value }), false);
    expect(Buffer.from(headers['Content-Disposition']!, 'latin1').toString('utf8')).toBe(value);
  });

  it.each(['a\r\nSet-Cookie: x=y', 'a\nb', 'a\u0000b'])('refuses %j with 400 InvalidArgument', (value) => {
    let thrown: unknown;
    try {
      responseHeaderOverrides(new URLSearchParams({ 'response-content-type': value }), false);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(S3Error);
    expect((thrown as S3Error).code).toBe('InvalidArgument');
    expect((thrown as S3Error).status).toBe(400);
    expect((thrown as S3Error).details.ArgumentName).toBe('response-content-type');
  });
});

describe('responseHeaderOverrides for an anonymous caller', () => {
  it.each(['response-content-type=text%2Fhtml', 'response-content-disposition=inline', 'response-content-type='])(
    'refuses %s with 400 InvalidRequest, as S3 does',
    (query) => {
      expect(() => responseHeaderOverrides(new URLSearchParams(query), true)).toThrow(
        expect.objectContaining({ code: 'InvalidRequest', message: 'Request specific response headers cannot be used for anonymous GET requests.' }),
      );
    },
  );

  it('lets a plain anonymous GET through', () => {
    expect(responseHeaderOverrides(new URLSearchParams('x-id=GetObject'), true)).toEqual({});
  });
});
