import { decodeEnvelopeJson, decodeRecord, PoisonEventError, type EventEnvelope } from './event-envelope.js';
import { EVENT_SCHEMA_VERSIONS } from '../bucket-stream/sediment-event.js';
import { IDENTITY_EVENT_SCHEMA_VERSIONS } from '../identity-stream/identity.events.js';
import { decodeIdentityRecord } from './identity-envelope.js';
import { BUCKET_EVENT_UPCASTERS, IDENTITY_EVENT_UPCASTERS, upcast, upcasterTableDefects, type UpcasterTable } from './upcasters.js';

const position = { partition: 2, offset: 41 };

/** ObjectStored v1 exactly as a Sediment before v2 wrote it (no storageClass). */
const storedV1 = {
  id: '8f0c1f6e-5d0a-4c39-9a54-0d8f1a6b2c11',
  type: 'ObjectStored',
  schemaVersion: 1,
  time: '2025-03-01T09:00:00.000Z',
  principal: { accessKeyId: 'SEDIMENTLOCALROOT01', arn: 'arn:aws:iam::000000000000:root' },
  bucket: 'photos',
  data: {
    bucket: 'photos', bucketId: 'b-1', key: 'cat.jpg', objectId: '0b7e7a39-4d5e-4f0c-8f7e-3a1c2b9d8e01', size: 5,
    etag: '"5d41402abc4b2a76b9719d911017c592"', contentType: 'image/jpeg', userMetadata: [], owner: 'o',
    ownerDisplayName: 'root', storedAt: '2025-03-01T09:00:00.000Z',
  },
};
const json = (value: unknown) => JSON.stringify(value);

const poison = (fn: () => unknown): PoisonEventError => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(PoisonEventError);
    return error as PoisonEventError;
  }
  throw new Error('expected a PoisonEventError');
};

