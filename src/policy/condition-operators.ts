import { BlockList, isIP } from 'node:net';
import { resolveVariable, splitVariables, type VariableResolver } from './policy-variables.js';
import { wildcardMatches } from './wildcard.js';

/**
 * IAM condition operators with AWS semantics (IAM JSON policy elements: Condition operators).
 *
 * - several keys under one operator are ANDed, several operators in one block are ANDed;
 * - several policy values for one key are ORed; for negated operators (StringNotEquals,
 *   NotIpAddress, …) the key must match none of them;
 * - a key missing from the request context makes a condition false, except negated operators
 *   (true), `…IfExists` (true), `Null`, and `ForAllValues:` (true);
 * - key names are case-insensitive; values are case-sensitive unless `…IgnoreCase`.
 */
export const BASE_CONDITION_OPERATORS = [
  'StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase',
  'StringLike', 'StringNotLike',
  'NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals',
  'NumericGreaterThan', 'NumericGreaterThanEquals',
  'DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals',
  'Bool', 'IpAddress', 'NotIpAddress', 'Null',
] as const;
export type BaseConditionOperator = (typeof BASE_CONDITION_OPERATORS)[number];
export type SetQualifier = 'ForAnyValue' | 'ForAllValues';
export type ConditionContext = Readonly<Record<string, string | readonly string[] | undefined>>;

export interface ConditionOperator {
  base: BaseConditionOperator;
  qualifier?: SetQualifier;
  ifExists: boolean;
}

/** One (operator, key) pair of a Condition block, already validated. */
export interface PolicyCondition extends ConditionOperator {
  /** The operator as written, e.g. `ForAnyValue:StringLikeIfExists`. */
  operator: string;
  /** Lower-cased condition key, e.g. `aws:sourceip`. */
  key: string;
  values: readonly string[];
  /** Set for `Version: 2008-10-17` policies, where `${…}` is literal text, not a variable. */
  noVariables?: boolean;
}

const NEGATED = new Set<BaseConditionOperator>([
  'StringNotEquals', 'StringNotEqualsIgnoreCase', 'StringNotLike', 'NumericNotEquals', 'DateNotEquals', 'NotIpAddress',
]);

/** Parses `[ForAnyValue:|ForAllValues:]Base[IfExists]`; undefined for an unknown operator. */
export function parseConditionOperator(name: string): ConditionOperator | undefined {
  let rest = name;
  let qualifier: SetQualifier | undefined;
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    const prefix = rest.slice(0, colon);
    if (prefix !== 'ForAnyValue' && prefix !== 'ForAllValues') return undefined;
    qualifier = prefix;
    rest = rest.slice(colon + 1);
  }
  const ifExists = rest.endsWith('IfExists');
  if (ifExists) rest = rest.slice(0, -'IfExists'.length);
  const base = BASE_CONDITION_OPERATORS.find((op) => op === rest);
  if (!base) return undefined;
  if (base === 'Null' && (ifExists || qualifier)) return undefined;
  return qualifier ? { base, qualifier, ifExists } : { base, ifExists };
}

/** Checks the policy-side values of an operator; returns a reason when one is unusable. */
export function validateConditionValues(base: BaseConditionOperator, values: readonly string[]): string | undefined {
  for (const value of values) {
    if (base.startsWith('Numeric') && parseNumber(value) === undefined) return `${base}: "${value}" is not a number`;
    if (base.startsWith('Date') && parseDate(value) === undefined) return `${base}: "${value}" is not a date`;
    if ((base === 'Bool' || base === 'Null') && !/^(true|false)$/i.test(value)) return `${base}: "${value}" is not true|false`;
    if ((base === 'IpAddress' || base === 'NotIpAddress') && !parseCidr(value)) return `${base}: "${value}" is not an IP/CIDR`;
  }
  return undefined;
}

/** Evaluates one (operator, key) condition against the request context. */
export function evaluateCondition(condition: PolicyCondition, context: ConditionContext): boolean {
  const raw = lookup(context, condition.key);
  const present = raw !== undefined && (typeof raw === 'string' || raw.length > 0);
  if (condition.base === 'Null') {
    return condition.values.some((v) => (v.toLowerCase() === 'true') === !present);
  }
  const negated = NEGATED.has(condition.base);
  if (!present) {
    if (condition.ifExists || condition.qualifier === 'ForAllValues') return true;
    if (condition.qualifier === 'ForAnyValue') return false;
    return negated;
  }
  const contextValues = typeof raw === 'string' ? [raw] : [...(raw as readonly string[])];
  const vars = condition.noVariables ? undefined : context;
  const positive = (v: string) => condition.values.some((p) => matchesOne(condition.base, v, p, vars));
  const matches = (v: string) => (negated ? !positive(v) : positive(v));
  if (condition.qualifier === 'ForAllValues') return contextValues.every(matches);
  if (condition.qualifier === 'ForAnyValue') return contextValues.some(matches);
  // Single-valued operator: any context value matching counts; a negated one must match none.
  return negated ? !contextValues.some(positive) : contextValues.some(positive);
}

