// Object Lock (WORM) through the AWS SDK v3, boto3 and the aws CLI: a bucket created with lock, its default
// retention, retention and legal hold per version, the lock headers on PUT/GET/HEAD, the
// deletions S3 refuses and the governance bypass with and without s3:BypassGovernanceRetention,
// and the facts the log keeps (every event also checked against docs/asyncapi.yaml).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetObjectLegalHoldCommand,
  GetObjectLockConfigurationCommand,
  GetObjectRetentionCommand,
  HeadObjectCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectLegalHoldCommand,
  PutObjectLockConfigurationCommand,
  PutObjectRetentionCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { awsCli } from '../support/aws-cli.js';
import { createUserWithKey, iamClient, policy } from '../support/iam-helpers.js';
import { readTopic } from '../support/kafka-topic-reader.js';
import { runPythonClient } from '../support/python-client.js';
import { ROOT_CREDENTIALS, rawS3Request, xmlText } from '../support/raw-s3-request.js';
import { expectRawError, expectSdkError } from '../support/s3-api-assertions.js';
import { s3Client, serviceWithBucket } from '../support/sediment-under-test.js';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'clients', 'boto3_object_lock.py');
const service = serviceWithBucket('plain');
const vault = `vault-${randomBytes(4).toString('hex')}`;
const s3 = (): S3Client => service.sediment.s3;
const inDays = (days: number) => new Date(Math.floor(Date.now() / 1000) * 1000 + days * 86_400_000);

