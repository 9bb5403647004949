import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { SedimentConfig } from '../../src/config/sediment.config.js';

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

