import { deciderSpec } from '../../test/support/decider-spec.js';
import { decideBucket } from './bucket.decider.js';
import type { BucketCreated, BucketObjectLockConfigured, BucketVersioningConfigured } from './bucket.events.js';
import { decideObjectLock, type ConfigureObjectLock, type PutObjectLegalHold, type PutObjectRetention } from './object-lock.decider.js';
import type { DefaultRetention, ObjectRetention } from './object-lock.js';
import { decideDeletions, decideObject, type DeleteObject, type PutObject } from './object.decider.js';
import { decideMultipart, type CompleteMultipartUpload, type CreateMultipartUpload } from './multipart.decider.js';
import type { ObjectLegalHoldPut, ObjectRetentionPut, ObjectStored } from './object.events.js';
import { evolve, initialBucketStream } from './bucket-stream.state.js';
import type { SedimentEvent } from './sediment-event.js';

const now = new Date('2026-12-07T10:00:00.000Z');
const later = (days: number) => new Date(now.getTime() + days * 86_400_000);
const at = now.toISOString();
const lockSpec = deciderSpec(decideObjectLock);
const objectSpec = deciderSpec(decideObject);
const bucketSpec = deciderSpec(decideBucket);

const created: BucketCreated = {
  type: 'BucketCreated',
  data: { bucket: 'vault', bucketId: 'b-1', owner: 'owner-a', ownerDisplayName: 'root', region: 'us-east-1', createdAt: at },
};
const versioned: BucketVersioningConfigured = { type: 'BucketVersioningConfigured', data: { bucket: 'vault', bucketId: 'b-1', status: 'Enabled', configuredAt: at } };
const lockConfigured = (defaultRetention: DefaultRetention | null = null): BucketObjectLockConfigured => ({
  type: 'BucketObjectLockConfigured',
  data: { bucket: 'vault', bucketId: 'b-1', defaultRetention, configuredAt: at },
});
const configure = (defaultRetention: DefaultRetention | null): ConfigureObjectLock => ({ type: 'ConfigureObjectLock', data: { bucket: 'vault', defaultRetention }, metadata: { now } });
const retention = (mode: ObjectRetention['mode'], days: number): ObjectRetention => ({ mode, retainUntil: later(days).toISOString() });

const put = (lock?: PutObject['lock'], integrityChecked = true, when = now): PutObject => ({
  type: 'PutObject',
  data: { bucket: 'vault', key: 'backup.tar', objectId: 'o-1', size: 3, etag: '"e"', contentType: 'application/x-tar', userMetadata: [], owner: 'owner-a', ownerDisplayName: 'root' },
  ...(lock ? { lock } : {}),
  integrityChecked,
  metadata: { now: when, newVersionId: 'v-1' },
});
const stored = (lock: Partial<Pick<ObjectStored['data'], 'retention' | 'legalHold'>> = {}, when = now): ObjectStored => ({
  type: 'ObjectStored',
  data: {
    ...put().data,
    bucketId: 'b-1',
    storedAt: when.toISOString(),
    storageClass: 'STANDARD',
    versionId: 'v-1',
    ...lock,
  },
});
const putRetention = (value: ObjectRetention | null, bypassGovernance = false, when = now): PutObjectRetention => ({
  type: 'PutObjectRetention',
  data: { bucket: 'vault', key: 'backup.tar', versionId: 'v-1', retention: value, bypassGovernance },
  metadata: { now: when },
});
const retentionPut = (value: ObjectRetention | null, bypassed = false, when = now): ObjectRetentionPut => ({
  type: 'ObjectRetentionPut',
  data: {
    bucket: 'vault', bucketId: 'b-1', key: 'backup.tar', objectId: 'o-1', versionId: 'v-1', retention: value,
    ...(bypassed ? { bypassedGovernance: true as const } : {}), putAt: when.toISOString(),
  },
});
const putHold = (legalHold: boolean): PutObjectLegalHold => ({ type: 'PutObjectLegalHold', data: { bucket: 'vault', key: 'backup.tar', legalHold }, metadata: { now } });
const holdPut = (legalHold: boolean): ObjectLegalHoldPut => ({
  type: 'ObjectLegalHoldPut',
  data: { bucket: 'vault', bucketId: 'b-1', key: 'backup.tar', objectId: 'o-1', versionId: 'v-1', legalHold, putAt: at },
});
const deleteVersion = (bypassGovernance = false, when = now): DeleteObject => ({
  type: 'DeleteObject',
  data: { bucket: 'vault', key: 'backup.tar', versionId: 'v-1', owner: 'owner-a', ownerDisplayName: 'root', bypassGovernance },
  metadata: { now: when, newVersionId: 'm-1' },
});
const versionDeleted = (when = now): SedimentEvent => ({
  type: 'ObjectDeleted',
  data: { bucket: 'vault', bucketId: 'b-1', key: 'backup.tar', objectId: 'o-1', deletedAt: when.toISOString(), versionId: 'v-1', newestVersionId: null },
});
const locked = [created, versioned, lockConfigured()] as const;

