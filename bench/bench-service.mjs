// The configuration every bench boots its in-process Sediment with: a database, topics and blob
// directory of its own (removed by the bench when it ends), quiet logs, no admin listener.
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../dist/config/sediment.config.js';

/** The environment of a bench's own Sediment: database, topics and blob directory named by `id`. */
export function benchEnv(id, blobDir) {
  return {
    KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
    MONGO_URL: process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017',
    MONGO_DATABASE: `bench_${id}`,
    SEDIMENT_BUCKET_TOPIC: `bench.bucket-events.${id}`,
    SEDIMENT_IDENTITY_TOPIC: `bench.identity-events.${id}`,
    SEDIMENT_CONTROL_TOPIC: `bench.control-events.${id}`,
    SEDIMENT_MASTER_KEY: randomBytes(32).toString('base64'),
    SEDIMENT_BLOB_DIR: blobDir,
    SEDIMENT_ROOT_ACCESS_KEY_ID: 'SEDIMENTBENCHROOT001',
    SEDIMENT_ROOT_SECRET_ACCESS_KEY: 'sediment-bench-root-secret',
    SEDIMENT_LOG_LEVEL: 'error',
    SEDIMENT_ADMIN_PORT: '0',
  };
}

export async function benchConfig() {
  const id = randomBytes(4).toString('hex');
  const blobDir = await mkdtemp(join(tmpdir(), 'sediment-bench-'));
  return { id, blobDir, config: loadConfig(benchEnv(id, blobDir)) };
}
