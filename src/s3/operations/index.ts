import { createBucket } from './create-bucket.operation.js';
import { deleteBucket } from './delete-bucket.operation.js';
import { deleteObject } from './delete-object.operation.js';
import { deleteObjects } from './delete-objects.operation.js';
import { getObject, headObject } from './get-object.operation.js';
import { getObjectAttributes } from './get-object-attributes.operation.js';
import { getBucketAsOf, getBucketHistory, getObjectHistory } from './get-object-history.operation.js';
import { getBucketLocation } from './get-bucket-location.operation.js';
import { headBucket } from './head-bucket.operation.js';
import { listBuckets } from './list-buckets.operation.js';
import { listObjects } from './list-objects.operation.js';
import { listObjectsV2 } from './list-objects-v2.operation.js';
import { deleteBucketPolicy, getBucketPolicy, getBucketPolicyStatus, putBucketPolicy } from './bucket-policy.operation.js';
import { getBucketAcl, putBucketAcl } from './bucket-acl.operation.js';
import { getBucketNotificationConfiguration, putBucketNotificationConfiguration } from './bucket-notification.operation.js';
import {
  abortMultipartUpload,
  completeMultipartUpload,
  createMultipartUpload,
  listMultipartUploads,
  listParts,
  uploadPart,
  uploadPartCopy,
} from './multipart-upload.operation.js';
import { putObject } from './put-object.operation.js';
import { postObject } from './post-object.operation.js';
import { getBucketVersioning, putBucketVersioning } from './bucket-versioning.operation.js';
import { listObjectVersions } from './list-object-versions.operation.js';
import { deleteObjectTagging, getObjectTagging, putObjectTagging } from './object-tagging.operation.js';
import { deleteBucketCors, getBucketCors, putBucketCors } from './bucket-cors.operation.js';
import { deleteBucketTagging, getBucketTagging, putBucketTagging } from './bucket-tagging.operation.js';
import { deleteBucketLifecycle, getBucketLifecycleConfiguration, putBucketLifecycleConfiguration } from './bucket-lifecycle.operation.js';
import {
  getObjectLegalHold,
  getObjectLockConfiguration,
  getObjectRetention,
  putObjectLegalHold,
  putObjectLockConfiguration,
  putObjectRetention,
} from './object-lock.operation.js';
import { corsPreflight } from './cors-preflight.operation.js';
import {
  deleteBucketOwnershipControls,
  deletePublicAccessBlock,
  getBucketOwnershipControls,
  getPublicAccessBlock,
  putBucketOwnershipControls,
  putPublicAccessBlock,
} from './bucket-access-controls.operation.js';
import { getObjectAcl, putObjectAcl } from './object-acl.operation.js';
import { copyObject } from './copy-object.operation.js';
import type { S3OperationDefinition } from './s3-operation.definition.js';

/**
 * The closed list of S3 operations Sediment serves, one row each, named exactly as the AWS API
 * reference names them so that logs, metrics and authorization policies use AWS's vocabulary.
 * Each row's definition (its file) declares its route, IAM action and read-only flag beside
 * its handler; the router, the IAM guard and the controller read them from here. A request
 * for anything not listed is answered with NotImplemented.
 */
export const S3_OPERATIONS = {
  ListBuckets: listBuckets,
  CreateBucket: createBucket,
  HeadBucket: headBucket,
  DeleteBucket: deleteBucket,
  GetBucketLocation: getBucketLocation,
  ListObjects: listObjects,
  ListObjectsV2: listObjectsV2,
  PutObject: putObject,
  PostObject: postObject,
  CopyObject: copyObject,
  GetObject: getObject,
  HeadObject: headObject,
  GetObjectAttributes: getObjectAttributes,
  // Sediment's own (the web console's history view), not an AWS operation: ADR 0029.
  GetObjectHistory: getObjectHistory,
  GetBucketHistory: getBucketHistory,
  GetBucketAsOf: getBucketAsOf,
  DeleteObject: deleteObject,
  DeleteObjects: deleteObjects,
  GetBucketPolicy: getBucketPolicy,
  PutBucketPolicy: putBucketPolicy,
  DeleteBucketPolicy: deleteBucketPolicy,
  GetBucketPolicyStatus: getBucketPolicyStatus,
  GetBucketAcl: getBucketAcl,
  PutBucketAcl: putBucketAcl,
  GetBucketNotificationConfiguration: getBucketNotificationConfiguration,
  PutBucketNotificationConfiguration: putBucketNotificationConfiguration,
  CreateMultipartUpload: createMultipartUpload,
  UploadPart: uploadPart,
  UploadPartCopy: uploadPartCopy,
  CompleteMultipartUpload: completeMultipartUpload,
  AbortMultipartUpload: abortMultipartUpload,
  ListParts: listParts,
  ListMultipartUploads: listMultipartUploads,
  GetBucketVersioning: getBucketVersioning,
  PutBucketVersioning: putBucketVersioning,
  ListObjectVersions: listObjectVersions,
  GetObjectTagging: getObjectTagging,
  PutObjectTagging: putObjectTagging,
  DeleteObjectTagging: deleteObjectTagging,
  GetBucketCors: getBucketCors,
  PutBucketCors: putBucketCors,
  DeleteBucketCors: deleteBucketCors,
  GetBucketTagging: getBucketTagging,
  PutBucketTagging: putBucketTagging,
  DeleteBucketTagging: deleteBucketTagging,
  GetPublicAccessBlock: getPublicAccessBlock,
  PutPublicAccessBlock: putPublicAccessBlock,
  DeletePublicAccessBlock: deletePublicAccessBlock,
  GetBucketOwnershipControls: getBucketOwnershipControls,
  PutBucketOwnershipControls: putBucketOwnershipControls,
  DeleteBucketOwnershipControls: deleteBucketOwnershipControls,
  GetBucketLifecycleConfiguration: getBucketLifecycleConfiguration,
  PutBucketLifecycleConfiguration: putBucketLifecycleConfiguration,
  DeleteBucketLifecycle: deleteBucketLifecycle,
  GetObjectLockConfiguration: getObjectLockConfiguration,
  PutObjectLockConfiguration: putObjectLockConfiguration,
  GetObjectRetention: getObjectRetention,
  PutObjectRetention: putObjectRetention,
  GetObjectLegalHold: getObjectLegalHold,
  PutObjectLegalHold: putObjectLegalHold,
  GetObjectAcl: getObjectAcl,
  PutObjectAcl: putObjectAcl,
  // OPTIONS /bucket[/key]: the CORS preflight, answered from the bucket's CORS rules without
  // authentication. AWS documents it as "OPTIONS object"; it has no API operation name.
  CorsPreflight: corsPreflight,
} as const satisfies Record<string, S3OperationDefinition>;

export type S3Operation = keyof typeof S3_OPERATIONS;

/** Whether `name` is one of the operations above. */
export function isS3Operation(name: string): name is S3Operation {
  return Object.hasOwn(S3_OPERATIONS, name);
}
