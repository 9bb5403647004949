// Object ACLs (issue #14, section 3), through the AWS SDK v3 and the aws CLI: canned ACLs, grant
// headers and AccessControlPolicy bodies on PutObjectAcl and on writes, GetObjectAcl, anonymous
// reads of public objects (and S3's 404-or-403 for a missing key), a grant to another account
// (created with the `sediment account` CLI), Object Ownership of what another account writes, and
// the refusals of BucketOwnerEnforced and BlockPublicAcls.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { jest } from '@jest/globals';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetBucketAclCommand,
  GetObjectAclCommand,
  ListObjectsV2Command,
  GetObjectCommand,
  HeadObjectCommand,
  PutBucketAclCommand,
  PutBucketPolicyCommand,
  PutObjectAclCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  UploadPartCommand,
  type ObjectCannedACL,
  type ObjectOwnership,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createAccount, type CreatedAccount } from '../support/account-cli.js';
import { awsCli } from '../support/aws-cli.js';
import { objectPath, rawS3Request, ROOT_CREDENTIALS } from '../support/raw-s3-request.js';
import { expectRawError, expectSdkError } from '../support/s3-api-assertions.js';
import { s3Client, startSediment, type SedimentUnderTest } from '../support/sediment-under-test.js';

jest.setTimeout(120_000);

const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
const AUTHENTICATED_USERS = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';

let sediment: SedimentUnderTest;
let teamB: CreatedAccount;
let rootB: S3Client;
let home: string;
let ownerId: string;

const name = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;
const anonymousGet = (bucket: string, key: string) => rawS3Request(sediment.url, { method: 'GET', path: objectPath(bucket, key), credentials: null });
const cli = (...args: string[]) => awsCli({ endpoint: sediment.url, home, credentials: ROOT_CREDENTIALS }, ...args);

async function bucketWith(objectOwnership: ObjectOwnership, prefix = 'acl'): Promise<string> {
  const bucket = name(prefix);
  await sediment.s3.send(new CreateBucketCommand({ Bucket: bucket, ObjectOwnership: objectOwnership }));
  return bucket;
}

const grantsOf = async (client: S3Client, bucket: string, key: string) => {
  const acl = await client.send(new GetObjectAclCommand({ Bucket: bucket, Key: key }));
  return { owner: acl.Owner?.ID, grants: (acl.Grants ?? []).map((g) => [g.Grantee?.ID ?? g.Grantee?.URI, g.Permission]) };
};

/** A two-part upload (a 5 MiB first part, as S3 requires of every part but the last) with the ACL given when it begins. */
async function uploadInParts(client: S3Client, bucket: string, key: string, acl?: ObjectCannedACL): Promise<Buffer> {
  const first = Buffer.alloc(5 * 1024 * 1024, 'p');
  const last = Buffer.from('tail');
  const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ...(acl ? { ACL: acl } : {}) }));
  const parts = [];
  for (const [index, body] of [first, last].entries()) {
    const { ETag } = await client.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: index + 1, Body: body }));
    parts.push({ PartNumber: index + 1, ETag });
  }
  await client.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId, MultipartUpload: { Parts: parts } }));
  return Buffer.concat([first, last]);
}

beforeAll(async () => {
  sediment = await startSediment();
  teamB = await createAccount(sediment, 'team-b');
  rootB = s3Client(sediment.url, teamB.credentials);
  home = await mkdtemp(join(tmpdir(), 'sediment-acl-cli-'));
  const bucket = await bucketWith('ObjectWriter');
  await sediment.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x' }));
  ownerId = (await grantsOf(sediment.s3, bucket, 'k')).owner!;
}, 120_000);

afterAll(async () => {
  rootB?.destroy();
  sediment?.s3.destroy();
  await sediment?.stop();
  if (home) await rm(home, { recursive: true, force: true });
}, 60_000);

