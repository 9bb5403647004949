import type { BucketStreamState } from './bucket-stream.state.js';
import {
  expirationAt,
  noncurrentExpirationAt,
  removesExpiredDeleteMarkers,
  ruleApplies,
  uploadAbortAt,
  type BucketLifecycleConfiguration,
  type LifecycleRule,
} from './lifecycle-configuration.js';
import { decideMultipart } from './multipart.decider.js';
import type { MultipartEvent } from './multipart.events.js';
import type { ObjectTag } from './object-tags.js';
import { decideObject } from './object.decider.js';
import type { ObjectEvent } from './object.events.js';

/**
 * One thing the lifecycle worker found due when it scanned the read model (ADR 0022). It names
 * what it saw (the version, its payload, the version after it), so the decision can check that
 * the key is still as scanned; the times and the size it carries cannot change for that version.
 */
export type LifecycleAction =
  /** Expiration Days/Date of the key's current object version. */
  | { kind: 'expireCurrent'; key: string; ruleId: string; versionId: string; objectId: string; size: number; createdAt: Date }
  /** NoncurrentVersionExpiration: a version that became noncurrent at `noncurrentSince` (its successor's creation). */
  | {
      kind: 'expireNoncurrent';
      key: string;
      ruleId: string;
      versionId: string;
      /** Absent for a noncurrent delete marker. */
      objectId?: string;
      size?: number;
      successorVersionId: string;
      noncurrentSince: Date;
    }
  /** ExpiredObjectDeleteMarker: a current delete marker that no other version is left behind. */
  | { kind: 'removeExpiredDeleteMarker'; key: string; ruleId: string; versionId: string }
  /** AbortIncompleteMultipartUpload. */
  | { kind: 'abortUpload'; key: string; ruleId: string; uploadId: string; initiatedAt: Date };

/** One version as the worker reads it from the read model (a `versions` document). */
export interface ScannedVersion {
  key: string;
  versionId: string;
  isDeleteMarker: boolean;
  objectId?: string;
  size?: number;
  tags?: ObjectTag[];
  lastModified: Date;
}

/**
 * What is due on one key at `now`, from its versions newest first; pure. The current object
 * version expires by the first rule whose Days or Date has passed; each noncurrent version by
 * the first NoncurrentVersionExpiration rule whose days since it became noncurrent have passed,
 * beyond the newest `newerNoncurrentVersions`; a delete marker left alone by an
 * ExpiredObjectDeleteMarker rule.
 */
export function planKeyExpirations(
  configuration: BucketLifecycleConfiguration,
  versions: readonly ScannedVersion[],
  now: Date,
  dayMs: number,
): LifecycleAction[] {
  const [current] = versions;
  if (!current) return [];
  const { key } = current;
  const actions: LifecycleAction[] = [];
  const due = (at: Date | undefined) => at !== undefined && at <= now;
  if (!current.isDeleteMarker) {
    const rule = configuration.rules.find((r) => ruleApplies(r, current) && due(expirationAt(r, current.lastModified, dayMs)));
    if (rule) {
      actions.push({ kind: 'expireCurrent', key, ruleId: rule.id, versionId: current.versionId, objectId: current.objectId!, size: current.size!, createdAt: current.lastModified });
    }
  } else if (versions.length === 1) {
    const rule = configuration.rules.find((r) => removesExpiredDeleteMarkers(r, key));
    if (rule) actions.push({ kind: 'removeExpiredDeleteMarker', key, ruleId: rule.id, versionId: current.versionId });
  }
  for (let i = 1; i < versions.length; i++) {
    const version = versions[i]!;
    const successor = versions[i - 1]!;
    const rule = configuration.rules.find((r) => noncurrentDue(r, version, i - 1, successor.lastModified, now, dayMs));
    if (!rule) continue;
    actions.push({
      kind: 'expireNoncurrent',
      key,
      ruleId: rule.id,
      versionId: version.versionId,
      ...(version.objectId !== undefined ? { objectId: version.objectId, size: version.size! } : {}),
      successorVersionId: successor.versionId,
      noncurrentSince: successor.lastModified,
    });
  }
  return actions;
}

