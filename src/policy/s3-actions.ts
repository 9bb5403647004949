/**
 * IAM action checked for each S3 operation ("Actions, resources, and condition keys for
 * Amazon S3" / "Required permissions for Amazon S3 API operations").
 *
 * Notes for the guard:
 * - DeleteObjects is authorised per key with s3:DeleteObject;
 * - CopyObject / UploadPartCopy also need s3:GetObject on the copy source;
 * - a request naming a versionId uses the …Version action (see `versionedS3Action`).
 */
export const S3_OPERATION_ACTIONS = {
  ListBuckets: 's3:ListAllMyBuckets',
  CreateBucket: 's3:CreateBucket',
  HeadBucket: 's3:ListBucket',
  DeleteBucket: 's3:DeleteBucket',
  GetBucketLocation: 's3:GetBucketLocation',
  ListObjects: 's3:ListBucket',
  ListObjectsV2: 's3:ListBucket',
  ListObjectVersions: 's3:ListBucketVersions',
  PutObject: 's3:PutObject',
  GetObject: 's3:GetObject',
  HeadObject: 's3:GetObject',
  CopyObject: 's3:PutObject',
  DeleteObject: 's3:DeleteObject',
  DeleteObjects: 's3:DeleteObject',
  GetObjectAcl: 's3:GetObjectAcl',
  PutObjectAcl: 's3:PutObjectAcl',
  GetBucketPolicy: 's3:GetBucketPolicy',
  PutBucketPolicy: 's3:PutBucketPolicy',
  DeleteBucketPolicy: 's3:DeleteBucketPolicy',
  GetBucketPolicyStatus: 's3:GetBucketPolicyStatus',
  GetBucketAcl: 's3:GetBucketAcl',
  PutBucketAcl: 's3:PutBucketAcl',
  GetBucketNotificationConfiguration: 's3:GetBucketNotification',
  PutBucketNotificationConfiguration: 's3:PutBucketNotification',
  CreateMultipartUpload: 's3:PutObject',
  UploadPart: 's3:PutObject',
  UploadPartCopy: 's3:PutObject',
  CompleteMultipartUpload: 's3:PutObject',
  AbortMultipartUpload: 's3:AbortMultipartUpload',
  ListParts: 's3:ListMultipartUploadParts',
  ListMultipartUploads: 's3:ListBucketMultipartUploads',
  GetObjectTagging: 's3:GetObjectTagging',
  PutObjectTagging: 's3:PutObjectTagging',
  DeleteObjectTagging: 's3:DeleteObjectTagging',
  GetBucketTagging: 's3:GetBucketTagging',
  PutBucketTagging: 's3:PutBucketTagging',
  DeleteBucketTagging: 's3:PutBucketTagging',
  // AWS has no DeleteBucketCORS action: DeleteBucketCors is authorised as s3:PutBucketCORS.
  GetBucketCors: 's3:GetBucketCORS',
  PutBucketCors: 's3:PutBucketCORS',
  DeleteBucketCors: 's3:PutBucketCORS',
  GetBucketVersioning: 's3:GetBucketVersioning',
  PutBucketVersioning: 's3:PutBucketVersioning',
} as const satisfies Record<string, `s3:${string}`>;

export type S3OperationName = keyof typeof S3_OPERATION_ACTIONS;

const VERSION_ACTIONS: Readonly<Record<string, string>> = {
  's3:GetObject': 's3:GetObjectVersion',
  's3:DeleteObject': 's3:DeleteObjectVersion',
  's3:GetObjectAcl': 's3:GetObjectVersionAcl',
  's3:PutObjectAcl': 's3:PutObjectVersionAcl',
  's3:GetObjectTagging': 's3:GetObjectVersionTagging',
  's3:PutObjectTagging': 's3:PutObjectVersionTagging',
  's3:DeleteObjectTagging': 's3:DeleteObjectVersionTagging',
};

/** The action for an operation; with a versionId, its …Version form where S3 has one. */
export function versionedS3Action(operation: S3OperationName, versionId?: string): string {
  const action: string = S3_OPERATION_ACTIONS[operation];
  return versionId ? (VERSION_ACTIONS[action] ?? action) : action;
}

/**
 * The ARN of an S3 resource: `arn:aws:s3:::bucket/key`, `arn:aws:s3:::bucket`, or
 * `arn:aws:s3:::*` for service-level operations such as ListBuckets (matched by both
 * `"Resource": "*"` and `"Resource": "arn:aws:s3:::*"`).
 */
export function s3ResourceArn(bucket?: string, key?: string): string {
  if (bucket === undefined || bucket === '') {
    if (key !== undefined) throw new Error('an object key needs a bucket');
    return 'arn:aws:s3:::*';
  }
  return key === undefined ? `arn:aws:s3:::${bucket}` : `arn:aws:s3:::${bucket}/${key}`;
}
