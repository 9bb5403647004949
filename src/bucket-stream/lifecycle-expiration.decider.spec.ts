import { deciderSpec } from '../../test/support/decider-spec.js';
import type { BucketCreated, BucketLifecycleConfigured, BucketVersioningConfigured } from './bucket.events.js';
import type { LifecycleRule } from './lifecycle-configuration.js';
import {
  decideLifecycleAction,
  planKeyExpirations,
  uploadAbortDue,
  type ApplyLifecycleAction,
  type LifecycleAction,
  type ScannedVersion,
} from './lifecycle-expiration.decider.js';
import type { MultipartUploadInitiated } from './multipart.events.js';
import type { ObjectStored } from './object.events.js';

const DAY = 86_400_000;
const t0 = new Date('2026-12-01T10:00:00.000Z');
const at = (days: number) => new Date(t0.getTime() + days * DAY);
const rule = (fields: Partial<LifecycleRule>): LifecycleRule => ({ id: 'r', status: 'Enabled', filter: {}, ...fields });

const object = (versionId: string, createdDay: number, extra: Partial<ScannedVersion> = {}): ScannedVersion => ({
  key: 'k', versionId, isDeleteMarker: false, objectId: `o-${versionId}`, size: 10, lastModified: at(createdDay), ...extra,
});
const marker = (versionId: string, createdDay: number): ScannedVersion => ({ key: 'k', versionId, isDeleteMarker: true, lastModified: at(createdDay) });

describe('which versions expire at a time T (planKeyExpirations)', () => {
  const expireIn = (days: number) => ({ rules: [rule({ id: 'exp', expiration: { days } })] });

  it('expires the current version once Days have passed, rounded up to the next midnight UTC', () => {
    // Created 2026-12-01 10:00 with Days 1: due at 2026-12-03 00:00, not before.
    expect(planKeyExpirations(expireIn(1), [object('v1', 0)], new Date('2026-12-02T23:59:59.999Z'), DAY)).toEqual([]);
    expect(planKeyExpirations(expireIn(1), [object('v1', 0)], new Date('2026-12-03T00:00:00.000Z'), DAY)).toEqual([
      { kind: 'expireCurrent', key: 'k', ruleId: 'exp', versionId: 'v1', objectId: 'o-v1', size: 10, createdAt: at(0) },
    ]);
  });

  it('expires by Date on or after it, whenever the object was created', () => {
    const byDate = { rules: [rule({ id: 'd', expiration: { date: '2026-12-05T00:00:00.000Z' } })] };
    expect(planKeyExpirations(byDate, [object('v1', 3)], new Date('2026-12-04T12:00:00Z'), DAY)).toEqual([]);
    expect(planKeyExpirations(byDate, [object('v1', 3)], new Date('2026-12-05T00:00:00Z'), DAY)).toHaveLength(1);
  });

  it('leaves what the filter does not select, and what a Disabled rule names', () => {
    const filtered = { rules: [rule({ expiration: { days: 1 }, filter: { prefix: 'logs/' } }), rule({ id: 'off', status: 'Disabled', expiration: { days: 1 } })] };
    expect(planKeyExpirations(filtered, [object('v1', 0)], at(30), DAY)).toEqual([]);
    const tagged = { rules: [rule({ expiration: { days: 1 }, filter: { tags: [{ key: 'tmp', value: 'yes' }] } })] };
    expect(planKeyExpirations(tagged, [object('v1', 0)], at(30), DAY)).toEqual([]);
    expect(planKeyExpirations(tagged, [object('v1', 0, { tags: [{ key: 'tmp', value: 'yes' }] })], at(30), DAY)).toHaveLength(1);
    const small = { rules: [rule({ expiration: { days: 1 }, filter: { objectSizeLessThan: 10 } })] };
    expect(planKeyExpirations(small, [object('v1', 0)], at(30), DAY)).toEqual([]);
  });

  it('expires noncurrent versions NoncurrentDays after their successor was created, keeping the newest NewerNoncurrentVersions', () => {
    const noncurrent = { rules: [rule({ id: 'nc', noncurrentVersionExpiration: { noncurrentDays: 2, newerNoncurrentVersions: 1 } })] };
    // v4 current (day 10), v3 noncurrent since day 10, v2 since day 5, v1 since day 1.
    const versions = [object('v4', 10), object('v3', 5), object('v2', 1), object('v1', 0)];
    const plan = planKeyExpirations(noncurrent, versions, at(8), DAY);
    // v3 is the one newer noncurrent version kept. v2, noncurrent since day 5 (2026-12-06 10:00),
    // is due two days later rounded up to midnight (2026-12-09 00:00), so at day 8; v1 too.
    expect(plan).toEqual([
      { kind: 'expireNoncurrent', key: 'k', ruleId: 'nc', versionId: 'v2', objectId: 'o-v2', size: 10, successorVersionId: 'v3', noncurrentSince: at(5) },
      { kind: 'expireNoncurrent', key: 'k', ruleId: 'nc', versionId: 'v1', objectId: 'o-v1', size: 10, successorVersionId: 'v2', noncurrentSince: at(1) },
    ]);
    // Without NewerNoncurrentVersions, v3 goes too once its days have passed.
    const all = { rules: [rule({ id: 'nc', noncurrentVersionExpiration: { noncurrentDays: 2 } })] };
    expect(planKeyExpirations(all, versions, at(13), DAY).map((a) => a.kind === 'expireNoncurrent' && a.versionId)).toEqual(['v3', 'v2', 'v1']);
  });

  it('removes a current delete marker only when no other version is left (ExpiredObjectDeleteMarker)', () => {
    const markers = { rules: [rule({ id: 'm', expiration: { expiredObjectDeleteMarker: true } })] };
    expect(planKeyExpirations(markers, [marker('d1', 0)], at(0), DAY)).toEqual([{ kind: 'removeExpiredDeleteMarker', key: 'k', ruleId: 'm', versionId: 'd1' }]);
    expect(planKeyExpirations(markers, [marker('d1', 1), object('v1', 0)], at(5), DAY)).toEqual([]);
  });

  it('dates the abort of an upload from its initiation', () => {
    const aborts = { rules: [rule({ id: 'mpu', abortIncompleteMultipartUpload: { daysAfterInitiation: 1 } })] };
    expect(uploadAbortDue(aborts, { key: 'k', initiatedAt: t0 }, new Date('2026-12-02T23:00:00Z'), DAY)).toBeUndefined();
    expect(uploadAbortDue(aborts, { key: 'k', initiatedAt: t0 }, new Date('2026-12-03T00:00:00Z'), DAY)).toBe('mpu');
  });
});

