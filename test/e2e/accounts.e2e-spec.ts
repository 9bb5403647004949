// Accounts, seen from the outside: two accounts created with the `sediment account` CLI (the built
// one, run as an operator would), each with its own root credentials, IAM users and buckets;
// bucket names shared between them (BucketAlreadyExists vs BucketAlreadyOwnedByYou), ListBuckets
// kept apart, x-amz-expected-bucket-owner, cross-account access only through the bucket owner's
// policy (a foreign root, a foreign IAM user with and without its own policy), owner ids in
// listings, and an account's deletion.
import { jest } from '@jest/globals';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetBucketAclCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListObjectsCommand,
  ListObjectVersionsCommand,
  ListPartsCommand,
  AbortMultipartUploadCommand,
  PutBucketAclCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { CreateUserCommand, DeleteAccessKeyCommand, DeleteUserCommand, DeleteUserPolicyCommand, GetUserCommand, ListUsersCommand, PutUserPolicyCommand, type IAMClient } from '@aws-sdk/client-iam';
import { createHash } from 'node:crypto';
import { createUserWithKey, iamClient, policy } from '../support/iam-helpers.js';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { operatorEnv } from '../support/operator-cli.js';
import { accountCli as accountCliOf, createAccount as createAccountOf, type CreatedAccount } from '../support/account-cli.js';
import type { Credentials } from '../support/raw-s3-request.js';
import { expectSdkError } from '../support/s3-api-assertions.js';
import { s3Client, startSediment, type SedimentUnderTest } from '../support/sediment-under-test.js';

jest.setTimeout(120_000);

const DEFAULT_ACCOUNT = '000000000000';
const canonicalIdOf = (accountId: string) => createHash('sha256').update(`arn:aws:iam::${accountId}:root`).digest('hex');

let sediment: SedimentUnderTest;
let teamA: CreatedAccount;
let teamB: CreatedAccount;
let rootA: S3Client;
let rootB: S3Client;
let iamA: IAMClient;
let iamB: IAMClient;
const clients: Array<{ destroy(): void }> = [];

const run = promisify(execFile);
const accountCli = (...args: string[]) => accountCliOf(sediment, ...args);
const createAccount = (name: string) => createAccountOf(sediment, name);

function client(credentials: Credentials): S3Client {
  const s3 = s3Client(sediment.url, credentials);
  clients.push(s3);
  return s3;
}

function iamOf(credentials: Credentials): IAMClient {
  const iam = iamClient(sediment.url, credentials);
  clients.push(iam);
  return iam;
}

const readPolicy = (bucket: string, principal: string | string[], actions: string[] = ['s3:GetObject']) =>
  policy({ Effect: 'Allow', Principal: { AWS: principal }, Action: actions, Resource: `arn:aws:s3:::${bucket}/*` });

beforeAll(async () => {
  sediment = await startSediment();
  teamA = await createAccount('team-a');
  teamB = await createAccount('team-b');
  rootA = client(teamA.credentials);
  rootB = client(teamB.credentials);
  iamA = iamOf(teamA.credentials);
  iamB = iamOf(teamB.credentials);
}, 120_000);

afterAll(async () => {
  for (const c of clients) c.destroy();
  sediment?.s3.destroy();
  await sediment?.stop();
}, 60_000);

