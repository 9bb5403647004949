import type { BucketStreamState, CurrentObject } from '../../buckets/domain/bucket-stream.state.js';
import { S3Error } from '../../s3/errors/s3.error.js';
import { STANDARD_STORAGE_CLASS, type ObjectChecksum, type ObjectDeleted, type ObjectStored, type UserMetadataEntry } from './object.events.js';

/** S3 conditional writes: If-None-Match: * (create only) and If-Match: <etag> (replace only that). */
export interface WriteCondition {
  ifNoneMatch?: '*';
  ifMatch?: string;
}

export type PutObject = {
  type: 'PutObject';
  data: {
    bucket: string;
    key: string;
    /** UUID of the payload, already durable in the blob store. */
    objectId: string;
    size: number;
    etag: string;
    contentType: string;
    userMetadata: UserMetadataEntry[];
    owner: string;
    ownerDisplayName: string;
    checksum?: ObjectChecksum;
  };
  condition?: WriteCondition;
  metadata: { now: Date };
};

export type DeleteObject = {
  type: 'DeleteObject';
  data: { bucket: string; key: string };
  metadata: { now: Date };
};

/** S3 DeleteObjects: several keys of one bucket, decided together against one state. */
export type DeleteObjects = {
  type: 'DeleteObjects';
  data: { bucket: string; keys: readonly string[] };
  metadata: { now: Date };
};

export type ObjectCommand = PutObject | DeleteObject | DeleteObjects;

/** Decides object events from the bucket stream's state; pure, like the bucket decider. */
export function decideObject(command: ObjectCommand, state: BucketStreamState): (ObjectStored | ObjectDeleted)[] {
  const { bucket } = command.data;
  if (state.bucket === null) {
    throw new S3Error('NoSuchBucket', { resource: `/${bucket}`, details: { BucketName: bucket } });
  }
  if (command.type === 'DeleteObjects') {
    const bucketId = state.bucket.bucketId;
    const deletedAt = command.metadata.now.toISOString();
    // A key named twice is deleted once; a missing key is reported deleted but records nothing.
    return [...new Set(command.data.keys)].flatMap((key): ObjectDeleted[] => {
      const current = state.objectAt(key);
      return current ? [{ type: 'ObjectDeleted', data: { bucket, bucketId, key, objectId: current.objectId, deletedAt } }] : [];
    });
  }
  const { key } = command.data;
  const current = state.objectAt(key);
  switch (command.type) {
    case 'PutObject':
      assertWriteCondition(command.condition, current, bucket, key);
      return [
        {
          type: 'ObjectStored',
          data: {
            ...command.data,
            bucketId: state.bucket.bucketId,
            storedAt: command.metadata.now.toISOString(),
            storageClass: STANDARD_STORAGE_CLASS,
            ...(current ? { replacedObjectId: current.objectId } : {}),
          },
        },
      ];
    case 'DeleteObject':
      // S3 answers 204 for a missing key; nothing happened, so nothing is recorded.
      if (!current) return [];
      return [
        {
          type: 'ObjectDeleted',
          data: {
            bucket,
            bucketId: state.bucket.bucketId,
            key,
            objectId: current.objectId,
            deletedAt: command.metadata.now.toISOString(),
          },
        },
      ];
    default: {
      const unreachable: never = command;
      return unreachable;
    }
  }
}

/**
 * Checked against the authoritative state, under the bucket's writer, so it holds under races:
 * of many concurrent If-None-Match: * writes to one key exactly one succeeds.
 */
export function assertWriteCondition(condition: WriteCondition | undefined, current: CurrentObject | undefined, bucket: string, key: string): void {
  if (!condition) return;
  if (condition.ifNoneMatch === '*' && current) {
    throw new S3Error('PreconditionFailed', { resource: `/${bucket}/${key}`, details: { Condition: 'If-None-Match' } });
  }
  if (condition.ifMatch !== undefined) {
    if (!current) throw new S3Error('NoSuchKey', { resource: `/${bucket}/${key}`, details: { Key: key } });
    if (!etagMatches(condition.ifMatch, current.etag)) {
      throw new S3Error('PreconditionFailed', { resource: `/${bucket}/${key}`, details: { Condition: 'If-Match' } });
    }
  }
}

function etagMatches(header: string, etag: string): boolean {
  const unquote = (v: string) => v.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
  return header.split(',').some((candidate) => candidate.trim() === '*' || unquote(candidate) === unquote(etag));
}
