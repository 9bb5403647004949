import type { Response } from 'express';
import { NULL_VERSION_ID } from '../../bucket-stream/object-version.js';

/**
 * x-amz-version-id of a write (PutObject, POST Object, CopyObject, CompleteMultipartUpload): the
 * new version's id in a versioning-enabled bucket. A write in a Suspended bucket stores the
 * `null` version, and S3 answers it without the header (its PutObject example for a suspended
 * bucket has none); reads and delete markers do name `null`.
 */
export function setWrittenVersionHeader(res: Response, versionId: string | undefined): void {
  if (versionId !== undefined && versionId !== NULL_VERSION_ID) res.setHeader('x-amz-version-id', versionId);
}