describe('sediment account', () => {
  it('creates accounts with a 12-digit id, the canonical id of their root ARN and root credentials', () => {
    for (const [account, name] of [[teamA, 'team-a'], [teamB, 'team-b']] as const) {
      expect(account.accountId).toMatch(/^\d{12}$/);
      expect(account.accountId).not.toBe(DEFAULT_ACCOUNT);
      expect(account.name).toBe(name);
      expect(account.canonicalId).toBe(canonicalIdOf(account.accountId));
      expect(account.credentials.accessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
      expect(account.credentials.secretAccessKey.length).toBeGreaterThanOrEqual(40);
    }
    expect(teamA.accountId).not.toBe(teamB.accountId);
  });

  it('lists the default account and every created one', async () => {
    const { stdout } = await accountCli('list');
    expect(stdout).toMatch(new RegExp(`^${DEFAULT_ACCOUNT}\\s+root\\s+${canonicalIdOf(DEFAULT_ACCOUNT)}$`, 'm'));
    expect(stdout).toMatch(new RegExp(`^${teamA.accountId}\\s+team-a\\s+${teamA.canonicalId}$`, 'm'));
    expect(stdout).toMatch(new RegExp(`^${teamB.accountId}\\s+team-b\\s+${teamB.canonicalId}$`, 'm'));
  });

  it('refuses a name in use (whatever its case) and a malformed one', async () => {
    await expect(accountCli('create', 'TEAM-A')).rejects.toMatchObject({ code: 70, stderr: expect.stringContaining('EntityAlreadyExists') });
    await expect(accountCli('create', 'bad name')).rejects.toMatchObject({ code: 64 });
  });

  it("lets each account's root sign in, and only the default root manage accounts", async () => {
    await expect(rootA.send(new ListBucketsCommand({}))).resolves.toMatchObject({ Owner: { ID: teamA.canonicalId, DisplayName: 'team-a' } });
    const denied = await run(process.execPath, ['dist/cli/main.js', 'account', 'list'], {
      env: operatorEnv(sediment.config, {
        SEDIMENT_URL: sediment.url,
        SEDIMENT_ROOT_ACCESS_KEY_ID: teamA.credentials.accessKeyId,
        SEDIMENT_ROOT_SECRET_ACCESS_KEY: teamA.credentials.secretAccessKey,
      }),
    }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(denied).toMatchObject({ code: 77, stderr: expect.stringContaining('AccessDenied') });
  });
});

describe('buckets of several accounts', () => {
  beforeAll(async () => {
    await rootA.send(new CreateBucketCommand({ Bucket: 'acct-a-data' }));
    await rootB.send(new CreateBucketCommand({ Bucket: 'acct-b-data' }));
    await sediment.s3.send(new CreateBucketCommand({ Bucket: 'acct-default-data' }));
  });

  it("answers BucketAlreadyExists for another account's name, BucketAlreadyOwnedByYou for one's own", async () => {
    await expectSdkError(rootB.send(new CreateBucketCommand({ Bucket: 'acct-a-data' })), 409, 'BucketAlreadyExists');
    await expectSdkError(sediment.s3.send(new CreateBucketCommand({ Bucket: 'acct-a-data' })), 409, 'BucketAlreadyExists');
    await expectSdkError(rootA.send(new CreateBucketCommand({ Bucket: 'acct-a-data' })), 409, 'BucketAlreadyOwnedByYou');
  });

  it("lists only the caller's account's buckets, under its owner id", async () => {
    const a = await rootA.send(new ListBucketsCommand({}));
    const b = await rootB.send(new ListBucketsCommand({}));
    const byDefault = await sediment.s3.send(new ListBucketsCommand({}));
    expect(a.Buckets?.map((x) => x.Name)).toEqual(['acct-a-data']);
    expect(b.Buckets?.map((x) => x.Name)).toEqual(['acct-b-data']);
    expect(byDefault.Buckets?.map((x) => x.Name)).toEqual(['acct-default-data']);
    expect(b.Owner).toEqual({ ID: teamB.canonicalId, DisplayName: 'team-b' });
    expect(byDefault.Owner).toEqual({ ID: canonicalIdOf(DEFAULT_ACCOUNT), DisplayName: 'root' });
  });

  it('checks x-amz-expected-bucket-owner against the owning account: 403 on a mismatch', async () => {
    await expect(rootA.send(new HeadBucketCommand({ Bucket: 'acct-a-data', ExpectedBucketOwner: teamA.accountId }))).resolves.toBeDefined();
    await expectSdkError(rootA.send(new ListObjectsV2Command({ Bucket: 'acct-a-data', ExpectedBucketOwner: teamB.accountId })), 403, 'AccessDenied');
    await expectSdkError(rootA.send(new ListObjectsV2Command({ Bucket: 'acct-a-data', ExpectedBucketOwner: DEFAULT_ACCOUNT })), 403, 'AccessDenied');
    await expect(sediment.s3.send(new HeadBucketCommand({ Bucket: 'acct-default-data', ExpectedBucketOwner: DEFAULT_ACCOUNT }))).resolves.toBeDefined();
  });

  it("shows the bucket owner's account in GetBucketAcl", async () => {
    const acl = await rootB.send(new GetBucketAclCommand({ Bucket: 'acct-b-data' }));
    expect(acl.Owner).toEqual({ ID: teamB.canonicalId, DisplayName: 'team-b' });
  });
});

describe('cross-account access', () => {
  const bucket = 'acct-a-shared';
  let carol: S3Client;
  let carolCredentials: Credentials;

  beforeAll(async () => {
    await rootA.send(new CreateBucketCommand({ Bucket: bucket }));
    await rootA.send(new PutObjectCommand({ Bucket: bucket, Key: 'by-a.txt', Body: 'from a' }));
    carolCredentials = await createUserWithKey(iamB, 'carol');
    carol = client(carolCredentials);
  });

  it("denies another account's root and users without a bucket policy, the default root included", async () => {
    await expectSdkError(rootB.send(new GetObjectCommand({ Bucket: bucket, Key: 'by-a.txt' })), 403, 'AccessDenied');
    await expectSdkError(rootB.send(new ListObjectsV2Command({ Bucket: bucket })), 403, 'AccessDenied');
    await expectSdkError(carol.send(new GetObjectCommand({ Bucket: bucket, Key: 'by-a.txt' })), 403, 'AccessDenied');
    await expectSdkError(sediment.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'by-a.txt' })), 403, 'AccessDenied');
    await expectSdkError(rootB.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: readPolicy(bucket, teamB.accountId) })), 403, 'AccessDenied');
  });

  it("lets a foreign root in through a bucket policy naming its account; a foreign user needs its own policy too", async () => {
    await rootA.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: readPolicy(bucket, `arn:aws:iam::${teamB.accountId}:root`, ['s3:GetObject', 's3:PutObject']) }));
    const got = await rootB.send(new GetObjectCommand({ Bucket: bucket, Key: 'by-a.txt' }));
    expect(await got.Body!.transformToString()).toBe('from a');
    await expectSdkError(rootB.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'by-a.txt' })), 403, 'AccessDenied');
    // Naming the account delegates to it: carol needs an Allow of her own.
    await expectSdkError(carol.send(new GetObjectCommand({ Bucket: bucket, Key: 'by-a.txt' })), 403, 'AccessDenied');
    await iamB.send(new PutUserPolicyCommand({ UserName: 'carol', PolicyName: 'read', PolicyDocument: policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }) }));
    await expect(carol.send(new GetObjectCommand({ Bucket: bucket, Key: 'by-a.txt' }))).resolves.toBeDefined();
    await expectSdkError(carol.send(new PutObjectCommand({ Bucket: bucket, Key: 'carol.txt', Body: 'x' })), 403, 'AccessDenied');
  });

  it("lets a foreign user in through a bucket policy naming the user's ARN, only with its own policy", async () => {
    const carolArn = (await iamB.send(new GetUserCommand({ UserName: 'carol' }))).User!.Arn!;
    expect(carolArn).toBe(`arn:aws:iam::${teamB.accountId}:user/carol`);
    await rootA.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: readPolicy(bucket, carolArn) }));
    await expect(carol.send(new GetObjectCommand({ Bucket: bucket, Key: 'by-a.txt' }))).resolves.toBeDefined();
    await expectSdkError(rootB.send(new GetObjectCommand({ Bucket: bucket, Key: 'by-a.txt' })), 403, 'AccessDenied');
    await iamB.send(new DeleteUserPolicyCommand({ UserName: 'carol', PolicyName: 'read' }));
    await expectSdkError(carol.send(new GetObjectCommand({ Bucket: bucket, Key: 'by-a.txt' })), 403, 'AccessDenied');
  });

  it("lets another account in through the owner's ACL; its users also need their own Allow", async () => {
    await expectSdkError(rootB.send(new ListObjectsV2Command({ Bucket: 'acct-a-data' })), 403, 'AccessDenied');
    // A new bucket has ACLs off (BucketOwnerEnforced), as in AWS: the owner turns them on first.
    await rootA.send(new PutBucketOwnershipControlsCommand({ Bucket: 'acct-a-data', OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] } }));
    await rootA.send(new PutBucketAclCommand({ Bucket: 'acct-a-data', ACL: 'authenticated-read' }));
    await expect(rootB.send(new ListObjectsV2Command({ Bucket: 'acct-a-data' }))).resolves.toMatchObject({ KeyCount: 0 });
    await expectSdkError(carol.send(new ListObjectsV2Command({ Bucket: 'acct-a-data' })), 403, 'AccessDenied');
    await iamB.send(new PutUserPolicyCommand({ UserName: 'carol', PolicyName: 'list', PolicyDocument: policy({ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' }) }));
    await expect(carol.send(new ListObjectsV2Command({ Bucket: 'acct-a-data' }))).resolves.toMatchObject({ KeyCount: 0 });
    await iamB.send(new DeleteUserPolicyCommand({ UserName: 'carol', PolicyName: 'list' }));
    await rootA.send(new PutBucketAclCommand({ Bucket: 'acct-a-data', ACL: 'private' }));
    await expectSdkError(rootB.send(new ListObjectsV2Command({ Bucket: 'acct-a-data' })), 403, 'AccessDenied');
  });

  it('records what a foreign account writes as owned by it, in listings and uploads', async () => {
    await rootA.send(
      new PutBucketPolicyCommand({
        Bucket: bucket,
        Policy: readPolicy(bucket, teamB.accountId, ['s3:PutObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload']),
      }),
    );
    // Under ObjectWriter the writer owns what it writes; under the default, BucketOwnerEnforced,
    // the bucket owner would (object-acl.e2e-spec.ts).
    await rootA.send(new PutBucketOwnershipControlsCommand({ Bucket: bucket, OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] } }));
    await rootB.send(new PutObjectCommand({ Bucket: bucket, Key: 'by-b.txt', Body: 'from b' }));
    // A copy out of another account's bucket checks x-amz-source-expected-bucket-owner against its owner.
    const copy = (owner: string) =>
      rootB.send(new CopyObjectCommand({ Bucket: 'acct-b-data', Key: 'copied', CopySource: `${bucket}/by-a.txt`, ExpectedSourceBucketOwner: owner, ExpectedBucketOwner: teamB.accountId }));
    await expectSdkError(copy(teamB.accountId), 403, 'AccessDenied');
    await expect(copy(teamA.accountId)).resolves.toBeDefined();
    await rootB.send(new DeleteObjectCommand({ Bucket: 'acct-b-data', Key: 'copied' }));
    const v2 = await rootA.send(new ListObjectsV2Command({ Bucket: bucket, FetchOwner: true }));
    const owners = Object.fromEntries((v2.Contents ?? []).map((o) => [o.Key, o.Owner]));
    expect(owners).toEqual({ 'by-a.txt': { ID: teamA.canonicalId, DisplayName: 'team-a' }, 'by-b.txt': { ID: teamB.canonicalId, DisplayName: 'team-b' } });
    const v1 = await rootA.send(new ListObjectsCommand({ Bucket: bucket }));
    expect(v1.Contents?.find((o) => o.Key === 'by-b.txt')?.Owner).toEqual({ ID: teamB.canonicalId, DisplayName: 'team-b' });
    const versions = await rootA.send(new ListObjectVersionsCommand({ Bucket: bucket }));
    expect(Object.fromEntries((versions.Versions ?? []).map((v) => [v.Key, v.Owner]))).toEqual(owners);

    const { UploadId } = await rootB.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'upload-by-b' }));
    const uploads = await rootA.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
    expect(uploads.Uploads?.map((u) => [u.Key, u.Owner, u.Initiator])).toEqual([
      ['upload-by-b', { ID: teamB.canonicalId, DisplayName: 'team-b' }, { ID: teamB.canonicalId, DisplayName: 'team-b' }],
    ]);
    const parts = await rootB.send(new ListPartsCommand({ Bucket: bucket, Key: 'upload-by-b', UploadId }));
    expect(parts.Owner).toEqual({ ID: teamB.canonicalId, DisplayName: 'team-b' });
    expect(parts.Initiator).toEqual({ ID: teamB.canonicalId, DisplayName: 'team-b' });
    await rootB.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: 'upload-by-b', UploadId }));
  });
});

