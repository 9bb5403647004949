// What the built service (dist/main.js) does at boot with unsafe settings, and what a healthy boot
// prints: the process is the real one, started as an operator would.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { MongoClient } from 'mongodb';
import { freePort } from '../support/free-port.js';
import { deleteTopic, KAFKA_BROKERS, MONGO_URL } from '../support/sediment-under-test.js';
import { NODE_FLAGS } from '../../src/node-flags.js';

const DIST_MAIN = 'dist/main.js';

jest.setTimeout(60_000);

beforeAll(() => {
  if (!existsSync(DIST_MAIN)) throw new Error(`${DIST_MAIN} is missing: run \`npm run build\` before this e2e test.`);
});

/** Settings of one's own, with nothing listening on port 9: a boot that gets past them reaches no broker or database. */
function ownSettings(): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    KAFKA_BROKERS: '127.0.0.1:9',
    MONGO_URL: 'mongodb://127.0.0.1:9',
    SEDIMENT_PORT: '39001',
    SEDIMENT_ADMIN_PORT: '0',
    SEDIMENT_ROOT_ACCESS_KEY_ID: `SDMT${randomBytes(8).toString('hex').toUpperCase()}`,
    SEDIMENT_ROOT_SECRET_ACCESS_KEY: randomBytes(30).toString('base64'),
    SEDIMENT_MASTER_KEY: randomBytes(32).toString('base64'),
  };
}

function boot(overrides: Record<string, string>) {
  return spawnSync(process.execPath, [DIST_MAIN], { env: { ...ownSettings(), ...overrides }, encoding: 'utf8', timeout: 30_000 });
}

describe('published default credentials at boot', () => {
  it('refuses to listen on every interface with the root secret start.sh used to ship (exit 78, says what to set)', () => {
    const result = boot({ SEDIMENT_HOST: '0.0.0.0', SEDIMENT_ROOT_SECRET_ACCESS_KEY: 'sediment-local-root-secret-change-me' });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain(
      'Refusing to start: SEDIMENT_HOST=0.0.0.0 accepts connections from beyond this machine, and ' +
        'SEDIMENT_ROOT_SECRET_ACCESS_KEY is a default published with Sediment that anyone can use.',
    );
    expect(result.stderr).toContain(
      'SEDIMENT_ROOT_SECRET_ACCESS_KEY: set a secret of your own, e.g. SEDIMENT_ROOT_SECRET_ACCESS_KEY="$(openssl rand -base64 30)"',
    );
    expect(result.stderr).toContain('Or listen on loopback only: SEDIMENT_HOST=127.0.0.1');
  });

  it('refuses the master key docker-compose.yml used to ship, as well', () => {
    const result = boot({ SEDIMENT_HOST: '::', SEDIMENT_MASTER_KEY: 'c2VkaW1lbnQtZGV2LW1hc3Rlci1rZXktY2hhbmdlISE=' });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain('SEDIMENT_MASTER_KEY: set a key of your own, e.g. SEDIMENT_MASTER_KEY="$(openssl rand -base64 32)"');
  });
});

describe('a healthy boot', () => {
  const id = randomBytes(5).toString('hex');
  let blobDir: string;

  beforeAll(async () => {
    blobDir = await mkdtemp(join(tmpdir(), 'sediment-boot-blobs-'));
  });
  afterAll(async () => {
    await deleteTopic(`e2e.bucket-events.${id}`);
    await deleteTopic(`e2e.identity-events.${id}`);
    const mongo = await new MongoClient(MONGO_URL).connect();
    await mongo.db(`e2e_${id}`).dropDatabase().catch(() => undefined);
    await mongo.close();
    await rm(blobDir, { recursive: true, force: true });
  });

  it('prints no ERROR or WARN line up to "S3 API listening" (real broker, fresh topics and database)', async () => {
    const env = {
      ...ownSettings(),
      KAFKA_BROKERS,
      MONGO_URL,
      MONGO_DATABASE: `e2e_${id}`,
      SEDIMENT_BUCKET_TOPIC: `e2e.bucket-events.${id}`,
      SEDIMENT_IDENTITY_TOPIC: `e2e.identity-events.${id}`,
      SEDIMENT_TOPIC_PARTITIONS: '4',
      SEDIMENT_BLOB_DIR: blobDir,
      SEDIMENT_PORT: String(await freePort()),
    };
    const child = spawn(process.execPath, [...NODE_FLAGS, DIST_MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const listening = new Promise<void>((resolve, reject) => {
      const take = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (output.includes('S3 API listening')) resolve();
      };
      child.stdout.on('data', take);
      child.stderr.on('data', take);
      child.once('exit', (code, signal) => reject(new Error(`dist/main.js exited (${code ?? signal}) before listening:\n${output}`)));
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      await listening;
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
    // Up to the line that says it listens: what an operator reads to tell whether the boot went well.
    // eslint-disable-next-line no-control-regex -- strips the ANSI colour escapes (ESC [ … m)
    const boot = output.slice(0, output.indexOf('S3 API listening')).replace(/\x1b\[[0-9;]*m/g, '');
    expect(boot.split('\n').filter((line) => /ERROR|WARN/.test(line))).toEqual([]);
  });
});
