import {
  parseConditionOperator,
  validateConditionValues,
  type PolicyCondition,
} from './condition-operators.js';

/** IAM JSON policy grammar (identity policies and S3 bucket policies), validated whole. */
export type PolicyKind = 'identity' | 'resource';
export type PolicyVersion = '2012-10-17' | '2008-10-17';
export type Effect = 'Allow' | 'Deny';
/** `"*"`, or principal type (`AWS`, `CanonicalUser`, `Service`, `Federated`) → identifiers. */
export type PolicyPrincipal = '*' | Readonly<Record<string, readonly string[]>>;

export interface PolicyStatement {
  sid?: string;
  effect: Effect;
  principal?: PolicyPrincipal;
  notPrincipal?: PolicyPrincipal;
  action?: readonly string[];
  notAction?: readonly string[];
  resource?: readonly string[];
  notResource?: readonly string[];
  conditions: readonly PolicyCondition[];
}

export interface PolicyDocument {
  kind: PolicyKind;
  /** `2008-10-17` when the document leaves Version out (AWS default): no policy variables. */
  version: PolicyVersion;
  id?: string;
  statements: readonly PolicyStatement[];
}

/** Anything wrong with a policy: the whole document is refused. */
export class MalformedPolicyError extends Error {
  constructor(readonly reason: string) {
    super(`Malformed policy: ${reason}`);
    this.name = 'MalformedPolicyError';
  }
}

export const MAX_POLICY_BYTES: Readonly<Record<PolicyKind, number>> = { identity: 20 * 1024, resource: 20 * 1024 };

const TOP_LEVEL_KEYS = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_KEYS = new Set([
  'Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition',
]);
const PRINCIPAL_TYPES = new Set(['AWS', 'CanonicalUser', 'Service', 'Federated']);
const ACTION = /^(\*|[A-Za-z0-9-]+:[A-Za-z0-9*?]+)$/;
// arn:partition:service:region:account:resource — each may be wildcarded; resource may hold ':' and '/'.
const ARN = /^arn:[^:]+:[^:]+:[^:]*:[^:]*:.+$/;

export function parsePolicyDocument(json: string, kind: PolicyKind): PolicyDocument {
  if (typeof json !== 'string') fail('policy must be a JSON string');
  if (Buffer.byteLength(json, 'utf8') > MAX_POLICY_BYTES[kind]) {
    fail(`policy exceeds ${MAX_POLICY_BYTES[kind]} bytes`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    fail('policy is not valid JSON');
  }
  rejectUnstorableStrings(raw);
  const doc = asObject(raw, 'policy');
  rejectUnknownKeys(doc, TOP_LEVEL_KEYS, 'policy');

  let version: PolicyVersion = '2008-10-17';
  if ('Version' in doc) {
    if (doc.Version !== '2012-10-17' && doc.Version !== '2008-10-17') {
      fail('Version must be "2012-10-17" or "2008-10-17"');
    }
    version = doc.Version;
  }
  let id: string | undefined;
  if ('Id' in doc) {
    if (typeof doc.Id !== 'string') fail('Id must be a string');
    id = doc.Id;
  }
  if (!('Statement' in doc)) fail('Statement is missing');
  const rawStatements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  if (rawStatements.length === 0) fail('Statement must not be empty');

  const statements = rawStatements.map((s, i) => parseStatement(s, i, kind, version));
  const sids = statements.map((s) => s.sid).filter((s): s is string => s !== undefined && s !== '');
  const duplicate = sids.find((s, i) => sids.indexOf(s) !== i);
  if (duplicate !== undefined) fail(`Sid "${duplicate}" is not unique`);
  return id === undefined ? { kind, version, statements } : { kind, version, id, statements };
}

function parseStatement(raw: unknown, index: number, kind: PolicyKind, version: PolicyVersion): PolicyStatement {
  const where = `Statement[${index}]`;
  const s = asObject(raw, where);
  rejectUnknownKeys(s, STATEMENT_KEYS, where);

  if (s.Effect !== 'Allow' && s.Effect !== 'Deny') fail(`${where}.Effect must be "Allow" or "Deny"`);
  const statement: PolicyStatement = { effect: s.Effect, conditions: [] };

  if ('Sid' in s) {
    if (typeof s.Sid !== 'string') fail(`${where}.Sid must be a string`);
    statement.sid = s.Sid;
  }

  const principalKey = exactlyOne(s, 'Principal', 'NotPrincipal', where, kind === 'resource');
  if (kind === 'identity' && principalKey) fail(`${where}.${principalKey} is not allowed in an identity policy`);
  if (principalKey === 'Principal') statement.principal = parsePrincipal(s.Principal, `${where}.Principal`);
  if (principalKey === 'NotPrincipal') statement.notPrincipal = parsePrincipal(s.NotPrincipal, `${where}.NotPrincipal`);

  const actionKey = exactlyOne(s, 'Action', 'NotAction', where, true)!;
  const actions = stringList(s[actionKey], `${where}.${actionKey}`);
  const badAction = actions.find((a) => !ACTION.test(a));
  if (badAction !== undefined) fail(`${where}.${actionKey} "${badAction}" is not service:Action`);
  if (actionKey === 'Action') statement.action = actions;
  else statement.notAction = actions;

  const resourceKey = exactlyOne(s, 'Resource', 'NotResource', where, true)!;
  const resources = stringList(s[resourceKey], `${where}.${resourceKey}`);
  const badResource = resources.find((r) => r !== '*' && !ARN.test(r));
  if (badResource !== undefined) fail(`${where}.${resourceKey} "${badResource}" is not an ARN or "*"`);
  if (resourceKey === 'Resource') statement.resource = resources;
  else statement.notResource = resources;

  if ('Condition' in s) statement.conditions = parseConditions(s.Condition, `${where}.Condition`, version);
  return statement;
}

function parsePrincipal(raw: unknown, where: string): PolicyPrincipal {
  if (raw === '*') return '*';
  const map = asObject(raw, where);
  const entries = Object.entries(map);
  if (entries.length === 0) fail(`${where} must name at least one principal`);
  const out: Record<string, readonly string[]> = {};
  for (const [type, ids] of entries) {
    if (!PRINCIPAL_TYPES.has(type)) fail(`${where} has unknown principal type "${type}"`);
    const list = stringList(ids, `${where}.${type}`);
    if (list.some((p) => p.trim() === '')) fail(`${where}.${type} must not hold an empty principal`);
    out[type] = list;
  }
  return out;
}

function parseConditions(raw: unknown, where: string, version: PolicyVersion): PolicyCondition[] {
  const block = asObject(raw, where);
  const conditions: PolicyCondition[] = [];
  for (const [operator, keys] of Object.entries(block)) {
    const parsed = parseConditionOperator(operator);
    if (!parsed) fail(`${where} has unknown operator "${operator}"`);
    const keyMap = asObject(keys, `${where}.${operator}`);
    if (Object.keys(keyMap).length === 0) fail(`${where}.${operator} must name at least one key`);
    for (const [key, value] of Object.entries(keyMap)) {
      if (!/^[A-Za-z0-9-]+:\S+$/.test(key)) fail(`${where}.${operator} key "${key}" is not service:key`);
      const values = conditionValues(value, `${where}.${operator}.${key}`);
      const reason = validateConditionValues(parsed.base, values);
      if (reason) fail(`${where}.${operator}.${key}: ${reason}`);
      const condition: PolicyCondition = { ...parsed, operator, key: key.toLowerCase(), values };
      conditions.push(version === '2008-10-17' ? { ...condition, noVariables: true } : condition);
    }
  }
  return conditions;
}

function conditionValues(raw: unknown, where: string): string[] {
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length === 0) fail(`${where} must hold at least one value`);
  return list.map((v) => {
    if (typeof v === 'string') return v;
    if (typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) return String(v);
    return fail(`${where} values must be strings, numbers or booleans`);
  });
}

