import { isRetentionMode, parseRetainUntilDate, type VersionLock } from '../../bucket-stream/object-lock.js';
import { S3Error } from '../../errors/s3.error.js';
import type { S3HttpRequest } from './s3-request.js';

export const LOCK_MODE_HEADER = 'x-amz-object-lock-mode';
export const RETAIN_UNTIL_HEADER = 'x-amz-object-lock-retain-until-date';
export const LEGAL_HOLD_HEADER = 'x-amz-object-lock-legal-hold';
export const BYPASS_GOVERNANCE_HEADER = 'x-amz-bypass-governance-retention';

function header(req: S3HttpRequest, name: string): string | undefined {
  const value = req.headers[name];
  return value === undefined ? undefined : String(value).trim();
}

/** Whether the request sends a retention (mode or date) and whether it sends a legal hold. */
export function lockHeadersSent(req: S3HttpRequest): { retention: boolean; legalHold: boolean } {
  return {
    retention: req.headers[LOCK_MODE_HEADER] !== undefined || req.headers[RETAIN_UNTIL_HEADER] !== undefined,
    legalHold: req.headers[LEGAL_HOLD_HEADER] !== undefined,
  };
}

/**
 * The x-amz-object-lock-* headers of a write (PutObject, CopyObject), validated at the edge:
 * mode and retain-until date both or neither, a mode S3 knows, an ISO 8601 date, ON or OFF.
 * Undefined when none is sent.
 */
export function objectLockHeadersOf(req: S3HttpRequest): VersionLock | undefined {
  const mode = header(req, LOCK_MODE_HEADER);
  const date = header(req, RETAIN_UNTIL_HEADER);
  const hold = header(req, LEGAL_HOLD_HEADER);
  if (mode === undefined && date === undefined && hold === undefined) return undefined;
  const invalid = (message: string, name: string) => new S3Error('InvalidArgument', { message, details: { ArgumentName: name } });
  if ((mode === undefined) !== (date === undefined)) {
    throw invalid('x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied', mode === undefined ? LOCK_MODE_HEADER : RETAIN_UNTIL_HEADER);
  }
  const lock: VersionLock = {};
  if (mode !== undefined && date !== undefined) {
    if (!isRetentionMode(mode)) throw invalid('Unknown wormMode directive.', LOCK_MODE_HEADER);
    const retainUntil = parseRetainUntilDate(date);
    if (retainUntil === undefined) throw invalid('The retain until date must be provided in ISO 8601 format', RETAIN_UNTIL_HEADER);
    lock.retention = { mode, retainUntil };
  }
  if (hold !== undefined) {
    if (hold !== 'ON' && hold !== 'OFF') throw invalid("Legal Hold must be either of 'ON' or 'OFF'", LEGAL_HOLD_HEADER);
    lock.legalHold = hold === 'ON';
  }
  return lock;
}

/** x-amz-bypass-governance-retention: true (the caller's permission is checked separately). */
export function bypassGovernanceRequested(req: S3HttpRequest): boolean {
  return header(req, BYPASS_GOVERNANCE_HEADER)?.toLowerCase() === 'true';
}
