import { createHash, hash } from 'node:crypto';

/**
 * The collections a read model's digest covers (ADR 0007): what it means, not how far a
 * projection got. `identities` is digested whole at a switch (it is small); the others are kept
 * per partition as events are applied (DigestLedger), so a switch compares two sums instead of
 * reading two models (ADR 0014).
 */
export const DIGESTED_COLLECTIONS = ['buckets', 'objects', 'versions', 'identities', 'uploads'] as const;
export type DigestedCollection = (typeof DIGESTED_COLLECTIONS)[number];
export const LEDGER_COLLECTIONS = ['buckets', 'objects', 'versions', 'uploads'] as const;
export type LedgerCollection = (typeof LEDGER_COLLECTIONS)[number];

export const MODULUS = 1n << 256n;

/**
 * JSON with object keys sorted at every level; Dates as ISO strings, binary as base64. Written
 * with plain loops and a cache of quoted keys: the ledger hashes every document a projection
 * writes, so this runs twice per event of a replay.
 */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      // As JSON.stringify writes a number (a non-finite one is null), without the call.
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      break;
    default:
      return JSON.stringify(value) ?? 'null';
  }
  if (value === null) return 'null';
  // An ISO string has nothing JSON escapes.
  if (value instanceof Date) return `"${value.toISOString()}"`;
  if (Buffer.isBuffer(value)) return JSON.stringify(value.toString('base64'));
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (!isSorted(keys)) keys.sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const field = record[key];
    if (field === undefined) continue;
    out += (first ? '' : ',') + quotedKey(key) + ':' + canonicalJson(field);
    first = false;
  }
  return `${out}}`;
}

function isSorted(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (keys[i - 1]! > keys[i]!) return false;
  return true;
}

/** Field names repeat across documents: quoted once each (user metadata names are bounded by its 2 KB). */
const quotedKeys = new Map<string, string>();
function quotedKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (quotedKeys.size < 10_000) quotedKeys.set(key, quoted);
  }
  return quoted;
}

/** One document's share of its collection's digest: SHA-256 of its name and canonical JSON. */
export function documentDigest(collection: string, doc: object): Buffer {
  return hash('sha256', `${collection}\0${canonicalJson(doc)}`, 'buffer');
}

/**
 * A sum of digests modulo 2^256, kept as eight 32-bit words (least significant first): adding a
 * digest costs eight additions, where a bigint cost parsing its hex and a new number each time.
 * The ledger adds or subtracts one for every document a replay writes.
 */
export class Sum256 {
  private readonly words = new Uint32Array(8);

  static of(value: bigint): Sum256 {
    const sum = new Sum256();
    let rest = BigInt.asUintN(256, value);
    for (let i = 0; i < 8; i++) {
      sum.words[i] = Number(rest & 0xffffffffn);
      rest >>= 32n;
    }
    return sum;
  }

  /** Adds a 32-byte big-endian digest. */
  add(digest: Buffer): void {
    let carry = 0;
    for (let i = 0; i < 8; i++) {
      const total = this.words[i]! + digest.readUInt32BE(28 - 4 * i) + carry;
      this.words[i] = total >>> 0;
      carry = total > 0xffffffff ? 1 : 0;
    }
  }

  /** Subtracts a 32-byte big-endian digest. */
  sub(digest: Buffer): void {
    let borrow = 0;
    for (let i = 0; i < 8; i++) {
      const total = this.words[i]! - digest.readUInt32BE(28 - 4 * i) - borrow;
      this.words[i] = total >>> 0;
      borrow = total < 0 ? 1 : 0;
    }
  }

  addSum(other: Sum256): void {
    let carry = 0;
    for (let i = 0; i < 8; i++) {
      const total = this.words[i]! + other.words[i]! + carry;
      this.words[i] = total >>> 0;
      carry = total > 0xffffffff ? 1 : 0;
    }
  }

  toBigInt(): bigint {
    let value = 0n;
    for (let i = 7; i >= 0; i--) value = (value << 32n) | BigInt(this.words[i]!);
    return value;
  }
}

/** A collection's digest: the sum of its documents' hashes modulo 2^256, and their count. */
export interface CollectionSum {
  sum: bigint;
  count: number;
}

