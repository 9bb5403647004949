import { S3Error } from '../errors/s3.error.js';
import type { BucketStreamState, ObjectVersion } from './bucket-stream.state.js';

/**
 * The object version a request about one version names (`versionId`), or the key's current one:
 * NoSuchVersion / NoSuchKey when there is none, MethodNotAllowed (for `method`) when it is a
 * delete marker, which has no tags, retention or legal hold.
 */
export function objectVersionNamed(state: BucketStreamState, bucket: string, key: string, versionId: string | undefined, method: 'PUT' | 'DELETE'): ObjectVersion {
  const versions = state.versionsOf(key);
  const version = versionId === undefined ? versions[0] : versions.find((v) => v.versionId === versionId);
  if (!version || (versionId === undefined && version.isDeleteMarker)) {
    if (versionId !== undefined) throw new S3Error('NoSuchVersion', { resource: `/${bucket}/${key}`, details: { Key: key, VersionId: versionId } });
    throw new S3Error('NoSuchKey', { resource: `/${bucket}/${key}`, details: { Key: key } });
  }
  if (version.isDeleteMarker) throw new S3Error('MethodNotAllowed', { resource: `/${bucket}/${key}`, details: { Method: method, ResourceType: 'DeleteMarker' } });
  return version;
}