describe('object ACLs with ACLs on (ObjectWriter)', () => {
  it('stores a canned ACL given on PutObject, shows it, and lets anyone read a public-read object', async () => {
    const bucket = await bucketWith('ObjectWriter');
    await sediment.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'public.txt', Body: 'hello', ACL: 'public-read' }));
    await sediment.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'private.txt', Body: 'secret' }));
    expect(await grantsOf(sediment.s3, bucket, 'public.txt')).toEqual({ owner: ownerId, grants: [[ownerId, 'FULL_CONTROL'], [ALL_USERS, 'READ']] });
    expect(await grantsOf(sediment.s3, bucket, 'private.txt')).toEqual({ owner: ownerId, grants: [[ownerId, 'FULL_CONTROL']] });
    const read = await anonymousGet(bucket, 'public.txt');
    expect(read.status).toBe(200);
    expect(read.body).toBe('hello');
    expectRawError(await anonymousGet(bucket, 'private.txt'), 403, 'AccessDenied');
    // Taking it back: private again.
    await sediment.s3.send(new PutObjectAclCommand({ Bucket: bucket, Key: 'public.txt', ACL: 'private' }));
    expectRawError(await anonymousGet(bucket, 'public.txt'), 403, 'AccessDenied');
  });

  it('gives a multipart upload the ACL CreateMultipartUpload named, once it completes', async () => {
    const bucket = await bucketWith('ObjectWriter');
    const body = await uploadInParts(sediment.s3, bucket, 'public-parts.bin', 'public-read');
    await uploadInParts(sediment.s3, bucket, 'private-parts.bin');
    expect(await grantsOf(sediment.s3, bucket, 'public-parts.bin')).toEqual({ owner: ownerId, grants: [[ownerId, 'FULL_CONTROL'], [ALL_USERS, 'READ']] });
    expect(await grantsOf(sediment.s3, bucket, 'private-parts.bin')).toEqual({ owner: ownerId, grants: [[ownerId, 'FULL_CONTROL']] });
    const read = await anonymousGet(bucket, 'public-parts.bin');
    expect(read.status).toBe(200);
    expect(read.body).toBe(body.toString());
    expectRawError(await anonymousGet(bucket, 'private-parts.bin'), 403, 'AccessDenied');
  });

  it('answers a missing key 404 only to whoever may list the bucket, anonymous callers included', async () => {
    const bucket = await bucketWith('ObjectWriter');
    await sediment.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'public.txt', Body: 'hello', ACL: 'public-read' }));
    expectRawError(await anonymousGet(bucket, 'missing.txt'), 403, 'AccessDenied');
    await sediment.s3.send(new PutBucketAclCommand({ Bucket: bucket, ACL: 'public-read' }));
    expectRawError(await anonymousGet(bucket, 'missing.txt'), 404, 'NoSuchKey');
    expect((await anonymousGet(bucket, 'public.txt')).status).toBe(200);
    const head = await rawS3Request(sediment.url, { method: 'HEAD', path: objectPath(bucket, 'missing.txt'), credentials: null });
    expect(head.status).toBe(404);
  });

  it('takes grant headers and an AccessControlPolicy body on PutObjectAcl', async () => {
    const bucket = await bucketWith('ObjectWriter');
    await sediment.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'doc.txt', Body: 'doc' }));
    await sediment.s3.send(new PutObjectAclCommand({ Bucket: bucket, Key: 'doc.txt', GrantRead: `uri="${AUTHENTICATED_USERS}"`, GrantFullControl: `id="${ownerId}"` }));
    expect(await grantsOf(sediment.s3, bucket, 'doc.txt')).toEqual({ owner: ownerId, grants: [[AUTHENTICATED_USERS, 'READ'], [ownerId, 'FULL_CONTROL']] });
    expectRawError(await anonymousGet(bucket, 'doc.txt'), 403, 'AccessDenied');
    // AuthenticatedUsers: any signed caller, another account's root too.
    await expect(rootB.send(new GetObjectCommand({ Bucket: bucket, Key: 'doc.txt' }))).resolves.toMatchObject({ $metadata: { httpStatusCode: 200 } });

    await sediment.s3.send(
      new PutObjectAclCommand({
        Bucket: bucket,
        Key: 'doc.txt',
        AccessControlPolicy: {
          Owner: { ID: ownerId },
          Grants: [
            { Grantee: { Type: 'CanonicalUser', ID: ownerId }, Permission: 'FULL_CONTROL' },
            { Grantee: { Type: 'Group', URI: ALL_USERS }, Permission: 'READ' },
          ],
        },
      }),
    );
    expect(await grantsOf(sediment.s3, bucket, 'doc.txt')).toEqual({ owner: ownerId, grants: [[ownerId, 'FULL_CONTROL'], [ALL_USERS, 'READ']] });
    expect((await anonymousGet(bucket, 'doc.txt')).status).toBe(200);
  });

  it('refuses what S3 refuses: two sources, an unknown id, an email grantee, someone else as owner, no ACL at all', async () => {
    const bucket = await bucketWith('ObjectWriter');
    await sediment.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'doc.txt', Body: 'doc' }));
    const put = (input: Omit<ConstructorParameters<typeof PutObjectAclCommand>[0], 'Bucket' | 'Key'>) => sediment.s3.send(new PutObjectAclCommand({ Bucket: bucket, Key: 'doc.txt', ...input }));
    await expectSdkError(put({ ACL: 'public-read', GrantRead: `uri="${ALL_USERS}"` }), 400, 'InvalidRequest');
    await expectSdkError(put({ GrantRead: `id="${'e'.repeat(64)}"` }), 400, 'InvalidArgument');
    await expectSdkError(put({ GrantRead: 'emailAddress="someone@example.com"' }), 400, 'UnresolvableGrantByEmailAddress');
    await expectSdkError(put({ ACL: 'bogus' as never }), 400, 'InvalidArgument');
    await expectSdkError(put({ AccessControlPolicy: { Owner: { ID: teamB.canonicalId }, Grants: [] } }), 403, 'AccessDenied');
    const none = await rawS3Request(sediment.url, { method: 'PUT', path: objectPath(bucket, 'doc.txt'), query: { acl: '' } });
    expectRawError(none, 400, 'MissingSecurityHeader');
    const malformed = await rawS3Request(sediment.url, { method: 'PUT', path: objectPath(bucket, 'doc.txt'), query: { acl: '' }, body: '<AccessControlPolicy><Nope/></AccessControlPolicy>' });
    expectRawError(malformed, 400, 'MalformedACLError');
    await expectSdkError(sediment.s3.send(new GetObjectAclCommand({ Bucket: bucket, Key: 'missing.txt' })), 404, 'NoSuchKey');
  });

  it("gives a copy the ACL its request names, never the source's", async () => {
    const bucket = await bucketWith('ObjectWriter');
    await sediment.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'src.txt', Body: 'src', ACL: 'public-read' }));
    await sediment.s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'plain.txt', CopySource: `${bucket}/src.txt` }));
    await sediment.s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'shared.txt', CopySource: `${bucket}/src.txt`, ACL: 'authenticated-read' }));
    expect((await grantsOf(sediment.s3, bucket, 'plain.txt')).grants).toEqual([[ownerId, 'FULL_CONTROL']]);
    expect((await grantsOf(sediment.s3, bucket, 'shared.txt')).grants).toEqual([[ownerId, 'FULL_CONTROL'], [AUTHENTICATED_USERS, 'READ']]);
  });

  it("lets another account read an object whose ACL grants its canonical id, and nothing else", async () => {
    const bucket = await bucketWith('ObjectWriter');
    await sediment.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'shared.txt', Body: 'for b' }));
    await sediment.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'mine.txt', Body: 'for a' }));
    await expectSdkError(rootB.send(new GetObjectCommand({ Bucket: bucket, Key: 'shared.txt' })), 403, 'AccessDenied');
    await sediment.s3.send(new PutObjectAclCommand({ Bucket: bucket, Key: 'shared.txt', GrantRead: `id="${teamB.canonicalId}"`, GrantFullControl: `id="${ownerId}"` }));
    const read = await rootB.send(new GetObjectCommand({ Bucket: bucket, Key: 'shared.txt' }));
    expect(await read.Body?.transformToString()).toBe('for b');
    await expectSdkError(rootB.send(new GetObjectCommand({ Bucket: bucket, Key: 'mine.txt' })), 403, 'AccessDenied');
    // READ is not READ_ACP.
    await expectSdkError(rootB.send(new GetObjectAclCommand({ Bucket: bucket, Key: 'shared.txt' })), 403, 'AccessDenied');
    const acl = await sediment.s3.send(new GetObjectAclCommand({ Bucket: bucket, Key: 'shared.txt' }));
    expect(acl.Grants?.find((g) => g.Grantee?.ID === teamB.canonicalId)?.Grantee?.DisplayName).toBe('team-b');
  });

  it('refuses a public grant under BlockPublicAcls', async () => {
    const bucket = await bucketWith('ObjectWriter');
    await sediment.s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: bucket,
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false },
      }),
    );
    await expectSdkError(sediment.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a.txt', Body: 'a', ACL: 'public-read' })), 403, 'AccessDenied');
    await sediment.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a.txt', Body: 'a' }));
    await expectSdkError(sediment.s3.send(new PutObjectAclCommand({ Bucket: bucket, Key: 'a.txt', ACL: 'public-read' })), 403, 'AccessDenied');
  });

  it('ignores public object grants under IgnorePublicAcls', async () => {
    const bucket = await bucketWith('ObjectWriter');
    await sediment.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a.txt', Body: 'a', ACL: 'public-read' }));
    expect((await anonymousGet(bucket, 'a.txt')).status).toBe(200);
    await sediment.s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: bucket,
        PublicAccessBlockConfiguration: { BlockPublicAcls: false, IgnorePublicAcls: true, BlockPublicPolicy: false, RestrictPublicBuckets: false },
      }),
    );
    expectRawError(await anonymousGet(bucket, 'a.txt'), 403, 'AccessDenied');
  });
});

