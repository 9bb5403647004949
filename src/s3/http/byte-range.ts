import type { ByteRange } from '../../blobs/blob-store.port.js';
import { S3Error } from '../../errors/s3.error.js';

const SINGLE_RANGE = /^bytes=(\d*)-(\d*)$/;

/**
 * The byte range a Range header asks of an object of `size` bytes, as S3 reads it: one range of
 * the forms a-b, a- or -n; an end past the object is cut to its last byte. A header S3 does not
 * understand (another unit, several ranges, bad syntax) is ignored, so the whole object is
 * sent. A range that starts past the end is 416 InvalidRange.
 */
export function parseByteRange(header: string | undefined, size: number): ByteRange | undefined {
  if (header === undefined) return undefined;
  const match = SINGLE_RANGE.exec(header.trim());
  if (!match) return undefined;
  const [, first, last] = match as unknown as [string, string, string];
  if (first === '' && last === '') return undefined;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) throw unsatisfiable(header, size);
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (last !== '' && Number(last) < start) return undefined;
  if (start >= size) throw unsatisfiable(header, size);
  return { start, end };
}

function unsatisfiable(header: string, size: number): S3Error {
  return new S3Error('InvalidRange', {
    details: { RangeRequested: header, ActualObjectSize: String(size) },
    headers: { 'Content-Range': `bytes */${size}` },
  });
}
