import { S3Error } from '../errors/s3.error.js';
import type { BucketStreamState } from './bucket-stream.state.js';
import type { AclGrant } from '../identity-stream/canned-acl.js';
import type { ObjectAclPut } from './object.events.js';
import { objectVersionNamed } from './named-version.js';

/**
 * PutObjectAcl on the key's current version or the one named: its grants from here on, already
 * expanded (a canned ACL) and checked against the bucket's switches at the edge, where the
 * version's owner is known.
 */
export type PutObjectAcl = {
  type: 'PutObjectAcl';
  data: { bucket: string; key: string; versionId?: string; grants: AclGrant[] };
  metadata: { now: Date };
};

/** Decides PutObjectAcl: the version must still be there (and be an object, not a delete marker). */
export function decideObjectAcl(command: PutObjectAcl, state: BucketStreamState): ObjectAclPut[] {
  const { bucket, key, versionId, grants } = command.data;
  if (state.bucket === null) throw new S3Error('NoSuchBucket', { resource: `/${bucket}`, details: { BucketName: bucket } });
  const version = objectVersionNamed(state, bucket, key, versionId, 'PUT');
  return [
    {
      type: 'ObjectAclPut',
      data: {
        bucket,
        bucketId: state.bucket.bucketId,
        key,
        objectId: version.objectId!,
        versionId: version.versionId,
        grants,
        putAt: command.metadata.now.toISOString(),
      },
    },
  ];
}
