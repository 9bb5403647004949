import type { SedimentEvent } from '../../event-log/sediment-event.js';
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

/**
 * What a decider may know about one bucket's stream (the bucket and its objects). It is an
 * interface, not a full map, because the write side loads only the part a command needs from
 * the read model; tests and replay checks build it by folding events with `evolve`.
 */
export interface BucketStreamState {
  readonly bucket: BucketInfo | null;
  readonly isEmpty: boolean;
  objectAt(key: string): CurrentObject | undefined;
}

/** A complete in-memory state, folded from events. */
export class FoldedBucketStream implements BucketStreamState {
  constructor(
    readonly bucket: BucketInfo | null = null,
    private readonly objects: ReadonlyMap<string, CurrentObject> = new Map(),
  ) {}

  get isEmpty(): boolean {
    return this.objects.size === 0;
  }

  objectAt(key: string): CurrentObject | undefined {
    return this.objects.get(key);
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
      return new FoldedBucketStream(info, keysOf(state));
    }
    case 'ObjectStored': {
      const objects = new Map(keysOf(state));
      objects.set(event.data.key, { objectId: event.data.objectId, etag: event.data.etag });
      return new FoldedBucketStream(state.bucket, objects);
    }
    case 'ObjectDeleted': {
      const objects = new Map(keysOf(state));
      objects.delete(event.data.key);
      return new FoldedBucketStream(state.bucket, objects);
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
