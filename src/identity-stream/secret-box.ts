import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * An access key secret as it is stored in Kafka and MongoDB: AES-256-GCM ciphertext, never the
 * plaintext. `keyId` names the master key that sealed it, so a boot under another key is caught
 * before any request is judged with it.
 */
export interface SealedSecret {
  alg: 'AES-256-GCM';
  keyId: string;
  /** base64 of the 12-byte nonce, the ciphertext and the 16-byte tag. */
  iv: string;
  ciphertext: string;
  tag: string;
}

export class MasterKeyError extends Error {}

const NONCE_BYTES = 12;

/**
 * Seals and opens access key secrets under the master key from configuration. The access key id
 * is bound as associated data: a sealed secret copied onto another key id does not open.
 */
export class SecretBox {
  readonly keyId: string;
  private readonly key: Buffer;

  constructor(masterKey: string) {
    this.key = decodeMasterKey(masterKey);
    // Derived, not the key itself, and one-way: the id can be shown and stored.
    this.keyId = createHmac('sha256', this.key).update('sediment/master-key-id/v1').digest('hex').slice(0, 16);
  }

  seal(plaintext: string, accessKeyId: string): SealedSecret {
    const iv = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(accessKeyId, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return {
      alg: 'AES-256-GCM',
      keyId: this.keyId,
      iv: iv.toString('base64'),
      ciphertext: ciphertext.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
    };
  }

  /** The plaintext, or a MasterKeyError if it was sealed under another key or tampered with. */
  open(sealed: SealedSecret, accessKeyId: string): string {
    if (sealed.alg !== 'AES-256-GCM') throw new MasterKeyError(`unknown secret algorithm ${String(sealed.alg)}`);
    if (sealed.keyId !== this.keyId) {
      throw new MasterKeyError(`secret of ${accessKeyId} was sealed under master key ${sealed.keyId}, not ${this.keyId}`);
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(sealed.iv, 'base64'));
      decipher.setAAD(Buffer.from(accessKeyId, 'utf8'));
      decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      throw new MasterKeyError(`secret of ${accessKeyId} does not authenticate under master key ${this.keyId}`);
    }
  }
}

export function decodeMasterKey(value: string): Buffer {
  const key = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  if (key.length !== 32 || !/^(?:[A-Za-z0-9+/]{43}=|[0-9a-fA-F]{64})$/.test(value)) {
    throw new MasterKeyError('the master key must be 32 bytes, as base64 (44 chars) or hex (64 chars)');
  }
  return key;
}
