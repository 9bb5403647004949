import type { Response } from 'express';
import type { ChecksumAlgorithmName, ChecksumType } from '../../bucket-stream/object.events.js';
import { CHECKSUM_ALGORITHMS } from '../../integrity/checksums.js';

/** x-amz-checksum-<algorithm>, plus x-amz-checksum-type when the response carries one (not UploadPart's). */
export function setChecksumHeaders(res: Response, checksum: { algorithm: ChecksumAlgorithmName; value: string; type?: ChecksumType } | undefined): void {
  if (!checksum) return;
  res.setHeader(CHECKSUM_ALGORITHMS[checksum.algorithm].header, checksum.value);
  if (checksum.type) res.setHeader('x-amz-checksum-type', checksum.type);
}
