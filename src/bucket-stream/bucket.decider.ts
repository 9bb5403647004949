import { S3Error } from '../errors/s3.error.js';
import { sameConfiguration, type BucketNotificationConfiguration } from './notification-configuration.js';
import type { BucketEvent, VersioningStatus } from './bucket.events.js';
import type { BucketStreamState } from './bucket-stream.state.js';
import type { ObjectOwnership } from './bucket-access-controls.js';

export type CreateBucket = {
  type: 'CreateBucket';
  data: {
    bucket: string;
    bucketId: string;
    owner: string;
    ownerDisplayName: string;
    region: string;
    /** Recorded as the bucket's first ownership controls; without it the bucket has none. */
    objectOwnership?: ObjectOwnership;
  };
  metadata: { now: Date };
};

export type DeleteBucket = {
  type: 'DeleteBucket';
  data: { bucket: string };
  metadata: { now: Date };
};

/** PutBucketNotificationConfiguration, its body already validated and normalised. */
export type ConfigureBucketNotification = {
  type: 'ConfigureBucketNotification';
  data: { bucket: string; configuration: BucketNotificationConfiguration };
  metadata: { now: Date };
};

/** PutBucketVersioning. */
export type ConfigureBucketVersioning = {
  type: 'ConfigureBucketVersioning';
  data: { bucket: string; status: VersioningStatus };
  metadata: { now: Date };
};

export type BucketCommand = CreateBucket | DeleteBucket | ConfigureBucketNotification | ConfigureBucketVersioning;

/**
 * Decides bucket lifecycle events from the bucket's current state. Pure: ids and time come in
 * with the command. A rejection throws the S3Error the client gets and yields no event.
 */
export function decideBucket(command: BucketCommand, state: BucketStreamState): BucketEvent[] {
  switch (command.type) {
    case 'CreateBucket': {
      const { bucket, bucketId, owner, ownerDisplayName, region, objectOwnership } = command.data;
      if (state.bucket !== null) {
        const code = state.bucket.owner === owner ? 'BucketAlreadyOwnedByYou' : 'BucketAlreadyExists';
        throw new S3Error(code, { resource: `/${bucket}`, details: { BucketName: bucket } });
      }
      const createdAt = command.metadata.now.toISOString();
      return [
        { type: 'BucketCreated', data: { bucket, bucketId, owner, ownerDisplayName, region, createdAt } },
        ...(objectOwnership === undefined
          ? []
          : [{ type: 'BucketOwnershipControlsConfigured' as const, data: { bucket, bucketId, objectOwnership, configuredAt: createdAt } }]),
      ];
    }
    case 'DeleteBucket': {
      const { bucket } = command.data;
      if (state.bucket === null) {
        throw new S3Error('NoSuchBucket', { resource: `/${bucket}`, details: { BucketName: bucket } });
      }
      if (!state.isEmpty) {
        throw new S3Error('BucketNotEmpty', { resource: `/${bucket}`, details: { BucketName: bucket } });
      }
      return [
        {
          type: 'BucketDeleted',
          data: { bucket, bucketId: state.bucket.bucketId, deletedAt: command.metadata.now.toISOString() },
        },
      ];
    }
    case 'ConfigureBucketNotification': {
      const { bucket, configuration } = command.data;
      if (state.bucket === null) {
        throw new S3Error('NoSuchBucket', { resource: `/${bucket}`, details: { BucketName: bucket } });
      }
      // Putting the configuration in force again changes nothing, so it records nothing.
      if (sameConfiguration(state.bucket.notification, configuration)) return [];
      return [
        {
          type: 'BucketNotificationConfigured',
          data: { bucket, bucketId: state.bucket.bucketId, configuration, configuredAt: command.metadata.now.toISOString() },
        },
      ];
    }
    case 'ConfigureBucketVersioning': {
      const { bucket, status } = command.data;
      if (state.bucket === null) {
        throw new S3Error('NoSuchBucket', { resource: `/${bucket}`, details: { BucketName: bucket } });
      }
      // The status in force again changes nothing, so it records nothing.
      if (state.bucket.versioning === status) return [];
      return [
        {
          type: 'BucketVersioningConfigured',
          data: { bucket, bucketId: state.bucket.bucketId, status, configuredAt: command.metadata.now.toISOString() },
        },
      ];
    }
    default: {
      const unreachable: never = command;
      return unreachable;
    }
  }
}
