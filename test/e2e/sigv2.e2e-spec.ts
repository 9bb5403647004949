// AWS Signature Version 2 (issue #14, section 7): boto3 signing every request with it, and the
// URLs it presigns with it by default in the boto3 Debian 12 ships. The SigV4-only answer
// (SEDIMENT_SIGV2=false) is pinned in signature-scope.e2e-spec.ts.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runPythonClient } from '../support/python-client.js';
import { serviceWithBucket } from '../support/sediment-under-test.js';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'clients', 'boto3_sigv2.py');
const service = serviceWithBucket('sigv2');

describe('Signature Version 2', () => {
  it('serves boto3 signing with SigV2, and the URLs it presigns with it, refusing a tampered one', async () => {
    const result = await runPythonClient(service.sediment.url, SCRIPT, service.bucket);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(result.stdout.trim())).toEqual({
      get: ['signed with v2', 'text/plain', { who: 'boto3' }],
      listed: ['notes/v2 key.txt'],
      default_url_is_v2: true,
      presigned: [200, 'signed with v2'],
      tampered: 403,
    });
  }, 120_000);
});
