import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { SedimentConfig } from '../../src/config/sediment.config.js';
import type { Credentials } from './raw-s3-request.js';

const run = promisify(execFile);

/** The environment an operator runs the CLI with: the same configuration as the service's. */
export function operatorEnv(c: SedimentConfig, overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    KAFKA_BROKERS: c.KAFKA_BROKERS,
    MONGO_URL: c.MONGO_URL,
    MONGO_DATABASE: c.MONGO_DATABASE,
    SEDIMENT_BUCKET_TOPIC: c.SEDIMENT_BUCKET_TOPIC,
    SEDIMENT_IDENTITY_TOPIC: c.SEDIMENT_IDENTITY_TOPIC,
    SEDIMENT_CONTROL_TOPIC: c.SEDIMENT_CONTROL_TOPIC,
    SEDIMENT_TOPIC_PARTITIONS: String(c.SEDIMENT_TOPIC_PARTITIONS),
    SEDIMENT_ROOT_ACCESS_KEY_ID: c.SEDIMENT_ROOT_ACCESS_KEY_ID,
    SEDIMENT_ROOT_SECRET_ACCESS_KEY: c.SEDIMENT_ROOT_SECRET_ACCESS_KEY,
    SEDIMENT_MASTER_KEY: c.SEDIMENT_MASTER_KEY,
    SEDIMENT_LOG_LEVEL: 'warn',
    ...overrides,
  };
}

/** Runs the built CLI (dist/cli/main.js) as an operator would, against the given service's configuration. */
export function sedimentCli(config: SedimentConfig, args: string[], timeout = 180_000): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, ['dist/cli/main.js', ...args], { env: operatorEnv(config), timeout, maxBuffer: 16 * 1024 * 1024 });
}

/** An account as `sediment account create` prints it. */
export interface CreatedAccount {
  accountId: string;
  name: string;
  canonicalId: string;
  credentials: Credentials;
}

/** `sediment account …` (dist/cli/main.js) against a running service; rejects on a non-zero exit. */
export function accountCli(service: { config: SedimentConfig; url: string }, ...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, ['dist/cli/main.js', 'account', ...args], {
    env: operatorEnv(service.config, { SEDIMENT_URL: service.url }),
    timeout: 60_000,
  });
}

/** Creates an account through the CLI, as the README shows, and reads back what it printed. */
export async function createAccount(service: { config: SedimentConfig; url: string }, name: string): Promise<CreatedAccount> {
  const { stdout } = await accountCli(service, 'create', name);
  const field = (label: string) => new RegExp(`^${label}\\s+(\\S+)$`, 'm').exec(stdout)?.[1] ?? '';
  return {
    accountId: field('account id'),
    name: field('name'),
    canonicalId: field('canonical id'),
    credentials: { accessKeyId: field('access key id'), secretAccessKey: field('secret key') },
  };
}
