import { randomBytes } from 'node:crypto';
import type { SedimentConfig } from '../config/sediment.config.js';
import { accountCanonicalId, rootPrincipal } from '../event-log/principal.js';
import { IdentityDirectory } from '../identity-stream/identity.directory.js';
import type { IdentityEvent } from '../identity-stream/identity.events.js';
import { SecretBox } from '../identity-stream/secret-box.js';
import { projectIdentity } from '../projections/identity/identity.projection.js';
import { CredentialsRegistry } from './credentials.js';

const at = '2026-11-27T10:00:00.000Z';
const box = new SecretBox(randomBytes(32).toString('base64'));
const config = { SEDIMENT_ROOT_ACCESS_KEY_ID: 'SEDIMENTTESTROOT0001', SEDIMENT_ROOT_SECRET_ACCESS_KEY: 'r'.repeat(30) } as SedimentConfig;

function registryAfter(...events: IdentityEvent[]): CredentialsRegistry {
  const directory = new IdentityDirectory();
  events.forEach((event, offset) => projectIdentity(event, offset, (id) => directory.get(id)).forEach((m) => directory.apply(m)));
  return new CredentialsRegistry(config, directory, box);
}

const teamB: IdentityEvent = {
  type: 'AccountCreated',
  data: {
    accountId: '111122223333',
    name: 'team-b',
    canonicalId: accountCanonicalId('111122223333'),
    rootAccessKeyId: 'AKIAROOTOFTEAMB00001',
    rootSecret: box.seal('b'.repeat(40), 'AKIAROOTOFTEAMB00001'),
    createdAt: at,
  },
};

describe('CredentialsRegistry', () => {
  it('knows the configured root as the default account root', () => {
    expect(registryAfter().find('SEDIMENTTESTROOT0001')).toEqual({ secretAccessKey: 'r'.repeat(30), principal: rootPrincipal('SEDIMENTTESTROOT0001') });
  });

  it("knows an account's root key, with the account's id, canonical id and name", () => {
    const identity = registryAfter(teamB).find('AKIAROOTOFTEAMB00001');
    expect(identity?.secretAccessKey).toBe('b'.repeat(40));
    expect(identity?.principal).toMatchObject({
      type: 'root',
      accountId: '111122223333',
      arn: 'arn:aws:iam::111122223333:root',
      canonicalId: accountCanonicalId('111122223333'),
      displayName: 'team-b',
    });
  });

  it('forgets the root key of a deleted account', () => {
    expect(registryAfter(teamB, { type: 'AccountDeleted', data: { accountId: '111122223333', deletedAt: at } }).find('AKIAROOTOFTEAMB00001')).toBeUndefined();
  });
});
