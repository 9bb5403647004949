import { isIPv4, isIPv6 } from 'node:net';
import { ConfigError, type SedimentConfig } from './sediment.config.js';

/**
 * Root secrets that anyone can read: the defaults earlier versions of scripts/start.sh and
 * docker/docker-compose.yml shipped, the fixed ones of the test suite, and AWS's documentation
 * example. Whoever knows one signs requests as root.
 */
const PUBLISHED_ROOT_SECRETS: ReadonlySet<string> = new Set([
  'sediment-local-root-secret-change-me',
  'sediment-dev-secret-change-me',
  'sediment-test-root-secret-0001',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
]);

/**
 * Master keys published the same way (as bytes: a key may be written in base64 or hex). Whoever
 * knows one opens every IAM user's secret from the log.
 */
const PUBLISHED_MASTER_KEYS: readonly Buffer[] = [
  Buffer.from('c2VkaW1lbnQtZGV2LW1hc3Rlci1rZXktY2hhbmdlISE=', 'base64'),
  Buffer.alloc(32, 0x5e),
];

/**
 * Whether a listen address accepts connections from this machine only: 127.0.0.0/8, ::1 (also
 * IPv4-mapped) or `localhost`. Any other name or address, 0.0.0.0 and :: included, is beyond.
 */
export function isLoopbackHost(host: string): boolean {
  const name = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (name === 'localhost') return true;
  if (isIPv4(name)) return name.startsWith('127.');
  if (!isIPv6(name)) return false;
  let canonical: string;
  try {
    canonical = new URL(`http://[${name}]/`).hostname.slice(1, -1);
  } catch {
    return false; // a zone id (fe80::1%eth0): link-local, beyond this machine
  }
  return canonical === '::1' || /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(canonical);
}

function masterKeyBytes(key: string): Buffer {
  return /^[0-9a-fA-F]{64}$/.test(key) ? Buffer.from(key, 'hex') : Buffer.from(key, 'base64');
}

/** The settings that hold a published secret, with how to make one of your own. */
export function publishedCredentials(config: SedimentConfig): { setting: string; remedy: string }[] {
  const found: { setting: string; remedy: string }[] = [];
  if (PUBLISHED_ROOT_SECRETS.has(config.SEDIMENT_ROOT_SECRET_ACCESS_KEY)) {
    found.push({
      setting: 'SEDIMENT_ROOT_SECRET_ACCESS_KEY',
      remedy: 'set a secret of your own, e.g. SEDIMENT_ROOT_SECRET_ACCESS_KEY="$(openssl rand -base64 30)"',
    });
  }
  const master = masterKeyBytes(config.SEDIMENT_MASTER_KEY);
  if (PUBLISHED_MASTER_KEYS.some((known) => known.equals(master))) {
    found.push({
      setting: 'SEDIMENT_MASTER_KEY',
      remedy:
        'set a key of your own, e.g. SEDIMENT_MASTER_KEY="$(openssl rand -base64 32)" ' +
        '(IAM access keys sealed under the old key cannot be opened by a new one: recreate them)',
    });
  }
  return found;
}

/**
 * A published secret is tolerable on loopback (only this machine can reach it) and returns one
 * warning line; beyond loopback it would hand the service to anyone, so the boot stops.
 */
export function assertNoPublishedCredentials(config: SedimentConfig): string | undefined {
  const found = publishedCredentials(config);
  if (found.length === 0) return undefined;
  const names = found.map((f) => f.setting).join(' and ');
  if (isLoopbackHost(config.SEDIMENT_HOST)) {
    return `${names}: a published default, accepted only because SEDIMENT_HOST=${config.SEDIMENT_HOST} is loopback; set your own before listening beyond it`;
  }
  throw new ConfigError(
    [
      `Refusing to start: SEDIMENT_HOST=${config.SEDIMENT_HOST} accepts connections from beyond this machine, ` +
        `and ${names} ${found.length > 1 ? 'are defaults' : 'is a default'} published with Sediment that anyone can use.`,
      ...found.map((f) => `  ${f.setting}: ${f.remedy}`),
      '  Or listen on loopback only: SEDIMENT_HOST=127.0.0.1',
    ].join('\n'),
  );
}
