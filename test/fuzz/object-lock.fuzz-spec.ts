// The proof that the log cannot lose a locked version early: random sequences of the commands
// the S3 API can send to a bucket with Object Lock (writes with and without lock headers,
// PutObjectRetention that extends, shortens or removes, with and without the bypass header and
// permission, multipart uploads with and without their own lock, legal holds, deletions by version id, delete markers, DeleteObjects, versioning
// and lock configuration changes, and the clock moving on) are decided one after another and
// their accepted events folded, as the writer does. Whatever the sequence, no accepted event
// takes away a version under a legal hold or an unexpired COMPLIANCE retention, nor weakens one,
// and a version under unexpired GOVERNANCE retention goes (or is weakened) only by a command
// that carried the bypass with the permission.
import fc from 'fast-check';
import { decideBucket } from '../../src/bucket-stream/bucket.decider.js';
import { evolve, initialBucketStream, type FoldedBucketStream, type ObjectVersion } from '../../src/bucket-stream/bucket-stream.state.js';
import { decideObjectLock } from '../../src/bucket-stream/object-lock.decider.js';
import { retentionInForce, type DefaultRetention, type RetentionMode, type VersionLock } from '../../src/bucket-stream/object-lock.js';
import { decideDeletions, decideObject } from '../../src/bucket-stream/object.decider.js';
import { decideMultipart } from '../../src/bucket-stream/multipart.decider.js';
import type { SedimentEvent } from '../../src/bucket-stream/sediment-event.js';
import { S3Error } from '../../src/errors/s3.error.js';

const HOUR = 3_600_000;
const START = new Date('2026-12-07T00:00:00.000Z');
const KEYS = ['a', 'b'] as const;
const who = { owner: 'owner-a', ownerDisplayName: 'root' };

/** What the edge hands the decider: the bypass counts only with the header and the permission. */
interface Bypass {
  header: boolean;
  permission: boolean;
}
const bypasses = (b: Bypass) => b.header && b.permission;

type Step =
  | { kind: 'put'; key: string; lock?: { retention?: { mode: RetentionMode; hours: number }; legalHold?: boolean }; integrity: boolean }
  | { kind: 'copy'; key: string; from: string; legalHold: boolean }
  | { kind: 'multipart'; key: string; lock?: { mode: RetentionMode; hours: number }; advanceHours: number }
  | { kind: 'retention'; key: string; pick: number; retention: { mode: RetentionMode; hours: number } | null; bypass: Bypass }
  | { kind: 'legalHold'; key: string; pick: number; on: boolean }
  | { kind: 'deleteVersion'; key: string; pick: number; bypass: Bypass }
  | { kind: 'deleteMarker'; key: string }
  | { kind: 'deleteObjects'; targets: { key: string; pick: number }[]; bypass: Bypass }
  | { kind: 'versioning'; status: 'Enabled' | 'Suspended' }
  | { kind: 'configure'; defaultRetention: DefaultRetention | null }
  | { kind: 'advance'; hours: number };

const key = fc.constantFrom(...KEYS);
const mode = fc.constantFrom<RetentionMode>('GOVERNANCE', 'COMPLIANCE');
// Hours from now: some already past, some a few days ahead.
const hours = fc.integer({ min: -48, max: 24 * 12 });
const bypass = fc.record({ header: fc.boolean(), permission: fc.boolean() });
// Mostly a version the key has: the newest few.
const pick = fc.nat({ max: 3 });
// Clients that lock send a checksum; some forget.
const integrity = fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) });
const defaultRetention: fc.Arbitrary<DefaultRetention | null> = fc.oneof(
  fc.constant(null),
  fc.record({ mode, days: fc.integer({ min: 1, max: 10 }) }),
  fc.record({ mode, years: fc.constant(1) }),
);
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('put' as const), key, integrity, lock: fc.option(fc.record({ retention: fc.option(fc.record({ mode, hours }), { nil: undefined }), legalHold: fc.option(fc.boolean(), { nil: undefined }) }), { nil: undefined }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('copy' as const), key, from: key, legalHold: fc.boolean() }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('multipart' as const), key, lock: fc.option(fc.record({ mode, hours }), { nil: undefined }), advanceHours: fc.integer({ min: 0, max: 72 }) }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('retention' as const), key, pick, retention: fc.option(fc.record({ mode, hours }), { nil: null }), bypass }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('legalHold' as const), key, pick, on: fc.boolean() }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('deleteVersion' as const), key, pick, bypass }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deleteMarker' as const), key }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('deleteObjects' as const), targets: fc.array(fc.record({ key, pick }), { minLength: 1, maxLength: 4 }), bypass }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('versioning' as const), status: fc.constantFrom<'Enabled' | 'Suspended'>('Enabled', 'Suspended') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('configure' as const), defaultRetention }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('advance' as const), hours: fc.integer({ min: 0, max: 24 * 6 }) }) },
);

