import { cachedSigningKeys, deriveSigningKey, signString, SIGNING_KEY_CACHE_SIZE } from './signing-key.js';

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

describe('signString', () => {
  // AWS's worked example ("Create a signature for AWS API requests", GET ListUsers).
  const STRING_TO_SIGN = 'AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/iam/aws4_request\nf536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59';
  const SIGNATURE = '5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7';

  it("gives AWS's signature under a kept key (signed through its KeyObject) and under a copy of it", () => {
    const kept = deriveSigningKey(SECRET, '20150830', 'us-east-1', 'iam');
    expect(signString(kept, STRING_TO_SIGN)).toBe(SIGNATURE);
    expect(signString(Buffer.from(kept), STRING_TO_SIGN)).toBe(SIGNATURE);
  });
});
