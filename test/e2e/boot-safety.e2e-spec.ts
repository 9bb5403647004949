// What the built service (dist/main.js) does at boot with unsafe settings: the process is the
// real one, started as an operator would.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { jest } from '@jest/globals';

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
