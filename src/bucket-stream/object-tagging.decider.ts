import type { BucketStreamState } from './bucket-stream.state.js';
import { S3Error } from '../errors/s3.error.js';
import { assertValidTagSet, type ObjectTag } from './object-tags.js';
import { objectVersionNamed } from './named-version.js';
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
  // The version named, or the key's current one; tags always name the version they belong to.
  const current = objectVersionNamed(state, bucket, key, command.data.versionId, command.type === 'PutObjectTagging' ? 'PUT' : 'DELETE');
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
