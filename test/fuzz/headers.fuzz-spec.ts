// Fuzz targets: the request line and the headers S3 parses itself: routing (path, query, Host),
// Range, the conditional headers, x-amz-copy-source(-range), x-amz-tagging, response-* overrides.
import fc from 'fast-check';
import { parseTaggingHeader } from '../../src/bucket-stream/object-tags.js';
import { parseByteRange } from '../../src/s3/http/byte-range.js';
import { parseCopySource, parseDirective } from '../../src/s3/http/copy-source.js';
import { assertCopySourcePreconditions } from '../../src/objects/commands/copy-object/copy-source-conditions.js';
import { parseCopySourceRange } from '../../src/objects/commands/multipart-upload/copy-source-range.js';
import { evaluatePreconditions } from '../../src/objects/preconditions.js';
import { responseHeaderOverrides } from '../../src/s3/http/response-overrides.js';
import { routeS3Request } from '../../src/s3/routing/s3.router.js';
import { objectLockHeadersOf } from '../../src/s3/http/object-lock-headers.js';
import type { S3HttpRequest } from '../../src/s3/http/s3-request.js';
import { expectRefusedOrStorable, fuzz, FUZZ_TEST_TIMEOUT_MS, mutationsOf } from './fuzz-harness.js';

const size = fc.oneof(fc.constantFrom(0, 1, 10, 5 * 1024 ** 3), fc.nat());
const validators = { etag: '"0123456789abcdef0123456789abcdef"', lastModified: new Date('2026-11-27T10:00:00.000Z') };

function assertRangeWithin(range: { start: number; end: number } | undefined, objectSize: number): void {
  if (range === undefined) return;
  if (!(Number.isInteger(range.start) && Number.isInteger(range.end) && range.start >= 0 && range.start <= range.end && range.end < objectSize)) {
    throw new Error(`range ${JSON.stringify(range)} is outside an object of ${objectSize} bytes`);
  }
}

describe('fuzz: request line and headers', () => {
  it('routing: any method, raw path, query and Host routes to an operation or an S3 error', async () => {
    const input = fc.record({
      method: fc.oneof(fc.constantFrom('GET', 'PUT', 'POST', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH', 'get'), fc.string({ maxLength: 8 })),
      path: mutationsOf(['/bucket/key', '/bucket', '/', '/b/a%2Fb/%E2%82%AC', '/bucket/photos/2026/x.jpg']),
      query: mutationsOf(['', 'list-type=2&prefix=a&delimiter=/', 'uploads', 'uploadId=u&partNumber=1', 'versionId=v&x-id=GetObject', 'tagging', 'delete']),
      host: fc.option(mutationsOf(['bucket.s3.example.local', 's3.example.local:9000', '127.0.0.1:9000']), { nil: undefined }),
      copySource: fc.boolean(),
    });
    await fuzz(input, ({ method, path, query, host, copySource }) =>
      expectRefusedOrStorable(() =>
        routeS3Request({ method, rawPath: path.startsWith('/') ? path : `/${path}`, query: new URLSearchParams(query), copySource, ...(host !== undefined ? { host } : {}) }, { domain: 's3.example.local' }),
      ),
    );
  }, FUZZ_TEST_TIMEOUT_MS);

  it('Range and x-amz-copy-source-range: a range inside the object, or an S3 error', async () => {
    const input = fc.tuple(mutationsOf(['bytes=0-9', 'bytes=-500', 'bytes=9500-', 'bytes=0-0,5-10']), size);
    await fuzz(input, ([header, objectSize]) => {
      expectRefusedOrStorable(() => assertRangeWithin(parseByteRange(header, objectSize), objectSize));
      expectRefusedOrStorable(() => assertRangeWithin(parseCopySourceRange(header, objectSize), objectSize));
    });
  }, FUZZ_TEST_TIMEOUT_MS);

  it('conditional headers (If-Match, If-None-Match, If-Modified-Since, If-Unmodified-Since, and the copy-source ones)', async () => {
    const value = mutationsOf(['"0123456789abcdef0123456789abcdef"', '*', 'W/"x", "y"', 'Thu, 27 Nov 2026 10:00:00 GMT', 'Thursday, 27-Nov-26 10:00:00 GMT', 'Thu Nov 27 10:00:00 2026']);
    const names = fc.constantFrom('if-match', 'if-none-match', 'if-modified-since', 'if-unmodified-since');
    const input = fc.dictionary(names, fc.oneof(value, fc.array(value, { maxLength: 3 })), { maxKeys: 4 });
    await fuzz(input, (headers) => {
      expectRefusedOrStorable(() => {
        const outcome = evaluatePreconditions(headers, validators);
        return typeof outcome === 'string' ? outcome : outcome.code;
      });
      const copyHeaders = Object.fromEntries(Object.entries(headers).map(([name, v]) => [`x-amz-copy-source-${name}`, v]));
      expectRefusedOrStorable(() => assertCopySourcePreconditions(copyHeaders, validators));
    });
  }, FUZZ_TEST_TIMEOUT_MS);

  it('x-amz-copy-source and the metadata/tagging directives', async () => {
    const input = fc.tuple(mutationsOf(['/bucket/key', 'bucket/a%2Fb?versionId=3HL4kqtJlcpXroDTDmJ%2BrmSpXd3dIbrHY', '/b/caf%C3%A9']), mutationsOf(['COPY', 'REPLACE']));
    await fuzz(input, ([source, directive]) => {
      expectRefusedOrStorable(() => parseCopySource(source));
      expectRefusedOrStorable(() => parseDirective(directive, 'tagging'));
    });
  }, FUZZ_TEST_TIMEOUT_MS);

  it('x-amz-tagging', async () => {
    await fuzz(mutationsOf(['project=blue%20sky&empty=', 'a=1&b=2', 'k']), (header) => expectRefusedOrStorable(() => parseTaggingHeader(header)));
  }, FUZZ_TEST_TIMEOUT_MS);

  it('x-amz-object-lock-mode, -retain-until-date and -legal-hold', async () => {
    const input = fc.tuple(
      fc.option(mutationsOf(['GOVERNANCE', 'COMPLIANCE']), { nil: undefined }),
      fc.option(mutationsOf(['2030-01-01T00:00:00.000Z', '2030-01-01T00:00:00Z', '2030-01-01T01:00:00+01:00']), { nil: undefined }),
      fc.option(mutationsOf(['ON', 'OFF']), { nil: undefined }),
    );
    await fuzz(input, ([mode, date, hold]) => {
      const headers = {
        ...(mode !== undefined ? { 'x-amz-object-lock-mode': mode } : {}),
        ...(date !== undefined ? { 'x-amz-object-lock-retain-until-date': date } : {}),
        ...(hold !== undefined ? { 'x-amz-object-lock-legal-hold': hold } : {}),
      };
      expectRefusedOrStorable(() => objectLockHeadersOf({ headers } as unknown as S3HttpRequest));
    });
  }, FUZZ_TEST_TIMEOUT_MS);

  it('response-* overrides, signed and anonymous', async () => {
    const input = fc.tuple(mutationsOf(['response-content-type=text%2Fplain&response-content-disposition=attachment%3B%20filename%3D%22a.txt%22']), fc.boolean());
    await fuzz(input, ([query, anonymous]) => expectRefusedOrStorable(() => responseHeaderOverrides(new URLSearchParams(query), anonymous)));
  }, FUZZ_TEST_TIMEOUT_MS);
});
