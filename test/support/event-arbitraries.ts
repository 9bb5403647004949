import fc from 'fast-check';
import type { SedimentEvent, SedimentEventType } from '../../src/bucket-stream/sediment-event.js';
import { unstorableStringReason } from '../../src/event-log/storable.js';
import type { IdentityEvent, IdentityEventType } from '../../src/identity-stream/identity.events.js';

/**
 * Generated event histories for the storability properties (issue #10): every event type of both
 * topics, coherent enough that the projections really write documents (an upload exists before
 * its parts, an object before its tags), with adversarial text wherever a client's input ends up.
 */

/** Characters that break naive code: controls, quotes, separators, the last BMP code points, astral pairs. */
const AWKWARD = ['\u0001', '\u001f', '\u007f', '\t', '\n', '\r', '.', '$', '"', "'", '\\', '/', '%', '&', '<', '>', '{', '}', '\u2028', '\uFEFF', '\uFFFD', '\uFFFE', '\uFFFF', 'é', '中', '😀', '𝄞'];

/** One UTF-16 unit or pair that the read model can store (no NUL, no lone surrogate). */
const storableUnit = fc.oneof(
  fc.constantFrom(...AWKWARD),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }).filter((c) => unstorableStringReason(c) === undefined),
);

/** Text a client could send and Sediment may store. */
export const storableText = (maxLength = 24, minLength = 0) => fc.string({ unit: storableUnit, minLength, maxLength });

/** Text with something the read model cannot store in it: a NUL or a lone surrogate. */
export const unstorableText = fc
  .tuple(storableText(8), fc.constantFrom('\u0000', '\ud800', '\udfff', 'a\u0000'), storableText(8))
  .map(([a, bad, b]) => a + bad + b);

const bucketName = fc.stringMatching(/^[a-z0-9][a-z0-9-]{2,20}[a-z0-9]$/);
const uuid = fc.uuid({ version: 4 });
const isoTime = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
const etag = fc.stringMatching(/^[0-9a-f]{32}$/).map((hex) => `"${hex}"`);
const versionId = fc.stringMatching(/^[A-Za-z0-9_-]{32}$/);
const size = fc.nat({ max: 5 * 1024 ** 3 });
const checksum = fc.record({ algorithm: fc.constantFrom('CRC32' as const, 'CRC32C' as const, 'SHA256' as const), value: fc.base64String({ minLength: 8, maxLength: 44 }) });

/** The arbitraries every generated history draws its client-controlled text from. */
export interface TextArbitraries {
  key: fc.Arbitrary<string>;
  text: fc.Arbitrary<string>;
}

export const STORABLE: TextArbitraries = { key: storableText(64, 1), text: storableText(24) };

/**
 * A bucket's whole life, touching every bucket-topic event type in an order the projection
 * applies for real: the bucket, its configurations, an object (stored, tagged, copied, deleted
 * through a marker), a multipart upload completed and one aborted, and the bucket's deletion.
 */