describe('lifecycle decider: a due action decided again against the state', () => {
  const spec = deciderSpec(decideLifecycleAction);
  const created: BucketCreated = {
    type: 'BucketCreated',
    data: { bucket: 'logs', bucketId: 'b-1', owner: 'owner-a', ownerDisplayName: 'root', region: 'us-east-1', createdAt: t0.toISOString() },
  };
  const versioned: BucketVersioningConfigured = { type: 'BucketVersioningConfigured', data: { bucket: 'logs', bucketId: 'b-1', status: 'Enabled', configuredAt: t0.toISOString() } };
  const configured = (...rules: LifecycleRule[]): BucketLifecycleConfigured => ({
    type: 'BucketLifecycleConfigured',
    data: { bucket: 'logs', bucketId: 'b-1', configuration: { rules }, configuredAt: t0.toISOString() },
  });
  const stored = (objectId: string, versionId?: string): ObjectStored => ({
    type: 'ObjectStored',
    data: {
      bucket: 'logs', bucketId: 'b-1', key: 'k', objectId, size: 10, etag: '"e"', contentType: 't', userMetadata: [], owner: 'owner-a',
      ownerDisplayName: 'root', storedAt: t0.toISOString(), storageClass: 'STANDARD', ...(versionId ? { versionId } : {}),
    },
  });
  const now = at(3);
  const apply = (action: LifecycleAction): ApplyLifecycleAction => ({
    type: 'ApplyLifecycleAction',
    data: { bucket: 'logs', action, owner: 'owner-a', ownerDisplayName: 'root' },
    metadata: { now, dayMs: DAY, newVersionId: 'm-1' },
  });
  const expireCurrent = (objectId: string, versionId = 'null'): LifecycleAction => ({ kind: 'expireCurrent', key: 'k', ruleId: 'exp', versionId, objectId, size: 10, createdAt: t0 });
  const expiring = rule({ id: 'exp', expiration: { days: 1 } });

  it('deletes an expired object of an unversioned bucket, as DeleteObject does', () =>
    spec.given(created, configured(expiring), stored('o-1')).when(apply(expireCurrent('o-1'))).then({
      type: 'ObjectDeleted',
      data: { bucket: 'logs', bucketId: 'b-1', key: 'k', objectId: 'o-1', deletedAt: now.toISOString() },
    }));

  it('puts a delete marker, owned by the bucket owner, over an expired object of a versioned bucket', () =>
    spec.given(created, versioned, configured(expiring), stored('o-1', 'v1')).when(apply(expireCurrent('o-1', 'v1'))).then({
      type: 'DeleteMarkerCreated',
      data: { bucket: 'logs', bucketId: 'b-1', key: 'k', versionId: 'm-1', owner: 'owner-a', ownerDisplayName: 'root', createdAt: now.toISOString() },
    }));

  it('records nothing when the key was overwritten since the scan, or the rule changed or went', () => {
    spec.given(created, configured(expiring), stored('o-1'), stored('o-2')).when(apply(expireCurrent('o-1'))).then();
    spec.given(created, configured(expiring), stored('o-1'), configured(rule({ id: 'exp', expiration: { days: 30 } }))).when(apply(expireCurrent('o-1'))).then();
    spec.given(created, configured(expiring), stored('o-1'), configured(rule({ id: 'other', expiration: { days: 1 } }))).when(apply(expireCurrent('o-1'))).then();
    spec.given(created, stored('o-1')).when(apply(expireCurrent('o-1'))).then();
  });

  it('removes a noncurrent version for good while its successor is the one scanned', () => {
    const nc = rule({ id: 'exp', noncurrentVersionExpiration: { noncurrentDays: 1 } });
    const action: LifecycleAction = { kind: 'expireNoncurrent', key: 'k', ruleId: 'exp', versionId: 'v1', objectId: 'o-1', size: 10, successorVersionId: 'v2', noncurrentSince: t0 };
    spec.given(created, versioned, configured(nc), stored('o-1', 'v1'), stored('o-2', 'v2')).when(apply(action)).then({
      type: 'ObjectDeleted',
      data: { bucket: 'logs', bucketId: 'b-1', key: 'k', objectId: 'o-1', deletedAt: now.toISOString(), versionId: 'v1' },
    });
    // The version is current again (its successor went): not noncurrent, nothing to do.
    spec.given(created, versioned, configured(nc), stored('o-1', 'v1')).when(apply(action)).then();
  });

  it('removes an expired delete marker, and keeps one that has a version behind it', () => {
    const markers = rule({ id: 'exp', expiration: { expiredObjectDeleteMarker: true } });
    const markerCreated = { type: 'DeleteMarkerCreated' as const, data: { bucket: 'logs', bucketId: 'b-1', key: 'k', versionId: 'd1', owner: 'owner-a', ownerDisplayName: 'root', createdAt: t0.toISOString() } };
    const action: LifecycleAction = { kind: 'removeExpiredDeleteMarker', key: 'k', ruleId: 'exp', versionId: 'd1' };
    spec.given(created, versioned, configured(markers), markerCreated).when(apply(action)).then({
      type: 'DeleteMarkerRemoved',
      data: { bucket: 'logs', bucketId: 'b-1', key: 'k', versionId: 'd1', removedAt: now.toISOString(), newestVersionId: null },
    });
    spec.given(created, versioned, configured(markers), stored('o-1', 'v1'), markerCreated).when(apply(action)).then();
  });

  it('aborts an upload in progress past its days, and nothing once it completed or was aborted', () => {
    const aborts = rule({ id: 'exp', abortIncompleteMultipartUpload: { daysAfterInitiation: 1 } });
    const initiated: MultipartUploadInitiated = {
      type: 'MultipartUploadInitiated',
      data: { bucket: 'logs', bucketId: 'b-1', key: 'k', uploadId: 'u-1', contentType: 't', userMetadata: [], owner: 'owner-a', ownerDisplayName: 'root', initiatedAt: t0.toISOString() },
    };
    const action: LifecycleAction = { kind: 'abortUpload', key: 'k', ruleId: 'exp', uploadId: 'u-1', initiatedAt: t0 };
    spec.given(created, configured(aborts), initiated).when(apply(action)).then({
      type: 'MultipartUploadAborted',
      data: { bucket: 'logs', bucketId: 'b-1', key: 'k', uploadId: 'u-1', discardedObjectIds: [], abortedAt: now.toISOString() },
    });
    spec.given(created, configured(aborts)).when(apply(action)).then();
  });
});