describe('Object Lock decisions', () => {
  describe('the bucket configuration', () => {
    it('creates a bucket with Object Lock versioned and locked from its first events', () => {
      const create = { type: 'CreateBucket' as const, data: { ...created.data, objectLockEnabled: true }, metadata: { now } };
      const { createdAt: _c, ...data } = create.data;
      bucketSpec.given().when({ ...create, data }).then(created, versioned, lockConfigured());
    });
    it('refuses to suspend versioning once Object Lock is enabled', () =>
      bucketSpec.given(...locked).when({ type: 'ConfigureBucketVersioning', data: { bucket: 'vault', status: 'Suspended' }, metadata: { now } }).thenRejects('InvalidBucketState'));
    it('enables Object Lock on a versioned bucket, with a default retention, and replaces it', () => {
      lockSpec.given(created, versioned).when(configure({ mode: 'GOVERNANCE', days: 30 })).then(lockConfigured({ mode: 'GOVERNANCE', days: 30 }));
      lockSpec.given(...locked).when(configure({ mode: 'COMPLIANCE', years: 7 })).then(lockConfigured({ mode: 'COMPLIANCE', years: 7 }));
    });
    it('records nothing for the configuration in force', () => lockSpec.given(...locked).when(configure(null)).then());
    it('refuses a bucket whose versioning is not Enabled', () => {
      lockSpec.given(created).when(configure(null)).thenRejects('InvalidBucketState');
      const suspended = { ...versioned, data: { ...versioned.data, status: 'Suspended' as const } };
      lockSpec.given(created, suspended).when(configure(null)).thenRejects('InvalidBucketState');
    });
    it('refuses a period that is not a whole number of days or years within 100 years', () => {
      for (const bad of [{ days: 0 }, { days: 1.5 }, { days: 36501 }, { years: 101 }, { years: -1 }]) {
        lockSpec.given(...locked).when(configure({ mode: 'GOVERNANCE', ...bad } as DefaultRetention)).thenRejects('InvalidArgument');
      }
    });
  });

  describe('a write', () => {
    it('records the retention and legal hold its headers ask for on the version it creates', () =>
      objectSpec.given(...locked).when(put({ retention: retention('COMPLIANCE', 5), legalHold: true })).then(stored({ retention: retention('COMPLIANCE', 5), legalHold: true })));
    it('gets the default retention, counted from its write, unless it names its own', () => {
      objectSpec.given(created, versioned, lockConfigured({ mode: 'GOVERNANCE', days: 10 })).when(put()).then(stored({ retention: retention('GOVERNANCE', 10) }));
      const years = new Date('2027-12-07T10:00:00.000Z').toISOString();
      objectSpec.given(created, versioned, lockConfigured({ mode: 'COMPLIANCE', years: 1 })).when(put()).then(stored({ retention: { mode: 'COMPLIANCE', retainUntil: years } }));
      objectSpec.given(created, versioned, lockConfigured({ mode: 'GOVERNANCE', days: 10 })).when(put({ retention: retention('COMPLIANCE', 1) })).then(stored({ retention: retention('COMPLIANCE', 1) }));
    });
    it('refuses lock headers in a bucket without Object Lock', () =>
      objectSpec.given(created, versioned).when(put({ legalHold: true })).thenRejects('InvalidRequest'));
    it('refuses a retain-until date that is not in the future', () =>
      objectSpec.given(...locked).when(put({ retention: retention('GOVERNANCE', 0) })).thenRejects('InvalidArgument'));
    it('refuses a locked write without Content-MD5 or a checksum, the default retention included', () => {
      objectSpec.given(...locked).when(put({ legalHold: true }, false)).thenRejects('InvalidRequest');
      objectSpec.given(created, versioned, lockConfigured({ mode: 'GOVERNANCE', days: 1 })).when(put(undefined, false)).thenRejects('InvalidRequest');
      objectSpec.given(...locked).when(put(undefined, false)).then(stored());
    });
  });

  describe('a multipart upload', () => {
    const multipartSpec = deciderSpec(decideMultipart);
    const create = (lock?: CreateMultipartUpload['lock']): CreateMultipartUpload => ({
      type: 'CreateMultipartUpload',
      data: { bucket: 'vault', key: 'big.tar', uploadId: 'u-1', contentType: 't', userMetadata: [], owner: 'owner-a', ownerDisplayName: 'root' },
      ...(lock ? { lock } : {}),
      metadata: { now },
    });
    const initiated = (lock: Pick<ObjectStored['data'], 'retention' | 'legalHold'> = {}): SedimentEvent => ({
      type: 'MultipartUploadInitiated',
      data: { ...create().data, bucketId: 'b-1', initiatedAt: at, ...lock },
    });
    const part: SedimentEvent = {
      type: 'MultipartPartUploaded',
      data: { bucket: 'vault', bucketId: 'b-1', key: 'big.tar', uploadId: 'u-1', partNumber: 1, objectId: 'p-1', size: 1, etag: '"e1"', uploadedAt: at },
    };
    const complete = (when: Date): CompleteMultipartUpload => ({
      type: 'CompleteMultipartUpload',
      data: { bucket: 'vault', key: 'big.tar', uploadId: 'u-1', objectId: 'm-1', parts: [{ partNumber: 1, etag: '"e1"' }] },
      metadata: { now: when, newVersionId: 'v-9' },
    });
    const completedLock = (given: SedimentEvent[], when: Date) => {
      const state = given.reduce(evolve, initialBucketStream());
      const [event] = decideMultipart(complete(when), state);
      const { retention, legalHold } = (event as Extract<SedimentEvent, { type: 'MultipartUploadCompleted' }>).data;
      return { retention, legalHold };
    };
    it('records the lock its headers ask for, checked when it begins', () => {
      multipartSpec.given(...locked).when(create({ retention: retention('COMPLIANCE', 2), legalHold: true })).then(initiated({ retention: retention('COMPLIANCE', 2), legalHold: true }));
      multipartSpec.given(...locked).when(create({ retention: retention('COMPLIANCE', -1) })).thenRejects('InvalidArgument');
      multipartSpec.given(created, versioned).when(create({ legalHold: true })).thenRejects('InvalidRequest');
    });
    it('refuses a part without Content-MD5 or a checksum when the version will be locked', () => {
      const uploadPart = (integrityChecked: boolean) => ({
        type: 'UploadPart' as const,
        data: { bucket: 'vault', key: 'big.tar', uploadId: 'u-1', partNumber: 1, objectId: 'p-1', size: 1, etag: '"e1"', integrityChecked },
        metadata: { now },
      });
      multipartSpec.given(...locked, initiated({ legalHold: true })).when(uploadPart(false)).thenRejects('InvalidRequest');
      multipartSpec.given(created, versioned, lockConfigured({ mode: 'GOVERNANCE', days: 1 }), initiated()).when(uploadPart(false)).thenRejects('InvalidRequest');
      multipartSpec.given(...locked, initiated({ legalHold: true })).when(uploadPart(true)).then(part);
      multipartSpec.given(...locked, initiated()).when(uploadPart(false)).then(part);
    });
    it('gives the completed version the upload’s lock even once its date has passed, else the default retention from the completion', () => {
      expect(completedLock([...locked, initiated({ retention: retention('COMPLIANCE', 2), legalHold: true }), part], later(3))).toEqual({ retention: retention('COMPLIANCE', 2), legalHold: true });
      const withDefault = [created, versioned, lockConfigured({ mode: 'GOVERNANCE', days: 1 }), initiated(), part];
      expect(completedLock(withDefault, later(5))).toEqual({ retention: { mode: 'GOVERNANCE', retainUntil: later(6).toISOString() }, legalHold: undefined });
    });
  });

  describe('PutObjectRetention', () => {
    const withGovernance = [...locked, stored({ retention: retention('GOVERNANCE', 10) })] as const;
    const withCompliance = [...locked, stored({ retention: retention('COMPLIANCE', 10) })] as const;
    it('puts a retention on a version, and extends one', () => {
      lockSpec.given(...locked, stored()).when(putRetention(retention('GOVERNANCE', 3))).then(retentionPut(retention('GOVERNANCE', 3)));
      lockSpec.given(...withCompliance).when(putRetention(retention('COMPLIANCE', 20))).then(retentionPut(retention('COMPLIANCE', 20)));
    });
    it('never shortens, removes or changes the mode of a COMPLIANCE retention, bypass or not', () => {
      for (const weaker of [retention('COMPLIANCE', 5), null, retention('GOVERNANCE', 20)]) {
        lockSpec.given(...withCompliance).when(putRetention(weaker, true)).thenRejects('AccessDenied');
      }
    });
    it('weakens a GOVERNANCE retention only with the bypass, and records that it was bypassed', () => {
      for (const weaker of [retention('GOVERNANCE', 5), null, retention('COMPLIANCE', 20)]) {
        lockSpec.given(...withGovernance).when(putRetention(weaker)).thenRejects('AccessDenied');
        lockSpec.given(...withGovernance).when(putRetention(weaker, true)).then(retentionPut(weaker, true));
      }
    });
    it('lets any retention be replaced once it has expired', () =>
      lockSpec.given(...withCompliance).when(putRetention(retention('GOVERNANCE', 12), false, later(11))).then(retentionPut(retention('GOVERNANCE', 12), false, later(11))));
    it('refuses a date in the past, a bucket without Object Lock, a missing version', () => {
      lockSpec.given(...locked, stored()).when(putRetention(retention('GOVERNANCE', -1))).thenRejects('InvalidArgument');
      lockSpec.given(created, versioned, stored()).when(putRetention(retention('GOVERNANCE', 1))).thenRejects('InvalidRequest');
      lockSpec.given(...locked).when(putRetention(retention('GOVERNANCE', 1))).thenRejects('NoSuchVersion');
    });
  });

  describe('PutObjectLegalHold', () => {
    it('puts a legal hold on and off the current version, recording changes only', () => {
      lockSpec.given(...locked, stored()).when(putHold(true)).then(holdPut(true));
      lockSpec.given(...locked, stored(), holdPut(true)).when(putHold(false)).then(holdPut(false));
      lockSpec.given(...locked, stored()).when(putHold(false)).then(holdPut(false));
      lockSpec.given(...locked, stored(), holdPut(false)).when(putHold(false)).then();
    });
    it('refuses a bucket without Object Lock', () => lockSpec.given(created, versioned, stored()).when(putHold(true)).thenRejects('InvalidRequest'));
  });

  describe('deleting a version', () => {
    it('refuses a version under a legal hold, bypass or not, until it is lifted', () => {
      objectSpec.given(...locked, stored({ legalHold: true })).when(deleteVersion(true)).thenRejects('AccessDenied');
      objectSpec.given(...locked, stored({ legalHold: true }), holdPut(false)).when(deleteVersion()).then(versionDeleted());
    });
    it('refuses a version under COMPLIANCE retention until it expires', () => {
      objectSpec.given(...locked, stored({ retention: retention('COMPLIANCE', 1) })).when(deleteVersion(true)).thenRejects('AccessDenied');
      objectSpec.given(...locked, stored({ retention: retention('COMPLIANCE', 1) })).when(deleteVersion(false, later(1))).then(versionDeleted(later(1)));
    });
    it('removes a version under GOVERNANCE retention only with the bypass', () => {
      objectSpec.given(...locked, stored({ retention: retention('GOVERNANCE', 1) })).when(deleteVersion()).thenRejects('AccessDenied');
      objectSpec.given(...locked, stored({ retention: retention('GOVERNANCE', 1) })).when(deleteVersion(true)).then(versionDeleted());
    });
    it('still lets a delete marker hide a locked version', () => {
      const { versionId: _v, ...data } = deleteVersion().data;
      objectSpec
        .given(...locked, stored({ legalHold: true }))
        .when({ ...deleteVersion(), data })
        .then({ type: 'DeleteMarkerCreated', data: { bucket: 'vault', bucketId: 'b-1', key: 'backup.tar', versionId: 'm-1', owner: 'owner-a', ownerDisplayName: 'root', createdAt: at } });
    });
    it('reports each locked version of a DeleteObjects as refused and deletes the others', () => {
      const state = [...locked, stored({ legalHold: true }), { ...stored(), data: { ...stored().data, key: 'free', versionId: 'v-2' } }].reduce(evolve, initialBucketStream());
      const { events, refusals } = decideDeletions(
        {
          type: 'DeleteObjects',
          data: { bucket: 'vault', objects: [{ key: 'backup.tar', versionId: 'v-1' }, { key: 'free', versionId: 'v-2' }], owner: 'owner-a', ownerDisplayName: 'root' },
          metadata: { now, newVersionId: () => 'm-1' },
        },
        state,
      );
      expect(events.map((e) => [e.type, e.data.key])).toEqual([['ObjectDeleted', 'free']]);
      expect([...refusals].map(([i, error]) => [i, error.code, error.message])).toEqual([[0, 'AccessDenied', 'Access Denied because object protected by object lock.']]);
    });
  });
});
