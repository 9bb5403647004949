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
