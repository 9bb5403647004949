/** A piece of a policy value: text as written, or the name inside a `${…}` policy variable. */
export type PolicyValuePart = { text: string } | { variable: string };

export type VariableResolver = (name: string) => string | undefined;

/**
 * Splits a policy value at its `${…}` variables. A hand-written scan rather than a RegExp: a
 * value full of `${` without a closing `}` would make `/\$\{[^}]*\}/g` rescan the rest of the
 * value from every `${`, quadratic in a 20 KB bucket policy.
 */
export function splitVariables(value: string): PolicyValuePart[] {
  const parts: PolicyValuePart[] = [];
  let from = 0;
  for (;;) {
    const open = value.indexOf('${', from);
    const close = open === -1 ? -1 : value.indexOf('}', open + 2);
    // Without a `}` after this `${`, no later `${` has one either.
    if (close === -1) break;
    if (open > from) parts.push({ text: value.slice(from, open) });
    parts.push({ variable: value.slice(open + 2, close) });
    from = close + 1;
  }
  if (from < value.length || parts.length === 0) parts.push({ text: value.slice(from) });
  return parts;
}

/** `${*}`, `${?}` and `${$}` stand for the character itself, so a policy can name it literally. */
export function resolveVariable(name: string, lookupKey: (key: string) => string | readonly string[] | undefined): string | undefined {
  if (name === '*' || name === '?' || name === '$') return name;
  const value = lookupKey(name.trim());
  return typeof value === 'string' ? value : undefined;
}