describe('IAM users per account', () => {
  it('keeps user names apart per account, with ARNs in their own account', async () => {
    await iamA.send(new CreateUserCommand({ UserName: 'dev' }));
    await iamB.send(new CreateUserCommand({ UserName: 'dev' }));
    await sediment.s3.send(new ListBucketsCommand({}));
    const a = await iamA.send(new ListUsersCommand({}));
    const b = await iamB.send(new ListUsersCommand({}));
    expect(a.Users?.map((u) => u.Arn)).toEqual([`arn:aws:iam::${teamA.accountId}:user/dev`]);
    expect(b.Users?.map((u) => u.Arn).sort()).toEqual([`arn:aws:iam::${teamB.accountId}:user/carol`, `arn:aws:iam::${teamB.accountId}:user/dev`]);
    const byDefault = await iamClient(sediment.url).send(new ListUsersCommand({}));
    expect(byDefault.Users ?? []).toEqual([]);
    await iamA.send(new DeleteUserCommand({ UserName: 'dev' }));
    await expect(iamB.send(new GetUserCommand({ UserName: 'dev' }))).resolves.toBeDefined();
  });

  it("lets a user of an account act for it: owning what it creates, seeing the account's buckets", async () => {
    const dave = client(await createUserWithKey(iamB, 'dave', { all: policy({ Effect: 'Allow', Action: 's3:*', Resource: '*' }) }));
    await dave.send(new CreateBucketCommand({ Bucket: 'acct-b-by-dave' }));
    const listed = await rootB.send(new ListBucketsCommand({}));
    expect(listed.Buckets?.map((x) => x.Name)).toEqual(['acct-b-by-dave', 'acct-b-data']);
    await expectSdkError(dave.send(new GetObjectCommand({ Bucket: 'acct-a-data', Key: 'x' })), 403, 'AccessDenied');
    await dave.send(new DeleteBucketCommand({ Bucket: 'acct-b-by-dave' }));
  });
});

