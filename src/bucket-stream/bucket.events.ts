import type { ObjectTag } from './object-tags.js';
import type { ObjectOwnership, PublicAccessBlock } from './bucket-access-controls.js';
import type { DefaultRetention } from './object-lock.js';
import type { BucketCorsConfiguration } from './cors-configuration.js';
import type { BucketLifecycleConfiguration } from './lifecycle-configuration.js';
import type { BucketNotificationConfiguration } from './notification-configuration.js';

/** Facts about buckets. Field names are part of the published event contract (docs/events.md). */
export type BucketCreated = {
  type: 'BucketCreated';
  data: {
    bucket: string;
    bucketId: string;
    /** Canonical id of the owner. */
    owner: string;
    ownerDisplayName: string;
    region: string;
    createdAt: string;
  };
};

export type BucketDeleted = {
  type: 'BucketDeleted';
  data: { bucket: string; bucketId: string; deletedAt: string };
};

/**
 * The bucket's notification configuration from here on, replacing the previous one; an empty
 * `topicConfigurations` removes it. On the bucket's own stream, so every object event after it
 * in the partition is notified (or not) by exactly this configuration.
 */
export type BucketNotificationConfigured = {
  type: 'BucketNotificationConfigured';
  data: { bucket: string; bucketId: string; configuration: BucketNotificationConfiguration; configuredAt: string };
};

/** S3 bucket versioning states; a bucket that never had one configured is "unversioned". */
export type VersioningStatus = 'Enabled' | 'Suspended';

/** PutBucketVersioning: from here on, writes to the bucket create versions (or `null` ones). */
export type BucketVersioningConfigured = {
  type: 'BucketVersioningConfigured';
  data: { bucket: string; bucketId: string; status: VersioningStatus; configuredAt: string };
};

/**
 * PutBucketCors (a configuration) or DeleteBucketCors (null): the bucket's CORS configuration
 * from here on, replacing the previous one.
 */
export type BucketCorsConfigured = {
  type: 'BucketCorsConfigured';
  data: { bucket: string; bucketId: string; configuration: BucketCorsConfiguration | null; configuredAt: string };
};

/**
 * PutBucketTagging (a tag set) or DeleteBucketTagging (null): the bucket's tags from here on,
 * replacing the previous ones.
 */
export type BucketTaggingConfigured = {
  type: 'BucketTaggingConfigured';
  data: { bucket: string; bucketId: string; tags: ObjectTag[] | null; configuredAt: string };
};

/**
 * PutPublicAccessBlock (its four settings) or DeletePublicAccessBlock (null): the bucket's
 * public access block from here on, replacing the previous one.
 */
export type BucketPublicAccessBlockConfigured = {
  type: 'BucketPublicAccessBlockConfigured';
  data: { bucket: string; bucketId: string; publicAccessBlock: PublicAccessBlock | null; configuredAt: string };
};

/**
 * PutBucketOwnershipControls, CreateBucket (every bucket created since this event exists starts
 * with one), or DeleteBucketOwnershipControls (null, which S3 treats as ObjectWriter).
 */
export type BucketOwnershipControlsConfigured = {
  type: 'BucketOwnershipControlsConfigured';
  data: { bucket: string; bucketId: string; objectOwnership: ObjectOwnership | null; configuredAt: string };
};

/**
 * PutBucketLifecycleConfiguration (a configuration, replacing the previous one) or
 * DeleteBucketLifecycle (null): the rules the lifecycle worker applies from here on (ADR 0022).
 */
export type BucketLifecycleConfigured = {
  type: 'BucketLifecycleConfigured';
  data: { bucket: string; bucketId: string; configuration: BucketLifecycleConfiguration | null; configuredAt: string };
};

/**
 * Object Lock is enabled on the bucket (CreateBucket with x-amz-bucket-object-lock-enabled, or
 * PutObjectLockConfiguration), with the default retention from here on. There is no event that
 * disables it: from the first one on, the bucket's versions can be locked, for good.
 */
export type BucketObjectLockConfigured = {
  type: 'BucketObjectLockConfigured';
  data: { bucket: string; bucketId: string; defaultRetention: DefaultRetention | null; configuredAt: string };
};

export type BucketEvent =
  | BucketCreated
  | BucketDeleted
  | BucketNotificationConfigured
  | BucketVersioningConfigured
  | BucketCorsConfigured
  | BucketTaggingConfigured
  | BucketPublicAccessBlockConfigured
  | BucketOwnershipControlsConfigured
  | BucketLifecycleConfigured
  | BucketObjectLockConfigured;
