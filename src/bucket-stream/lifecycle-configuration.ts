import { S3Error } from '../errors/s3.error.js';
import { MAX_TAG_KEY_LENGTH, MAX_TAG_VALUE_LENGTH, type ObjectTag } from './object-tags.js';

/**
 * A bucket's lifecycle configuration, as PutBucketLifecycleConfiguration put it: the
 * BucketLifecycleConfigured event (docs/events.md), the bucket document's copy, and what the
 * lifecycle worker (ADR 0022) and the x-amz-expiration header are computed from.
 */
export interface LifecycleFilter {
  prefix?: string;
  /** Every one of these tags must be on the object (S3's And of tags). */
  tags?: ObjectTag[];
  objectSizeGreaterThan?: number;
  objectSizeLessThan?: number;
}

export interface LifecycleExpiration {
  days?: number;
  /** Midnight UTC, RFC 3339. */
  date?: string;
  expiredObjectDeleteMarker?: boolean;
}

export interface LifecycleRule {
  /** Given or, when the request had none, assigned at the edge (as S3 does). */
  id: string;
  status: 'Enabled' | 'Disabled';
  filter: LifecycleFilter;
  /**
   * The rule came with the legacy rule-level <Prefix> instead of a <Filter> (its prefix is
   * `filter.prefix`): GetBucketLifecycleConfiguration returns it in that form, as S3 does.
   */
  legacyPrefix?: true;
  expiration?: LifecycleExpiration;
  noncurrentVersionExpiration?: { noncurrentDays: number; newerNoncurrentVersions?: number };
  abortIncompleteMultipartUpload?: { daysAfterInitiation: number };
}

export interface BucketLifecycleConfiguration {
  rules: LifecycleRule[];
}

export const MAX_LIFECYCLE_RULES = 1000;
export const MAX_LIFECYCLE_RULE_ID_LENGTH = 255;
/** S3's limit on NewerNoncurrentVersions. */
export const MAX_NEWER_NONCURRENT_VERSIONS = 100;
/** A key is at most 1024 bytes, so a longer prefix matches nothing; S3 refuses it. */
export const MAX_LIFECYCLE_PREFIX_BYTES = 1024;

const invalidArgument = (message: string) => new S3Error('InvalidArgument', { message });
const invalidRequest = (message: string) => new S3Error('InvalidRequest', { message });

function assertPositiveInteger(value: number, message: string, max = 2 ** 31 - 1): void {
  if (!Number.isSafeInteger(value) || value <= 0 || value > max) throw invalidArgument(message);
}

/**
 * What S3 refuses in a well-formed configuration, with S3's messages. Text the read model cannot
 * store (U+0000, a lone surrogate) never gets here: the hardened XML reader refuses it (ADR 0013).
 */
