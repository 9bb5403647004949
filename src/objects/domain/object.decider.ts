import type { BucketStreamState, CurrentObject } from '../../buckets/domain/bucket-stream.state.js';
import { S3Error } from '../../s3/errors/s3.error.js';
import {
  STANDARD_STORAGE_CLASS,
  type ObjectCopied,
  type ObjectDeleted,
  type ObjectStored,
  type ObjectTag,
  type UserMetadataEntry,
} from './object.events.js';

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

/**
 * S3 CopyObject. `source` is the source object as read (and authorized, and its copy-source
 * conditions checked) before deciding; its blob is shared, never copied.
 */
export type CopyObject = {
  type: 'CopyObject';
  data: {
    bucket: string;
    key: string;
    source: {
      bucket: string;
      key: string;
      objectId: string;
      size: number;
      etag: string;
      parts?: { objectId: string; size: number }[];
    };
    contentType: string;
    userMetadata: UserMetadataEntry[];
    tags?: ObjectTag[];
    owner: string;
    ownerDisplayName: string;
  };
  condition?: WriteCondition;
  metadata: { now: Date };
};

export type ObjectCommand = PutObject | DeleteObject | DeleteObjects | CopyObject;

/** Decides object events from the bucket stream's state; pure, like the bucket decider. */
export function decideObject(command: ObjectCommand, state: BucketStreamState): (ObjectStored | ObjectDeleted | ObjectCopied)[] {
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
    case 'CopyObject':
      return [copied(command, state.bucket.bucketId, state, current)];
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
 * The source of a same-bucket copy was overwritten between reading it and deciding: the copy
 * must not reference the blob that overwrite released. 503 (clients retry it) if it persists.
 */
export class CopySourceChanged extends S3Error {
  constructor(bucket: string, key: string) {
    super('ServiceUnavailable', { message: 'The copy source changed while it was being copied; retry the request.', resource: `/${bucket}/${key}` });
  }
}

/** S3's limit on a CopyObject source (larger objects are copied part by part with UploadPartCopy). */
export const MAX_COPY_SOURCE_SIZE = 5 * 1024 ** 3;

function copied(command: CopyObject, bucketId: string, state: BucketStreamState, current: CurrentObject | undefined): ObjectCopied {
  const { bucket, key, source, tags, ...rest } = command.data;
  // Sharing the blob would make any size free, but clients rely on S3's answer to switch to
  // a multipart copy.
  if (source.size > MAX_COPY_SOURCE_SIZE) {
    throw new S3Error('InvalidRequest', {
      message: `The specified copy source is larger than the maximum allowable size for a copy source: ${MAX_COPY_SOURCE_SIZE}`,
      resource: `/${source.bucket}/${source.key}`,
    });
  }
  // Within one bucket the source is part of the authoritative state: it must still be there.
  if (source.bucket === bucket) {
    const now = state.objectAt(source.key);
    if (!now) throw new S3Error('NoSuchKey', { resource: `/${source.bucket}/${source.key}`, details: { Key: source.key } });
    if (now.objectId !== source.objectId) throw new CopySourceChanged(source.bucket, source.key);
  }
  assertWriteCondition(command.condition, current, bucket, key);
  return {
    type: 'ObjectCopied',
    data: {
      bucket,
      bucketId,
      key,
      objectId: source.objectId,
      size: source.size,
      etag: source.etag,
      ...rest,
      storedAt: command.metadata.now.toISOString(),
      storageClass: STANDARD_STORAGE_CLASS,
      sourceBucket: source.bucket,
      sourceKey: source.key,
      ...(source.parts ? { parts: source.parts.map(({ objectId, size }) => ({ objectId, size })) } : {}),
      ...(tags ? { tags } : {}),
      // A key that already holds the shared blob (a copy onto itself, or onto another copy)
      // keeps referencing it: releasing it would let the janitor take a live payload.
      ...(current && current.objectId !== source.objectId ? { replacedObjectId: current.objectId } : {}),
    },
  };
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