describe('upcasting bucket events on decode', () => {
  it('upcasts ObjectStored v1 to the current version with storageClass STANDARD', () => {
    const { envelope, event } = decodeRecord(json(storedV1), position);
    expect(envelope.schemaVersion).toBe(EVENT_SCHEMA_VERSIONS.ObjectStored);
    expect(EVENT_SCHEMA_VERSIONS.ObjectStored).toBe(4);
    expect(event).toEqual({ type: 'ObjectStored', data: { ...storedV1.data, storageClass: 'STANDARD' } });
    // The rest of the envelope is what the log holds.
    expect({ ...envelope, data: undefined, schemaVersion: undefined }).toEqual({ ...storedV1, data: undefined, schemaVersion: undefined });
  });

  it('upcasts ObjectStored v2 to the current version unchanged: a version written before Object Lock has no lock', () => {
    const v2 = { ...storedV1, schemaVersion: 2, data: { ...storedV1.data, storageClass: 'GLACIER' } };
    expect(decodeRecord(json(v2), position).envelope).toEqual({ ...v2, schemaVersion: 4 });
  });

  it('upcasts ObjectStored v3 to v4 unchanged: a version written before v4 has no content headers', () => {
    const retention = { mode: 'COMPLIANCE', retainUntil: '2030-01-01T00:00:00.000Z' };
    const v3 = { ...storedV1, schemaVersion: 3, data: { ...storedV1.data, storageClass: 'STANDARD', retention } };
    const { envelope, event } = decodeRecord(json(v3), position);
    expect(envelope).toEqual({ ...v3, schemaVersion: 4 });
    for (const field of ['cacheControl', 'contentDisposition', 'contentEncoding', 'contentLanguage', 'expires']) expect(event.data).not.toHaveProperty(field);
  });

  it.each([
    ['ObjectCopied', 3, [1, 2], { sourceBucket: 'photos', sourceKey: 'dog.jpg', storageClass: 'STANDARD' }],
    ['MultipartUploadCompleted', 3, [1, 2], { uploadId: 'u-1', parts: [], discardedObjectIds: [], storageClass: 'STANDARD' }],
  ] as const)('upcasts %s of every older version to v%d unchanged: no content headers', (type, current, olderVersions, extra) => {
    const older = { ...storedV1, type, data: { ...storedV1.data, ...extra } };
    expect(EVENT_SCHEMA_VERSIONS[type]).toBe(current);
    for (const schemaVersion of olderVersions) {
      const { envelope, event } = decodeRecord(json({ ...older, schemaVersion }), position);
      expect(envelope).toEqual({ ...older, schemaVersion: current });
      expect(event.data).not.toHaveProperty('cacheControl');
    }
  });

  it('upcasts MultipartUploadInitiated v1, v2 and v3 to v4 unchanged: no ACL (private) before v3, no content headers before v4', () => {
    const initiated = {
      ...storedV1, type: 'MultipartUploadInitiated',
      data: { bucket: 'photos', bucketId: 'b-1', key: 'big.bin', uploadId: 'u-1', contentType: 'video/mp4', userMetadata: [], owner: 'o', ownerDisplayName: 'root', initiatedAt: '2025-03-01T09:00:00.000Z' },
    };
    expect(EVENT_SCHEMA_VERSIONS.MultipartUploadInitiated).toBe(4);
    for (const schemaVersion of [1, 2, 3]) {
      const { envelope, event } = decodeRecord(json({ ...initiated, schemaVersion }), position);
      expect(envelope).toEqual({ ...initiated, schemaVersion: 4 });
      expect(event.data).not.toHaveProperty('acl');
      expect(event.data).not.toHaveProperty('cacheControl');
    }
  });

  it('passes the current version through unchanged', () => {
    const retention = { mode: 'COMPLIANCE', retainUntil: '2030-01-01T00:00:00.000Z' };
    const headers = { cacheControl: 'no-cache', contentDisposition: 'attachment', contentEncoding: 'gzip', contentLanguage: 'en', expires: 'not a date' };
    const v4 = { ...storedV1, schemaVersion: 4, data: { ...storedV1.data, storageClass: 'GLACIER', retention, legalHold: true, ...headers } };
    expect(decodeRecord(json(v4), position).envelope).toEqual(v4);
  });

  it('keeps replacedObjectId of a v1 overwrite', () => {
    const v1 = { ...storedV1, data: { ...storedV1.data, replacedObjectId: 'old' } };
    expect(decodeRecord(json(v1), position).event.data).toMatchObject({ replacedObjectId: 'old', storageClass: 'STANDARD' });
  });

  it('leaves types still at version 1 alone', () => {
    const deleted = { ...storedV1, type: 'ObjectDeleted', data: { bucket: 'photos', bucketId: 'b-1', key: 'k', objectId: 'x', deletedAt: storedV1.time } };
    expect(decodeRecord(json(deleted), position).envelope).toEqual(deleted);
  });

  it.each([
    [5, 'unsupported schema version 5 of ObjectStored'],
    [0, 'unsupported schema version 0 of ObjectStored'],
    [1.5, 'unsupported schema version 1.5 of ObjectStored'],
    ['1', 'unsupported schema version 1 of ObjectStored'],
    [undefined, 'unsupported schema version undefined of ObjectStored'],
  ])('refuses schema version %p as poison', (schemaVersion, message) => {
    const error = poison(() => decodeRecord(json({ ...storedV1, schemaVersion }), position));
    expect(error.message).toContain(message);
    expect(error.position).toEqual(position);
  });

  it('refuses a malformed envelope before upcasting it', () => {
    expect(poison(() => decodeRecord(json({ ...storedV1, data: null }), position)).message).toContain('malformed ObjectStored envelope');
    expect(poison(() => decodeRecord(json({ ...storedV1, data: [] }), position)).message).toContain('malformed ObjectStored envelope');
  });
});

