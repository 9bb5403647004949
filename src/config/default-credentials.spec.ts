import { assertNoPublishedCredentials, isLoopbackHost } from './default-credentials.js';
import { ConfigError, loadConfig } from './sediment.config.js';

const own = {
  SEDIMENT_ROOT_ACCESS_KEY_ID: 'SEDIMENTROOTKEY0001',
  SEDIMENT_ROOT_SECRET_ACCESS_KEY: 'an-operator-chosen-root-secret',
  SEDIMENT_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
};
const PUBLISHED_SECRET = 'sediment-local-root-secret-change-me';
const PUBLISHED_MASTER_KEY = 'c2VkaW1lbnQtZGV2LW1hc3Rlci1rZXktY2hhbmdlISE=';

function check(env: Record<string, string>): string | undefined {
  return assertNoPublishedCredentials(loadConfig({ ...own, ...env }));
}

describe('isLoopbackHost', () => {
  it.each(['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1'])(
    '%s is loopback',
    (host) => expect(isLoopbackHost(host)).toBe(true),
  );

  it.each(['0.0.0.0', '::', '10.0.0.5', '128.0.0.1', '::ffff:10.0.0.1', 'fe80::1%eth0', 's3.example.com', 'localhost.example.com', '127.0.0.1.nip.io'])(
    '%s is beyond loopback',
    (host) => expect(isLoopbackHost(host)).toBe(false),
  );
});

describe('published default credentials', () => {
  it('says nothing about secrets of your own, wherever it listens', () => {
    expect(check({ SEDIMENT_HOST: '0.0.0.0' })).toBeUndefined();
    expect(check({})).toBeUndefined();
  });

  it('refuses a published root secret beyond loopback, saying what to set and how to make one', () => {
    expect(() => check({ SEDIMENT_HOST: '0.0.0.0', SEDIMENT_ROOT_SECRET_ACCESS_KEY: PUBLISHED_SECRET })).toThrow(ConfigError);
    expect(() => check({ SEDIMENT_HOST: '::', SEDIMENT_ROOT_SECRET_ACCESS_KEY: PUBLISHED_SECRET })).toThrow(
      /SEDIMENT_HOST=:: accepts connections from beyond this machine[\s\S]*SEDIMENT_ROOT_SECRET_ACCESS_KEY: set a secret of your own, e\.g\. SEDIMENT_ROOT_SECRET_ACCESS_KEY="\$\(openssl rand -base64 30\)"/,
    );
  });

  it('refuses a published master key beyond loopback, written in base64 or in hex', () => {
    const hex = Buffer.from(PUBLISHED_MASTER_KEY, 'base64').toString('hex');
    for (const key of [PUBLISHED_MASTER_KEY, hex, hex.toUpperCase()]) {
      expect(() => check({ SEDIMENT_HOST: '192.168.1.20', SEDIMENT_MASTER_KEY: key })).toThrow(
        /SEDIMENT_MASTER_KEY: set a key of your own, e\.g\. SEDIMENT_MASTER_KEY="\$\(openssl rand -base64 32\)"/,
      );
    }
  });

  it('names both when both are published, and offers loopback as the other way out', () => {
    let message = '';
    try {
      check({ SEDIMENT_HOST: 's3.example.com', SEDIMENT_ROOT_SECRET_ACCESS_KEY: PUBLISHED_SECRET, SEDIMENT_MASTER_KEY: PUBLISHED_MASTER_KEY });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.split('\n')).toEqual([
      'Refusing to start: SEDIMENT_HOST=s3.example.com accepts connections from beyond this machine, and ' +
        'SEDIMENT_ROOT_SECRET_ACCESS_KEY and SEDIMENT_MASTER_KEY are defaults published with Sediment that anyone can use.',
      expect.stringMatching(/^ {2}SEDIMENT_ROOT_SECRET_ACCESS_KEY: set a secret of your own/),
      expect.stringMatching(/^ {2}SEDIMENT_MASTER_KEY: set a key of your own/),
      '  Or listen on loopback only: SEDIMENT_HOST=127.0.0.1',
    ]);
  });

  it('only warns, in one line, on loopback', () => {
    for (const host of ['127.0.0.1', 'localhost', '::1']) {
      const warning = check({ SEDIMENT_HOST: host, SEDIMENT_ROOT_SECRET_ACCESS_KEY: PUBLISHED_SECRET, SEDIMENT_MASTER_KEY: PUBLISHED_MASTER_KEY });
      expect(warning).toMatch(/^SEDIMENT_ROOT_SECRET_ACCESS_KEY and SEDIMENT_MASTER_KEY: a published default/);
      expect(warning).not.toContain('\n');
    }
  });
});