describe('Object Lock', () => {
  beforeAll(async () => {
    await s3().send(new CreateBucketCommand({ Bucket: vault, ObjectLockEnabledForBucket: true }));
  });

  it('creates a bucket with lock: versioning Enabled for good, lock configuration readable and replaceable', async () => {
    expect((await s3().send(new GetBucketVersioningCommand({ Bucket: vault }))).Status).toBe('Enabled');
    expect((await s3().send(new GetObjectLockConfigurationCommand({ Bucket: vault }))).ObjectLockConfiguration).toEqual({ ObjectLockEnabled: 'Enabled' });
    const suspend = await expectSdkError(s3().send(new PutBucketVersioningCommand({ Bucket: vault, VersioningConfiguration: { Status: 'Suspended' } })), 409, 'InvalidBucketState');
    expect(suspend.message).toBe('An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.');
    await expectSdkError(s3().send(new GetObjectLockConfigurationCommand({ Bucket: service.bucket })), 404, 'ObjectLockConfigurationNotFoundError');
    await expectSdkError(
      s3().send(new PutObjectLockConfigurationCommand({ Bucket: service.bucket, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled' } })),
      409,
      'InvalidBucketState',
    );
  });

  it('gives each new version the default retention (or its own); GOVERNANCE goes only with the bypass', async () => {
    await s3().send(
      new PutObjectLockConfigurationCommand({
        Bucket: vault,
        ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 1 } } },
      }),
    );
    expect((await s3().send(new GetObjectLockConfigurationCommand({ Bucket: vault }))).ObjectLockConfiguration?.Rule?.DefaultRetention).toEqual({ Mode: 'GOVERNANCE', Days: 1 });
    const before = Date.now();
    const { VersionId } = await s3().send(new PutObjectCommand({ Bucket: vault, Key: 'nightly.tar', Body: 'backup 1' }));
    const head = await s3().send(new HeadObjectCommand({ Bucket: vault, Key: 'nightly.tar' }));
    expect(head.ObjectLockMode).toBe('GOVERNANCE');
    const until = head.ObjectLockRetainUntilDate!.getTime();
    expect(until).toBeGreaterThanOrEqual(before + 86_400_000);
    expect(until).toBeLessThanOrEqual(Date.now() + 86_400_000);

    const denied = await expectSdkError(s3().send(new DeleteObjectCommand({ Bucket: vault, Key: 'nightly.tar', VersionId })), 403, 'AccessDenied');
    expect(denied.message).toBe('Access Denied because object protected by object lock.');
    const deleted = await s3().send(new DeleteObjectCommand({ Bucket: vault, Key: 'nightly.tar', VersionId, BypassGovernanceRetention: true }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    await expectSdkError(s3().send(new GetObjectCommand({ Bucket: vault, Key: 'nightly.tar' })), 404, 'NoSuchKey');

    // A client that sends neither Content-MD5 nor a checksum cannot write a locked version.
    const bare = await rawS3Request(service.sediment.url, { method: 'PUT', path: `/${vault}/unverified`, body: 'x' });
    expectRawError(bare, 400, 'InvalidRequest');
    expect(xmlText(bare.body, 'Message')).toBe('Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters');

    // A multipart upload gets the default retention when it completes.
    const { UploadId } = await s3().send(new CreateMultipartUploadCommand({ Bucket: vault, Key: 'weekly.tar' }));
    const part = await s3().send(new UploadPartCommand({ Bucket: vault, Key: 'weekly.tar', UploadId, PartNumber: 1, Body: 'one part' }));
    await s3().send(
      new CompleteMultipartUploadCommand({ Bucket: vault, Key: 'weekly.tar', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag, ChecksumCRC32: part.ChecksumCRC32 }] } }),
    );
    expect((await s3().send(new HeadObjectCommand({ Bucket: vault, Key: 'weekly.tar' }))).ObjectLockMode).toBe('GOVERNANCE');
    // One with its own lock headers: the completed version gets them instead.
    const monthlyUntil = inDays(3);
    const monthly = await s3().send(
      new CreateMultipartUploadCommand({ Bucket: vault, Key: 'monthly.tar', ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: monthlyUntil, ObjectLockLegalHoldStatus: 'ON' }),
    );
    const monthlyPart = await s3().send(new UploadPartCommand({ Bucket: vault, Key: 'monthly.tar', UploadId: monthly.UploadId, PartNumber: 1, Body: 'one part' }));
    await s3().send(
      new CompleteMultipartUploadCommand({
        Bucket: vault, Key: 'monthly.tar', UploadId: monthly.UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: monthlyPart.ETag, ChecksumCRC32: monthlyPart.ChecksumCRC32 }] },
      }),
    );
    const monthlyHead = await s3().send(new HeadObjectCommand({ Bucket: vault, Key: 'monthly.tar' }));
    expect([monthlyHead.ObjectLockMode, monthlyHead.ObjectLockRetainUntilDate?.toISOString(), monthlyHead.ObjectLockLegalHoldStatus]).toEqual(['COMPLIANCE', monthlyUntil.toISOString(), 'ON']);
    await s3().send(new PutObjectLockConfigurationCommand({ Bucket: vault, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled' } }));
  });

  it('keeps a COMPLIANCE version under legal hold: lock headers on GET, no shortening, per-key refusal in DeleteObjects', async () => {
    const retainUntil = inDays(2);
    const { VersionId } = await s3().send(
      new PutObjectCommand({ Bucket: vault, Key: 'ledger.db', Body: 'entries', ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: retainUntil, ObjectLockLegalHoldStatus: 'ON' }),
    );
    const got = await s3().send(new GetObjectCommand({ Bucket: vault, Key: 'ledger.db' }));
    expect(await got.Body!.transformToString()).toBe('entries');
    expect([got.ObjectLockMode, got.ObjectLockRetainUntilDate?.toISOString(), got.ObjectLockLegalHoldStatus]).toEqual(['COMPLIANCE', retainUntil.toISOString(), 'ON']);
    expect((await s3().send(new GetObjectRetentionCommand({ Bucket: vault, Key: 'ledger.db', VersionId }))).Retention).toEqual({ Mode: 'COMPLIANCE', RetainUntilDate: retainUntil });
    expect((await s3().send(new GetObjectLegalHoldCommand({ Bucket: vault, Key: 'ledger.db' }))).LegalHold).toEqual({ Status: 'ON' });

    await expectSdkError(
      s3().send(new PutObjectRetentionCommand({ Bucket: vault, Key: 'ledger.db', VersionId, BypassGovernanceRetention: true, Retention: { Mode: 'COMPLIANCE', RetainUntilDate: inDays(1) } })),
      403,
      'AccessDenied',
    );
    await s3().send(new PutObjectRetentionCommand({ Bucket: vault, Key: 'ledger.db', VersionId, Retention: { Mode: 'COMPLIANCE', RetainUntilDate: inDays(3) } }));
    await s3().send(new PutObjectLegalHoldCommand({ Bucket: vault, Key: 'ledger.db', VersionId, LegalHold: { Status: 'OFF' } }));
    expect((await s3().send(new GetObjectLegalHoldCommand({ Bucket: vault, Key: 'ledger.db', VersionId }))).LegalHold).toEqual({ Status: 'OFF' });

    const result = await s3().send(new DeleteObjectsCommand({ Bucket: vault, Delete: { Objects: [{ Key: 'ledger.db', VersionId }] } }));
    expect(result.Errors).toEqual([{ Key: 'ledger.db', VersionId, Code: 'AccessDenied', Message: 'Access Denied because object protected by object lock.' }]);
    expect(result.Deleted).toBeUndefined();
    // A delete marker only hides it.
    expect((await s3().send(new DeleteObjectCommand({ Bucket: vault, Key: 'ledger.db' }))).DeleteMarker).toBe(true);
    expect((await s3().send(new GetObjectRetentionCommand({ Bucket: vault, Key: 'ledger.db', VersionId }))).Retention?.Mode).toBe('COMPLIANCE');
  });

  it('refuses lock headers on a bucket without lock, half a retention, and a date in the past', async () => {
    const missing = await expectSdkError(
      s3().send(new PutObjectCommand({ Bucket: service.bucket, Key: 'k', Body: 'x', ObjectLockLegalHoldStatus: 'ON' })),
      400,
      'InvalidRequest',
    );
    expect(missing.message).toBe('Bucket is missing Object Lock Configuration');
    await expectSdkError(s3().send(new PutObjectCommand({ Bucket: vault, Key: 'k', Body: 'x', ObjectLockMode: 'GOVERNANCE' })), 400, 'InvalidArgument');
    await expectSdkError(
      s3().send(new PutObjectCommand({ Bucket: vault, Key: 'k', Body: 'x', ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: inDays(-1) })),
      400,
      'InvalidArgument',
    );
    await expectSdkError(s3().send(new GetObjectRetentionCommand({ Bucket: service.bucket, Key: 'k' })), 400, 'InvalidRequest');
  });

  it('lets a user bypass GOVERNANCE only with s3:BypassGovernanceRetention, and set a retention only with s3:PutObjectRetention', async () => {
    const iam = iamClient(service.sediment.url);
    const resources = [`arn:aws:s3:::${vault}`, `arn:aws:s3:::${vault}/*`];
    const base = ['s3:PutObject', 's3:GetObject', 's3:DeleteObject', 's3:DeleteObjectVersion', 's3:PutObjectRetention', 's3:GetObjectRetention'];
    const clerk = s3Client(service.sediment.url, await createUserWithKey(iam, 'clerk', { lock: policy({ Effect: 'Allow', Action: base, Resource: resources }) }));
    const officer = s3Client(
      service.sediment.url,
      await createUserWithKey(iam, 'officer', { lock: policy({ Effect: 'Allow', Action: [...base, 's3:BypassGovernanceRetention'], Resource: resources }) }),
    );
    const reader = s3Client(service.sediment.url, await createUserWithKey(iam, 'reader', { lock: policy({ Effect: 'Allow', Action: ['s3:PutObject'], Resource: resources }) }));
    const governed = { Bucket: vault, Key: 'governed.tar', Body: 'x', ObjectLockMode: 'GOVERNANCE' as const, ObjectLockRetainUntilDate: inDays(1) };
    await expectSdkError(reader.send(new PutObjectCommand(governed)), 403, 'AccessDenied');
    const { VersionId } = await clerk.send(new PutObjectCommand(governed));
    const bypassing = { Bucket: vault, Key: 'governed.tar', VersionId, BypassGovernanceRetention: true };
    await expectSdkError(clerk.send(new DeleteObjectCommand(bypassing)), 403, 'AccessDenied');
    await expectSdkError(clerk.send(new PutObjectRetentionCommand({ ...bypassing, Retention: {} })), 403, 'AccessDenied');
    await officer.send(new PutObjectRetentionCommand({ ...bypassing, Retention: {} }));
    await expectSdkError(officer.send(new GetObjectRetentionCommand({ Bucket: vault, Key: 'governed.tar', VersionId })), 404, 'NoSuchObjectLockConfiguration');
    expect((await clerk.send(new DeleteObjectCommand({ Bucket: vault, Key: 'governed.tar', VersionId }))).$metadata.httpStatusCode).toBe(204);
    for (const client of [clerk, officer, reader]) client.destroy();
  });

  it('boto3: lock bucket, default retention, checksum requirement, retention, legal hold and bypass', async () => {
    const result = await runPythonClient(service.sediment.url, SCRIPT, `boto3-${vault}`);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ checks: 9 });
  });

  it('aws s3api: a lock bucket, a COMPLIANCE default, retention and legal hold read back, deletion refused', async () => {
    const home = await mkdtemp(join(tmpdir(), 'sediment-awscli-lock-'));
    const aws = (...args: string[]) => awsCli({ endpoint: service.sediment.url, home, credentials: ROOT_CREDENTIALS }, ...args);
    const ok = async (...args: string[]) => {
      const result = await aws(...args);
      expect({ command: args[1], code: result.code, stderr: result.stderr }).toEqual({ command: args[1], code: 0, stderr: '' });
      return result.stdout.trim() === '' ? undefined : JSON.parse(result.stdout);
    };
    try {
      const bucket = `cli-${vault}`;
      await ok('s3api', 'create-bucket', '--bucket', bucket, '--object-lock-enabled-for-bucket');
      await ok('s3api', 'put-object-lock-configuration', '--bucket', bucket, '--object-lock-configuration', 'ObjectLockEnabled=Enabled,Rule={DefaultRetention={Mode=COMPLIANCE,Days=1}}');
      expect((await ok('s3api', 'get-object-lock-configuration', '--bucket', bucket)).ObjectLockConfiguration.Rule).toEqual({ DefaultRetention: { Mode: 'COMPLIANCE', Days: 1 } });
      await writeFile(join(home, 'archive.tar'), 'archive');
      const { VersionId } = await ok('s3api', 'put-object', '--bucket', bucket, '--key', 'archive.tar', '--body', join(home, 'archive.tar'));
      expect((await ok('s3api', 'get-object-retention', '--bucket', bucket, '--key', 'archive.tar', '--version-id', VersionId)).Retention.Mode).toBe('COMPLIANCE');
      await ok('s3api', 'put-object-legal-hold', '--bucket', bucket, '--key', 'archive.tar', '--legal-hold', 'Status=ON');
      expect((await ok('s3api', 'get-object-legal-hold', '--bucket', bucket, '--key', 'archive.tar')).LegalHold).toEqual({ Status: 'ON' });
      const refused = await aws('s3api', 'delete-object', '--bucket', bucket, '--key', 'archive.tar', '--version-id', VersionId, '--bypass-governance-retention');
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain('AccessDenied');
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  it('records the lock on the log: the version is born locked, and every change is a fact', async () => {
    const events = (await readTopic(service.sediment.config.SEDIMENT_BUCKET_TOPIC))
      .map((r) => r.value as { type: string; bucket: string; schemaVersion: number; data: Record<string, unknown> })
      .filter((event) => event.bucket === vault);
    expect(events.slice(0, 4).map((e) => e.type)).toEqual([
      'BucketCreated', 'BucketOwnershipControlsConfigured', 'BucketVersioningConfigured', 'BucketObjectLockConfigured',
    ]);
    const ledger = events.find((e) => e.type === 'ObjectStored' && e.data.key === 'ledger.db')!;
    expect(ledger.schemaVersion).toBe(4);
    expect(ledger.data).toMatchObject({ retention: { mode: 'COMPLIANCE' }, legalHold: true });
    const bypassed = events.filter((e) => e.type === 'ObjectRetentionPut' && e.data.bypassedGovernance === true);
    expect(bypassed.map((e) => [e.data.key, e.data.retention])).toEqual([['governed.tar', null]]);
    expect(events.filter((e) => e.type === 'ObjectLegalHoldPut').map((e) => e.data.legalHold)).toEqual([false]);
  });
});
