import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROOT_CREDENTIALS, type Credentials } from './raw-s3-request.js';

export interface PythonRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Debian's `/usr/bin/python3` (with python3-boto3 1.26, installed by scripts/install.sh) running a
 * client script against `endpoint` as root. Resolves with the exit code whatever it is; rejects
 * only when python could not run at all.
 */
export function runPythonClient(endpoint: string, ...args: string[]): Promise<PythonRun> {
  return runPython('/usr/bin/python3', endpoint, args);
}

/** The boto3 version scripts/install.sh installs from PyPI (package.json `testClients.boto3`). */
export const CURRENT_BOTO3: string = (JSON.parse(readFileSync(resolve('package.json'), 'utf8')) as { testClients: { boto3: string } }).testClients.boto3;

/**
 * The same, with the current boto3 from PyPI that scripts/install.sh puts in a virtualenv under
 * the cache: the defaults of SDKs since 2025 (CRC checksums on every upload, conditional writes).
 */
export function runCurrentBoto3(endpoint: string, ...args: string[]): Promise<PythonRun> {
  return runCurrentBoto3As(ROOT_CREDENTIALS, endpoint, ...args);
}

/** `runCurrentBoto3` signed with other credentials (another account's root, a user). */
export function runCurrentBoto3As(credentials: Credentials, endpoint: string, ...args: string[]): Promise<PythonRun> {
  const python = join(resolve(process.env.SEDIMENT_CACHE_DIR ?? '.cache'), 'python', `boto3-${CURRENT_BOTO3}`, 'bin', 'python');
  if (!existsSync(python)) throw new Error(`${python} is missing: run scripts/install.sh, which installs boto3 ${CURRENT_BOTO3} there`);
  return runPython(python, endpoint, args, credentials);
}

/**
 * SEDIMENT_ENDPOINT and the credentials in an environment of its own: no ~/.aws of the
 * developer's may change what boto3 does.
 */
function runPython(python: string, endpoint: string, args: string[], credentials: Credentials = ROOT_CREDENTIALS): Promise<PythonRun> {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    LC_ALL: 'C.UTF-8',
    SEDIMENT_ENDPOINT: endpoint,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  };
  return new Promise((resolvePromise, reject) => {
    execFile(python, args, { env, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, timeout: 240_000 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') reject(new Error(`${python} did not run: ${error.message}\n${stderr}`));
      else resolvePromise({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}
