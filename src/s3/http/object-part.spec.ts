import { S3Error } from '../../errors/s3.error.js';
import { partOf } from './object-part.js';

const multipart = { bucket: 'b', key: 'k', size: 12, parts: [{ objectId: 'p1', size: 5 }, { objectId: 'p2', size: 5 }, { objectId: 'p3', size: 2 }] };
const plain = { bucket: 'b', key: 'k', size: 10 };

describe('partOf (GetObject/HeadObject ?partNumber)', () => {
  it.each([
    [1, { start: 0, end: 4 }],
    [2, { start: 5, end: 9 }],
    [3, { start: 10, end: 11 }],
  ])('part %i of a multipart object is its byte range, with the part count', (n, range) => {
    expect(partOf(multipart, n)).toEqual({ range, partsCount: 3 });
  });

  it('part 1 of an object that is not multipart is all of it, without a part count', () => {
    expect(partOf(plain, 1)).toEqual({ range: { start: 0, end: 9 } });
  });

  it('part 1 of an empty object is no range at all (the whole, empty, object)', () => {
    expect(partOf({ bucket: 'b', key: 'k', size: 0 }, 1)).toEqual({});
  });

  const thrownBy = (run: () => unknown): unknown => {
    try {
      run();
    } catch (error) {
      return error;
    }
    return undefined;
  };

  it('a part past the last of a multipart object is 416 InvalidPartNumber', () => {
    const thrown = thrownBy(() => partOf(multipart, 4));
    expect(thrown).toBeInstanceOf(S3Error);
    expect(thrown).toMatchObject({ code: 'InvalidPartNumber', status: 416, details: { PartNumberRequested: '4', ActualPartCount: '3' } });
  });

  it.each([2, 3, 10000])('part %i of an object that is not multipart is 400 InvalidPart', (n) => {
    const thrown = thrownBy(() => partOf(plain, n));
    expect(thrown).toBeInstanceOf(S3Error);
    expect(thrown).toMatchObject({ code: 'InvalidPart', status: 400 });
  });
});
