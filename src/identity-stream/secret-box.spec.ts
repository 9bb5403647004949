import { randomBytes } from 'node:crypto';
import { decodeMasterKey, MasterKeyError, SecretBox } from './secret-box.js';

const KEY_A = randomBytes(32).toString('base64');
const KEY_B = randomBytes(32).toString('hex');
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

describe('SecretBox (AES-256-GCM under the master key)', () => {
  it('round-trips a secret, and the sealed form holds no plaintext', () => {
    const box = new SecretBox(KEY_A);
    const sealed = box.seal(SECRET, 'AKIAEXAMPLE000000001');
    expect(JSON.stringify(sealed)).not.toContain(SECRET);
    expect(Buffer.from(sealed.ciphertext, 'base64').toString('utf8')).not.toContain('wJalr');
    expect(sealed.alg).toBe('AES-256-GCM');
    expect(Buffer.from(sealed.iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(sealed.tag, 'base64')).toHaveLength(16);
    expect(box.open(sealed, 'AKIAEXAMPLE000000001')).toBe(SECRET);
  });

  it('uses a fresh nonce each time', () => {
    const box = new SecretBox(KEY_A);
    const a = box.seal(SECRET, 'AKIAEXAMPLE000000001');
    const b = box.seal(SECRET, 'AKIAEXAMPLE000000001');
    expect(a.iv).not.toBe(b.iv);
    expect(a.ciphertext).not.toBe(b.ciphertext);
  });

  it('accepts hex and base64 keys; the same key gives the same key id', () => {
    const raw = randomBytes(32);
    expect(new SecretBox(raw.toString('hex')).keyId).toBe(new SecretBox(raw.toString('base64')).keyId);
    expect(new SecretBox(KEY_A).keyId).not.toBe(new SecretBox(KEY_B).keyId);
  });

  it('refuses a secret sealed under another master key', () => {
    const sealed = new SecretBox(KEY_A).seal(SECRET, 'AKIAEXAMPLE000000001');
    expect(() => new SecretBox(KEY_B).open(sealed, 'AKIAEXAMPLE000000001')).toThrow(MasterKeyError);
  });

  it('refuses a sealed secret moved onto another access key id, or tampered with', () => {
    const box = new SecretBox(KEY_A);
    const sealed = box.seal(SECRET, 'AKIAEXAMPLE000000001');
    expect(() => box.open(sealed, 'AKIAEXAMPLE000000002')).toThrow(MasterKeyError);
    const flipped = Buffer.from(sealed.ciphertext, 'base64');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => box.open({ ...sealed, ciphertext: flipped.toString('base64') }, 'AKIAEXAMPLE000000001')).toThrow(MasterKeyError);
  });

  it.each([
    ['too short', randomBytes(16).toString('base64')],
    ['hex of 31 bytes', randomBytes(31).toString('hex')],
    ['not base64', '!'.repeat(44)],
    ['empty', ''],
  ])('refuses a master key that is %s', (_, key) => {
    expect(() => decodeMasterKey(key)).toThrow(MasterKeyError);
  });
});
