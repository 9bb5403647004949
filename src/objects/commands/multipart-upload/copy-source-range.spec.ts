import { parseCopySourceRange } from './copy-source-range.js';
import { s3ErrorOf } from '../../../../test/support/s3-error-of.js';

describe('parseCopySourceRange (x-amz-copy-source-range)', () => {
  it('reads bytes=first-last, both inclusive', () => {
    expect(parseCopySourceRange('bytes=0-9', 10)).toEqual({ start: 0, end: 9 });
    expect(parseCopySourceRange('bytes=3-3', 10)).toEqual({ start: 3, end: 3 });
    expect(parseCopySourceRange(undefined, 10)).toBeUndefined();
  });

  it.each(['bytes=0-', 'bytes=-5', 'bytes=0-1,3-4', 'items=0-1', '0-1', 'bytes=a-b'])('%j is malformed: InvalidArgument', (header) => {
    const error = s3ErrorOf(() => parseCopySourceRange(header, 10));
    expect([error.code, error.status]).toEqual(['InvalidArgument', 400]);
    expect(error.message).toMatch(/^The x-amz-copy-source-range value must be of the form bytes=first-last/);
  });

  it.each(['bytes=0-10', 'bytes=10-12', 'bytes=5-4'])('%j is not within a 10-byte source: InvalidArgument', (header) => {
    const error = s3ErrorOf(() => parseCopySourceRange(header, 10));
    expect([error.code, error.status, error.message]).toEqual(['InvalidArgument', 400, 'Range specified is not valid for source object of size: 10']);
  });
});
