import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { S3Error } from '../errors/s3.error.js';

/** A checksum computed as bytes pass, whichever way it reaches us (header or trailer). */
export interface IncrementalChecksum {
  update(data: Buffer): void;
  digest(): Buffer;
}

export interface ChecksumAlgorithm {
  /** As AWS names it in messages, e.g. CRC32. */
  label: string;
  digestBytes: number;
  create(): IncrementalChecksum;
}

function crc32Checksum(): IncrementalChecksum {
  let value = 0;
  return {
    update(data) {
      value = crc32(data, value);
    },
    digest() {
      const out = Buffer.alloc(4);
      out.writeUInt32BE(value >>> 0);
      return out;
    },
  };
}

function hashChecksum(algorithm: string): () => IncrementalChecksum {
  return () => {
    const hash = createHash(algorithm);
    return { update: (data) => void hash.update(data), digest: () => hash.digest() };
  };
}

/** The x-amz-checksum-* algorithms Sediment verifies, by lower-cased header name. */
export const CHECKSUMS: Readonly<Record<string, ChecksumAlgorithm>> = {
  'x-amz-checksum-crc32': { label: 'CRC32', digestBytes: 4, create: crc32Checksum },
  'x-amz-checksum-sha1': { label: 'SHA1', digestBytes: 20, create: hashChecksum('sha1') },
  'x-amz-checksum-sha256': { label: 'SHA256', digestBytes: 32, create: hashChecksum('sha256') },
};

/** Checksums S3 knows that Sediment cannot compute yet (no node built-in). */
export const UNSUPPORTED_CHECKSUMS = new Set(['x-amz-checksum-crc32c', 'x-amz-checksum-crc64nvme']);

export const CONTENT_MD5: ChecksumAlgorithm = { label: 'Content-MD5', digestBytes: 16, create: hashChecksum('md5') };

/**
 * Compares a client's base64 checksum with what was computed: a malformed value is
 * InvalidRequest, a mismatch BadDigest, as S3 answers. `where` names the header kind in messages.
 */
export function assertChecksum(name: string, provided: string, computed: Buffer, where: 'header' | 'trailing header'): void {
  const algorithm = CHECKSUMS[name]!;
  const bytes = Buffer.from(provided, 'base64');
  if (bytes.length !== algorithm.digestBytes || bytes.toString('base64') !== provided) {
    throw new S3Error('InvalidRequest', { message: `Value for ${name} ${where} is invalid.` });
  }
  if (!bytes.equals(computed)) {
    throw new S3Error('BadDigest', {
      message: `The ${algorithm.label} you specified did not match the calculated checksum.`,
    });
  }
}
