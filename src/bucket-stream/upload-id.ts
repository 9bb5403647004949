import { randomBytes } from 'node:crypto';

/**
 * A UUIDv7 (RFC 9562) for a multipart upload initiated at `initiatedAt`: 48 bits of Unix
 * milliseconds first, so the lowercase string sorts by initiation time. S3 orders a key's uploads
 * by initiation time, yet documents upload-id-marker as "upload IDs lexicographically greater";
 * with ids in time order both rules agree, and a marker whose upload completed between two pages
 * still places the listing. Still a UUID, as the event contract's UploadId says.
 */
export function timeOrderedUploadId(initiatedAt: Date, random: Buffer = randomBytes(10)): string {
  const bytes = Buffer.alloc(16);
  bytes.writeUIntBE(initiatedAt.getTime(), 0, 6);
  random.copy(bytes, 6, 0, 10);
  bytes[6] = 0x70 | (bytes[6]! & 0x0f); // version 7
  bytes[8] = 0x80 | (bytes[8]! & 0x3f); // RFC 9562 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