describe('object ACLs with ACLs off (BucketOwnerEnforced, the default)', () => {
  it('refuses any ACL but the owner alone, on writes and PutObjectAcl, and shows the bucket owner alone', async () => {
    const bucket = name('enforced');
    await sediment.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await expectSdkError(sediment.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a.txt', Body: 'a', ACL: 'public-read' })), 400, 'AccessControlListNotSupported');
    await sediment.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a.txt', Body: 'a', ACL: 'bucket-owner-full-control' }));
    await expectSdkError(sediment.s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'b.txt', CopySource: `${bucket}/a.txt`, ACL: 'authenticated-read' })), 400, 'AccessControlListNotSupported');
    await expectSdkError(sediment.s3.send(new PutObjectAclCommand({ Bucket: bucket, Key: 'a.txt', ACL: 'public-read' })), 400, 'AccessControlListNotSupported');
    await sediment.s3.send(new PutObjectAclCommand({ Bucket: bucket, Key: 'a.txt', ACL: 'private' }));
    expect(await grantsOf(sediment.s3, bucket, 'a.txt')).toEqual({ owner: ownerId, grants: [[ownerId, 'FULL_CONTROL']] });
  });
});

describe('Object Ownership of what another account writes', () => {
  const letBWrite = (bucket: string) =>
    sediment.s3.send(
      new PutBucketPolicyCommand({
        Bucket: bucket,
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: teamB.accountId }, Action: ['s3:PutObject', 's3:PutObjectAcl', 's3:GetObjectAcl'], Resource: `arn:aws:s3:::${bucket}/*` }],
        }),
      }),
    );

  it.each([
    ['ObjectWriter', undefined, 'writer'],
    ['ObjectWriter', 'bucket-owner-full-control', 'writer'],
    ['BucketOwnerPreferred', undefined, 'writer'],
    ['BucketOwnerPreferred', 'bucket-owner-full-control', 'bucket owner'],
    ['BucketOwnerEnforced', undefined, 'bucket owner'],
    ['BucketOwnerEnforced', 'bucket-owner-full-control', 'bucket owner'],
  ] as const)('under %s, written with x-amz-acl %s, belongs to the %s', async (ownership, acl, expected) => {
    const bucket = await bucketWith(ownership, 'owned');
    await letBWrite(bucket);
    await rootB.send(new PutObjectCommand({ Bucket: bucket, Key: 'from-b.txt', Body: 'b', ...(acl ? { ACL: acl } : {}) }));
    // Only the object's owner may read its ACL unless it grants more (the bucket owner's policies count for nothing on another account's object).
    const { owner } = await grantsOf(expected === 'writer' ? rootB : sediment.s3, bucket, 'from-b.txt');
    expect(owner).toBe(expected === 'writer' ? teamB.canonicalId : ownerId);
  });

  it('gives the bucket owner what another account uploads in parts with bucket-owner-full-control under BucketOwnerPreferred', async () => {
    const bucket = await bucketWith('BucketOwnerPreferred', 'owned');
    await letBWrite(bucket);
    await uploadInParts(rootB, bucket, 'given.bin', 'bucket-owner-full-control');
    await uploadInParts(rootB, bucket, 'kept.bin');
    expect(await grantsOf(sediment.s3, bucket, 'given.bin')).toEqual({ owner: ownerId, grants: [[ownerId, 'FULL_CONTROL']] });
    expect((await grantsOf(rootB, bucket, 'kept.bin')).owner).toBe(teamB.canonicalId);
  });

  it('refuses an ACL other than the owner alone on CreateMultipartUpload under BucketOwnerEnforced', async () => {
    const bucket = await bucketWith('BucketOwnerEnforced', 'owned');
    await letBWrite(bucket);
    await expectSdkError(rootB.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'x.bin', ACL: 'public-read' })), 400, 'AccessControlListNotSupported');
  });

  it("keeps another account's object from the bucket owner until that account's ACL grants it, and lets its writer read it", async () => {
    const bucket = await bucketWith('ObjectWriter', 'owned');
    await letBWrite(bucket);
    await rootB.send(new PutObjectCommand({ Bucket: bucket, Key: 'from-b.txt', Body: 'written by b' }));
    // The bucket owner's root, whom its own policies allow everything, is refused: S3 asks the object's owner.
    await expectSdkError(sediment.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'from-b.txt' })), 403, 'AccessDenied');
    await expect(sediment.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'from-b.txt' }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
    // The writer reads its own object although the bucket policy grants it no s3:GetObject.
    const own = await rootB.send(new GetObjectCommand({ Bucket: bucket, Key: 'from-b.txt' }));
    expect(await own.Body?.transformToString()).toBe('written by b');
    await rootB.send(new PutObjectAclCommand({ Bucket: bucket, Key: 'from-b.txt', GrantFullControl: `id="${teamB.canonicalId}"`, GrantRead: `id="${ownerId}"` }));
    const granted = await sediment.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'from-b.txt' }));
    expect(await granted.Body?.transformToString()).toBe('written by b');
    // The bucket owner may still delete what is in its bucket.
    await sediment.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'from-b.txt' }));
    await expectSdkError(sediment.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'from-b.txt' })), 404, 'NoSuchKey');
  });

  it('gives the bucket owner FULL_CONTROL of a writer-owned object written with bucket-owner-full-control', async () => {
    const bucket = await bucketWith('ObjectWriter', 'owned');
    await letBWrite(bucket);
    await rootB.send(new PutObjectCommand({ Bucket: bucket, Key: 'from-b.txt', Body: 'b', ACL: 'bucket-owner-full-control' }));
    expect(await grantsOf(rootB, bucket, 'from-b.txt')).toEqual({ owner: teamB.canonicalId, grants: [[teamB.canonicalId, 'FULL_CONTROL'], [ownerId, 'FULL_CONTROL']] });
  });
});

