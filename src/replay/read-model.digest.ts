import { createHash } from 'node:crypto';
import type { Db } from 'mongodb';

/**
 * The collections that make up the read model's meaning. Checkpoints (how far a projection got)
 * and bookkeeping such as released blobs (which the janitor prunes) are left out: two models
 * built from the same log prefix must digest the same however they got there. Uploads in progress
 * (with their parts) are meaning too: a replay that lost one would strand its parts, and a client
 * could no longer complete it.
 */
export const DIGESTED_COLLECTIONS = ['buckets', 'objects', 'versions', 'identities', 'uploads'] as const;

export interface ReadModelDigest {
  /** `sha256:<hex>` over every document of every digested collection, order-independent. */
  digest: string;
  counts: Record<string, number>;
}

const MODULUS = 1n << 256n;

/**
 * A deterministic digest of a read model: each document is hashed in a canonical JSON form
 * (keys sorted, dates as ISO strings, every field, its log position included) and the hashes are
 * added modulo 2^256, so the order documents come back in does not matter and nothing but the
 * running sum is held in memory.
 */
export async function digestReadModel(db: Db): Promise<ReadModelDigest> {
  const outer = createHash('sha256');
  const counts: Record<string, number> = {};
  for (const name of DIGESTED_COLLECTIONS) {
    let sum = 0n;
    let count = 0;
    for await (const doc of db.collection(name).find({})) {
      const hash = createHash('sha256').update(name).update('\0').update(canonicalJson(doc)).digest('hex');
      sum = (sum + BigInt(`0x${hash}`)) % MODULUS;
      count++;
    }
    counts[name] = count;
    outer.update(`${name}:${count}:${sum.toString(16).padStart(64, '0')}\n`);
  }
  return { digest: `sha256:${outer.digest('hex')}`, counts };
}

/** JSON with object keys sorted at every level; Dates as ISO strings, binary as base64. */
export function canonicalJson(value: unknown): string {
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Buffer.isBuffer(value)) return JSON.stringify(value.toString('base64'));
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .sort()
      .filter((key) => record[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
