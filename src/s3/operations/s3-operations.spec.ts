import { isS3Operation, S3_OPERATIONS, type S3Operation } from './index.js';

/** What each operation declares, checked against AWS's "Actions, resources, and condition keys for Amazon S3". */
describe('the S3 operation table', () => {
  it.each<[S3Operation, string]>([
    ['ListBuckets', 's3:ListAllMyBuckets'], ['CreateBucket', 's3:CreateBucket'], ['HeadBucket', 's3:ListBucket'],
    ['DeleteBucket', 's3:DeleteBucket'], ['ListObjectsV2', 's3:ListBucket'], ['ListObjects', 's3:ListBucket'],
    ['GetBucketLocation', 's3:GetBucketLocation'],
    ['PutObject', 's3:PutObject'], ['GetObject', 's3:GetObject'], ['HeadObject', 's3:GetObject'],
    ['GetObjectAttributes', 's3:GetObjectAttributes'],
    ['DeleteObject', 's3:DeleteObject'],
    ['GetBucketPolicy', 's3:GetBucketPolicy'], ['PutBucketPolicy', 's3:PutBucketPolicy'], ['DeleteBucketPolicy', 's3:DeleteBucketPolicy'],
    ['GetBucketPolicyStatus', 's3:GetBucketPolicyStatus'],
    ['GetBucketAcl', 's3:GetBucketAcl'], ['PutBucketAcl', 's3:PutBucketAcl'],
    ['GetBucketNotificationConfiguration', 's3:GetBucketNotification'],
    ['PutBucketNotificationConfiguration', 's3:PutBucketNotification'],
    ['CreateMultipartUpload', 's3:PutObject'], ['UploadPart', 's3:PutObject'], ['CompleteMultipartUpload', 's3:PutObject'],
    ['AbortMultipartUpload', 's3:AbortMultipartUpload'], ['ListParts', 's3:ListMultipartUploadParts'],
    ['ListMultipartUploads', 's3:ListBucketMultipartUploads'], ['CopyObject', 's3:PutObject'], ['UploadPartCopy', 's3:PutObject'],
    ['GetObjectTagging', 's3:GetObjectTagging'], ['PutObjectTagging', 's3:PutObjectTagging'], ['DeleteObjectTagging', 's3:DeleteObjectTagging'],
    ['GetBucketCors', 's3:GetBucketCORS'], ['PutBucketCors', 's3:PutBucketCORS'], ['DeleteBucketCors', 's3:PutBucketCORS'],
    ['GetBucketTagging', 's3:GetBucketTagging'], ['PutBucketTagging', 's3:PutBucketTagging'], ['DeleteBucketTagging', 's3:PutBucketTagging'],
    ['GetBucketLifecycleConfiguration', 's3:GetLifecycleConfiguration'], ['PutBucketLifecycleConfiguration', 's3:PutLifecycleConfiguration'],
    ['DeleteBucketLifecycle', 's3:PutLifecycleConfiguration'],
    ['GetBucketVersioning', 's3:GetBucketVersioning'], ['PutBucketVersioning', 's3:PutBucketVersioning'],
    ['ListObjectVersions', 's3:ListBucketVersions'],
    ['DeleteObjects', 'per key'], ['CorsPreflight', 'unauthenticated'], ['PostObject', 'in the form'],
  ])('%s needs %s', (operation, action) => expect(S3_OPERATIONS[operation].action).toBe(action));

  it('declares the …Version action of exactly the operations that address a version', () => {
    const versionActions = Object.fromEntries(
      Object.entries(S3_OPERATIONS).flatMap(([name, definition]) => (definition.versionAction ? [[name, definition.versionAction]] : [])),
    );
    expect(versionActions).toEqual({
      GetObject: 's3:GetObjectVersion',
      HeadObject: 's3:GetObjectVersion',
      GetObjectAttributes: 's3:GetObjectVersionAttributes',
      DeleteObject: 's3:DeleteObjectVersion',
      GetObjectTagging: 's3:GetObjectVersionTagging',
      PutObjectTagging: 's3:PutObjectVersionTagging',
      DeleteObjectTagging: 's3:DeleteObjectVersionTagging',
      // AWS has no …Version action for Object Lock: the same action names a version too.
      GetObjectRetention: 's3:GetObjectRetention',
      PutObjectRetention: 's3:PutObjectRetention',
      GetObjectLegalHold: 's3:GetObjectLegalHold',
      PutObjectLegalHold: 's3:PutObjectLegalHold',
      GetObjectAcl: 's3:GetObjectVersionAcl',
      PutObjectAcl: 's3:PutObjectVersionAcl',
    });
  });

  it('lets a read-only snapshot serve exactly the reads: Get…, Head…, List… and the CORS preflight', () => {
    // S3 names every operation by what it does, so a new one is classified without editing this.
    for (const [name, definition] of Object.entries(S3_OPERATIONS)) {
      expect({ name, readOnly: definition.readOnly }).toEqual({ name, readOnly: /^(Get|Head|List)/.test(name) || name === 'CorsPreflight' });
    }
  });

  it('asks for s3:PutObjectTagging too where the x-amz-tagging header is stored', () => {
    const storing = Object.entries(S3_OPERATIONS).flatMap(([name, definition]) => (definition.storesTaggingHeader ? [name] : []));
    expect(storing.sort()).toEqual(['CreateMultipartUpload', 'PutObject']);
  });

  it('knows its own names and nothing else', () => {
    expect(isS3Operation('GetBucketLocation')).toBe(true);
    expect(isS3Operation('GetBucketWebsite')).toBe(false);
    expect(isS3Operation('toString')).toBe(false);
  });
});
