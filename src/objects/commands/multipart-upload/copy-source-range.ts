import { S3Error } from '../../../errors/s3.error.js';
import type { ByteRange } from '../../../blobs/blob-store.port.js';

const COPY_RANGE = /^bytes=(\d+)-(\d+)$/;

/**
 * x-amz-copy-source-range of UploadPartCopy: exactly `bytes=first-last`, both inclusive and
 * within the source. Unlike a GET's Range, nothing is cut to size or ignored: a malformed
 * value and one past the source are both 400 InvalidArgument, as AWS answers.
 */
export function parseCopySourceRange(header: string | undefined, size: number): ByteRange | undefined {
  if (header === undefined) return undefined;
  const match = COPY_RANGE.exec(header.trim());
  if (!match) {
    throw new S3Error('InvalidArgument', {
      message:
        'The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy',
      details: { ArgumentName: 'x-amz-copy-source-range', ArgumentValue: header },
    });
  }
  const start = Number(match[1]);
  const end = Number(match[2]);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start > end || end >= size) {
    throw new S3Error('InvalidArgument', {
      message: `Range specified is not valid for source object of size: ${size}`,
      details: { ArgumentName: 'x-amz-copy-source-range', ArgumentValue: header },
    });
  }
  return { start, end };
}
