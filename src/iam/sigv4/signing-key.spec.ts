import { cachedSigningKeys, deriveSigningKey, SIGNING_KEY_CACHE_SIZE } from './signing-key.js';

// AWS's worked example ("Examples of how to derive a signing key for Signature Version 4").
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const EXPECTED = 'c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9';

describe('deriveSigningKey', () => {
  it("gives AWS's key for its worked example, derived or kept", () => {
    expect(deriveSigningKey(SECRET, '20150830', 'us-east-1', 'iam').toString('hex')).toBe(EXPECTED);
    expect(deriveSigningKey(SECRET, '20150830', 'us-east-1', 'iam').toString('hex')).toBe(EXPECTED);
  });

  it('derives another key for another secret, day, region or service', () => {
    const keys = [
      deriveSigningKey(SECRET, '20150830', 'us-east-1', 's3'),
      deriveSigningKey(`${SECRET}x`, '20150830', 'us-east-1', 'iam'),
      deriveSigningKey(SECRET, '20150831', 'us-east-1', 'iam'),
      deriveSigningKey(SECRET, '20150830', 'eu-west-1', 'iam'),
    ].map((key) => key.toString('hex'));
    expect(new Set([EXPECTED, ...keys]).size).toBe(5);
  });

  it('keeps at most SIGNING_KEY_CACHE_SIZE keys, however many secrets sign', () => {
    for (let i = 0; i < SIGNING_KEY_CACHE_SIZE + 50; i++) deriveSigningKey(`secret-${i}`, '20150830', 'us-east-1', 's3');
    expect(cachedSigningKeys()).toBe(SIGNING_KEY_CACHE_SIZE);
    expect(deriveSigningKey(SECRET, '20150830', 'us-east-1', 'iam').toString('hex')).toBe(EXPECTED);
  });
});
