import { Readable } from 'node:stream';
import type { BlobStore } from './blob-store.port.js';

export interface BlobSlice {
  objectId: string;
  size: number;
}

/**
 * The bytes of an object made of several blobs (a completed multipart upload), read in order
 * without copying them anywhere: only the parts a range touches are opened, each only for the
 * slice of it the range covers. `range` is inclusive, in object coordinates.
 */
export function readBlobSequence(blobs: BlobStore, parts: readonly BlobSlice[], range?: { start: number; end: number }): Readable {
  const total = parts.reduce((sum, p) => sum + p.size, 0);
  const start = range?.start ?? 0;
  const end = range?.end ?? total - 1;
  async function* slices(): AsyncGenerator<Buffer> {
    let offset = 0;
    for (const part of parts) {
      const first = offset;
      const last = offset + part.size - 1;
      offset += part.size;
      if (part.size === 0 || last < start || first > end) continue;
      const slice = { start: Math.max(start, first) - first, end: Math.min(end, last) - first };
      for await (const chunk of blobs.read(part.objectId, slice)) yield chunk as Buffer;
    }
  }
  return Readable.from(slices(), { objectMode: false });
}
