import type { ObjectDocument } from '../../metadata/metadata.documents.js';
import { S3Error } from '../../errors/s3.error.js';
import type { ByteRange } from '../../blobs/blob-store.port.js';

/**
 * ?partNumber=N: the bytes of part N, answered like a Range request for them (206 with
 * Content-Range). An object that is not multipart is one part: N=1 is all of it, still a 206 (an
 * empty one, which no Content-Range can describe, is a plain 200), and any other N is 400
 * InvalidPart: it has no parts to number. Past the last part of a multipart object: 416.
 */
export function partOf(object: Pick<ObjectDocument, 'bucket' | 'key' | 'size' | 'parts'>, partNumber: number): { range?: ByteRange; partsCount?: number } {
  if (!object.parts && partNumber > 1) throw new S3Error('InvalidPart', { resource: `/${object.bucket}/${object.key}` });
  const sizes = object.parts ? object.parts.map((p) => p.size) : [object.size];
  if (partNumber > sizes.length) {
    throw new S3Error('InvalidPartNumber', {
      resource: `/${object.bucket}/${object.key}`,
      details: { PartNumberRequested: String(partNumber), ActualPartCount: String(sizes.length) },
    });
  }
  const start = sizes.slice(0, partNumber - 1).reduce((sum, size) => sum + size, 0);
  const size = sizes[partNumber - 1]!;
  return {
    ...(size > 0 ? { range: { start, end: start + size - 1 } } : {}),
    ...(object.parts ? { partsCount: object.parts.length } : {}),
  };
}