/** ANDs every condition of a statement; an empty block holds. */
export function evaluateConditions(conditions: readonly PolicyCondition[], context: ConditionContext): boolean {
  return conditions.every((c) => evaluateCondition(c, context));
}

/** Case-insensitive lookup of a context key. */
export function lookup(context: ConditionContext, key: string): string | readonly string[] | undefined {
  const lower = key.toLowerCase();
  if (Object.prototype.hasOwnProperty.call(context, lower)) return context[lower];
  const found = Object.keys(context).find((k) => k.toLowerCase() === lower);
  return found === undefined ? undefined : context[found];
}

/** Compares one context value with one (positive) policy value. */
function matchesOne(base: BaseConditionOperator, actual: string, expected: string, vars?: ConditionContext): boolean {
  switch (base) {
    case 'StringEquals':
    case 'StringNotEquals': {
      const p = vars ? substituteVariables(expected, vars) : expected;
      return p !== undefined && actual === p;
    }
    case 'StringEqualsIgnoreCase':
    case 'StringNotEqualsIgnoreCase': {
      const p = vars ? substituteVariables(expected, vars) : expected;
      return p !== undefined && actual.toLowerCase() === p.toLowerCase();
    }
    case 'StringLike':
    case 'StringNotLike':
      return wildcardMatches(expected, actual, vars ? { resolve: variablesOf(vars) } : {}) === true;
    case 'Bool':
      return actual.toLowerCase() === expected.toLowerCase();
    case 'IpAddress':
    case 'NotIpAddress': {
      const family = isIP(actual);
      const list = parseCidr(expected);
      return family !== 0 && list !== undefined && list.check(actual, family === 4 ? 'ipv4' : 'ipv6');
    }
    default:
      return compareOrdered(base, actual, expected);
  }
}

function compareOrdered(base: BaseConditionOperator, actual: string, expected: string): boolean {
  const parse = base.startsWith('Numeric') ? parseNumber : parseDate;
  const a = parse(actual);
  const e = parse(expected);
  if (a === undefined || e === undefined) return false;
  const op = base.replace(/^(Numeric|Date)/, '');
  switch (op) {
    case 'Equals':
    case 'NotEquals':
      return a === e;
    case 'LessThan':
      return a < e;
    case 'LessThanEquals':
      return a <= e;
    case 'GreaterThan':
      return a > e;
    case 'GreaterThanEquals':
      return a >= e;
    default:
      return false;
  }
}

export function parseNumber(value: string): number | undefined {
  if (!/^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/.test(value)) return undefined;
  return Number(value);
}

/** ISO 8601 date/date-time, or epoch seconds; returns epoch milliseconds. */
export function parseDate(value: string): number | undefined {
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** An IPv4/IPv6 address or CIDR as a BlockList; undefined when malformed. */
export function parseCidr(value: string): BlockList | undefined {
  const [address, prefix, ...extra] = value.trim().split('/');
  const family = isIP(address ?? '');
  if (extra.length > 0 || family === 0 || address === undefined) return undefined;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  const list = new BlockList();
  if (prefix === undefined) {
    list.addAddress(address, type);
    return list;
  }
  const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
  if (!(bits >= 0 && bits <= (family === 4 ? 32 : 128))) return undefined;
  list.addSubnet(address, bits, type);
  return list;
}

/**
 * Replaces policy variables (`${aws:username}`, `${*}`, `${?}`, `${$}`) with their value.
 * Undefined when a referenced key is missing or multi-valued: the value cannot match.
 */
export function substituteVariables(pattern: string, context: ConditionContext): string | undefined {
  const resolve = variablesOf(context);
  let out = '';
  for (const part of splitVariables(pattern)) {
    const value = 'text' in part ? part.text : resolve(part.variable);
    if (value === undefined) return undefined;
    out += value;
  }
  return out;
}

/** The resolver of `${…}` variables from a request context, for wildcard patterns. */
export function variablesOf(context: ConditionContext): VariableResolver {
  return (name) => resolveVariable(name, (key) => lookup(context, key));
}
