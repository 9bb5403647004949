// boto3 (Debian's python3-boto3, installed by scripts/install.sh) against the service (issue #5):
// test/e2e/clients/boto3_listing.py puts 1,100 keys from a thread pool, lists them with the
// list_objects_v2 and list_objects paginators (two pages each at the default 1000), checks every
// key comes back exactly once and in order, and deletes them with delete_objects in batches of
// 1000. The script checks what it sees; this test judges its exit code and summary, and looks at
// the bucket through the JS SDK afterwards.
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { runPythonClient } from '../support/python-client.js';
import { startSediment, type SedimentUnderTest } from '../support/sediment-under-test.js';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'clients', 'boto3_listing.py');
const BUCKET = `boto3-${randomBytes(4).toString('hex')}`;

let sediment: SedimentUnderTest;

beforeAll(async () => {
  sediment = await startSediment();
}, 60_000);

afterAll(async () => {
  sediment?.s3.destroy();
  await sediment?.stop();
}, 60_000);

describe('boto3', () => {
  it('puts 1,100 keys, pages through them with both list paginators, and deletes them in batches of 1000', async () => {
    const result = await runPythonClient(sediment.url, SCRIPT, BUCKET);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(result.stdout.trim())).toEqual({
      put: 1100,
      v2_pages: [1000, 100],
      v1_pages: [1000, 100],
      deleted: [1000, 100],
      remaining: 0,
    });
    const after = await sediment.s3.send(new ListObjectsV2Command({ Bucket: BUCKET }));
    expect({ count: after.KeyCount, contents: after.Contents }).toEqual({ count: 0, contents: undefined });
  }, 300_000);
});
