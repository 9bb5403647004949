// The Debian awscli (2.9) against issue #14's bucket settings, as an operator types them: the
// public access block and ownership controls, a lifecycle rule (the service runs with a two-second
// lifecycle day, so the expiry is seen here), bucket tags and GetObjectAttributes. Each command's
// JSON output is what S3 would print.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { awsCli, type CliResult } from '../support/aws-cli.js';
import { eventually } from '../support/eventually.js';
import { ROOT_CREDENTIALS } from '../support/raw-s3-request.js';
import { serviceWithBucket } from '../support/sediment-under-test.js';

const service = serviceWithBucket('cli-settings', { SEDIMENT_LIFECYCLE_DAY_SECONDS: '2', SEDIMENT_LIFECYCLE_INTERVAL_MS: '300' });
let home: string;

const aws = (...args: string[]) => awsCli({ endpoint: service.sediment.url, home, credentials: ROOT_CREDENTIALS }, ...args);

/** A command that must exit 0 with nothing on stderr; its stdout parsed as JSON when it printed any. */
async function ok(...args: string[]): Promise<any> {
  const result = await aws(...args);
  expect({ command: args.slice(0, 2).join(' '), code: result.code, stderr: result.stderr }).toEqual({ command: args.slice(0, 2).join(' '), code: 0, stderr: '' });
  return result.stdout.trim() === '' ? undefined : JSON.parse(result.stdout);
}

/** A command that must fail with S3's error code in the CLI's message. */
async function fails(code: string, ...args: string[]): Promise<CliResult> {
  const result = await aws(...args);
  expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 254, stderr: expect.stringContaining(`An error occurred (${code})`) });
  return result;
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'sediment-awscli-settings-'));
});

afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('aws s3api bucket settings', () => {
  it('puts, reads and deletes the public access block, whose BlockPublicPolicy refuses a public policy', async () => {
    const bucket = service.bucket;
    await fails('NoSuchPublicAccessBlockConfiguration', 's3api', 'get-public-access-block', '--bucket', bucket);
    const settings = { BlockPublicAcls: true, IgnorePublicAcls: false, BlockPublicPolicy: true, RestrictPublicBuckets: false };
    expect(await ok('s3api', 'put-public-access-block', '--bucket', bucket, '--public-access-block-configuration', JSON.stringify(settings))).toBeUndefined();
    expect(await ok('s3api', 'get-public-access-block', '--bucket', bucket)).toEqual({ PublicAccessBlockConfiguration: settings });
    const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` }] };
    await fails('AccessDenied', 's3api', 'put-bucket-policy', '--bucket', bucket, '--policy', JSON.stringify(policy));
    expect(await ok('s3api', 'delete-public-access-block', '--bucket', bucket)).toBeUndefined();
    await fails('NoSuchPublicAccessBlockConfiguration', 's3api', 'get-public-access-block', '--bucket', bucket);
  });

  it('shows a new bucket as BucketOwnerEnforced, and deletes its ownership controls', async () => {
    const bucket = `cli-own-${randomBytes(3).toString('hex')}`;
    await ok('s3api', 'create-bucket', '--bucket', bucket);
    expect(await ok('s3api', 'get-bucket-ownership-controls', '--bucket', bucket)).toEqual({ OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } });
    await fails('AccessControlListNotSupported', 's3api', 'put-bucket-acl', '--bucket', bucket, '--acl', 'public-read');
    expect(await ok('s3api', 'delete-bucket-ownership-controls', '--bucket', bucket)).toBeUndefined();
    await fails('OwnershipControlsNotFoundError', 's3api', 'get-bucket-ownership-controls', '--bucket', bucket);
  });

  it('puts a lifecycle rule, shows it and its expiry on the object, and the object expires', async () => {
    const bucket = service.bucket;
    const rules = { Rules: [{ ID: 'scratch', Status: 'Enabled', Filter: { Prefix: 'scratch/' }, Expiration: { Days: 1 } }] };
    expect(await ok('s3api', 'put-bucket-lifecycle-configuration', '--bucket', bucket, '--lifecycle-configuration', JSON.stringify(rules))).toBeUndefined();
    expect((await ok('s3api', 'get-bucket-lifecycle-configuration', '--bucket', bucket)).Rules).toEqual(rules.Rules);
    await writeFile(join(home, 'scratch.txt'), 'temporary');
    // The PUT's answer names its expiry and the rule.
    const put = await ok('s3api', 'put-object', '--bucket', bucket, '--key', 'scratch/tmp.txt', '--body', 'scratch.txt');
    expect(put.Expiration).toMatch(/^expiry-date="[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT", rule-id="scratch"$/);
    const gone = await eventually(
      () => aws('s3api', 'head-object', '--bucket', bucket, '--key', 'scratch/tmp.txt'),
      (result) => result.code !== 0,
      120_000,
    );
    expect(gone.stderr).toContain('(404)');
    expect(await ok('s3api', 'delete-bucket-lifecycle', '--bucket', bucket)).toBeUndefined();
    await fails('NoSuchLifecycleConfiguration', 's3api', 'get-bucket-lifecycle-configuration', '--bucket', bucket);
  }, 180_000);

  it('tags the bucket and reads an object\'s attributes', async () => {
    const bucket = service.bucket;
    expect(await ok('s3api', 'put-bucket-tagging', '--bucket', bucket, '--tagging', 'TagSet=[{Key=team,Value=ops}]')).toBeUndefined();
    expect(await ok('s3api', 'get-bucket-tagging', '--bucket', bucket)).toEqual({ TagSet: [{ Key: 'team', Value: 'ops' }] });
    await writeFile(join(home, 'kept.txt'), 'twelve bytes');
    const put = await ok('s3api', 'put-object', '--bucket', bucket, '--key', 'kept.txt', '--body', 'kept.txt');
    const attributes = await ok('s3api', 'get-object-attributes', '--bucket', bucket, '--key', 'kept.txt', '--object-attributes', 'ETag', 'ObjectSize', 'StorageClass');
    expect(attributes).toMatchObject({ ETag: put.ETag.replaceAll('"', ''), ObjectSize: 12, StorageClass: 'STANDARD' });
  });
});
