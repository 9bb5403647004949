// `sediment account …` (the built CLI, dist/cli/main.js) against a service under test, as an
// operator runs it: e2e tests create their second account with it.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { operatorEnv } from './operator-cli.js';
import type { Credentials } from './raw-s3-request.js';
import type { SedimentUnderTest } from './sediment-under-test.js';

const run = promisify(execFile);

export interface CreatedAccount {
  accountId: string;
  name: string;
  canonicalId: string;
  credentials: Credentials;
}

/** `sediment account …`; rejects on a non-zero exit. */
export function accountCli(sediment: SedimentUnderTest, ...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, ['dist/cli/main.js', 'account', ...args], {
    env: operatorEnv(sediment.config, { SEDIMENT_URL: sediment.url }),
    timeout: 60_000,
  });
}

export async function createAccount(sediment: SedimentUnderTest, name: string): Promise<CreatedAccount> {
  const { stdout } = await accountCli(sediment, 'create', name);
  const field = (label: string) => new RegExp(`^${label}\\s+(\\S+)$`, 'm').exec(stdout)?.[1] ?? '';
  return {
    accountId: field('account id'),
    name: field('name'),
    canonicalId: field('canonical id'),
    credentials: { accessKeyId: field('access key id'), secretAccessKey: field('secret key') },
  };
}
