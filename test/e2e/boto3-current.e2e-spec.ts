// The current boto3 from PyPI (package.json `testClients.boto3`, installed by scripts/install.sh)
// with its defaults, beside Debian's 1.26 in the other boto3 tests: a CRC32 on every upload, each
// checksum algorithm it offers, conditional writes with If-None-Match and If-Match, a multipart
// upload through its transfer manager, and DeleteObjects with a CRC instead of Content-MD5.
// test/e2e/clients/boto3_current.py checks each answer; this test judges its exit code and summary.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { CURRENT_BOTO3, runCurrentBoto3 } from '../support/python-client.js';
import { serviceWithBucket } from '../support/sediment-under-test.js';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'clients', 'boto3_current.py');
const service = serviceWithBucket('boto3-current');

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
});
