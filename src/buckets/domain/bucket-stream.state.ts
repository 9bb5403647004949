import type { SedimentEvent } from '../../event-log/sediment-event.js';
import type { PartChecksum } from '../../objects/domain/multipart.events.js';
import type { ChecksumAlgorithmName, ChecksumType, UserMetadataEntry } from '../../objects/domain/object.events.js';
import type { BucketNotificationConfiguration } from '../../notifications/notification-configuration.js';

export interface BucketInfo {
  name: string;
  bucketId: string;
  owner: string;
  /** The notification configuration in force; absent when there is none. */
  notification?: BucketNotificationConfiguration;
}

export interface CurrentObject {
  objectId: string;
  /** Quoted hex MD5, as S3 returns it; conditional writes compare against it. */
  etag: string;
}

export interface CurrentUploadPart {
  partNumber: number;
  objectId: string;
  size: number;
  etag: string;
  checksum?: PartChecksum;
}

/** A multipart upload in progress (neither completed nor aborted). */
export interface CurrentUpload {
  key: string;
  contentType: string;
  userMetadata: UserMetadataEntry[];
  owner: string;
  ownerDisplayName: string;
  /** Ascending by part number, one entry per part number (the latest upload of it). */
  parts: CurrentUploadPart[];
  /** The algorithm every part must carry a checksum of, when CreateMultipartUpload named one. */
  checksumAlgorithm?: ChecksumAlgorithmName;
  checksumType?: ChecksumType;
}

/**
 * What a decider may know about one bucket's stream (the bucket and its objects). It is an
 * interface, not a full map, because the write side loads only the part a command needs from
 * the read model; tests and replay checks build it by folding events with `evolve`.
 */
export interface BucketStreamState {
  readonly bucket: BucketInfo | null;
  readonly isEmpty: boolean;
  objectAt(key: string): CurrentObject | undefined;
  /** The upload in progress with this id; only the one a command names is loaded. */
  uploadAt(uploadId: string): CurrentUpload | undefined;
}

/** A complete in-memory state, folded from events. */
export class FoldedBucketStream implements BucketStreamState {
  constructor(
    readonly bucket: BucketInfo | null = null,
    private readonly objects: ReadonlyMap<string, CurrentObject> = new Map(),
    private readonly uploads: ReadonlyMap<string, CurrentUpload> = new Map(),
  ) {}

  uploadAt(uploadId: string): CurrentUpload | undefined {
    return this.uploads.get(uploadId);
  }

  get isEmpty(): boolean {
    return this.objects.size === 0;
  }

  objectAt(key: string): CurrentObject | undefined {
    return this.objects.get(key);
  }

  get uploadMap(): ReadonlyMap<string, CurrentUpload> {
    return this.uploads;
  }

  get keys(): string[] {
    return [...this.objects.keys()];
  }
}

export const initialBucketStream = (): FoldedBucketStream => new FoldedBucketStream();

export function evolve(state: FoldedBucketStream, event: SedimentEvent): FoldedBucketStream {
  switch (event.type) {
    case 'BucketCreated':
      return new FoldedBucketStream(
        { name: event.data.bucket, bucketId: event.data.bucketId, owner: event.data.owner },
        new Map(),
      );
    case 'BucketDeleted':
      return new FoldedBucketStream(null, new Map());
    case 'BucketNotificationConfigured': {
      if (state.bucket === null) return state;
      const { notification: _previous, ...bucket } = state.bucket;
      const { configuration } = event.data;
      const info = configuration.topicConfigurations.length > 0 ? { ...bucket, notification: configuration } : bucket;
      return new FoldedBucketStream(info, keysOf(state), state.uploadMap);
    }
    case 'ObjectStored': {
      const objects = new Map(keysOf(state));
      objects.set(event.data.key, { objectId: event.data.objectId, etag: event.data.etag });
      return new FoldedBucketStream(state.bucket, objects, state.uploadMap);
    }
    case 'ObjectDeleted': {
      const objects = new Map(keysOf(state));
      objects.delete(event.data.key);
      return new FoldedBucketStream(state.bucket, objects, state.uploadMap);
    }
    case 'MultipartUploadInitiated': {
      const { key, uploadId, contentType, userMetadata, owner, ownerDisplayName, checksumAlgorithm, checksumType } = event.data;
      const uploads = new Map(state.uploadMap);
      uploads.set(uploadId, {
        key,
        contentType,
        userMetadata,
        owner,
        ownerDisplayName,
        parts: [],
        ...(checksumAlgorithm ? { checksumAlgorithm } : {}),
        ...(checksumType ? { checksumType } : {}),
      });
      return new FoldedBucketStream(state.bucket, keysOf(state), uploads);
    }
    case 'MultipartPartUploaded': {
      const upload = state.uploadAt(event.data.uploadId);
      if (!upload) return state;
      const { partNumber, objectId, size, etag, checksum } = event.data;
      const part = { partNumber, objectId, size, etag, ...(checksum ? { checksum } : {}) };
      const parts = [...upload.parts.filter((p) => p.partNumber !== partNumber), part];
      const uploads = new Map(state.uploadMap);
      uploads.set(event.data.uploadId, { ...upload, parts: parts.sort((a, b) => a.partNumber - b.partNumber) });
      return new FoldedBucketStream(state.bucket, keysOf(state), uploads);
    }
    case 'MultipartUploadCompleted': {
      const objects = new Map(keysOf(state));
      objects.set(event.data.key, { objectId: event.data.objectId, etag: event.data.etag });
      const uploads = new Map(state.uploadMap);
      uploads.delete(event.data.uploadId);
      return new FoldedBucketStream(state.bucket, objects, uploads);
    }
    case 'MultipartUploadAborted': {
      const uploads = new Map(state.uploadMap);
      uploads.delete(event.data.uploadId);
      return new FoldedBucketStream(state.bucket, keysOf(state), uploads);
    }
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}

function keysOf(state: FoldedBucketStream): Map<string, CurrentObject> {
  return new Map(state.keys.map((key) => [key, state.objectAt(key)!]));
}
