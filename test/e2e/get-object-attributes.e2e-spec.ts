// GetObjectAttributes (issue #14, section 7) through the AWS SDK: a plain object with a
// checksum, a multipart one paged part by part, a version by id, and S3's refusals.
import { randomBytes } from 'node:crypto';
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectAttributesCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  UploadPartCommand,
  type ObjectAttributes,
} from '@aws-sdk/client-s3';
import { objectPath, rawS3Request } from '../support/raw-s3-request.js';
import { expectRawError, expectSdkError, md5Hex } from '../support/s3-api-assertions.js';
import { serviceWithBucket } from '../support/sediment-under-test.js';

const MiB = 1024 * 1024;
const ALL: ObjectAttributes[] = ['ETag', 'Checksum', 'ObjectParts', 'StorageClass', 'ObjectSize'];

const service = serviceWithBucket('attributes');
const { bucket } = service;

describe('GetObjectAttributes', () => {
  it('gives the ETag (unquoted), checksum, storage class and size of an object, and only those asked for', async () => {
    const body = randomBytes(3000);
    const put = await service.sediment.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'plain.bin', Body: body, ChecksumAlgorithm: 'SHA256' }));
    const all = await service.sediment.s3.send(new GetObjectAttributesCommand({ Bucket: bucket, Key: 'plain.bin', ObjectAttributes: ALL }));
    expect({ etag: all.ETag, checksum: all.Checksum, storageClass: all.StorageClass, size: all.ObjectSize, parts: all.ObjectParts }).toEqual({
      etag: md5Hex(body),
      checksum: { ChecksumSHA256: put.ChecksumSHA256, ChecksumType: 'FULL_OBJECT' },
      storageClass: 'STANDARD',
      size: 3000,
      parts: undefined,
    });
    expect(all.LastModified).toBeInstanceOf(Date);
    const some = await service.sediment.s3.send(new GetObjectAttributesCommand({ Bucket: bucket, Key: 'plain.bin', ObjectAttributes: ['ObjectSize'] }));
    expect({ etag: some.ETag, size: some.ObjectSize, storageClass: some.StorageClass }).toEqual({ etag: undefined, size: 3000, storageClass: undefined });
  });

  it('pages the parts of a multipart object by x-amz-max-parts and x-amz-part-number-marker', async () => {
    const { UploadId } = await service.sediment.s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'multi.bin' }));
    const sizes = [5 * MiB, 5 * MiB, 1234];
    const Parts = [];
    for (const [index, size] of sizes.entries()) {
      const { ETag } = await service.sediment.s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'multi.bin', UploadId, PartNumber: index + 1, Body: randomBytes(size) }));
      Parts.push({ ETag, PartNumber: index + 1 });
    }
    const done = await service.sediment.s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'multi.bin', UploadId, MultipartUpload: { Parts } }));

    const first = await service.sediment.s3.send(new GetObjectAttributesCommand({ Bucket: bucket, Key: 'multi.bin', ObjectAttributes: ['ObjectParts', 'ETag', 'ObjectSize'], MaxParts: 2 }));
    expect(first.ETag).toBe(done.ETag!.replace(/"/g, ''));
    expect(first.ObjectSize).toBe(10 * MiB + 1234);
    expect(first.ObjectParts).toMatchObject({ TotalPartsCount: 3, PartNumberMarker: '0', NextPartNumberMarker: '2', MaxParts: 2, IsTruncated: true });
    expect(first.ObjectParts!.Parts!.map((p) => [p.PartNumber, p.Size])).toEqual([[1, 5 * MiB], [2, 5 * MiB]]);
    const rest = await service.sediment.s3.send(
      new GetObjectAttributesCommand({ Bucket: bucket, Key: 'multi.bin', ObjectAttributes: ['ObjectParts'], MaxParts: 2, PartNumberMarker: first.ObjectParts!.NextPartNumberMarker }),
    );
    expect(rest.ObjectParts).toMatchObject({ TotalPartsCount: 3, IsTruncated: false });
    expect(rest.ObjectParts!.Parts!.map((p) => [p.PartNumber, p.Size])).toEqual([[3, 1234]]);
  });

  it('answers for the version a versionId names', async () => {
    const versioned = `${bucket}-v`;
    await service.sediment.s3.send(new CreateBucketCommand({ Bucket: versioned }));
    await service.sediment.s3.send(new PutBucketVersioningCommand({ Bucket: versioned, VersioningConfiguration: { Status: 'Enabled' } }));
    const v1 = await service.sediment.s3.send(new PutObjectCommand({ Bucket: versioned, Key: 'k', Body: 'one' }));
    await service.sediment.s3.send(new PutObjectCommand({ Bucket: versioned, Key: 'k', Body: 'three' }));
    const old = await service.sediment.s3.send(new GetObjectAttributesCommand({ Bucket: versioned, Key: 'k', VersionId: v1.VersionId, ObjectAttributes: ['ObjectSize'] }));
    expect({ size: old.ObjectSize, versionId: old.VersionId }).toEqual({ size: 3, versionId: v1.VersionId });
    const current = await service.sediment.s3.send(new GetObjectAttributesCommand({ Bucket: versioned, Key: 'k', ObjectAttributes: ['ObjectSize'] }));
    expect(current.ObjectSize).toBe(5);
  });

  it('refuses a request without attributes or with an unknown one, and answers NoSuchKey for a missing key', async () => {
    const path = objectPath(bucket, 'plain.bin');
    expectRawError(await rawS3Request(service.sediment.url, { method: 'GET', path, query: { attributes: '' } }), 400, 'InvalidArgument');
    expectRawError(
      await rawS3Request(service.sediment.url, { method: 'GET', path, query: { attributes: '' }, headers: { 'x-amz-object-attributes': 'ETag,Colour' } }),
      400,
      'InvalidArgument',
    );
    await expectSdkError(service.sediment.s3.send(new GetObjectAttributesCommand({ Bucket: bucket, Key: 'missing', ObjectAttributes: ['ETag'] })), 404, 'NoSuchKey');
  });
});