/** `newer`: how many noncurrent versions are newer than this one. */
function noncurrentDue(
  rule: LifecycleRule,
  version: Pick<ScannedVersion, 'key' | 'size' | 'tags'>,
  newer: number,
  noncurrentSince: Date,
  now: Date,
  dayMs: number,
): boolean {
  const at = noncurrentExpirationAt(rule, noncurrentSince, dayMs);
  const keep = rule.noncurrentVersionExpiration?.newerNoncurrentVersions ?? 0;
  return at !== undefined && at <= now && newer >= keep && ruleApplies(rule, version);
}

/** Whether an upload initiated at `initiatedAt` is due to be aborted at `now`. */
export function uploadAbortDue(configuration: BucketLifecycleConfiguration, upload: { key: string; initiatedAt: Date }, now: Date, dayMs: number): string | undefined {
  const abort = uploadAbortAt(configuration, upload, dayMs);
  return abort && abort.at <= now ? abort.ruleId : undefined;
}

export type ApplyLifecycleAction = {
  type: 'ApplyLifecycleAction';
  data: {
    bucket: string;
    action: LifecycleAction;
    /** Who a delete marker the expiry creates belongs to: the bucket owner, as in S3. */
    owner: string;
    ownerDisplayName: string;
  };
  metadata: { now: Date; dayMs: number; newVersionId: string };
};

/**
 * Decides one lifecycle action against the authoritative state, under the key's lock, as a
 * user's DeleteObject or AbortMultipartUpload is decided; pure. The rule is looked up again in
 * the configuration in force and evaluated again against the key as it is now: a key
 * overwritten, re-tagged or deleted since the scan, a rule changed or removed, records nothing.
 * What it records is what the user's command would: the same events, the same deciders.
 */
export function decideLifecycleAction(command: ApplyLifecycleAction, state: BucketStreamState): (ObjectEvent | MultipartEvent)[] {
  const { bucket, action, owner, ownerDisplayName } = command.data;
  const { now, dayMs, newVersionId } = command.metadata;
  const rule = state.bucket?.lifecycle?.rules.find((r) => r.id === action.ruleId);
  if (!rule) return [];
  const { key } = action;
  const versions = state.versionsOf(key);
  const deletion = (versionId?: string) =>
    decideObject(
      { type: 'DeleteObject', data: { bucket, key, owner, ownerDisplayName, ...(versionId !== undefined ? { versionId } : {}) }, metadata: { now, newVersionId } },
      state,
    );
  switch (action.kind) {
    case 'expireCurrent': {
      const current = versions[0];
      if (!current || current.isDeleteMarker || current.versionId !== action.versionId || current.objectId !== action.objectId) return [];
      if (!ruleApplies(rule, { key, size: action.size, ...(current.tags ? { tags: current.tags } : {}) })) return [];
      const at = expirationAt(rule, action.createdAt, dayMs);
      return at !== undefined && at <= now ? deletion() : [];
    }
    case 'expireNoncurrent': {
      const index = versions.findIndex((v) => v.versionId === action.versionId);
      const version = versions[index];
      if (index < 1 || !version || versions[index - 1]!.versionId !== action.successorVersionId || version.objectId !== action.objectId) return [];
      const subject = { key, ...(action.size !== undefined ? { size: action.size } : {}), ...(version.tags ? { tags: version.tags } : {}) };
      return noncurrentDue(rule, subject, index - 1, action.noncurrentSince, now, dayMs) ? deletion(action.versionId) : [];
    }
    case 'removeExpiredDeleteMarker': {
      const [marker] = versions;
      if (versions.length !== 1 || !marker?.isDeleteMarker || marker.versionId !== action.versionId) return [];
      return removesExpiredDeleteMarkers(rule, key) ? deletion(action.versionId) : [];
    }
    case 'abortUpload': {
      const upload = state.uploadAt(action.uploadId);
      if (!upload || upload.key !== key || uploadAbortDue({ rules: [rule] }, { key, initiatedAt: action.initiatedAt }, now, dayMs) === undefined) return [];
      return decideMultipart({ type: 'AbortMultipartUpload', data: { bucket, key, uploadId: action.uploadId }, metadata: { now } }, state);
    }
    default: {
      const unreachable: never = action;
      return unreachable;
    }
  }
}
