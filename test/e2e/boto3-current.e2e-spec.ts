// The current boto3 from PyPI (package.json `testClients.boto3`, installed by scripts/install.sh)
// with its defaults, beside Debian's 1.26 in the other boto3 tests: a CRC32 on every upload, each
// checksum algorithm it offers, conditional writes with If-None-Match and If-Match, a multipart
// upload through its transfer manager, and DeleteObjects with a CRC instead of Content-MD5.
// test/e2e/clients/boto3_current.py checks each answer; this test judges its exit code and summary.
// test/e2e/clients/boto3_current_features.py does the same for issue #14's features: ownership
// controls and the public access block, lifecycle expiry (a two-second day), Object Lock, bucket
// tagging, GetObjectAttributes and ListBuckets pages; test/e2e/clients/boto3_current_accounts.py
// signs as another account's root (made with the `sediment account` CLI) and posts a browser form
// built from generate_presigned_post.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { createAccount } from '../support/account-cli.js';
import { CURRENT_BOTO3, runCurrentBoto3, runCurrentBoto3As } from '../support/python-client.js';
import { randomBytes } from 'node:crypto';
import { serviceWithBucket } from '../support/sediment-under-test.js';

const CLIENTS = join(dirname(fileURLToPath(import.meta.url)), 'clients');
const SCRIPT = join(CLIENTS, 'boto3_current.py');
const FEATURES = join(CLIENTS, 'boto3_current_features.py');
const ACCOUNTS = join(CLIENTS, 'boto3_current_accounts.py');
// A lifecycle day of two seconds, swept every 300 ms, so an expiry is seen within the test.
const service = serviceWithBucket('boto3-current', { SEDIMENT_LIFECYCLE_DAY_SECONDS: '2', SEDIMENT_LIFECYCLE_INTERVAL_MS: '300' });

describe(`boto3 ${CURRENT_BOTO3} with its default settings`, () => {
  it('uploads with its default and chosen checksums, writes conditionally, uploads in parts and deletes in bulk', async () => {
    const result = await runCurrentBoto3(service.sediment.url, SCRIPT, service.bucket);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    const summary = JSON.parse(result.stdout.trim()) as Record<string, unknown>;
    expect(summary).toMatchObject({ boto3: CURRENT_BOTO3, algorithms: 5, conditional: 'ok', deleteObjects: 3 });
    // The SDK chose CRC32 by itself, for the single PUT and for each part.
    expect(summary.defaultChecksum).toMatch(/^[A-Za-z0-9+/]{6}==$/);
    expect(Object.keys(summary.multipartChecksum as object)).toContain('ChecksumCRC32');
    const listed = await service.sediment.s3.send(new ListObjectsV2Command({ Bucket: service.bucket }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual([
      'checksum-crc32.bin', 'checksum-crc32c.bin', 'checksum-crc64nvme.bin', 'checksum-sha1.bin', 'checksum-sha256.bin',
    ]);
  }, 300_000);

  it('manages ownership controls, the public access block, lifecycle rules, Object Lock, system metadata, bucket tags and bucket pages', async () => {
    const result = await runCurrentBoto3(service.sediment.url, FEATURES, `boto3-features-${randomBytes(3).toString('hex')}`);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(result.stdout.trim())).toEqual({
      ownership: 'BucketOwnerEnforced',
      lifecycle: 'expired',
      objectLock: 'governance bypassed once the hold was off',
      systemMetadata: ['CacheControl', 'ContentDisposition', 'ContentEncoding', 'ContentLanguage', 'Expires'],
      listBucketsPages: 3,
    });
  }, 300_000);

  it("signs as another account's root: names stay global, buckets stay apart, and a presigned POST form uploads", async () => {
    const team = await createAccount(service.sediment, `boto3-${randomBytes(3).toString('hex')}`);
    const result = await runCurrentBoto3As(team.credentials, service.sediment.url, ACCOUNTS, service.bucket, team.accountId);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(result.stdout.trim())).toEqual({ buckets: [`${service.bucket}-b`], postObject: 201 });
  }, 300_000);
});
