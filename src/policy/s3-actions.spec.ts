import { S3_OPERATION_ACTIONS, s3ResourceArn, versionedS3Action, type S3OperationName } from './s3-actions.js';

describe('S3 operation actions', () => {
  it.each<[S3OperationName, string]>([
    ['ListBuckets', 's3:ListAllMyBuckets'], ['CreateBucket', 's3:CreateBucket'], ['HeadBucket', 's3:ListBucket'],
    ['DeleteBucket', 's3:DeleteBucket'], ['ListObjectsV2', 's3:ListBucket'], ['ListObjects', 's3:ListBucket'],
    ['PutObject', 's3:PutObject'], ['GetObject', 's3:GetObject'], ['HeadObject', 's3:GetObject'],
    ['DeleteObject', 's3:DeleteObject'], ['DeleteObjects', 's3:DeleteObject'],
    ['GetBucketPolicy', 's3:GetBucketPolicy'], ['PutBucketPolicy', 's3:PutBucketPolicy'], ['DeleteBucketPolicy', 's3:DeleteBucketPolicy'],
    ['GetBucketAcl', 's3:GetBucketAcl'], ['PutBucketAcl', 's3:PutBucketAcl'],
    ['GetBucketNotificationConfiguration', 's3:GetBucketNotification'],
    ['PutBucketNotificationConfiguration', 's3:PutBucketNotification'],
    ['CreateMultipartUpload', 's3:PutObject'], ['UploadPart', 's3:PutObject'], ['CompleteMultipartUpload', 's3:PutObject'],
    ['AbortMultipartUpload', 's3:AbortMultipartUpload'], ['ListParts', 's3:ListMultipartUploadParts'],
    ['ListMultipartUploads', 's3:ListBucketMultipartUploads'], ['CopyObject', 's3:PutObject'], ['UploadPartCopy', 's3:PutObject'],
    ['GetObjectTagging', 's3:GetObjectTagging'], ['PutObjectTagging', 's3:PutObjectTagging'], ['DeleteObjectTagging', 's3:DeleteObjectTagging'],
    ['GetBucketTagging', 's3:GetBucketTagging'], ['PutBucketTagging', 's3:PutBucketTagging'], ['DeleteBucketTagging', 's3:PutBucketTagging'],
    ['GetBucketCors', 's3:GetBucketCORS'], ['PutBucketCors', 's3:PutBucketCORS'], ['DeleteBucketCors', 's3:PutBucketCORS'],
    ['GetBucketVersioning', 's3:GetBucketVersioning'], ['PutBucketVersioning', 's3:PutBucketVersioning'],
    ['ListObjectVersions', 's3:ListBucketVersions'],
  ])('%s needs %s', (operation, action) => expect(S3_OPERATION_ACTIONS[operation]).toBe(action));

  it('uses the …Version action when a versionId is given', () => {
    expect(versionedS3Action('GetObject', 'v1')).toBe('s3:GetObjectVersion');
    expect(versionedS3Action('HeadObject', 'v1')).toBe('s3:GetObjectVersion');
    expect(versionedS3Action('DeleteObject', 'v1')).toBe('s3:DeleteObjectVersion');
    expect(versionedS3Action('GetObjectTagging', 'v1')).toBe('s3:GetObjectVersionTagging');
    expect(versionedS3Action('GetObject')).toBe('s3:GetObject');
    expect(versionedS3Action('PutObject', 'v1')).toBe('s3:PutObject');
  });
});

describe('s3ResourceArn', () => {
  it('names objects, buckets and the service', () => {
    expect(s3ResourceArn('examplebucket', 'a/b c.txt')).toBe('arn:aws:s3:::examplebucket/a/b c.txt');
    expect(s3ResourceArn('examplebucket', '')).toBe('arn:aws:s3:::examplebucket/');
    expect(s3ResourceArn('examplebucket')).toBe('arn:aws:s3:::examplebucket');
    expect(s3ResourceArn()).toBe('arn:aws:s3:::*');
  });
  it('refuses a key without a bucket', () => expect(() => s3ResourceArn(undefined, 'k')).toThrow());
});