/** Which of two mutually exclusive keys is present; fails on both, or on neither when required. */
function exactlyOne<K extends string>(
  s: Record<string, unknown>,
  a: K,
  b: K,
  where: string,
  required: boolean,
): K | undefined {
  const hasA = a in s;
  const hasB = b in s;
  if (hasA && hasB) fail(`${where} must not hold both ${a} and ${b}`);
  if (!hasA && !hasB && required) fail(`${where} must hold ${a} or ${b}`);
  return hasA ? a : hasB ? b : undefined;
}

function stringList(raw: unknown, where: string): string[] {
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length === 0) fail(`${where} must not be empty`);
  if (!list.every((v): v is string => typeof v === 'string' && v !== '')) fail(`${where} must hold non-empty strings`);
  return list;
}

// U+0000 cannot be stored in a PostgreSQL text or jsonb value (our read model, under FerretDB),
// and a lone surrogate has no UTF-8 form; JSON escapes (`\u0000`, `\ud800`) let either in.
// eslint-disable-next-line no-control-regex -- U+0000 is what it looks for
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Refuses a policy any string of which (a value or a key, escaped or not) holds a character no
 * consumer of the log could store or re-encode. Iterative: nesting depth is the sender's choice.
 */
function rejectUnstorableStrings(root: unknown): void {
  const pending: unknown[] = [root];
  const check = (text: string) => {
    const bad = UNSTORABLE.exec(text);
    if (bad) fail(`policy holds the character U+${bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
  };
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === 'string') check(value);
    else if (Array.isArray(value)) for (const item of value) pending.push(item);
    else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        check(key);
        pending.push(item);
      }
    }
  }
}

function asObject(raw: unknown, where: string): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(`${where} must be a JSON object`);
  return raw as Record<string, unknown>;
}

function rejectUnknownKeys(obj: Record<string, unknown>, allowed: ReadonlySet<string>, where: string): void {
  const unknown = Object.keys(obj).find((k) => !allowed.has(k));
  if (unknown !== undefined) fail(`${where} has unknown element "${unknown}"`);
}

function fail(reason: string): never {
  throw new MalformedPolicyError(reason);
}
