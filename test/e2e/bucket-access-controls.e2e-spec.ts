// Object Ownership and the public access block (issue #14, section 3), through the AWS SDK v3:
// new buckets have ACLs off (BucketOwnerEnforced) as in AWS, and each of the four public-access
// settings is checked by what an anonymous caller or a writer of public grants then gets.
import { createHash, randomBytes } from 'node:crypto';
import {
  CreateBucketCommand,
  DeleteBucketOwnershipControlsCommand,
  DeletePublicAccessBlockCommand,
  GetBucketAclCommand,
  GetBucketOwnershipControlsCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  PutBucketAclCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  type PublicAccessBlockConfiguration,
} from '@aws-sdk/client-s3';
import { objectPath, rawS3Request } from '../support/raw-s3-request.js';
import { expectRawError, expectSdkError, sdkError } from '../support/s3-api-assertions.js';
import { serviceForFile } from '../support/sediment-under-test.js';

const service = serviceForFile();
const name = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;
const anonymousList = (bucket: string) => rawS3Request(service.sediment.url, { method: 'GET', path: `/${bucket}`, query: { 'list-type': '2' }, credentials: null });
const anonymousGet = (bucket: string, key: string) => rawS3Request(service.sediment.url, { method: 'GET', path: objectPath(bucket, key), credentials: null });
const publicReadPolicy = (bucket: string) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` }] });
const block = (settings: PublicAccessBlockConfiguration): PublicAccessBlockConfiguration => ({
  BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false, ...settings,
});

describe('Object Ownership', () => {
  it('makes a new bucket BucketOwnerEnforced: ACLs other than the owner alone are refused, and GetBucketAcl shows the owner alone', async () => {
    const bucket = name('enforced');
    await service.sediment.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const controls = await service.sediment.s3.send(new GetBucketOwnershipControlsCommand({ Bucket: bucket }));
    expect(controls.OwnershipControls?.Rules).toEqual([{ ObjectOwnership: 'BucketOwnerEnforced' }]);
    await expectSdkError(service.sediment.s3.send(new PutBucketAclCommand({ Bucket: bucket, ACL: 'public-read' })), 400, 'AccessControlListNotSupported');
    // The owner's own FULL_CONTROL is still accepted, as S3 does.
    await service.sediment.s3.send(new PutBucketAclCommand({ Bucket: bucket, ACL: 'private' }));
    const acl = await service.sediment.s3.send(new GetBucketAclCommand({ Bucket: bucket }));
    expect(acl.Grants?.map((g) => [g.Grantee?.Type, g.Permission])).toEqual([['CanonicalUser', 'FULL_CONTROL']]);
  });

  it('refuses CreateBucket with a public ACL and no ownership (InvalidBucketAclWithObjectOwnership), creating nothing', async () => {
    const bucket = name('refused');
    await expectSdkError(service.sediment.s3.send(new CreateBucketCommand({ Bucket: bucket, ACL: 'public-read' })), 400, 'InvalidBucketAclWithObjectOwnership');
    expect((await sdkError(service.sediment.s3.send(new HeadBucketCommand({ Bucket: bucket })))).$metadata.httpStatusCode).toBe(404);
    const bad = await rawS3Request(service.sediment.url, { method: 'PUT', path: `/${bucket}`, headers: { 'x-amz-object-ownership': 'Everyone' } });
    expectRawError(bad, 400, 'InvalidArgument');
    expect((await sdkError(service.sediment.s3.send(new HeadBucketCommand({ Bucket: bucket })))).$metadata.httpStatusCode).toBe(404);
  });

  it('lets ObjectWriter buckets carry public ACLs, turns ACLs off only once the ACL is private, and deletes the controls', async () => {
    const bucket = name('writer');
    await service.sediment.s3.send(new CreateBucketCommand({ Bucket: bucket, ObjectOwnership: 'ObjectWriter', ACL: 'public-read' }));
    expect((await anonymousList(bucket)).status).toBe(200);
    const enforce = () =>
      service.sediment.s3.send(new PutBucketOwnershipControlsCommand({ Bucket: bucket, OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } }));
    await expectSdkError(enforce(), 400, 'InvalidBucketAclWithObjectOwnership');
    expect((await anonymousList(bucket)).status).toBe(200);

    await service.sediment.s3.send(new PutBucketAclCommand({ Bucket: bucket, ACL: 'private' }));
    await enforce();
    expect((await service.sediment.s3.send(new GetBucketOwnershipControlsCommand({ Bucket: bucket }))).OwnershipControls?.Rules).toEqual([
      { ObjectOwnership: 'BucketOwnerEnforced' },
    ]);
    await service.sediment.s3.send(new DeleteBucketOwnershipControlsCommand({ Bucket: bucket }));
    await expectSdkError(service.sediment.s3.send(new GetBucketOwnershipControlsCommand({ Bucket: bucket })), 404, 'OwnershipControlsNotFoundError');
    // Without controls the bucket acts as ObjectWriter: ACLs count again.
    await service.sediment.s3.send(new PutBucketAclCommand({ Bucket: bucket, ACL: 'public-read' }));
    expect((await anonymousList(bucket)).status).toBe(200);
  });
});

describe('public access block', () => {
  it('answers 404 without one, stores the four settings, and deletes them', async () => {
    const bucket = name('pab');
    await service.sediment.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await expectSdkError(service.sediment.s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket })), 404, 'NoSuchPublicAccessBlockConfiguration');
    const settings = block({ BlockPublicAcls: true, RestrictPublicBuckets: true });
    await service.sediment.s3.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: settings }));
    expect((await service.sediment.s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }))).PublicAccessBlockConfiguration).toEqual(settings);
    await service.sediment.s3.send(new DeletePublicAccessBlockCommand({ Bucket: bucket }));
    await expectSdkError(service.sediment.s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket })), 404, 'NoSuchPublicAccessBlockConfiguration');
  });

  it('refuses a body that is not a PublicAccessBlockConfiguration with MalformedXML', async () => {
    const bucket = name('pab-xml');
    await service.sediment.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const body = '<PublicAccessBlockConfiguration><BlockPublicAcls>yes</BlockPublicAcls></PublicAccessBlockConfiguration>';
    const res = await rawS3Request(service.sediment.url, {
      method: 'PUT', path: `/${bucket}`, query: { publicAccessBlock: '' }, body,
      headers: { 'content-md5': createHash('md5').update(body).digest('base64') },
    });
    expectRawError(res, 400, 'MalformedXML');
    await expectSdkError(service.sediment.s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket })), 404, 'NoSuchPublicAccessBlockConfiguration');
  });

  it('BlockPublicAcls refuses a public ACL with 403; BlockPublicPolicy a public policy, not one naming a principal', async () => {
    const bucket = name('blocks');
    await service.sediment.s3.send(new CreateBucketCommand({ Bucket: bucket, ObjectOwnership: 'ObjectWriter' }));
    await service.sediment.s3.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: block({ BlockPublicAcls: true, BlockPublicPolicy: true }) }));
    await expectSdkError(service.sediment.s3.send(new PutBucketAclCommand({ Bucket: bucket, ACL: 'public-read' })), 403, 'AccessDenied');
    await expectSdkError(service.sediment.s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: publicReadPolicy(bucket) })), 403, 'AccessDenied');
    const named = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` }],
    });
    await service.sediment.s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: named }));
    // Lifted, the same public requests go through.
    await service.sediment.s3.send(new DeletePublicAccessBlockCommand({ Bucket: bucket }));
    await service.sediment.s3.send(new PutBucketAclCommand({ Bucket: bucket, ACL: 'public-read' }));
    await service.sediment.s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: publicReadPolicy(bucket) }));
  });

  it('IgnorePublicAcls makes a public-read ACL grant nothing while it is set', async () => {
    const bucket = name('ignore');
    await service.sediment.s3.send(new CreateBucketCommand({ Bucket: bucket, ObjectOwnership: 'ObjectWriter', ACL: 'public-read' }));
    expect((await anonymousList(bucket)).status).toBe(200);
    await service.sediment.s3.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: block({ IgnorePublicAcls: true }) }));
    expectRawError(await anonymousList(bucket), 403, 'AccessDenied');
    await service.sediment.s3.send(new DeletePublicAccessBlockCommand({ Bucket: bucket }));
    expect((await anonymousList(bucket)).status).toBe(200);
  });

  it('RestrictPublicBuckets keeps a public policy from granting anonymous callers, not the owner', async () => {
    const bucket = name('restrict');
    await service.sediment.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await service.sediment.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'page.html', Body: '<p>hi</p>' }));
    await service.sediment.s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: publicReadPolicy(bucket) }));
    expect((await anonymousGet(bucket, 'page.html')).body).toBe('<p>hi</p>');
    await service.sediment.s3.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: block({ RestrictPublicBuckets: true }) }));
    expectRawError(await anonymousGet(bucket, 'page.html'), 403, 'AccessDenied');
    expect((await rawS3Request(service.sediment.url, { method: 'GET', path: objectPath(bucket, 'page.html') })).status).toBe(200);
    await service.sediment.s3.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: block({}) }));
    expect((await anonymousGet(bucket, 'page.html')).status).toBe(200);
  });
});
