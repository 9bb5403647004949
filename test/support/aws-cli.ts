import { execFile } from 'node:child_process';
import type { Credentials } from './raw-s3-request.js';

/** Debian's awscli (installed by scripts/install.sh), never whatever `aws` comes first on PATH. */
export const AWS_CLI = '/usr/bin/aws';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface AwsCliRun {
  endpoint: string;
  /** HOME and working directory: no ~/.aws of the developer's is read, and local paths are relative to it. */
  home: string;
  /** Left out for --no-sign-request. */
  credentials?: Credentials;
  timeoutMs?: number;
}

/**
 * `/usr/bin/aws <args> --endpoint-url <endpoint>` with only the environment a README user would
 * set (no instance metadata, no pager, UTF-8 file names). Resolves with the exit code whatever it
 * is; rejects only when the CLI could not run at all.
 */
export function awsCli({ endpoint, home, credentials, timeoutMs = 120_000 }: AwsCliRun, ...args: string[]): Promise<CliResult> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    LC_ALL: 'C.UTF-8',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
    ...(credentials ? { AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey } : {}),
  };
  return new Promise((resolve, reject) => {
    execFile(
      AWS_CLI,
      [...args, '--endpoint-url', endpoint],
      { env, cwd: home, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: timeoutMs },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') reject(new Error(`aws ${args.join(' ')} did not run: ${error.message}\n${stderr}`));
        else resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
      },
    );
  });
}
