import { execFile } from 'node:child_process';
import { ROOT_ACCESS_KEY_ID, ROOT_SECRET } from './sediment-under-test.js';

/**
 * Debian's `/usr/bin/python3` (with python3-boto3, installed by scripts/install.sh) running a client
 * script against `endpoint` as root, given SEDIMENT_ENDPOINT and the credentials in an environment
 * of its own: no ~/.aws of the developer's may change what boto3 does. Resolves with the exit code
 * whatever it is; rejects only when python could not run at all.
 */
export function runPythonClient(endpoint: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    LC_ALL: 'C.UTF-8',
    SEDIMENT_ENDPOINT: endpoint,
    AWS_ACCESS_KEY_ID: ROOT_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: ROOT_SECRET,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  };
  return new Promise((resolve, reject) => {
    execFile('/usr/bin/python3', args, { env, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, timeout: 240_000 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') reject(new Error(`python3 did not run: ${error.message}\n${stderr}`));
      else resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}
