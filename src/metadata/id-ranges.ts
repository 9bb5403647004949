import type { Collection, Filter } from 'mongodb';

/**
 * S3 (and MongoDB) order keys by their UTF-8 bytes, which is code point order. JS `<` compares
 * UTF-16 code units, which disagrees for U+E000..U+FFFF versus astral characters.
 */
export function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Whether any document's `_id` lies in the range: the first one, read from the `_id` index. */
export async function anyIdIn<D extends { _id: string }>(collection: Collection<D>, { from, to }: { from: string; to: string }): Promise<boolean> {
  const inRange = { _id: { $gte: from, $lt: to } } as Filter<D>;
  const first = await collection.find(inRange, { projection: { _id: 1 } }).sort({ _id: 1 }).limit(1).toArray();
  return first.length > 0;
}

/**
 * The smallest string above every string that starts with `prefix`, in UTF-8 byte order
 * (= code point order): the prefix with its last code point incremented. Undefined when the
 * prefix is all U+10FFFF, which no bound can follow.
 */
export function prefixUpperBound(prefix: string): string | undefined {
  const points = [...prefix].map((c) => c.codePointAt(0)!);
  while (points.length > 0) {
    const last = points.pop()!;
    if (last < 0x10ffff) {
      const next = last === 0xd7ff ? 0xe000 : last + 1; // skip the surrogate block
      return String.fromCodePoint(...points, next);
    }
  }
  return undefined;
}

/**
 * Every id that starts with `prefix`: ≥ `from` and < `to`. Ids here always start with a bucket
 * name and '/', so a bound always exists.
 */
export function rangeOf(prefix: string): { from: string; to: string } {
  const to = prefixUpperBound(prefix);
  if (to === undefined) throw new Error(`no id range follows ${JSON.stringify(prefix)}`);
  return { from: prefix, to };
}
