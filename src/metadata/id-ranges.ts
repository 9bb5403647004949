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