export function assertValidLifecycleConfiguration(configuration: BucketLifecycleConfiguration): void {
  const { rules } = configuration;
  if (rules.length === 0) throw new S3Error('MalformedXML');
  if (rules.length > MAX_LIFECYCLE_RULES) {
    throw invalidRequest(`The number of lifecycle rules should not exceed allowed limit of ${MAX_LIFECYCLE_RULES} rules`);
  }
  const ids = new Set<string>();
  for (const rule of rules) {
    if (rule.id.length > MAX_LIFECYCLE_RULE_ID_LENGTH) throw invalidArgument(`ID length should not exceed allowed limit of ${MAX_LIFECYCLE_RULE_ID_LENGTH}`);
    if (ids.has(rule.id)) throw invalidArgument('Rule ID must be unique. Found same ID for more than one rule');
    ids.add(rule.id);
    assertValidFilter(rule.filter);
    const { expiration, noncurrentVersionExpiration: noncurrent, abortIncompleteMultipartUpload: abort } = rule;
    if (!expiration && !noncurrent && !abort) throw invalidRequest('At least one action needs to be specified in a rule');
    const tagged = (rule.filter.tags?.length ?? 0) > 0;
    if (expiration) {
      const given = [expiration.days, expiration.date, expiration.expiredObjectDeleteMarker].filter((v) => v !== undefined).length;
      if (given === 0) throw new S3Error('MalformedXML');
      if (expiration.expiredObjectDeleteMarker !== undefined && given > 1) {
        throw invalidRequest('ExpiredObjectDeleteMarker cannot be specified with Days or Date in a Lifecycle Expiration Policy.');
      }
      if (expiration.days !== undefined && expiration.date !== undefined) throw new S3Error('MalformedXML');
      if (expiration.days !== undefined) assertPositiveInteger(expiration.days, "'Days' for Expiration action must be a positive integer");
      if (expiration.date !== undefined && !isMidnightUtc(expiration.date)) throw invalidArgument("'Date' must be at midnight GMT");
      if (expiration.expiredObjectDeleteMarker === true && tagged) {
        throw invalidRequest('ExpiredObjectDeleteMarker cannot be specified with Tags.');
      }
    }
    if (noncurrent) {
      assertPositiveInteger(noncurrent.noncurrentDays, "'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer");
      if (noncurrent.newerNoncurrentVersions !== undefined) {
        assertPositiveInteger(
          noncurrent.newerNoncurrentVersions,
          `'NewerNoncurrentVersions' for NoncurrentVersionExpiration action must be a positive integer up to ${MAX_NEWER_NONCURRENT_VERSIONS}`,
          MAX_NEWER_NONCURRENT_VERSIONS,
        );
      }
    }
    if (abort) {
      assertPositiveInteger(abort.daysAfterInitiation, "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer");
      if (tagged) throw invalidRequest('AbortIncompleteMultipartUpload cannot be specified with Tags.');
    }
  }
}

function assertValidFilter(filter: LifecycleFilter): void {
  if (filter.prefix !== undefined) {
    if (Buffer.byteLength(filter.prefix) > MAX_LIFECYCLE_PREFIX_BYTES) throw invalidArgument('The prefix is longer than the maximum allowed length of 1024');
  }
  const keys = new Set<string>();
  for (const tag of filter.tags ?? []) {
    if (tag.key.length === 0 || tag.key.length > MAX_TAG_KEY_LENGTH) throw new S3Error('InvalidTag', { message: 'The TagKey you have provided is invalid' });
    if (tag.value.length > MAX_TAG_VALUE_LENGTH) throw new S3Error('InvalidTag', { message: 'The TagValue you have provided is invalid' });
    if (keys.has(tag.key)) throw invalidRequest('Duplicate Tag Keys are not allowed.');
    keys.add(tag.key);
  }
  const { objectSizeGreaterThan: above, objectSizeLessThan: below } = filter;
  for (const size of [above, below]) {
    if (size !== undefined && (!Number.isSafeInteger(size) || size < 0)) throw invalidArgument('Object size filters must be non-negative integers');
  }
  if (below === 0) throw invalidArgument("'ObjectSizeLessThan' must be greater than 0");
  if (above !== undefined && below !== undefined && above >= below) {
    throw invalidArgument("'ObjectSizeLessThan' must be greater than 'ObjectSizeGreaterThan'");
  }
}

function isMidnightUtc(date: string): boolean {
  const ms = Date.parse(date);
  return Number.isFinite(ms) && ms % 86_400_000 === 0;
}

/** Two configurations are the same when their canonical JSON is (rules are ordered). */
export function sameLifecycleConfiguration(a: BucketLifecycleConfiguration | undefined, b: BucketLifecycleConfiguration | null): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b);
}

// ---- Evaluation: pure functions of a rule, an object and a time ------------------------------

/** What a rule's filter looks at. A delete marker has no size and no tags. */
export interface LifecycleSubject {
  key: string;
  size?: number;
  tags?: readonly ObjectTag[];
}

