import type { BucketStreamState } from './bucket-stream.state.js';
import { S3Error } from '../errors/s3.error.js';
import { assertValidTagSet, type ObjectTag } from './object-tags.js';
import type { ObjectTaggingDeleted, ObjectTaggingPut } from './object.events.js';

/** PutObjectTagging: replaces the tag set of the key's current object. */
export type PutObjectTagging = {
  type: 'PutObjectTagging';
  data: { bucket: string; key: string; tags: ObjectTag[]; versionId?: string };
  metadata: { now: Date };
};

/** DeleteObjectTagging: removes the tag set of the key's current object (or of the version named). */
export type DeleteObjectTagging = {
  type: 'DeleteObjectTagging';
  data: { bucket: string; key: string; versionId?: string };
  metadata: { now: Date };
};

export type ObjectTaggingCommand = PutObjectTagging | DeleteObjectTagging;

/**
 * Decides tagging events for the key's current object, naming it by objectId so the fact can
 * never be applied to a later object stored under the same key. Pure, like the other deciders.
 */
export function decideObjectTagging(
  command: ObjectTaggingCommand,
  state: BucketStreamState,
): (ObjectTaggingPut | ObjectTaggingDeleted)[] {
  const { bucket, key } = command.data;
  if (state.bucket === null) {
    throw new S3Error('NoSuchBucket', { resource: `/${bucket}`, details: { BucketName: bucket } });
  }
  const { versionId } = command.data;
  const versions = state.versionsOf(key);
  // The version named, or the key's current one; tags always name the version they belong to.
  const current = versionId === undefined ? versions[0] : versions.find((v) => v.versionId === versionId);
  if (!current || (versionId === undefined && current.isDeleteMarker)) {
    if (versionId !== undefined) throw new S3Error('NoSuchVersion', { resource: `/${bucket}/${key}`, details: { Key: key, VersionId: versionId } });
    throw new S3Error('NoSuchKey', { resource: `/${bucket}/${key}`, details: { Key: key } });
  }
  if (current.isDeleteMarker) {
    throw new S3Error('MethodNotAllowed', { resource: `/${bucket}/${key}`, details: { Method: command.type === 'PutObjectTagging' ? 'PUT' : 'DELETE', ResourceType: 'DeleteMarker' } });
  }
  const target = { bucket, bucketId: state.bucket.bucketId, key, objectId: current.objectId!, versionId: current.versionId };
  const at = command.metadata.now.toISOString();
  switch (command.type) {
    case 'PutObjectTagging':
      assertValidTagSet(command.data.tags);
      return [{ type: 'ObjectTaggingPut', data: { ...target, tags: command.data.tags, taggedAt: at } }];
    case 'DeleteObjectTagging':
      // S3 answers 204 either way; an object without tags has nothing to remove, so nothing is recorded.
      if (!current.tags || current.tags.length === 0) return [];
      return [{ type: 'ObjectTaggingDeleted', data: { ...target, deletedAt: at } }];
    default: {
      const unreachable: never = command;
      return unreachable;
    }
  }
}
