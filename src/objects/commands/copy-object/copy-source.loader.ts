import { currentDocumentOf, type ObjectDocument } from '../../../metadata/metadata.documents.js';
import type { MetadataStore } from '../../../metadata/metadata.store.port.js';
import { isWellFormedVersionId } from '../../../bucket-stream/object-version.js';
import { S3Error } from '../../../errors/s3.error.js';
import { assertCopySourcePreconditions } from './copy-source-conditions.js';

/**
 * The object a CopyObject or UploadPartCopy reads, as AWS looks for it: the source bucket
 * (NoSuchBucket), the version named (NoSuchVersion; a delete marker cannot be copied) or else
 * the key's current one (NoSuchKey), then the x-amz-copy-source-if-* conditions (412).
 */
export async function loadCopySource(
  metadata: MetadataStore,
  source: { bucket: string; key: string; versionId?: string | undefined },
  conditions: Readonly<Record<string, string | string[] | undefined>>,
): Promise<ObjectDocument> {
  const { bucket, key, versionId } = source;
  if (!(await metadata.getBucket(bucket))) {
    throw new S3Error('NoSuchBucket', { resource: `/${bucket}`, details: { BucketName: bucket } });
  }
  const object = versionId === undefined ? await metadata.getObject(bucket, key) : await sourceVersion(metadata, bucket, key, versionId);
  if (!object) throw new S3Error('NoSuchKey', { resource: `/${bucket}/${key}`, details: { Key: key } });
  assertCopySourcePreconditions(conditions, object);
  return object;
}

async function sourceVersion(metadata: MetadataStore, bucket: string, key: string, versionId: string): Promise<ObjectDocument> {
  const version = isWellFormedVersionId(versionId) ? await metadata.getVersion(bucket, key, versionId) : null;
  if (!version) throw new S3Error('NoSuchVersion', { resource: `/${bucket}/${key}`, details: { Key: key, VersionId: versionId } });
  if (version.isDeleteMarker) {
    throw new S3Error('InvalidRequest', { message: 'The source of a copy request may not specifically refer to a delete marker by version id.' });
  }
  return { _id: version._id, ...currentDocumentOf(version, version) };
}
