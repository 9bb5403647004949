import { afterVersionsOf, versionDocumentId, versionsOfKey, versionsPrefixStart, type VersionDocument } from './metadata.documents.js';
import { FROM_NEWEST_VERSION, type VersionRangeQuery } from './metadata.store.port.js';
import { anyIdIn, compareUtf8, prefixUpperBound, rangeOf } from './id-ranges.js';
import { inParallel } from './mongo-writes.js';
import type { PackedCollection } from './packed-collection.js';

/** How many keys' versions are read at once (DeleteObjects names up to 1,000 keys). */
const PARALLEL_KEY_READS = 16;

/**
 * The `versions` collection, queried only by `_id` points and ranges (ADR 0014): a key's
 * versions are one range, newest first, and a bucket's are one range in listing order.
 */
export class MongoVersions {
  constructor(private readonly versions: PackedCollection<VersionDocument>) {}

  /** Every version of a key, newest first. */
  ofKey(bucket: string, key: string): Promise<VersionDocument[]> {
    const { from, to } = versionsOfKey(bucket, key);
    return this.versions.find({ _id: { $gte: from, $lt: to } }, { sort: { _id: 1 } });
  }

  /** One version of a key by its id: found in the key's range (a key holds few versions). */
  async get(bucket: string, key: string, versionId: string): Promise<VersionDocument | null> {
    return (await this.ofKey(bucket, key)).find((version) => version.versionId === versionId) ?? null;
  }

  /** Every version of the named keys, a range per key, some at a time. */
  async ofKeys(bucket: string, keys: readonly string[]): Promise<VersionDocument[]> {
    const out: VersionDocument[] = [];
    await inParallel([...new Set(keys)], PARALLEL_KEY_READS, async (key) => {
      out.push(...(await this.ofKey(bucket, key)));
    });
    return out;
  }

  /** Whether any version or delete marker is left in the bucket: the first id of its range. */
  any(bucket: string): Promise<boolean> {
    return anyIdIn(this.versions.raw, rangeOf(`${bucket}/`));
  }

  /** A page of a version listing: keys ascending, each key's newest version first; one range scan. */
  list(bucket: string, { prefix, after, limit }: VersionRangeQuery): Promise<VersionDocument[]> {
    const start = versionsPrefixStart(bucket, prefix);
    const end = prefixUpperBound(start) ?? `${bucket}0`;
    const range: { $gte?: string; $gt?: string; $lt: string } = { $lt: end };
    if (after === undefined) range.$gte = start;
    else if (after.seq === FROM_NEWEST_VERSION) range.$gte = maxId(versionsOfKey(bucket, after.key).from, start);
    else if (after.seq !== undefined) range.$gt = maxId(versionDocumentId(bucket, after.key, after.seq), start);
    else range.$gte = maxId(afterVersionsOf(bucket, after.key), start);
    return this.versions.find({ _id: range }, { sort: { _id: 1 }, limit });
  }
}

/** The greater of two ids in the collection's order (UTF-8 bytes). */
function maxId(a: string, b: string): string {
  return compareUtf8(a, b) >= 0 ? a : b;
}