/** Whether the rule is in force and its filter selects the subject. */
export function ruleApplies(rule: LifecycleRule, subject: LifecycleSubject): boolean {
  if (rule.status !== 'Enabled') return false;
  const { prefix, tags, objectSizeGreaterThan: above, objectSizeLessThan: below } = rule.filter;
  if (prefix !== undefined && !subject.key.startsWith(prefix)) return false;
  if (tags && tags.length > 0 && !tags.every((t) => subject.tags?.some((o) => o.key === t.key && o.value === t.value))) return false;
  if (above !== undefined && !(subject.size !== undefined && subject.size > above)) return false;
  if (below !== undefined && !(subject.size !== undefined && subject.size < below)) return false;
  return true;
}

/**
 * `days` after `since`, rounded up to the next day boundary: S3 counts whole days and expires at
 * midnight UTC. A "day" is `dayMs` long (SEDIMENT_LIFECYCLE_DAY_SECONDS; a real day by default),
 * and its boundaries are multiples of it since the epoch, so with a real day they are midnights.
 */
export function afterDays(since: Date, days: number, dayMs: number): Date {
  return new Date(Math.ceil((since.getTime() + days * dayMs) / dayMs) * dayMs);
}

/** When a rule expires a current version created at `createdAt` (Days or Date), if it does. */
export function expirationAt(rule: LifecycleRule, createdAt: Date, dayMs: number): Date | undefined {
  const expiration = rule.expiration;
  if (expiration?.days !== undefined) return afterDays(createdAt, expiration.days, dayMs);
  if (expiration?.date !== undefined) return new Date(expiration.date);
  return undefined;
}

/** The earliest Days/Date expiration the configuration sets for a current object version: x-amz-expiration's rule. */
export function currentVersionExpiration(
  configuration: BucketLifecycleConfiguration | undefined,
  object: LifecycleSubject & { createdAt: Date },
  dayMs: number,
): { at: Date; ruleId: string } | undefined {
  let earliest: { at: Date; ruleId: string } | undefined;
  for (const rule of configuration?.rules ?? []) {
    if (!ruleApplies(rule, object)) continue;
    const at = expirationAt(rule, object.createdAt, dayMs);
    if (at && (!earliest || at < earliest.at)) earliest = { at, ruleId: rule.id };
  }
  return earliest;
}

/** When a rule permanently deletes a version that became noncurrent at `noncurrentSince`, if it does. */
export function noncurrentExpirationAt(rule: LifecycleRule, noncurrentSince: Date, dayMs: number): Date | undefined {
  const days = rule.noncurrentVersionExpiration?.noncurrentDays;
  return days === undefined ? undefined : afterDays(noncurrentSince, days, dayMs);
}

/** The earliest abort date the configuration sets for an upload initiated at `initiatedAt`, if any. */
export function uploadAbortAt(
  configuration: BucketLifecycleConfiguration | undefined,
  upload: { key: string; initiatedAt: Date },
  dayMs: number,
): { at: Date; ruleId: string } | undefined {
  let earliest: { at: Date; ruleId: string } | undefined;
  for (const rule of configuration?.rules ?? []) {
    const days = rule.abortIncompleteMultipartUpload?.daysAfterInitiation;
    // Size and tag filters do not apply to an upload (tags are refused with this action).
    if (days === undefined || !ruleApplies({ ...rule, filter: { ...(rule.filter.prefix !== undefined ? { prefix: rule.filter.prefix } : {}) } }, upload)) continue;
    const at = afterDays(upload.initiatedAt, days, dayMs);
    if (!earliest || at < earliest.at) earliest = { at, ruleId: rule.id };
  }
  return earliest;
}

/** Whether the rule removes a delete marker with no other version left (ExpiredObjectDeleteMarker). */
export function removesExpiredDeleteMarkers(rule: LifecycleRule, key: string): boolean {
  return rule.expiration?.expiredObjectDeleteMarker === true && ruleApplies(rule, { key });
}