describe('bucket ACLs beyond the canned ones', () => {
  const bucketGrants = async (client: S3Client, bucket: string) =>
    ((await client.send(new GetBucketAclCommand({ Bucket: bucket }))).Grants ?? []).map((g) => [g.Grantee?.ID ?? g.Grantee?.URI, g.Permission]);

  it("grants another account by canonical id through grant headers or a body, and shows the grants", async () => {
    const bucket = await bucketWith('ObjectWriter', 'bgrants');
    await sediment.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a.txt', Body: 'a' }));
    await expectSdkError(rootB.send(new ListObjectsV2Command({ Bucket: bucket })), 403, 'AccessDenied');
    await sediment.s3.send(new PutBucketAclCommand({ Bucket: bucket, GrantFullControl: `id="${ownerId}"`, GrantRead: `id="${teamB.canonicalId}"` }));
    // In the order of S3's grant headers: read, write, read-acp, write-acp, full-control.
    expect(await bucketGrants(sediment.s3, bucket)).toEqual([[teamB.canonicalId, 'READ'], [ownerId, 'FULL_CONTROL']]);
    expect((await rootB.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents?.map((o) => o.Key)).toEqual(['a.txt']);
    // READ lists the bucket; it never reads its objects.
    await expectSdkError(rootB.send(new GetObjectCommand({ Bucket: bucket, Key: 'a.txt' })), 403, 'AccessDenied');
    await expectSdkError(rootB.send(new PutObjectCommand({ Bucket: bucket, Key: 'b.txt', Body: 'b' })), 403, 'AccessDenied');

    await sediment.s3.send(
      new PutBucketAclCommand({
        Bucket: bucket,
        AccessControlPolicy: {
          Owner: { ID: ownerId },
          Grants: [
            { Grantee: { Type: 'CanonicalUser', ID: ownerId }, Permission: 'FULL_CONTROL' },
            { Grantee: { Type: 'CanonicalUser', ID: teamB.canonicalId }, Permission: 'WRITE' },
          ],
        },
      }),
    );
    expect(await bucketGrants(sediment.s3, bucket)).toEqual([[ownerId, 'FULL_CONTROL'], [teamB.canonicalId, 'WRITE']]);
    await rootB.send(new PutObjectCommand({ Bucket: bucket, Key: 'b.txt', Body: 'b' }));
    await expectSdkError(rootB.send(new ListObjectsV2Command({ Bucket: bucket })), 403, 'AccessDenied');
    // A grant list that is a canned ACL's is that canned ACL.
    await sediment.s3.send(new PutBucketAclCommand({ Bucket: bucket, GrantFullControl: `id="${ownerId}"`, GrantRead: `uri="${ALL_USERS}"` }));
    expect(await bucketGrants(sediment.s3, bucket)).toEqual([[ownerId, 'FULL_CONTROL'], [ALL_USERS, 'READ']]);
  });

  it('refuses grants with ACLs off, public grants under BlockPublicAcls, and unknown grantees', async () => {
    const enforced = name('bgrants');
    await sediment.s3.send(new CreateBucketCommand({ Bucket: enforced }));
    await expectSdkError(sediment.s3.send(new PutBucketAclCommand({ Bucket: enforced, GrantRead: `id="${teamB.canonicalId}"` })), 400, 'AccessControlListNotSupported');
    await sediment.s3.send(new PutBucketAclCommand({ Bucket: enforced, GrantFullControl: `id="${ownerId}"` }));
    const blocked = await bucketWith('ObjectWriter', 'bgrants');
    await sediment.s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: blocked,
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false },
      }),
    );
    await expectSdkError(sediment.s3.send(new PutBucketAclCommand({ Bucket: blocked, GrantRead: `uri="${AUTHENTICATED_USERS}"` })), 403, 'AccessDenied');
    await sediment.s3.send(new PutBucketAclCommand({ Bucket: blocked, GrantRead: `id="${teamB.canonicalId}"` }));
    await expectSdkError(sediment.s3.send(new PutBucketAclCommand({ Bucket: blocked, GrantRead: `id="${'f'.repeat(64)}"` })), 400, 'InvalidArgument');
    await expectSdkError(sediment.s3.send(new PutBucketAclCommand({ Bucket: blocked, GrantRead: 'emailAddress="a@example.com"' })), 400, 'UnresolvableGrantByEmailAddress');
  });
});

