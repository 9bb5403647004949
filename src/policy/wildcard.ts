import { splitVariables, type PolicyValuePart, type VariableResolver } from './policy-variables.js';

/**
 * Policy wildcards (`*`: any run of characters, `?`: any one UTF-16 code unit) matched in time
 * linear in the text, whatever the pattern: the text is a request's key, prefix, User-Agent or
 * Referer, chosen by whoever sends the request. A RegExp built from the pattern backtracks: a
 * Resource with four `*` between slashes, against a key of 400 slashes, held the event loop for
 * 14 s (issue #10).
 *
 * The pattern is cut at each `*` into segments of literal code units and `?`. The first segment
 * must match at the start of the text and the last at its end; each one between is taken at its
 * leftmost occurrence after the previous one, which is optimal for `*`/`?` globs (any later
 * occurrence leaves less room for the rest). A middle segment is found by intersecting, for each
 * of its literal code units, the bitset of the text positions holding that unit, shifted by the
 * unit's offset in the segment: a pattern costs at most (its literal units) × (text length / 32)
 * word operations, whatever its shape, and the text is indexed once for all patterns.
 *
 * Policy variables (`${aws:username}`, `${*}`, …) are substituted as literal text, never as
 * wildcards. Patterns without variables are compiled once (a cache bounded in entries and in
 * code units, so stored policies cannot grow it without limit).
 */
export interface WildcardOptions {
  /** Folds ASCII letters only: the one caller is Action matching, whose grammar is ASCII. */
  ignoreCase?: boolean;
  /** Resolves `${…}` variables; without it (Version 2008-10-17) `${…}` is pattern text. */
  resolve?: VariableResolver;
}

/** Whether `text` matches `pattern`; undefined when a policy variable in it cannot be resolved. */
export function wildcardMatches(pattern: string, text: string, options: WildcardOptions = {}): boolean | undefined {
  const ignoreCase = options.ignoreCase ?? false;
  const entry = cachedPattern(pattern, ignoreCase, options.resolve !== undefined);
  const compiled = entry.compiled ?? compile(entry.parts, ignoreCase, options.resolve);
  return compiled === undefined ? undefined : matches(compiled, text, ignoreCase);
}

/** `?` in a compiled pattern: any one code unit. */
const ANY = -1;

interface CompiledPattern {
  /** The code units of every segment, end to end (ASCII-folded when ignoring case), ANY for `?`. */
  readonly units: Int32Array;
  /**
   * Segment k is units[bounds[k], bounds[k + 1]): the pattern cut at each `*`, so two bounds
   * mean the pattern has no `*`. The shortest text that can match is `units.length` long.
   */
  readonly bounds: Int32Array;
}

const fold = (unit: number, ignoreCase: boolean) => (ignoreCase && unit >= 65 && unit <= 90 ? unit + 32 : unit);

function compile(parts: readonly PolicyValuePart[], ignoreCase: boolean, resolve?: VariableResolver): CompiledPattern | undefined {
  // Resolved first, so the arrays can be sized before they are filled.
  const texts: string[] = [];
  let length = 0;
  let stars = 0;
  for (const part of parts) {
    const text = 'variable' in part ? resolve?.(part.variable) : part.text;
    if (text === undefined) return undefined;
    texts.push(text);
    length += text.length;
    if ('text' in part) for (let i = text.indexOf('*'); i !== -1; i = text.indexOf('*', i + 1)) stars++;
  }
  const units = new Int32Array(length - stars);
  const bounds = new Int32Array(stars + 2);
  let u = 0;
  let b = 1;
  texts.forEach((text, k) => {
    const literal = 'variable' in parts[k]!;
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      if (!literal && unit === 42 /* * */) bounds[b++] = u;
      else units[u++] = !literal && unit === 63 /* ? */ ? ANY : fold(unit, ignoreCase);
    }
  });
  bounds[b] = u;
  return { units, bounds };
}

function matches(pattern: CompiledPattern, text: string, ignoreCase: boolean): boolean {
  const { units, bounds } = pattern;
  const n = text.length;
  if (n < units.length) return false;
  const last = bounds.length - 1;
  const headEnd = bounds[1]!;
  if (last === 1) return n === headEnd && matchesAt(units, 0, headEnd, text, 0, ignoreCase);
  const tailStart = n - (units.length - bounds[last - 1]!);
  if (!matchesAt(units, 0, headEnd, text, 0, ignoreCase)) return false;
  if (!matchesAt(units, bounds[last - 1]!, units.length, text, tailStart, ignoreCase)) return false;
  let from = headEnd;
  for (let k = 1; k < last - 1; k++) {
    const start = bounds[k]!;
    const end = bounds[k + 1]!;
    if (start === end) continue;
    const at = findSegment(units, start, end, text, from, tailStart, ignoreCase);
    if (at < 0) return false;
    from = at + (end - start);
  }
  return true;
}

/** Whether units[start, end) matches the text at `at`. */
function matchesAt(units: Int32Array, start: number, end: number, text: string, at: number, ignoreCase: boolean): boolean {
  for (let i = start; i < end; i++) {
    const unit = units[i]!;
    if (unit !== ANY && unit !== fold(text.charCodeAt(at + i - start), ignoreCase)) return false;
  }
  return true;
}

