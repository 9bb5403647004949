/**
 * What the read model can store, decided in one place for both ends of the log: the writers
 * refuse to append an event that breaks these rules, and the projections treat a record that
 * breaks them as poison at once instead of retrying a write the database will always refuse.
 *
 * The rules are the intersection of what MongoDB and FerretDB over PostgreSQL accept:
 * - PostgreSQL's jsonb cannot hold U+0000 in a string (SQLSTATE 22P05);
 * - a lone UTF-16 surrogate has no UTF-8 form: the driver would silently store U+FFFD, so the
 *   read model would differ from the log;
 * - JSON has no NaN or Infinity (JSON.stringify writes null);
 * - field names may not start with `$` or hold `.` (FerretDB v1), nor hold U+0000 (BSON);
 * - nesting is bounded (BSON and FerretDB refuse very deep documents).
 * Every user-controlled value the edge accepts must already satisfy them; this is the backstop.
 */

/** Deeper than any event Sediment writes (a CORS rule list is four levels below `data`). */
export const MAX_STORABLE_DEPTH = 32;

export interface Unstorable {
  /** Where in the value, e.g. `data.userMetadata[2].value`. */
  path: string;
  reason: string;
}

// A surrogate not paired with its other half: lone high, or lone low.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string cannot be stored, or undefined when it can. */
export function unstorableStringReason(text: string): string | undefined {
  if (text.includes('\u0000')) return 'contains U+0000 (NUL)';
  if (LONE_SURROGATE.test(text)) return 'contains a lone UTF-16 surrogate (not valid Unicode)';
  return undefined;
}

function unstorableFieldName(name: string): string | undefined {
  if (name.startsWith('$')) return 'a field name starts with $';
  if (name.includes('.')) return 'a field name contains .';
  return unstorableStringReason(name);
}

/** The first part of `value` the read model cannot store, or undefined when all of it can. */
export function findUnstorable(value: unknown, path = '', depth = 0): Unstorable | undefined {
  if (depth > MAX_STORABLE_DEPTH) return { path, reason: `nested deeper than ${MAX_STORABLE_DEPTH} levels` };
  switch (typeof value) {
    case 'string': {
      const reason = unstorableStringReason(value);
      return reason ? { path, reason } : undefined;
    }
    case 'number':
      return Number.isFinite(value) ? undefined : { path, reason: `${value} is not a JSON number` };
    case 'boolean':
      return undefined;
    case 'object': {
      if (value === null) return undefined;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const found = findUnstorable(value[i], `${path}[${i}]`, depth + 1);
          if (found) return found;
        }
        return undefined;
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) return { path, reason: 'not a plain JSON object' };
      for (const [name, member] of Object.entries(value)) {
        const at = path === '' ? name : `${path}.${name}`;
        const nameReason = unstorableFieldName(name);
        if (nameReason) return { path: at, reason: nameReason };
        // An absent optional field: JSON.stringify drops it, as the read model never sees it.
        if (member === undefined) continue;
        const found = findUnstorable(member, at, depth + 1);
        if (found) return found;
      }
      return undefined;
    }
    default:
      return { path, reason: `a ${typeof value} is not JSON` };
  }
}

/** Thrown by a writer asked to append what the read model cannot store: an edge check is missing. */
export class UnstorableEventError extends Error {
  constructor(
    readonly eventType: string,
    readonly problem: Unstorable,
  ) {
    super(`${eventType}: ${problem.path} ${problem.reason}`);
    this.name = 'UnstorableEventError';
  }
}

export function assertStorable(eventType: string, value: unknown): void {
  const problem = findUnstorable(value);
  if (problem) throw new UnstorableEventError(eventType, problem);
}
