/**
 * The closed list of S3 operations Sediment serves, named exactly as the AWS API reference
 * names them so logs, metrics and authorization policies line up with AWS vocabulary.
 * Anything not listed here is answered with NotImplemented by the router.
 */
export const S3_OPERATIONS = [
  'ListBuckets',
  'CreateBucket',
  'HeadBucket',
  'DeleteBucket',
  'GetBucketLocation',
  'ListObjects',
  'ListObjectsV2',
  'PutObject',
  'CopyObject',
  'GetObject',
  'HeadObject',
  'DeleteObject',
  'DeleteObjects',
  'GetBucketPolicy',
  'PutBucketPolicy',
  'DeleteBucketPolicy',
  'GetBucketAcl',
  'PutBucketAcl',
  'GetBucketNotificationConfiguration',
  'PutBucketNotificationConfiguration',
  'CreateMultipartUpload',
  'UploadPart',
  'UploadPartCopy',
  'CompleteMultipartUpload',
  'AbortMultipartUpload',
  'ListParts',
  'ListMultipartUploads',
  'GetBucketVersioning',
  'PutBucketVersioning',
  'ListObjectVersions',
  'GetObjectTagging',
  'PutObjectTagging',
  'DeleteObjectTagging',
  'GetBucketCors',
  'PutBucketCors',
  'DeleteBucketCors',
  // OPTIONS /bucket[/key]: the CORS preflight, answered from the bucket's CORS rules without
  // authentication. AWS documents it as "OPTIONS object"; it has no API operation name.
  'CorsPreflight',
] as const;

export type S3Operation = (typeof S3_OPERATIONS)[number];
