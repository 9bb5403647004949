import type { ObjectDocument } from '../../../metadata/metadata.documents.js';
import type { MetadataStore } from '../../../metadata/metadata.store.port.js';
import { S3Error } from '../../../s3/errors/s3.error.js';
import { assertCopySourcePreconditions } from '../../../s3/http/copy-source.js';

/**
 * The object a CopyObject or UploadPartCopy reads, as AWS looks for it: the source bucket
 * (NoSuchBucket), the version (only the unversioned `null` one exists until versioning is
 * wired), the key (NoSuchKey), then the x-amz-copy-source-if-* conditions (412).
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
  if (versionId !== undefined && versionId !== 'null') {
    throw new S3Error('NoSuchVersion', { resource: `/${bucket}/${key}`, details: { Key: key, VersionId: versionId } });
  }
  const object = await metadata.getObject(bucket, key);
  if (!object) throw new S3Error('NoSuchKey', { resource: `/${bucket}/${key}`, details: { Key: key } });
  assertCopySourcePreconditions(conditions, object);
  return object;
}