/** The version a step names by index among the key's versions (missing ones too: an id never issued). */
function versionIdAt(state: FoldedBucketStream, key: string, index: number): string {
  return state.versionsOf(key)[index]?.versionId ?? `never-${index}`;
}

/** Decides one step against the state at `now`: its events, or the refusal S3 would answer. */
function decideStep(s: Step, state: FoldedBucketStream, now: Date, nextId: () => string): SedimentEvent[] {
  const bucket = 'vault';
  const at = (h: number) => new Date(now.getTime() + h * HOUR).toISOString();
  switch (s.kind) {
    case 'put': {
      const lock: VersionLock | undefined = s.lock && {
        ...(s.lock.retention ? { retention: { mode: s.lock.retention.mode, retainUntil: at(s.lock.retention.hours) } } : {}),
        ...(s.lock.legalHold !== undefined ? { legalHold: s.lock.legalHold } : {}),
      };
      const id = nextId();
      const data = { bucket, key: s.key, objectId: `o-${id}`, size: 1, etag: '"e"', contentType: 't', userMetadata: [], ...who };
      return decideObject({ type: 'PutObject', data, ...(lock ? { lock } : {}), integrityChecked: s.integrity, metadata: { now, newVersionId: id } }, state);
    }
    case 'copy': {
      const source = state.objectAt(s.from);
      if (!source) return [];
      const id = nextId();
      return decideObject(
        {
          type: 'CopyObject',
          data: { bucket, key: s.key, source: { bucket, key: s.from, objectId: source.objectId, size: 1, etag: source.etag }, contentType: 't', userMetadata: [], ...who },
          ...(s.legalHold ? { lock: { legalHold: true } } : {}),
          metadata: { now, newVersionId: id },
        },
        state,
      );
    }
    case 'multipart': {
      // Begun now, one part, completed `advanceHours` later: the three decisions one after another.
      const id = nextId();
      const lock = s.lock ? { retention: { mode: s.lock.mode, retainUntil: at(s.lock.hours) } } : undefined;
      const base = { bucket, key: s.key, uploadId: `u-${id}` };
      const begun = decideMultipart({ type: 'CreateMultipartUpload', data: { ...base, contentType: 't', userMetadata: [], ...who }, ...(lock ? { lock } : {}), metadata: { now } }, state);
      const part = { ...base, partNumber: 1, objectId: `p-${id}`, size: 1, etag: '"p"', integrityChecked: true };
      const withPart = [...begun, ...decideMultipart({ type: 'UploadPart', data: part, metadata: { now } }, begun.reduce(evolve, state))];
      const completedAt = new Date(now.getTime() + s.advanceHours * HOUR);
      const completion = { ...base, objectId: `m-${id}`, parts: [{ partNumber: 1, etag: '"p"' }] };
      return [...withPart, ...decideMultipart({ type: 'CompleteMultipartUpload', data: completion, metadata: { now: completedAt, newVersionId: id } }, withPart.reduce(evolve, state))];
    }
    case 'retention': {
      const retention = s.retention && { mode: s.retention.mode, retainUntil: at(s.retention.hours) };
      const data = { bucket, key: s.key, versionId: versionIdAt(state, s.key, s.pick), retention, bypassGovernance: bypasses(s.bypass) };
      return decideObjectLock({ type: 'PutObjectRetention', data, metadata: { now } }, state);
    }
    case 'legalHold':
      return decideObjectLock({ type: 'PutObjectLegalHold', data: { bucket, key: s.key, versionId: versionIdAt(state, s.key, s.pick), legalHold: s.on }, metadata: { now } }, state);
    case 'deleteVersion': {
      const data = { bucket, key: s.key, versionId: versionIdAt(state, s.key, s.pick), bypassGovernance: bypasses(s.bypass), ...who };
      return decideObject({ type: 'DeleteObject', data, metadata: { now, newVersionId: nextId() } }, state);
    }
    case 'deleteMarker':
      return decideObject({ type: 'DeleteObject', data: { bucket, key: s.key, ...who }, metadata: { now, newVersionId: nextId() } }, state);
    case 'deleteObjects': {
      const objects = s.targets.map((t) => ({ key: t.key, versionId: versionIdAt(state, t.key, t.pick), bypassGovernance: bypasses(s.bypass) }));
      return decideDeletions({ type: 'DeleteObjects', data: { bucket, objects, ...who }, metadata: { now, newVersionId: nextId } }, state).events;
    }
    case 'versioning':
      return decideBucket({ type: 'ConfigureBucketVersioning', data: { bucket, status: s.status }, metadata: { now } }, state);
    case 'configure':
      return decideObjectLock({ type: 'ConfigureObjectLock', data: { bucket, defaultRetention: s.defaultRetention }, metadata: { now } }, state);
    case 'advance':
      return [];
    default: {
      const unreachable: never = s;
      return unreachable;
    }
  }
}

