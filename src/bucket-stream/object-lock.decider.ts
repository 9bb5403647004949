import { S3Error } from '../errors/s3.error.js';
import type { BucketInfo, BucketStreamState, ObjectVersion } from './bucket-stream.state.js';
import type { BucketObjectLockConfigured } from './bucket.events.js';
import {
  assertFutureRetention,
  assertValidDefaultRetention,
  LOCKED_VERSION_MESSAGE,
  MISSING_LOCK_CONFIGURATION_MESSAGE,
  retentionInForce,
  sameDefaultRetention,
  type DefaultRetention,
  type ObjectRetention,
} from './object-lock.js';
import type { ObjectLegalHoldPut, ObjectRetentionPut } from './object.events.js';
import { objectVersionNamed } from './named-version.js';

/** PutObjectLockConfiguration: enables Object Lock (for good) with a default retention, or none. */
export type ConfigureObjectLock = {
  type: 'ConfigureObjectLock';
  data: { bucket: string; defaultRetention: DefaultRetention | null };
  metadata: { now: Date };
};

/**
 * PutObjectRetention on the key's current version or the one named; null removes it (an empty
 * Retention). `bypassGovernance`: the request sent x-amz-bypass-governance-retention: true and
 * its caller holds s3:BypassGovernanceRetention, both checked at the edge.
 */
export type PutObjectRetention = {
  type: 'PutObjectRetention';
  data: { bucket: string; key: string; versionId?: string; retention: ObjectRetention | null; bypassGovernance: boolean };
  metadata: { now: Date };
};

/** PutObjectLegalHold: ON (true) or OFF (false). */
export type PutObjectLegalHold = {
  type: 'PutObjectLegalHold';
  data: { bucket: string; key: string; versionId?: string; legalHold: boolean };
  metadata: { now: Date };
};

export type ObjectLockCommand = ConfigureObjectLock | PutObjectRetention | PutObjectLegalHold;

/**
 * Decides Object Lock facts; pure, with time from the command, so whether a retention is still
 * in force is decided once, and a replay folds the decision instead of deciding it again.
 */
export function decideObjectLock(
  command: ObjectLockCommand,
  state: BucketStreamState,
): (BucketObjectLockConfigured | ObjectRetentionPut | ObjectLegalHoldPut)[] {
  const { bucket } = command.data;
  if (state.bucket === null) throw new S3Error('NoSuchBucket', { resource: `/${bucket}`, details: { BucketName: bucket } });
  const at = command.metadata.now.toISOString();
  if (command.type === 'ConfigureObjectLock') {
    const { defaultRetention } = command.data;
    if (state.bucket.versioning !== 'Enabled') {
      throw new S3Error('InvalidBucketState', { message: "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration", resource: `/${bucket}` });
    }
    if (defaultRetention) assertValidDefaultRetention(defaultRetention);
    // The configuration in force again changes nothing, so it records nothing.
    if (state.bucket.objectLock && sameDefaultRetention(state.bucket.objectLock.defaultRetention, defaultRetention)) return [];
    return [{ type: 'BucketObjectLockConfigured', data: { bucket, bucketId: state.bucket.bucketId, defaultRetention, configuredAt: at } }];
  }
  const version = lockableVersion(state.bucket, state, command);
  const target = { bucket, bucketId: state.bucket.bucketId, key: command.data.key, objectId: version.objectId!, versionId: version.versionId, putAt: at };
  switch (command.type) {
    case 'PutObjectRetention': {
      const { retention, bypassGovernance } = command.data;
      if (retention) assertFutureRetention(retention, command.metadata.now);
      const bypassed = retentionChangeNeedsBypass(version.retention, retention, command.metadata.now);
      if (bypassed && !bypassGovernance) throw new S3Error('AccessDenied', { resource: `/${bucket}/${command.data.key}` });
      if (sameRetention(version.retention, retention)) return [];
      return [{ type: 'ObjectRetentionPut', data: { ...target, retention, ...(bypassed ? { bypassedGovernance: true as const } : {}) } }];
    }
    case 'PutObjectLegalHold':
      if (version.legalHold === command.data.legalHold) return [];
      return [{ type: 'ObjectLegalHoldPut', data: { ...target, legalHold: command.data.legalHold } }];
    default: {
      const unreachable: never = command;
      return unreachable;
    }
  }
}

/** The version a retention or legal hold is put on: in a bucket with Object Lock, an object version. */
function lockableVersion(bucketInfo: BucketInfo, state: BucketStreamState, command: PutObjectRetention | PutObjectLegalHold): ObjectVersion {
  const { bucket, key, versionId } = command.data;
  if (!bucketInfo.objectLock) throw new S3Error('InvalidRequest', { message: MISSING_LOCK_CONFIGURATION_MESSAGE, resource: `/${bucket}` });
  return objectVersionNamed(state, bucket, key, versionId, 'PUT');
}

/**
 * Whether replacing `current` by `next` weakens a retention in force: removing it, shortening
 * it, or changing its mode. COMPLIANCE can only be extended (AccessDenied, bypass or not);
 * GOVERNANCE needs the bypass (answered true). An expired retention protects nothing.
 */
function retentionChangeNeedsBypass(current: ObjectRetention | undefined, next: ObjectRetention | null, now: Date): boolean {
  if (!retentionInForce(current, now)) return false;
  const weakens = next === null || next.mode !== current.mode || Date.parse(next.retainUntil) < Date.parse(current.retainUntil);
  if (!weakens) return false;
  if (current.mode === 'COMPLIANCE') throw new S3Error('AccessDenied', { message: LOCKED_VERSION_MESSAGE });
  return true;
}

function sameRetention(a: ObjectRetention | undefined, b: ObjectRetention | null): boolean {
  if (a === undefined || b === null) return a === undefined && b === null;
  return a.mode === b.mode && a.retainUntil === b.retainUntil;
}