describe('upcast', () => {
  type Thing = { type: 'Thing'; schemaVersion: number; subject: string; data: Record<string, unknown> };
  const table: UpcasterTable = {
    Thing: {
      1: (d) => ({ ...d, b: 'from v1' }),
      2: (d) => ({ ...d, c: `${String(d['b'])} then v2` }),
    },
  };

  it('applies every step from the recorded version to the current one, in order', () => {
    expect(upcast('Thing', 1, 3, { a: 1 }, table)).toEqual({ a: 1, b: 'from v1', c: 'from v1 then v2' });
    expect(upcast('Thing', 2, 3, { a: 1, b: 'x' }, table)).toEqual({ a: 1, b: 'x', c: 'x then v2' });
    expect(upcast('Thing', 3, 3, { a: 1 }, table)).toEqual({ a: 1 });
  });

  it('refuses a gap in the table', () => {
    const gap: UpcasterTable = { Thing: { 2: table['Thing']![2]! } };
    expect(() => upcast('Thing', 1, 3, {}, gap)).toThrow('no upcaster from version 1 of Thing to 2');
  });

  it('turns a gap, or a throwing upcaster, into poison when decoding', () => {
    const record = json({ type: 'Thing', schemaVersion: 1, subject: 's', data: {} });
    const gap = poison(() => decodeEnvelopeJson<Thing>(record, position, { Thing: 2 }, 'subject'));
    expect(gap.message).toContain('no upcaster from version 1 of Thing to 2');
    const throwing: UpcasterTable = {
      Thing: {
        1: () => {
          throw new Error('v1 data has no a');
        },
      },
    };
    expect(poison(() => decodeEnvelopeJson<Thing>(record, position, { Thing: 2 }, 'subject', throwing)).message).toContain('v1 data has no a');
  });

  it('decodes through the given table and stamps the current version', () => {
    const record = json({ type: 'Thing', schemaVersion: 1, subject: 's', data: { a: 1 } });
    expect(decodeEnvelopeJson<Thing>(record, position, { Thing: 3 }, 'subject', table)).toEqual({
      type: 'Thing',
      schemaVersion: 3,
      subject: 's',
      data: { a: 1, b: 'from v1', c: 'from v1 then v2' },
    });
  });
});

describe('the upcaster tables', () => {
  it('cover every version below the current one of every bucket event, and nothing else', () => {
    expect(upcasterTableDefects(EVENT_SCHEMA_VERSIONS, BUCKET_EVENT_UPCASTERS)).toEqual([]);
  });

  it('cover every version below the current one of every identity event, and nothing else', () => {
    expect(upcasterTableDefects(IDENTITY_EVENT_SCHEMA_VERSIONS, IDENTITY_EVENT_UPCASTERS)).toEqual([]);
  });

  it('read a v1 user, key or user policy event as the default account\'s', () => {
    const v1 = { id: 'e', type: 'UserPolicyPut', schemaVersion: 1, time: '2025-01-01T00:00:00.000Z', principal: { accessKeyId: 'K', arn: 'arn:aws:iam::000000000000:root' }, subject: 'user/alice', data: { userName: 'alice', policyName: 'p', policyDocument: '{}', putAt: '2025-01-01T00:00:00.000Z' } };
    const { event, envelope } = decodeIdentityRecord(JSON.stringify(v1), { partition: 0, offset: 7 });
    expect(envelope.schemaVersion).toBe(2);
    expect(event.data).toEqual({ ...v1.data, accountId: '000000000000' });
  });

  it('name a missing step, an unreachable step and an unknown type', () => {
    const noop = (d: Readonly<Record<string, unknown>>) => ({ ...d });
    expect(upcasterTableDefects({ A: 3, B: 1 }, { A: { 2: noop }, B: { 1: noop }, C: { 1: noop } })).toEqual([
      'A: no upcaster from version 1',
      'B: upcaster from version 1 is unreachable (current is 1)',
      'C: upcasters for an unknown event type',
    ]);
  });

  it('make a v1 envelope of the log into the shape the code types describe', () => {
    const env: EventEnvelope = decodeRecord(json(storedV1), position).envelope;
    expect(env.type === 'ObjectStored' && (env.data as { storageClass: string }).storageClass).toBe('STANDARD');
  });
});