/** What protects a version at `now`: its legal hold, or a retention in force (and of which mode). */
function protection(version: ObjectVersion, now: Date): 'legal hold' | RetentionMode | undefined {
  if (version.legalHold) return 'legal hold';
  return retentionInForce(version.retention, now) ? version.retention.mode : undefined;
}

/** The command carried the bypass with the permission (only those that can carry one). */
function carriedBypass(s: Step): boolean {
  return 'bypass' in s && bypasses(s.bypass);
}

/**
 * Checks one accepted decision: every version present before and gone after (removed for good
 * or replaced in place), and every retention weakened, against what protected it at `now`.
 */
function assertNothingLockedLost(before: FoldedBucketStream, after: FoldedBucketStream, s: Step, now: Date, events: SedimentEvent[], seen: Counters): void {
  for (const key of KEYS) {
    const remaining = new Map(after.versionsOf(key).map((v) => [v.versionId, v]));
    for (const version of before.versionsOf(key)) {
      if (version.isDeleteMarker) continue;
      const kept = remaining.get(version.versionId);
      const why = protection(version, now);
      if (kept !== undefined && kept.objectId === version.objectId) {
        // Kept: its retention may only be weakened as S3 allows.
        const weakened =
          retentionInForce(version.retention, now) &&
          (!kept.retention || kept.retention.mode !== version.retention.mode || Date.parse(kept.retention.retainUntil) < Date.parse(version.retention.retainUntil));
        if (weakened) {
          expect({ key, version: version.versionId, mode: version.retention!.mode, events }).toEqual(expect.objectContaining({ mode: 'GOVERNANCE' }));
          expect(carriedBypass(s)).toBe(true);
          seen.weakenedWithBypass++;
        }
        continue;
      }
      // Gone (or replaced): never while a legal hold or COMPLIANCE retention protects it.
      if (why === 'legal hold' || why === 'COMPLIANCE') throw new Error(`${s.kind} removed ${key}@${version.versionId} under ${why}: ${JSON.stringify(events)}`);
      if (why === 'GOVERNANCE') {
        expect(carriedBypass(s)).toBe(true);
        seen.governanceBypassed++;
      } else seen.removedUnlocked++;
    }
  }
}

interface Counters {
  accepted: number;
  refusedLocked: number;
  governanceBypassed: number;
  weakenedWithBypass: number;
  removedUnlocked: number;
}

describe('Object Lock: no event sequence the API accepts removes a locked version early', () => {
  it('holds for random command sequences, with the clock moving on', () => {
    const seen: Counters = { accepted: 0, refusedLocked: 0, governanceBypassed: 0, weakenedWithBypass: 0, removedUnlocked: 0 };
    fc.assert(
      fc.property(defaultRetention, fc.array(step, { minLength: 10, maxLength: 60, size: 'max' }), (initialDefault, steps) => {
        let now = START;
        let counter = 0;
        const nextId = () => `v${++counter}`;
        const log: SedimentEvent[] = decideBucket(
          { type: 'CreateBucket', data: { bucket: 'vault', bucketId: 'b-1', region: 'us-east-1', objectLockEnabled: true, ...who }, metadata: { now } },
          initialBucketStream(),
        );
        let state = log.reduce(evolve, initialBucketStream());
        if (initialDefault) {
          const configured = decideObjectLock({ type: 'ConfigureObjectLock', data: { bucket: 'vault', defaultRetention: initialDefault }, metadata: { now } }, state);
          log.push(...configured);
          state = configured.reduce(evolve, state);
        }
        for (const s of steps) {
          if (s.kind === 'advance') {
            now = new Date(now.getTime() + s.hours * HOUR);
            continue;
          }
          let events: SedimentEvent[];
          try {
            events = decideStep(s, state, now, nextId);
          } catch (error) {
            // A refusal is an S3 error and records nothing; anything else is a bug.
            if (!(error instanceof S3Error)) throw error;
            if (error.code === 'AccessDenied') seen.refusedLocked++;
            continue;
          }
          const after = events.reduce(evolve, state);
          assertNothingLockedLost(state, after, s, now, events, seen);
          seen.accepted += events.length;
          log.push(...events);
          state = after;
          // A multipart upload completed that much later: the clock moved on with it.
          if (s.kind === 'multipart') now = new Date(now.getTime() + s.advanceHours * HOUR);
        }
        // The log alone rebuilds the same state: nothing about a lock depends on deciding again.
        expect(log.reduce(evolve, initialBucketStream())).toEqual(state);
        // Versioning never left Enabled, so no write could replace a version in place.
        expect(state.bucket?.versioning).toBe('Enabled');
      }),
      { numRuns: 400, ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {}) },
    );
    // The sequences did exercise what the property is about, each way.
    expect(seen.refusedLocked).toBeGreaterThan(0);
    expect(seen.governanceBypassed).toBeGreaterThan(0);
    expect(seen.weakenedWithBypass).toBeGreaterThan(0);
    expect(seen.removedUnlocked).toBeGreaterThan(0);
  });
});
