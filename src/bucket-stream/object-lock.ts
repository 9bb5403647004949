import { S3Error } from '../errors/s3.error.js';

/** S3 Object Lock retention modes. */
export type RetentionMode = 'GOVERNANCE' | 'COMPLIANCE';
export const RETENTION_MODES: readonly RetentionMode[] = ['GOVERNANCE', 'COMPLIANCE'];

/** A version's retention: it cannot be removed before `retainUntil` (RFC 3339, UTC, milliseconds). */
export interface ObjectRetention {
  mode: RetentionMode;
  retainUntil: string;
}

/** A bucket's default retention: a period in exactly one of days or years from each write. */
export type DefaultRetention = { mode: RetentionMode; days: number } | { mode: RetentionMode; years: number };

/** S3's bounds on a default retention period. */
export const MAX_DEFAULT_RETENTION_DAYS = 36500;
export const MAX_DEFAULT_RETENTION_YEARS = 100;

/** A bucket's Object Lock configuration; its presence means lock is enabled, for good. */
export interface BucketObjectLock {
  /** Applied to each version written without a retention of its own; null when none. */
  defaultRetention: DefaultRetention | null;
}

/** What protects one version: its retention and its legal hold. */
export interface VersionLock {
  retention?: ObjectRetention;
  legalHold?: boolean;
}

export const LOCKED_VERSION_MESSAGE = 'Access Denied because object protected by object lock.';
export const MISSING_LOCK_CONFIGURATION_MESSAGE = 'Bucket is missing Object Lock Configuration';

/** Whether the retention still holds at `now`. */
export function retentionInForce(retention: ObjectRetention | undefined, now: Date): retention is ObjectRetention {
  return retention !== undefined && Date.parse(retention.retainUntil) > now.getTime();
}

/**
 * Why a version cannot be removed at `now`, or undefined when it can: a legal hold or a
 * COMPLIANCE retention in force always protect it; a GOVERNANCE retention in force unless the
 * request bypasses it (the header, and the caller holds s3:BypassGovernanceRetention).
 */
export function lockProtecting(lock: VersionLock, now: Date, bypassGovernance: boolean): 'legal hold' | RetentionMode | undefined {
  if (lock.legalHold) return 'legal hold';
  if (!retentionInForce(lock.retention, now)) return undefined;
  if (lock.retention.mode === 'GOVERNANCE' && bypassGovernance) return undefined;
  return lock.retention.mode;
}

/** The AccessDenied a deletion of a protected version gets. */
export function lockedVersion(bucket: string, key: string): S3Error {
  return new S3Error('AccessDenied', { message: LOCKED_VERSION_MESSAGE, resource: `/${bucket}/${key}` });
}

/** The retention a default retention gives a version written at `now`. */
export function retentionFromDefault(rule: DefaultRetention, now: Date): ObjectRetention {
  const until = new Date(now.getTime());
  if ('days' in rule) until.setUTCDate(until.getUTCDate() + rule.days);
  else until.setUTCFullYear(until.getUTCFullYear() + rule.years);
  return { mode: rule.mode, retainUntil: until.toISOString() };
}

/** A retain-until date that is not in the future: S3 refuses it. */
export function assertFutureRetention(retention: ObjectRetention, now: Date): void {
  if (!retentionInForce(retention, now)) {
    throw new S3Error('InvalidArgument', { message: 'The retain until date must be in the future!', details: { ArgumentName: 'RetainUntilDate' } });
  }
}

/** The bounds S3 puts on a default retention period (whole, positive, at most 100 years). */
export function assertValidDefaultRetention(rule: DefaultRetention): void {
  const [period, max] = 'days' in rule ? [rule.days, MAX_DEFAULT_RETENTION_DAYS] : [rule.years, MAX_DEFAULT_RETENTION_YEARS];
  if (!Number.isSafeInteger(period) || period < 1 || period > max) {
    throw new S3Error('InvalidArgument', { message: 'Default retention period must be a positive integer value.', details: { ArgumentName: 'DefaultRetention' } });
  }
}

export function sameDefaultRetention(a: DefaultRetention | null, b: DefaultRetention | null): boolean {
  if (a === null || b === null) return a === b;
  return a.mode === b.mode && ('days' in a ? 'days' in b && a.days === b.days : 'years' in b && a.years === b.years);
}

const ISO_8601_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** An ISO 8601 date-time as clients send retain-until dates, normalised to UTC milliseconds; undefined if it is not one. */
export function parseRetainUntilDate(text: string): string | undefined {
  if (!ISO_8601_UTC.test(text)) return undefined;
  const time = Date.parse(text);
  if (Number.isNaN(time)) return undefined;
  const date = new Date(time);
  // Keeps the date inside what RFC 3339 and every reader can hold (years 1970..9999).
  if (date.getUTCFullYear() < 1970 || date.getUTCFullYear() > 9999) return undefined;
  return date.toISOString();
}

export function isRetentionMode(text: string): text is RetentionMode {
  return (RETENTION_MODES as readonly string[]).includes(text);
}
