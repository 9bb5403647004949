import { createHash } from 'node:crypto';
import type { CompletedPart } from './multipart.events.js';
import type { ObjectChecksum } from './object.events.js';

/**
 * What a CompleteMultipartUpload answered, kept after the upload itself is gone, so that the same
 * request sent again (a client retrying after a timeout) gets the same answer instead of
 * NoSuchUpload (ADR 0020). Folded from MultipartUploadCompleted alone: a replay rebuilds it.
 */
export interface CompletedUpload {
  /** The bucket it completed in: a bucket deleted and created again under the name is another. */
  bucketId: string;
  key: string;
  etag: string;
  /** The version the completion created; absent in a bucket that never had versioning. */
  versionId?: string;
  /** partListFingerprint of the parts it completed with: a retry must name the same. */
  partsFingerprint: string;
  checksum?: ObjectChecksum;
}

/**
 * A digest of a part list as a CompleteMultipartUpload names it (part numbers and ETags, in
 * order; ETags compared as the decider compares them: unquoted, lower case), so a completion
 * record holds 64 characters rather than up to 10,000 parts.
 */
export function partListFingerprint(parts: readonly Pick<CompletedPart, 'partNumber' | 'etag'>[]): string {
  const hash = createHash('sha256');
  for (const p of parts) hash.update(`${p.partNumber}:${normalEtag(p.etag)}\n`);
  return hash.digest('hex');
}

/** The record a MultipartUploadCompleted leaves. */
export function completedUploadOf(d: {
  bucketId: string;
  key: string;
  etag: string;
  versionId?: string;
  parts: readonly Pick<CompletedPart, 'partNumber' | 'etag'>[];
  checksum?: ObjectChecksum;
}): CompletedUpload {
  return {
    bucketId: d.bucketId,
    key: d.key,
    etag: d.etag,
    ...(d.versionId !== undefined ? { versionId: d.versionId } : {}),
    partsFingerprint: partListFingerprint(d.parts),
    ...(d.checksum ? { checksum: d.checksum } : {}),
  };
}

export function normalEtag(etag: string): string {
  return etag.trim().replace(/^"(.*)"$/, '$1').toLowerCase();
}
