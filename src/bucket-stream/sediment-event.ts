import type { BucketEvent } from './bucket.events.js';
import type { MultipartEvent } from './multipart.events.js';
import type { ObjectEvent } from './object.events.js';

/** Every event type on the bucket topic. */
export type SedimentEvent = BucketEvent | ObjectEvent | MultipartEvent;
export type SedimentEventType = SedimentEvent['type'];

export const SEDIMENT_EVENT_TYPES: readonly SedimentEventType[] = [
  'BucketCreated',
  'BucketDeleted',
  'BucketNotificationConfigured',
  'BucketVersioningConfigured',
  'BucketCorsConfigured',
  'BucketTaggingConfigured',
  'BucketPublicAccessBlockConfigured',
  'BucketOwnershipControlsConfigured',
  'BucketLifecycleConfigured',
  'ObjectStored',
  'ObjectDeleted',
  'DeleteMarkerCreated',
  'DeleteMarkerRemoved',
  'ObjectCopied',
  'MultipartUploadInitiated',
  'MultipartPartUploaded',
  'MultipartUploadCompleted',
  'MultipartUploadAborted',
  'ObjectTaggingPut',
  'ObjectTaggingDeleted',
  'BucketObjectLockConfigured',
  'ObjectRetentionPut',
  'ObjectLegalHoldPut',
  'ObjectAclPut',
];

/** Current schema version of each event type; bump it with an upcaster for the old one. */
export const EVENT_SCHEMA_VERSIONS: Record<SedimentEventType, number> = {
  BucketCreated: 1,
  BucketDeleted: 1,
  BucketNotificationConfigured: 1,
  BucketVersioningConfigured: 1,
  // v2 added storageClass, v3 the Object Lock fields, v4 the content headers (upcasters: src/event-log/upcasters.ts).
  ObjectStored: 4,
  ObjectDeleted: 1,
  DeleteMarkerCreated: 1,
  DeleteMarkerRemoved: 1,
  // v2 added the Object Lock fields; v3 the content headers.
  ObjectCopied: 3,
  // v2 added the Object Lock fields; v3 the requested ACL; v4 the content headers.
  MultipartUploadInitiated: 4,
  MultipartPartUploaded: 1,
  // v2 added the Object Lock fields; v3 the content headers.
  MultipartUploadCompleted: 3,
  MultipartUploadAborted: 1,
  BucketCorsConfigured: 1,
  BucketTaggingConfigured: 1,
  BucketPublicAccessBlockConfigured: 1,
  BucketOwnershipControlsConfigured: 1,
  // v2 added a rule's `legacyPrefix`.
  BucketLifecycleConfigured: 2,
  ObjectTaggingPut: 1,
  ObjectTaggingDeleted: 1,
  BucketObjectLockConfigured: 1,
  ObjectRetentionPut: 1,
  ObjectLegalHoldPut: 1,
  ObjectAclPut: 1,
};