describe('deleting an account', () => {
  it('refuses while the account owns buckets or users, then deletes it and its root key stops signing', async () => {
    const team = await createAccount('short-lived');
    const root = client(team.credentials);
    const iam = iamOf(team.credentials);
    await root.send(new CreateBucketCommand({ Bucket: 'acct-short-lived' }));
    await expect(accountCli('delete', team.accountId)).rejects.toMatchObject({ stderr: expect.stringContaining('DeleteConflict') });
    await root.send(new DeleteBucketCommand({ Bucket: 'acct-short-lived' }));
    const erin = await createUserWithKey(iam, 'erin');
    await expect(accountCli('delete', team.accountId)).rejects.toMatchObject({ stderr: expect.stringContaining('DeleteConflict') });
    await iam.send(new DeleteAccessKeyCommand({ UserName: 'erin', AccessKeyId: erin.accessKeyId }));
    await iam.send(new DeleteUserCommand({ UserName: 'erin' }));
    await expect(accountCli('delete', team.accountId)).resolves.toMatchObject({ stdout: 'deleted\n' });
    await expectSdkError(root.send(new ListBucketsCommand({})), 403, 'InvalidAccessKeyId');
    await expect(accountCli('delete', DEFAULT_ACCOUNT)).rejects.toMatchObject({ stderr: expect.stringContaining('DeleteConflict') });
    const { stdout } = await accountCli('list');
    expect(stdout).not.toContain(team.accountId);
  });
});
