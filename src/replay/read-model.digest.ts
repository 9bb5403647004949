import type { Db } from 'mongodb';
import {
  DIGESTED_COLLECTIONS,
  DigestLedger,
  digestOf,
  documentDigest,
  LEDGER_COLLECTIONS,
  Sum256,
  type CollectionSum,
  type DigestedCollection,
} from '../metadata/digest-ledger.js';
import { storedDocuments } from '../metadata/packed-collection.js';

export { canonicalJson, DIGESTED_COLLECTIONS } from '../metadata/digest-ledger.js';

export interface ReadModelDigest {
  /** `sha256:<hex>` over every document of every digested collection, order-independent. */
  digest: string;
  counts: Record<string, number>;
}

/**
 * A deterministic digest of a read model: each document is hashed in a canonical JSON form
 * (keys sorted, dates as ISO strings, every field, its log position included) and the hashes are
 * added modulo 2^256, so the order documents come back in does not matter and nothing but the
 * running sum is held in memory. Checkpoints and bookkeeping (released blobs) are left out: two
 * models built from the same log prefix digest the same however they got there.
 */
export async function digestReadModel(db: Db): Promise<ReadModelDigest> {
  const sums = {} as Record<DigestedCollection, CollectionSum>;
  for (const name of DIGESTED_COLLECTIONS) sums[name] = await collectionSum(db, name);
  return digestOf(sums);
}

/** One collection's sum, read whole. */
export async function collectionSum(db: Db, name: string): Promise<CollectionSum> {
  const sum = new Sum256();
  let count = 0;
  for await (const doc of storedDocuments(db, name)) {
    sum.add(documentDigest(name, doc));
    count++;
  }
  return { sum: sum.toBigInt(), count };
}

/**
 * The ledger of a model read whole: the per-partition sums a projection keeps as it writes, for a
 * model whose kept ledger is not exact, to persist with the checkpoints so that its later writes
 * keep it up to date (ADR 0014).
 */
export async function ledgerOfReadModel(db: Db): Promise<DigestLedger> {
  const ledger = new DigestLedger();
  for (const name of LEDGER_COLLECTIONS) {
    for await (const doc of storedDocuments(db, name)) ledger.record(name, null, doc);
  }
  return ledger;
}

/** The digest of a model from its ledger and its identities read whole. */
export async function digestFromLedger(db: Db, ledger: DigestLedger): Promise<ReadModelDigest> {
  return digestOf({ ...ledger.totals(), identities: await collectionSum(db, 'identities') });
}
