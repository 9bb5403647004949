import type { SedimentEventType } from '../bucket-stream/sediment-event.js';
import type { IdentityEventType } from '../identity-stream/identity.events.js';

/**
 * Turns the `data` of one schema version of an event type into the next version's. It gets the
 * parsed JSON (never a shared object it must not touch) and returns the new data; it may throw
 * when the old data is malformed, which makes the record poison.
 */
export type Upcaster = (data: Readonly<Record<string, unknown>>) => Record<string, unknown>;

/** type → version N → the upcaster from N to N + 1. Versions below the current one all need one. */
export type UpcasterTable = Readonly<Record<string, Readonly<Record<number, Upcaster>>>>;

/**
 * What Sediment has written on the bucket topic, version by version (docs/events.md). A record
 * is never rewritten in the log, so old versions are upcast every time they are read: on
 * replay, on a restart that resumes before the bump, and by the write side's catch-up.
 */
export const BUCKET_EVENT_UPCASTERS: { readonly [T in SedimentEventType]?: Readonly<Record<number, Upcaster>> } = {
  ObjectStored: {
    // v2 added storageClass; everything v1 recorded was stored as STANDARD, the only class then.
    1: (data) => ({ ...data, storageClass: 'STANDARD' }),
    // v3 added the Object Lock fields; a version written before had no lock, which is their absence.
    2: (data) => ({ ...data }),
    // v4 added the content headers (Cache-Control, Expires, …); before, none was kept: their absence.
    3: (data) => ({ ...data }),
  },
  // v2 added the Object Lock fields, absent as on ObjectStored v2; v3 the content headers, absent as on ObjectStored v3.
  ObjectCopied: { 1: (data) => ({ ...data }), 2: (data) => ({ ...data }) },
  MultipartUploadCompleted: { 1: (data) => ({ ...data }), 2: (data) => ({ ...data }) },
  // v2 added a rule's optional `legacyPrefix`; a v1 rule is returned with its Filter, as it was then.
  BucketLifecycleConfigured: { 1: (data) => ({ ...data }) },
  MultipartUploadInitiated: {
    1: (data) => ({ ...data }),
    // v3 added `acl`; an upload initiated before asked for none it could keep, which is `private`.
    2: (data) => ({ ...data }),
    // v4 added the content headers; an upload initiated before kept none for its object.
    3: (data) => ({ ...data }),
  },
};

/** v2 of every event about a user, its keys and its policies added `accountId`: v1 had one account, the default one. */
const inDefaultAccount: Upcaster = (data) => ({ ...data, accountId: '000000000000' });

/** What Sediment has written on the identity topic, version by version (docs/events.md). */
export const IDENTITY_EVENT_UPCASTERS: { readonly [T in IdentityEventType]?: Readonly<Record<number, Upcaster>> } = {
  UserCreated: { 1: inDefaultAccount },
  UserDeleted: { 1: inDefaultAccount },
  AccessKeyCreated: { 1: inDefaultAccount },
  AccessKeyStatusChanged: { 1: inDefaultAccount },
  AccessKeyDeleted: { 1: inDefaultAccount },
  UserPolicyPut: { 1: inDefaultAccount },
  UserPolicyDeleted: { 1: inDefaultAccount },
};

export class UpcastError extends Error {}

/**
 * Brings `data` of `type` at `version` to `current`, one step at a time. Throws UpcastError for
 * a version that is not an integer in 1..current, or when a step is missing (a gap in the
 * table): guessing the shape would corrupt whatever reads it.
 */
export function upcast(
  type: string,
  version: unknown,
  current: number,
  data: Record<string, unknown>,
  table: UpcasterTable,
): Record<string, unknown> {
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1 || version > current) {
    throw new UpcastError(`unsupported schema version ${String(version)} of ${type} (current is ${current})`);
  }
  let shaped = data;
  for (let from = version; from < current; from++) {
    const step = table[type]?.[from];
    if (!step) throw new UpcastError(`no upcaster from version ${from} of ${type} to ${from + 1}`);
    shaped = step(shaped);
    if (typeof shaped !== 'object' || shaped === null) {
      throw new UpcastError(`upcaster from version ${from} of ${type} returned no data`);
    }
  }
  return shaped;
}

/**
 * The table's defects against the current versions: a missing step below a current version, or
 * a step at or above it (an upcaster nobody can reach, usually a forgotten version bump).
 * Checked by a unit test, so a bump without its upcaster fails before it ships.
 */
export function upcasterTableDefects(versions: Readonly<Record<string, number>>, table: UpcasterTable): string[] {
  const defects: string[] = [];
  for (const [type, current] of Object.entries(versions)) {
    for (let from = 1; from < current; from++) {
      if (!table[type]?.[from]) defects.push(`${type}: no upcaster from version ${from}`);
    }
  }
  for (const [type, steps] of Object.entries(table)) {
    const current = versions[type];
    if (current === undefined) {
      defects.push(`${type}: upcasters for an unknown event type`);
      continue;
    }
    for (const from of Object.keys(steps).map(Number)) {
      if (!Number.isInteger(from) || from < 1 || from >= current) defects.push(`${type}: upcaster from version ${from} is unreachable (current is ${current})`);
    }
  }
  return defects;
}