export function bucketHistory({ key, text }: TextArbitraries = STORABLE): fc.Arbitrary<SedimentEvent[]> {
  return fc
    .record({
      bucket: bucketName,
      bucketId: uuid,
      owner: text,
      ownerName: text,
      keys: fc.tuple(key, key, key),
      ids: fc.tuple(uuid, uuid, uuid, uuid, uuid, uuid),
      uploads: fc.tuple(uuid, uuid),
      versions: fc.tuple(versionId, versionId, versionId),
      times: fc.array(isoTime, { minLength: 17, maxLength: 17 }),
      contentType: text,
      contentHeader: text,
      metadata: fc.array(fc.record({ name: text.filter((s) => s !== ''), value: text }), { maxLength: 3 }),
      tags: fc.array(fc.record({ key: text.filter((s) => s !== ''), value: text }), { maxLength: 3 }),
      corsOrigin: text,
      corsHeader: text,
      ruleId: text,
      topicArn: text,
      prefix: text,
      etags: fc.tuple(etag, etag),
      sizes: fc.tuple(size, size),
      checksum,
    })
    .map((g) => {
      const { bucket, bucketId } = g;
      const [k1, k2, k3] = g.keys;
      const [o1, o2, o3, o4, o5, o6] = g.ids;
      const [u1, u2] = g.uploads;
      const [v1, v2, v3] = g.versions;
      const t = g.times;
      const who = { owner: g.owner, ownerDisplayName: g.ownerName };
      const contentHeaders = { cacheControl: g.contentHeader, contentDisposition: g.contentHeader, expires: g.contentHeader };
      const object = { bucket, bucketId, contentType: g.contentType, userMetadata: g.metadata, ...who, storageClass: 'STANDARD', ...contentHeaders };
      const events: SedimentEvent[] = [
        { type: 'BucketCreated', data: { bucket, bucketId, ...who, region: 'us-east-1', createdAt: t[0]! } },
        {
          type: 'BucketNotificationConfigured',
          data: {
            bucket, bucketId, configuredAt: t[1]!,
            configuration: { topicConfigurations: [{ id: g.ruleId, topicArn: g.topicArn, events: ['s3:ObjectCreated:*'], filter: { prefix: g.prefix, suffix: g.prefix } }] },
          },
        },
        {
          type: 'BucketCorsConfigured',
          data: {
            bucket, bucketId, configuredAt: t[2]!,
            configuration: { rules: [{ id: g.ruleId, allowedMethods: ['GET'], allowedOrigins: [g.corsOrigin], allowedHeaders: [g.corsHeader], exposeHeaders: [g.corsHeader], maxAgeSeconds: 60 }] },
          },
        },
        { type: 'BucketTaggingConfigured', data: { bucket, bucketId, tags: g.tags.length > 0 ? g.tags : null, configuredAt: t[2]! } },
        {
          type: 'BucketPublicAccessBlockConfigured',
          data: { bucket, bucketId, configuredAt: t[2]!, publicAccessBlock: { blockPublicAcls: true, ignorePublicAcls: false, blockPublicPolicy: true, restrictPublicBuckets: false } },
        },
        { type: 'BucketOwnershipControlsConfigured', data: { bucket, bucketId, objectOwnership: 'BucketOwnerPreferred', configuredAt: t[2]! } },
        {
          type: 'BucketLifecycleConfigured',
          data: {
            bucket, bucketId, configuredAt: t[2]!,
            configuration: {
              rules: [
                { id: g.ruleId, status: 'Enabled', filter: { prefix: g.prefix, tags: g.tags }, expiration: { days: 1 } },
                { id: `${g.ruleId}-legacy`, status: 'Disabled', filter: { prefix: g.prefix }, legacyPrefix: true, expiration: { days: 2 } },
              ],
            },
          },
        },
        { type: 'BucketVersioningConfigured', data: { bucket, bucketId, status: 'Enabled', configuredAt: t[3]! } },
        { type: 'BucketObjectLockConfigured', data: { bucket, bucketId, defaultRetention: { mode: 'GOVERNANCE', days: 1 }, configuredAt: t[3]! } },
        {
          type: 'ObjectStored',
          data: {
            ...object, key: k1, objectId: o1, size: g.sizes[0], etag: g.etags[0], storedAt: t[4]!, versionId: v1, tags: g.tags,
            checksum: { ...g.checksum, type: 'FULL_OBJECT' }, retention: { mode: 'COMPLIANCE', retainUntil: t[5]! }, legalHold: true,
          },
        },
        { type: 'ObjectRetentionPut', data: { bucket, bucketId, key: k1, objectId: o1, versionId: v1, retention: { mode: 'GOVERNANCE', retainUntil: t[6]! }, putAt: t[5]! } },
        { type: 'ObjectRetentionPut', data: { bucket, bucketId, key: k1, objectId: o1, versionId: v1, retention: null, bypassedGovernance: true, putAt: t[5]! } },
        { type: 'ObjectLegalHoldPut', data: { bucket, bucketId, key: k1, objectId: o1, versionId: v1, legalHold: false, putAt: t[5]! } },
        {
          type: 'ObjectAclPut',
          data: {
            bucket, bucketId, key: k1, objectId: o1, versionId: v1, putAt: t[5]!,
            grants: [
              { grantee: { type: 'CanonicalUser', id: object.owner, displayName: object.ownerDisplayName }, permission: 'FULL_CONTROL' },
              { grantee: { type: 'Group', uri: 'http://acs.amazonaws.com/groups/global/AllUsers' }, permission: 'READ' },
            ],
          },
        },
        { type: 'ObjectTaggingPut', data: { bucket, bucketId, key: k1, objectId: o1, tags: g.tags, taggedAt: t[5]!, versionId: v1 } },
        { type: 'ObjectTaggingDeleted', data: { bucket, bucketId, key: k1, objectId: o1, deletedAt: t[6]!, versionId: v1 } },
        {
          type: 'ObjectCopied',
          data: { ...object, key: k2, objectId: o1, size: g.sizes[0], etag: g.etags[0], storedAt: t[7]!, versionId: v2, sourceBucket: bucket, sourceKey: k1, sourceVersionId: v1 },
        },
        { type: 'DeleteMarkerCreated', data: { bucket, bucketId, key: k2, versionId: v3, ...who, createdAt: t[8]! } },
        { type: 'DeleteMarkerRemoved', data: { bucket, bucketId, key: k2, versionId: v3, removedAt: t[9]!, newestVersionId: v2 } },
        {
          type: 'MultipartUploadInitiated',
          data: { bucket, bucketId, key: k3, uploadId: u1, contentType: g.contentType, userMetadata: g.metadata, ...who, initiatedAt: t[10]!, tags: g.tags, checksumAlgorithm: 'CRC32', checksumType: 'COMPOSITE', retention: { mode: 'GOVERNANCE', retainUntil: t[11]! }, legalHold: true, acl: { canned: 'public-read' }, ...contentHeaders },
        },
        {
          type: 'MultipartPartUploaded',
          data: { bucket, bucketId, key: k3, uploadId: u1, partNumber: 1, objectId: o2, size: g.sizes[1], etag: g.etags[1], uploadedAt: t[11]!, checksum: g.checksum },
        },
        {
          type: 'MultipartUploadCompleted',
          data: {
            ...object, key: k3, uploadId: u1, objectId: o3, size: g.sizes[1], etag: `${g.etags[1].slice(0, -1)}-1"`, storedAt: t[12]!,
            parts: [{ partNumber: 1, objectId: o2, size: g.sizes[1], etag: g.etags[1] }], discardedObjectIds: [o4], tags: g.tags,
            retention: { mode: 'GOVERNANCE', retainUntil: t[11]! }, legalHold: true,
          },
        },
        {
          type: 'MultipartUploadInitiated',
          data: {
            bucket, bucketId, key: k3, uploadId: u2, contentType: g.contentType, userMetadata: g.metadata, ...who, initiatedAt: t[13]!,
            acl: { grants: [{ grantee: { type: 'CanonicalUser', id: object.owner, displayName: object.ownerDisplayName }, permission: 'FULL_CONTROL' }, { grantee: { type: 'Group', uri: 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers' }, permission: 'READ' }] },
          },
        },
        { type: 'MultipartUploadAborted', data: { bucket, bucketId, key: k3, uploadId: u2, discardedObjectIds: [o5, o6], abortedAt: t[14]! } },
        { type: 'ObjectDeleted', data: { bucket, bucketId, key: k1, objectId: o1, deletedAt: t[15]!, versionId: v1, newestVersionId: null } },
        { type: 'BucketDeleted', data: { bucket, bucketId, deletedAt: t[16]! } },
      ];
      return events;
    });
}

/** A user's whole life and a bucket's access control: every identity-topic event type. */
export function identityHistory({ text }: TextArbitraries = STORABLE): fc.Arbitrary<IdentityEvent[]> {
  return fc
    .record({
      userName: text.filter((s) => s !== '' && !s.includes('/')),
      policyName: text.filter((s) => s !== '' && !s.includes('/')),
      document: text,
      path: text,
      bucket: bucketName,
      bucketId: uuid,
      accessKeyId: fc.stringMatching(/^AKIA[A-Z0-9]{16}$/),
      accountName: text.filter((s) => s !== ''),
      times: fc.array(isoTime, { minLength: 12, maxLength: 12 }),
    })
    .map((g): IdentityEvent[] => {
      const t = g.times;
      const secret = { alg: 'AES-256-GCM' as const, keyId: 'k1', iv: 'aXY=', ciphertext: 'Y3Q=', tag: 'dGFn' };
      return [
        {
          type: 'AccountCreated',
          data: { accountId: '111122223333', name: g.accountName, canonicalId: 'c'.repeat(64), rootAccessKeyId: 'AKIAROOT000000000001', rootSecret: secret, createdAt: t[10]! },
        },
        { type: 'UserCreated', data: { accountId: '000000000000', userName: g.userName, userId: 'AIDA0000000000000001', arn: `arn:aws:iam::000000000000:user${g.path}`, path: g.path, createdAt: t[0]! } },
        { type: 'AccessKeyCreated', data: { accountId: '000000000000', userName: g.userName, accessKeyId: g.accessKeyId, status: 'Active', secret, createdAt: t[1]! } },
        { type: 'AccessKeyStatusChanged', data: { accountId: '000000000000', userName: g.userName, accessKeyId: g.accessKeyId, status: 'Inactive', changedAt: t[2]! } },
        { type: 'UserPolicyPut', data: { accountId: '000000000000', userName: g.userName, policyName: g.policyName, policyDocument: g.document, putAt: t[3]! } },
        { type: 'BucketPolicyPut', data: { bucket: g.bucket, bucketId: g.bucketId, policy: g.document, putAt: t[4]! } },
        { type: 'BucketAclPut', data: { bucket: g.bucket, bucketId: g.bucketId, acl: 'public-read', putAt: t[5]! } },
        {
          type: 'BucketAclGrantsPut',
          data: {
            bucket: g.bucket, bucketId: g.bucketId, putAt: t[5]!,
            grants: [{ grantee: { type: 'CanonicalUser', id: 'c'.repeat(64), displayName: g.accountName }, permission: 'READ' }],
          },
        },
        { type: 'BucketPolicyDeleted', data: { bucket: g.bucket, bucketId: g.bucketId, deletedAt: t[6]! } },
        { type: 'UserPolicyDeleted', data: { accountId: '000000000000', userName: g.userName, policyName: g.policyName, deletedAt: t[7]! } },
        { type: 'AccessKeyDeleted', data: { accountId: '000000000000', userName: g.userName, accessKeyId: g.accessKeyId, deletedAt: t[8]! } },
        { type: 'UserDeleted', data: { accountId: '000000000000', userName: g.userName, userId: 'AIDA0000000000000001', deletedAt: t[9]! } },
        { type: 'AccountDeleted', data: { accountId: '111122223333', deletedAt: t[11]! } },
      ];
    });
}

/** The event types a history covers, to check it covers them all. */
export function typesOf(events: ReadonlyArray<{ type: string }>): Set<string> {
  return new Set(events.map((e) => e.type));
}

export type { SedimentEventType, IdentityEventType };