/** The leftmost position ≥ from where units[start, end) matches, ending by `limit`; -1 if none. */
function findSegment(units: Int32Array, start: number, end: number, text: string, from: number, limit: number, ignoreCase: boolean): number {
  const last = limit - (end - start);
  if (last < from) return -1;
  const { slots, bits, stride } = textIndex(text, ignoreCase);
  // For each literal unit of the segment: where its offset in the segment falls in its
  // bitset (a word in `bits`, and a shift within it).
  const words: number[] = [];
  const shifts: number[] = [];
  for (let i = start; i < end; i++) {
    const unit = units[i]!;
    if (unit === ANY) continue;
    const slot = slots.get(unit);
    if (slot === undefined) return -1;
    words.push(slot * stride + ((i - start) >>> 5));
    shifts.push((i - start) & 31);
  }
  const count = words.length;
  const firstWord = from >>> 5;
  const lastWord = last >>> 5;
  for (let w = firstWord; w <= lastWord; w++) {
    // Bit b of `candidates` stands for the position 32·w + b.
    let candidates = -1;
    if (w === firstWord) candidates &= -1 << (from & 31);
    if (w === lastWord && (last & 31) !== 31) candidates &= (1 << ((last & 31) + 1)) - 1;
    for (let j = 0; j < count && candidates !== 0; j++) {
      const q = w + words[j]!;
      const r = shifts[j]!;
      candidates &= r === 0 ? bits[q]! : (bits[q]! >>> r) | (bits[q + 1]! << (32 - r));
    }
    if (candidates !== 0) return (w << 5) + (31 - Math.clz32(candidates & -candidates));
  }
  return -1;
}

/**
 * For each code unit of a text, the bitset of its positions: bits[slot · stride, + stride),
 * one spare word at the end of each so that shifted reads never leave it. Its size is (distinct
 * units) × (length / 32) words: texts are keys (1024 bytes), Latin-1 headers and query values,
 * all within Node's 16 KB header limit.
 */
interface TextIndex {
  slots: Map<number, number>;
  bits: Int32Array;
  stride: number;
}

/**
 * Recent texts' indexes, one map per case mode: one request matches the same key or header
 * against many patterns. Keyed by the text itself, never a string built from it, so a lookup
 * hashes the text once (V8 keeps a string's hash) instead of copying it on every call.
 */
const TEXT_INDEXES = [new Map<string, TextIndex>(), new Map<string, TextIndex>()] as const;
const MAX_TEXT_INDEXES = 16;

function textIndex(text: string, ignoreCase: boolean): TextIndex {
  const cache = TEXT_INDEXES[ignoreCase ? 1 : 0];
  const known = cache.get(text);
  if (known !== undefined) return known;
  const slots = new Map<number, number>();
  for (let i = 0; i < text.length; i++) {
    const unit = fold(text.charCodeAt(i), ignoreCase);
    if (!slots.has(unit)) slots.set(unit, slots.size);
  }
  const stride = (text.length >>> 5) + 2;
  const bits = new Int32Array(slots.size * stride);
  for (let i = 0; i < text.length; i++) {
    bits[slots.get(fold(text.charCodeAt(i), ignoreCase))! * stride + (i >>> 5)]! |= 1 << (i & 31);
  }
  const index = { slots, bits, stride };
  if (cache.size >= MAX_TEXT_INDEXES) cache.delete(cache.keys().next().value!);
  cache.set(text, index);
  return index;
}

interface PatternEntry {
  parts: readonly PolicyValuePart[];
  /** Set when the pattern has no variables to resolve: then it is compiled once. */
  compiled?: CompiledPattern;
}

/** One map per (case mode, variables or not), keyed by the pattern itself, as for texts. */
const PATTERNS = [0, 1, 2, 3].map(() => new Map<string, PatternEntry>());
const MAX_PATTERNS = 4096;
/** 16 MB of Int32Array; without it, 4096 patterns from full 20 KB policies would take 320 MB. */
const MAX_PATTERN_UNITS = 4_000_000;
let cachedCount = 0;
let cachedUnits = 0;

function cachedPattern(pattern: string, ignoreCase: boolean, withVariables: boolean): PatternEntry {
  const cache = PATTERNS[(ignoreCase ? 2 : 0) + (withVariables ? 1 : 0)]!;
  const known = cache.get(pattern);
  if (known !== undefined) return known;
  const parts = withVariables ? splitVariables(pattern) : [{ text: pattern }];
  const entry: PatternEntry = parts.some((p) => 'variable' in p) ? { parts } : { parts, compiled: compile(parts, ignoreCase)! };
  if (cachedCount >= MAX_PATTERNS || cachedUnits + pattern.length > MAX_PATTERN_UNITS) forgetPatterns();
  cache.set(pattern, entry);
  cachedCount += 1;
  cachedUnits += pattern.length;
  return entry;
}

/** Starting over is rare (thousands of distinct patterns) and cheaper to reason about than LRU. */
function forgetPatterns(): void {
  for (const cache of PATTERNS) cache.clear();
  cachedCount = 0;
  cachedUnits = 0;
}
