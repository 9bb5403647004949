// IAM as a README user meets it: the real Debian awscli v2 (/usr/bin/aws, installed by
// scripts/install.sh) run as a child process against the service. The root creates a read-only
// user and its key with `aws iam`, the reader's key is then allowed exactly what its policy says,
// key status, a bucket policy and a canned bucket ACL change that, and the user is torn down.
// The CLI runs with an environment of its own (no ~/.aws, no instance metadata, no pager) and
// answers in JSON; failures are judged by exit code and the CLI's error line on stderr.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, HeadBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { Credentials } from '../support/raw-s3-request.js';
import { sdkError } from '../support/s3-api-assertions.js';
import { ROOT_ACCESS_KEY_ID, ROOT_SECRET, s3Client, startSediment, type SedimentUnderTest } from '../support/sediment-under-test.js';

const AWS_CLI = '/usr/bin/aws';
const ROOT: Credentials = { accessKeyId: ROOT_ACCESS_KEY_ID, secretAccessKey: ROOT_SECRET };
/** Exit code awscli v2 gives a service error of a single API call (`aws iam …`, `aws s3api …`, `aws s3 ls`). */
const SERVICE_ERROR = 254;
/** Exit code of an `aws s3 cp|rm|mb` whose transfer or call failed. */
const S3_COMMAND_FAILED = 1;

const BUCKET = `cli-iam-${randomBytes(4).toString('hex')}`;
const OTHER_BUCKET = `cli-iam-other-${randomBytes(4).toString('hex')}`;
const USER = 'reader';
const SMALL = `hello from the aws cli ${randomBytes(8).toString('hex')}\n`;
// Sediment has no multipart upload yet (CreateMultipartUpload answers NotImplemented), so the
// large file stays just under awscli's default multipart_threshold of 8 MiB: one PutObject.
const LARGE = randomBytes(8 * 1024 * 1024 - 64 * 1024);
// Above the threshold, as the README's workaround (`aws configure set default.s3.multipart_threshold 5GB`) allows.
const HUGE = randomBytes(9 * 1024 * 1024);
const INBOX_TEXT = 'dropped into the inbox\n';

const READ_ONLY_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket', 's3:ListAllMyBuckets'], Resource: '*' }],
};

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

let sediment: SedimentUnderTest;
let home: string;
let reader: Credentials;
let readerArn: string;

/**
 * Runs `/usr/bin/aws <args> --endpoint-url <sediment> --output json` with only the environment a
 * README user would set; `credentials: undefined` leaves the keys out (for --no-sign-request).
 * Resolves with the exit code whatever it is.
 */
function aws(credentials: Credentials | undefined, ...args: string[]): Promise<CliResult> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
  };
  if (credentials) {
    env.AWS_ACCESS_KEY_ID = credentials.accessKeyId;
    env.AWS_SECRET_ACCESS_KEY = credentials.secretAccessKey;
  }
  return new Promise((resolve, reject) => {
    execFile(
      AWS_CLI,
      [...args, '--endpoint-url', sediment.url, '--output', 'json'],
      { env, cwd: home, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(new Error(`aws ${args.join(' ')} did not run: ${error.message}\n${stderr}`));
          return;
        }
        resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
      },
    );
  });
}