describe('the aws CLI', () => {
  it('puts and gets an object ACL, and an unsigned request reads the public object', async () => {
    const bucket = await bucketWith('ObjectWriter', 'cli');
    await sediment.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'page.html', Body: '<p>hi</p>' }));
    expect((await cli('s3api', 'put-object-acl', '--bucket', bucket, '--key', 'page.html', '--acl', 'public-read')).code).toBe(0);
    const got = await cli('s3api', 'get-object-acl', '--bucket', bucket, '--key', 'page.html', '--output', 'json');
    expect(got.code).toBe(0);
    const acl = JSON.parse(got.stdout) as { Owner: { ID: string }; Grants: Array<{ Grantee: { ID?: string; URI?: string }; Permission: string }> };
    expect(acl.Owner.ID).toBe(ownerId);
    expect(acl.Grants.map((g) => [g.Grantee.ID ?? g.Grantee.URI, g.Permission])).toEqual([[ownerId, 'FULL_CONTROL'], [ALL_USERS, 'READ']]);
    const anonymous = await awsCli({ endpoint: sediment.url, home }, 's3', 'cp', `s3://${bucket}/page.html`, '-', '--no-sign-request');
    expect(anonymous).toMatchObject({ code: 0, stdout: '<p>hi</p>' });
    const granted = await cli('s3api', 'put-object-acl', '--bucket', bucket, '--key', 'page.html', '--grant-read', `id=${teamB.canonicalId}`);
    expect(granted.code).toBe(0);
    const byEmail = await cli('s3api', 'put-object-acl', '--bucket', bucket, '--key', 'page.html', '--grant-read', 'emailAddress=a@example.com');
    expect(byEmail.code).not.toBe(0);
    expect(byEmail.stderr).toContain('UnresolvableGrantByEmailAddress');
  });
});
