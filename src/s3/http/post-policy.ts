import { S3Error } from '../../errors/s3.error.js';

/**
 * The policy of a browser form upload (POST Object): a base64 JSON document with an expiration
 * and conditions every form field must meet
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html). Pure:
 * parsing, and checking a form's fields against it; the signature over it is checked elsewhere.
 */
export interface PostPolicy {
  expiration: Date;
  conditions: readonly PostCondition[];
}

export type PostCondition =
  | { kind: 'eq'; field: string; value: string; text: string }
  | { kind: 'starts-with'; field: string; value: string; text: string }
  | { kind: 'content-length-range'; min: number; max: number; text: string };

/** Fields that are never matched against conditions: the signature, the policy, the file. */
const UNCONDITIONED = new Set(['policy', 'x-amz-signature', 'signature', 'awsaccesskeyid', 'file']);

function policyError(message: string): S3Error {
  return new S3Error('AccessDenied', { message: `Invalid according to Policy: ${message}` });
}

function invalidPolicy(reason: string): S3Error {
  return new S3Error('InvalidPolicyDocument', { message: `Invalid Policy: ${reason}` });
}

/** A policy's expiration: a UTC date and time in ISO 8601. */
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/** Decodes and parses the policy field; a policy that is not one is InvalidPolicyDocument. */
export function parsePostPolicy(base64: string): PostPolicy {
  let document: unknown;
  try {
    document = JSON.parse(Buffer.from(base64, 'base64').toString('utf8'));
  } catch {
    throw invalidPolicy('Invalid JSON.');
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) throw invalidPolicy('Invalid JSON.');
  const { expiration, conditions } = document as { expiration?: unknown; conditions?: unknown };
  if (expiration === undefined) throw invalidPolicy('Policy missing expiration.');
  // S3 takes ISO 8601 in UTC only (2026-12-08T12:00:00Z, with or without fractions of a second),
  // not whatever Date would parse.
  const expiresAt = typeof expiration === 'string' && ISO_UTC.test(expiration) ? new Date(expiration) : undefined;
  if (!expiresAt || Number.isNaN(expiresAt.getTime())) throw invalidPolicy(`Invalid 'expiration' value: '${String(expiration)}'`);
  if (!Array.isArray(conditions)) throw invalidPolicy('Policy missing conditions.');
  return { expiration: expiresAt, conditions: conditions.map(parseCondition) };
}

function parseCondition(raw: unknown): PostCondition {
  const text = JSON.stringify(raw);
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    const entries = Object.entries(raw);
    if (entries.length !== 1 || typeof entries[0]![1] !== 'string') throw invalidPolicy(`Invalid simple condition: ${text}`);
    return { kind: 'eq', field: entries[0]![0].toLowerCase(), value: entries[0]![1] as string, text };
  }
  if (!Array.isArray(raw) || raw.length !== 3) throw invalidPolicy(`Invalid condition: ${text}`);
  const [operator, first, second] = raw as [unknown, unknown, unknown];
  const op = typeof operator === 'string' ? operator.toLowerCase() : '';
  if (op === 'content-length-range') {
    const min = Number(first);
    const max = Number(second);
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min < 0 || min > max) throw invalidPolicy(`Invalid content-length-range: ${text}`);
    return { kind: 'content-length-range', min, max, text };
  }
  if ((op !== 'eq' && op !== 'starts-with') || typeof first !== 'string' || !first.startsWith('$') || typeof second !== 'string') {
    throw invalidPolicy(`Invalid condition: ${text}`);
  }
  return { kind: op, field: first.slice(1).toLowerCase(), value: second, text };
}

/** The content-length-range the policy sets, if any. */
export function lengthRangeOf(policy: PostPolicy): { min: number; max: number } | undefined {
  const range = policy.conditions.find((c) => c.kind === 'content-length-range');
  return range?.kind === 'content-length-range' ? { min: range.min, max: range.max } : undefined;
}

/**
 * Checks a form's fields (lower-case names; `bucket` included, as S3 counts it) against the
 * policy: not expired, every condition met, and every field but the signature, the policy, the
 * file and `x-ignore-*` covered by a condition. Refusals are 403 AccessDenied with S3's messages.
 */
export function assertFormMeetsPolicy(policy: PostPolicy, fields: ReadonlyMap<string, string>, now: Date): void {
  if (now.getTime() > policy.expiration.getTime()) throw policyError('Policy expired.');
  for (const condition of policy.conditions) {
    if (condition.kind === 'content-length-range') continue;
    const value = fields.get(condition.field);
    const met = value !== undefined && (condition.kind === 'eq' ? value === condition.value : value.startsWith(condition.value));
    if (!met) throw policyError(`Policy Condition failed: ${condition.text}`);
  }
  const covered = new Set(policy.conditions.flatMap((c) => (c.kind === 'content-length-range' ? [] : [c.field])));
  for (const name of fields.keys()) {
    if (UNCONDITIONED.has(name) || name.startsWith('x-ignore-') || covered.has(name)) continue;
    throw policyError(`Extra input fields: ${name}`);
  }
}
