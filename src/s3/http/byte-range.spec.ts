import { S3Error } from '../../errors/s3.error.js';
import { parseByteRange } from './byte-range.js';

describe('parseByteRange', () => {
  it.each([
    ['bytes=0-9', 100, { start: 0, end: 9 }],
    ['bytes=10-', 100, { start: 10, end: 99 }],
    ['bytes=-10', 100, { start: 90, end: 99 }],
    ['bytes=-500', 100, { start: 0, end: 99 }],
    ['bytes=90-500', 100, { start: 90, end: 99 }],
    ['bytes=99-99', 100, { start: 99, end: 99 }],
  ])('reads %s of a %i-byte object', (header, size, range) => {
    expect(parseByteRange(header, size)).toEqual(range);
  });

  it.each(['items=0-9', 'bytes=0-9,20-29', 'bytes=9-0', 'bytes=-', 'bytes=a-b', 'bytes 0-9'])(
    'ignores %s, so the whole object is sent',
    (header) => {
      expect(parseByteRange(header, 100)).toBeUndefined();
    },
  );

  it('ignores a missing header', () => expect(parseByteRange(undefined, 100)).toBeUndefined());

  it.each([
    ['bytes=100-', 100],
    ['bytes=100-200', 100],
    ['bytes=0-0', 0],
    ['bytes=-0', 100],
  ])('refuses %s of a %i-byte object with 416 InvalidRange and Content-Range', (header, size) => {
    let thrown: unknown;
    try {
      parseByteRange(header, size);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(S3Error);
    expect((thrown as S3Error).status).toBe(416);
    expect((thrown as S3Error).code).toBe('InvalidRange');
    expect((thrown as S3Error).headers).toEqual({ 'Content-Range': `bytes */${size}` });
  });
});
