import { unstorableStringReason } from '../../event-log/storable.js';
import { S3Error } from '../../errors/s3.error.js';

/** AWS rejects object keys longer than this many UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024;

/** KeyTooLongError, with the size and the limit, for a key over MAX_KEY_BYTES. */
export function assertKeyLength(key: string): void {
  const size = Buffer.byteLength(key, 'utf8');
  if (size > MAX_KEY_BYTES) {
    throw new S3Error('KeyTooLongError', {
      details: { Size: String(size), MaxSizeAllowed: String(MAX_KEY_BYTES) },
    });
  }
}

/**
 * A key is any UTF-8 string, but the read model cannot store U+0000: refused before the body is
 * read or anything is looked up, so it can never reach an event.
 */
export function assertStorableKey(key: string): void {
  const reason = unstorableStringReason(key);
  if (reason !== undefined) {
    throw new S3Error('InvalidArgument', { message: `Object key ${reason}, which Sediment cannot store.`, details: { ArgumentName: 'key' } });
  }
}