/** The digest string of a whole model from its collections' sums (the format `sediment digest` prints). */
export function digestOf(sums: Readonly<Record<DigestedCollection, CollectionSum>>): { digest: string; counts: Record<string, number> } {
  const outer = createHash('sha256');
  const counts: Record<string, number> = {};
  for (const name of DIGESTED_COLLECTIONS) {
    const { sum, count } = sums[name];
    counts[name] = count;
    outer.update(`${name}:${count}:${sum.toString(16).padStart(64, '0')}\n`);
  }
  return { digest: `sha256:${outer.digest('hex')}`, counts };
}

/** A partition's share of the ledger, as checkpoints persist it. */
export interface SavedLedger {
  /** False once a write could not be accounted for (a record applied again after a crash). */
  clean: boolean;
  sums: Record<LedgerCollection, string>;
  counts: Record<LedgerCollection, number>;
}

interface PartitionLedger {
  clean: boolean;
  sums: Record<LedgerCollection, Sum256>;
  counts: Record<LedgerCollection, number>;
}

const emptyPartition = (): PartitionLedger => ({
  clean: true,
  sums: { buckets: new Sum256(), objects: new Sum256(), versions: new Sum256(), uploads: new Sum256() },
  counts: { buckets: 0, objects: 0, versions: 0, uploads: 0 },
});

/**
 * The digest of a read model kept up to date as events are applied, per partition: each write
 * adds the hash of the document it leaves and subtracts the hash of the one it replaces. Exact as
 * long as every write is seen with the document it replaced; a write the store cannot account for
 * (a redelivered record finding its documents already written, after a crash) makes the
 * partition unclean, and a switch then digests the models whole instead.
 */
export class DigestLedger {
  private readonly partitions = new Map<number, PartitionLedger>();

  /** Accounts for one write: `before` is what the document was (null: absent), `after` what it is. */
  record(collection: string, before: (object & { partition?: number }) | null, after: (object & { partition?: number }) | null): void {
    if (!isLedgerCollection(collection)) return;
    const partition = after?.partition ?? before?.partition;
    if (partition === undefined) return;
    const ledger = this.of(partition);
    if (before) {
      ledger.sums[collection].sub(documentDigest(collection, before));
      ledger.counts[collection]--;
    }
    if (after) {
      ledger.sums[collection].add(documentDigest(collection, after));
      ledger.counts[collection]++;
    }
  }

  /** A write skipped because its document already reflects this event or a later one. */
  unaccounted(partition: number): void {
    this.of(partition).clean = false;
  }

  load(partition: number, saved: SavedLedger | undefined): void {
    if (!saved) return;
    const sums = Object.fromEntries(LEDGER_COLLECTIONS.map((c) => [c, Sum256.of(BigInt(`0x${saved.sums[c] || '0'}`))])) as PartitionLedger['sums'];
    this.partitions.set(partition, { clean: saved.clean, sums, counts: { ...saved.counts } });
  }

  save(partition: number): SavedLedger {
    const ledger = this.of(partition);
    const sums = Object.fromEntries(LEDGER_COLLECTIONS.map((c) => [c, ledger.sums[c].toBigInt().toString(16)])) as SavedLedger['sums'];
    return { clean: ledger.clean, sums, counts: { ...ledger.counts } };
  }

  /** Whether every partition's share is exact. */
  get clean(): boolean {
    return [...this.partitions.values()].every((p) => p.clean);
  }

  /** The collections' sums over every partition. */
  totals(): Record<LedgerCollection, CollectionSum> {
    const totals = Object.fromEntries(LEDGER_COLLECTIONS.map((c) => [c, { sum: new Sum256(), count: 0 }])) as Record<
      LedgerCollection,
      { sum: Sum256; count: number }
    >;
    for (const ledger of this.partitions.values()) {
      for (const c of LEDGER_COLLECTIONS) {
        totals[c].sum.addSum(ledger.sums[c]);
        totals[c].count += ledger.counts[c];
      }
    }
    return Object.fromEntries(LEDGER_COLLECTIONS.map((c) => [c, { sum: totals[c].sum.toBigInt(), count: totals[c].count }])) as Record<
      LedgerCollection,
      CollectionSum
    >;
  }

  private of(partition: number): PartitionLedger {
    let ledger = this.partitions.get(partition);
    if (!ledger) {
      ledger = emptyPartition();
      this.partitions.set(partition, ledger);
    }
    return ledger;
  }
}

function isLedgerCollection(name: string): name is LedgerCollection {
  return (LEDGER_COLLECTIONS as readonly string[]).includes(name);
}
