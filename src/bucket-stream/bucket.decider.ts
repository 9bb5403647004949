import { S3Error } from '../errors/s3.error.js';
import { sameConfiguration, type BucketNotificationConfiguration } from './notification-configuration.js';
import type { BucketCreated, BucketEvent, VersioningStatus } from './bucket.events.js';
import type { BucketStreamState } from './bucket-stream.state.js';
import type { ObjectOwnership } from './bucket-access-controls.js';

export type CreateBucket = {
  type: 'CreateBucket';
  /**
   * `objectLockEnabled`: x-amz-bucket-object-lock-enabled: true; the bucket is then versioned from
   * the start. `objectOwnership` is recorded as the bucket's first ownership controls; without it
   * the bucket has none.
   */
  data: Omit<BucketCreated['data'], 'createdAt'> & { objectLockEnabled?: boolean; objectOwnership?: ObjectOwnership };
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
      const { bucket, bucketId, owner, ownerDisplayName, region, objectLockEnabled, objectOwnership } = command.data;
      if (state.bucket !== null) {
        const code = state.bucket.owner === owner ? 'BucketAlreadyOwnedByYou' : 'BucketAlreadyExists';
        throw new S3Error(code, { resource: `/${bucket}`, details: { BucketName: bucket } });
      }
      const at = command.metadata.now.toISOString();
      const created: BucketEvent = { type: 'BucketCreated', data: { bucket, bucketId, owner, ownerDisplayName, region, createdAt: at } };
      const owned: BucketEvent[] =
        objectOwnership === undefined ? [] : [{ type: 'BucketOwnershipControlsConfigured', data: { bucket, bucketId, objectOwnership, configuredAt: at } }];
      if (!objectLockEnabled) return [created, ...owned];
      // As S3 does: a bucket created with Object Lock has versioning Enabled, and keeps it.
      return [
        created,
        ...owned,
        { type: 'BucketVersioningConfigured', data: { bucket, bucketId, status: 'Enabled', configuredAt: at } },
        { type: 'BucketObjectLockConfigured', data: { bucket, bucketId, defaultRetention: null, configuredAt: at } },
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
      // Locked versions rely on every write creating a new version: an overwrite in place (of a
      // `null` version) could replace one.
      if (state.bucket.objectLock) {
        throw new S3Error('InvalidBucketState', {
          message: 'An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.',
          resource: `/${bucket}`,
        });
      }
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