/** A call that must succeed; its stdout parsed as JSON when it printed any. */
async function ok<T = any>(credentials: Credentials | undefined, ...args: string[]): Promise<T> {
  const result = await aws(credentials, ...args);
  if (result.code !== 0) {
    throw new Error(`aws ${args.join(' ')} exited ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  }
  return (result.stdout.trim() === '' ? undefined : JSON.parse(result.stdout)) as T;
}

/** A call that must fail with this exit code and this AWS error line (a substring of stderr). */
async function fails(expected: { code: number; error: string }, credentials: Credentials | undefined, ...args: string[]): Promise<CliResult> {
  const result = await aws(credentials, ...args);
  expect({ code: result.code, stderr: result.stderr }).toEqual({ code: expected.code, stderr: expect.stringContaining(expected.error) });
  return result;
}

/** Large bodies are compared by digest: jest's deep equality walks a Buffer byte by byte (~seconds per MiB). */
function sha256(body: Buffer | string): string {
  return typeof body === 'string' ? `not an object: ${body}` : createHash('sha256').update(body).digest('hex');
}

/** What the root reads back through the SDK: the object's bytes, or the S3 error code. */
async function objectAsRoot(key: string): Promise<Buffer | string> {
  try {
    const res = await sediment.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    return Buffer.from(await res.Body!.transformToByteArray());
  } catch (error) {
    return (error as { name: string }).name;
  }
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'sediment-awscli-'));
  await writeFile(join(home, 'policy.json'), JSON.stringify(READ_ONLY_POLICY, null, 2));
  await writeFile(join(home, 'a.txt'), SMALL);
  await writeFile(join(home, 'large.bin'), LARGE);
  await writeFile(join(home, 'huge.bin'), HUGE);
  await writeFile(join(home, 'x.txt'), 'must never be stored\n');
  await writeFile(join(home, 'inbox.txt'), INBOX_TEXT);
  sediment = await startSediment();
}, 60_000);

afterAll(async () => {
  await sediment?.stop();
  if (home) await rm(home, { recursive: true, force: true });
});

describe('the AWS CLI against IAM users, policies, bucket policies and ACLs', () => {
  it('root creates the reader, its key and a read-only inline policy with `aws iam`', async () => {
    const { User } = await ok(ROOT, 'iam', 'create-user', '--user-name', USER);
    expect(User).toEqual(
      expect.objectContaining({ UserName: USER, Path: '/', Arn: expect.stringMatching(/^arn:aws:iam::\d{12}:user\/reader$/) }),
    );
    readerArn = User.Arn;

    const { AccessKey } = await ok(ROOT, 'iam', 'create-access-key', '--user-name', USER);
    expect(AccessKey).toEqual(expect.objectContaining({ UserName: USER, Status: 'Active' }));
    expect(AccessKey.AccessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(AccessKey.SecretAccessKey).toEqual(expect.any(String));
    expect(AccessKey.SecretAccessKey.length).toBeGreaterThanOrEqual(40);
    reader = { accessKeyId: AccessKey.AccessKeyId, secretAccessKey: AccessKey.SecretAccessKey };

    const put = await ok(
      ROOT, 'iam', 'put-user-policy', '--user-name', USER, '--policy-name', 'read-only', '--policy-document', 'file://policy.json',
    );
    expect(put).toBeUndefined();

    const { Users } = await ok(ROOT, 'iam', 'list-users');
    expect(Users).toEqual([expect.objectContaining({ UserName: USER, Arn: readerArn, UserId: User.UserId })]);

    // `aws iam get-user` with the root's keys describes the root (how tools find the account id).
    expect(await ok(ROOT, 'iam', 'get-user')).toEqual({ User: { UserId: expect.stringMatching(/^\d{12}$/), Arn: expect.stringMatching(/^arn:aws:iam::\d{12}:root$/) } });

    const policy = await ok(ROOT, 'iam', 'get-user-policy', '--user-name', USER, '--policy-name', 'read-only');
    expect(policy).toEqual({ UserName: USER, PolicyName: 'read-only', PolicyDocument: READ_ONLY_POLICY });

    const { AccessKeyMetadata } = await ok(ROOT, 'iam', 'list-access-keys', '--user-name', USER);
    expect(AccessKeyMetadata).toEqual([expect.objectContaining({ UserName: USER, AccessKeyId: reader.accessKeyId, Status: 'Active' })]);
    // The secret is shown once, by create-access-key, and never listed.
    expect(JSON.stringify(AccessKeyMetadata)).not.toContain(reader.secretAccessKey);
  }, 60_000);

  it('root makes a bucket and uploads a small and a large file with `aws s3`', async () => {
    const mb = await aws(ROOT, 's3', 'mb', `s3://${BUCKET}`);
    expect(mb).toEqual(expect.objectContaining({ code: 0 }));
    expect(mb.stdout).toContain(`make_bucket: ${BUCKET}`);

    const small = await aws(ROOT, 's3', 'cp', 'a.txt', `s3://${BUCKET}/docs/a.txt`);
    expect(small).toEqual(expect.objectContaining({ code: 0, stderr: '' }));
    const large = await aws(ROOT, 's3', 'cp', 'large.bin', `s3://${BUCKET}/docs/large.bin`);
    expect(large).toEqual(expect.objectContaining({ code: 0, stderr: '' }));
    // The README's workaround for files above 8 MiB until multipart lands: written to $HOME/.aws/config.
    expect(await ok(ROOT, 'configure', 'set', 'default.s3.multipart_threshold', '5GB')).toBeUndefined();
    const huge = await aws(ROOT, 's3', 'cp', 'huge.bin', `s3://${BUCKET}/docs/huge.bin`);
    expect(huge).toEqual(expect.objectContaining({ code: 0, stderr: '' }));

    expect(await objectAsRoot('docs/a.txt')).toEqual(Buffer.from(SMALL));
    expect(sha256(await objectAsRoot('docs/large.bin'))).toBe(sha256(LARGE));
    expect(sha256(await objectAsRoot('docs/huge.bin'))).toBe(sha256(HUGE));
  }, 60_000);

  it("the reader's key lists buckets and objects and reads an object", async () => {
    const buckets = await aws(reader, 's3', 'ls');
    expect(buckets).toEqual(expect.objectContaining({ code: 0, stderr: '' }));
    expect(buckets.stdout).toMatch(new RegExp(`^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} ${BUCKET}$`, 'm'));

    const listing = await aws(reader, 's3', 'ls', `s3://${BUCKET}/docs/`);
    expect(listing).toEqual(expect.objectContaining({ code: 0, stderr: '' }));
    expect(listing.stdout).toMatch(new RegExp(`\\s${Buffer.byteLength(SMALL)} a\\.txt$`, 'm'));
    expect(listing.stdout).toMatch(new RegExp(`\\s${LARGE.length} large\\.bin$`, 'm'));
    expect(listing.stdout).toMatch(new RegExp(`\\s${HUGE.length} huge\\.bin$`, 'm'));

    const read = await aws(reader, 's3', 'cp', `s3://${BUCKET}/docs/a.txt`, '-');
    expect(read).toEqual({ code: 0, stdout: SMALL, stderr: '' });
  }, 60_000);

  it("the reader's key cannot upload, delete, create a bucket or call IAM", async () => {
    await fails(
      { code: S3_COMMAND_FAILED, error: 'An error occurred (AccessDenied) when calling the PutObject operation' },
      reader, 's3', 'cp', 'x.txt', `s3://${BUCKET}/x.txt`,
    );
    expect(await objectAsRoot('x.txt')).toBe('NoSuchKey');

    await fails(
      { code: S3_COMMAND_FAILED, error: 'An error occurred (AccessDenied) when calling the DeleteObject operation' },
      reader, 's3', 'rm', `s3://${BUCKET}/docs/a.txt`,
    );
    expect(await objectAsRoot('docs/a.txt')).toEqual(Buffer.from(SMALL));

    await fails(
      { code: S3_COMMAND_FAILED, error: 'An error occurred (AccessDenied) when calling the CreateBucket operation' },
      reader, 's3', 'mb', `s3://${OTHER_BUCKET}`,
    );
    expect((await sdkError(sediment.s3.send(new HeadBucketCommand({ Bucket: OTHER_BUCKET })))).$metadata.httpStatusCode).toBe(404);

    await fails(
      { code: SERVICE_ERROR, error: 'An error occurred (AccessDenied) when calling the ListUsers operation' },
      reader, 'iam', 'list-users',
    );
  }, 60_000);

  it("an Inactive key is refused as unknown; made Active again it works", async () => {
    const key = ['--user-name', USER, '--access-key-id', reader.accessKeyId];
    expect(await ok(ROOT, 'iam', 'update-access-key', ...key, '--status', 'Inactive')).toBeUndefined();
    await fails(
      { code: SERVICE_ERROR, error: 'An error occurred (InvalidAccessKeyId) when calling the ListBuckets operation' },
      reader, 's3', 'ls',
    );

    expect(await ok(ROOT, 'iam', 'update-access-key', ...key, '--status', 'Active')).toBeUndefined();
    const again = await aws(reader, 's3', 'ls');
    expect(again).toEqual(expect.objectContaining({ code: 0, stderr: '' }));
    expect(again.stdout).toContain(BUCKET);
  }, 60_000);

  it('a bucket policy lets the reader upload into inbox/ only, until it is deleted', async () => {
    const bucketPolicy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'ReaderInbox', Effect: 'Allow', Principal: { AWS: readerArn }, Action: 's3:PutObject', Resource: `arn:aws:s3:::${BUCKET}/inbox/*` },
      ],
    });
    await writeFile(join(home, 'bucket-policy.json'), bucketPolicy);
    expect(await ok(ROOT, 's3api', 'put-bucket-policy', '--bucket', BUCKET, '--policy', 'file://bucket-policy.json')).toBeUndefined();
    // Returned exactly as it was put.
    expect(await ok(ROOT, 's3api', 'get-bucket-policy', '--bucket', BUCKET)).toEqual({ Policy: bucketPolicy });

    const inbox = await aws(reader, 's3', 'cp', 'inbox.txt', `s3://${BUCKET}/inbox/note.txt`);
    expect(inbox).toEqual(expect.objectContaining({ code: 0, stderr: '' }));
    expect(await objectAsRoot('inbox/note.txt')).toEqual(Buffer.from(INBOX_TEXT));

    await fails(
      { code: S3_COMMAND_FAILED, error: 'An error occurred (AccessDenied) when calling the PutObject operation' },
      reader, 's3', 'cp', 'x.txt', `s3://${BUCKET}/docs/a.txt`,
    );
    expect(await objectAsRoot('docs/a.txt')).toEqual(Buffer.from(SMALL));

    expect(await ok(ROOT, 's3api', 'delete-bucket-policy', '--bucket', BUCKET)).toBeUndefined();
    await fails(
      { code: SERVICE_ERROR, error: 'An error occurred (NoSuchBucketPolicy) when calling the GetBucketPolicy operation' },
      ROOT, 's3api', 'get-bucket-policy', '--bucket', BUCKET,
    );
    await fails(
      { code: S3_COMMAND_FAILED, error: 'An error occurred (AccessDenied) when calling the PutObject operation' },
      reader, 's3', 'cp', 'inbox.txt', `s3://${BUCKET}/inbox/again.txt`,
    );
    expect(await objectAsRoot('inbox/again.txt')).toBe('NoSuchKey');
  }, 60_000);

  it('a public-read bucket ACL lets unsigned requests list the bucket but not read its objects', async () => {
    await fails(
      { code: SERVICE_ERROR, error: 'An error occurred (AccessDenied) when calling the ListObjectsV2 operation' },
      undefined, 's3', 'ls', `s3://${BUCKET}`, '--no-sign-request',
    );

    // `aws s3 mb` made it with ACLs off (BucketOwnerEnforced), as AWS does: a public ACL is refused until they are on.
    await fails(
      { code: SERVICE_ERROR, error: 'An error occurred (AccessControlListNotSupported) when calling the PutBucketAcl operation: The bucket does not allow ACLs' },
      ROOT, 's3api', 'put-bucket-acl', '--bucket', BUCKET, '--acl', 'public-read',
    );
    expect(await ok(ROOT, 's3api', 'get-bucket-ownership-controls', '--bucket', BUCKET)).toEqual({
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
    expect(await ok(ROOT, 's3api', 'put-bucket-ownership-controls', '--bucket', BUCKET, '--ownership-controls', 'Rules=[{ObjectOwnership=ObjectWriter}]')).toBeUndefined();
    expect(await ok(ROOT, 's3api', 'put-bucket-acl', '--bucket', BUCKET, '--acl', 'public-read')).toBeUndefined();
    const acl = await ok(ROOT, 's3api', 'get-bucket-acl', '--bucket', BUCKET);
    expect(acl.Grants).toEqual([
      { Grantee: expect.objectContaining({ Type: 'CanonicalUser', ID: acl.Owner.ID }), Permission: 'FULL_CONTROL' },
      { Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READ' },
    ]);

    const anonymous = await aws(undefined, 's3', 'ls', `s3://${BUCKET}`, '--no-sign-request');
    expect(anonymous).toEqual(expect.objectContaining({ code: 0, stderr: '' }));
    expect(anonymous.stdout).toMatch(/^\s+PRE docs\/$/m);
    expect(anonymous.stdout).toMatch(/^\s+PRE inbox\/$/m);

    await fails(
      { code: SERVICE_ERROR, error: 'An error occurred (AccessDenied) when calling the GetObject operation' },
      undefined, 's3api', 'get-object', '--bucket', BUCKET, '--key', 'docs/a.txt', 'anonymous-copy.txt', '--no-sign-request',
    );
  }, 60_000);

  it("the JS SDK with the reader's key: GetObject allowed, PutObject AccessDenied (403)", async () => {
    const s3 = s3Client(sediment.url, reader);
    try {
      const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'docs/a.txt' }));
      expect(await got.Body!.transformToString()).toBe(SMALL);

      const error = await sdkError(s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'sdk.txt', Body: 'nope' })));
      expect(error.name).toBe('AccessDenied');
      expect(error.$metadata.httpStatusCode).toBe(403);
      expect(await objectAsRoot('sdk.txt')).toBe('NoSuchKey');
    } finally {
      s3.destroy();
    }
  }, 60_000);

  it('a user with keys or policies cannot be deleted; without them it is gone', async () => {
    const conflict = 'An error occurred (DeleteConflict) when calling the DeleteUser operation';
    await fails({ code: SERVICE_ERROR, error: conflict }, ROOT, 'iam', 'delete-user', '--user-name', USER);

    expect(await ok(ROOT, 'iam', 'delete-access-key', '--user-name', USER, '--access-key-id', reader.accessKeyId)).toBeUndefined();
    // The inline policy alone still holds the user.
    await fails({ code: SERVICE_ERROR, error: conflict }, ROOT, 'iam', 'delete-user', '--user-name', USER);

    expect(await ok(ROOT, 'iam', 'delete-user-policy', '--user-name', USER, '--policy-name', 'read-only')).toBeUndefined();
    expect(await ok(ROOT, 'iam', 'delete-user', '--user-name', USER)).toBeUndefined();

    await fails(
      { code: SERVICE_ERROR, error: 'An error occurred (NoSuchEntity) when calling the GetUser operation' },
      ROOT, 'iam', 'get-user', '--user-name', USER,
    );
    await fails(
      { code: SERVICE_ERROR, error: 'An error occurred (InvalidAccessKeyId) when calling the ListBuckets operation' },
      reader, 's3', 'ls',
    );
  }, 60_000);
});
