import { Crc32c } from '@aws-crypto/crc32c';
import { createHash } from 'node:crypto';
import { deciderSpec } from '../../test/support/decider-spec.js';
import { evolve, initialBucketStream } from './bucket-stream.state.js';
import type { BucketCreated, BucketDeleted } from './bucket.events.js';
import {
  decideCompletion,
  decideMultipart,
  MIN_PART_SIZE,
  multipartEtag,
  type AbortMultipartUpload,
  type CompleteMultipartUpload,
  type CreateMultipartUpload,
  type UploadPart,
} from './multipart.decider.js';
import type {
  MultipartPartUploaded,
  MultipartUploadAborted,
  MultipartUploadCompleted,
  MultipartUploadInitiated,
} from './multipart.events.js';
import type { ObjectAclPut, ObjectDeleted, ObjectStored } from './object.events.js';
import { ALL_USERS_GROUP, type AclGrant } from '../identity-stream/canned-acl.js';
import type { SedimentEvent } from './sediment-event.js';

const now = new Date('2026-11-27T10:00:00.000Z');
const at = now.toISOString();
const spec = deciderSpec(decideMultipart);
const MiB5 = MIN_PART_SIZE;

const created: BucketCreated = {
  type: 'BucketCreated',
  data: { bucket: 'docs', bucketId: 'b-1', owner: 'owner-a', ownerDisplayName: 'root', region: 'us-east-1', createdAt: at },
};
const create: CreateMultipartUpload = {
  type: 'CreateMultipartUpload',
  data: { bucket: 'docs', key: 'big.bin', uploadId: 'u-1', contentType: 'video/mp4', userMetadata: [{ name: 'a', value: 'b' }], owner: 'owner-a', ownerDisplayName: 'root' },
  metadata: { now },
};
const initiated: MultipartUploadInitiated = {
  type: 'MultipartUploadInitiated',
  data: { ...create.data, bucketId: 'b-1', initiatedAt: at },
};
const md5 = (n: number) => createHash('md5').update(String(n)).digest('hex');
const upload = (partNumber: number, objectId: string, size = MiB5, uploadId = 'u-1'): UploadPart => ({
  type: 'UploadPart',
  data: { bucket: 'docs', key: 'big.bin', uploadId, partNumber, objectId, size, etag: `"${md5(size + partNumber)}"` },
  metadata: { now },
});
const uploaded = (partNumber: number, objectId: string, size = MiB5, replacedObjectId?: string): MultipartPartUploaded => ({
  type: 'MultipartPartUploaded',
  data: { ...upload(partNumber, objectId, size).data, bucketId: 'b-1', uploadedAt: at, ...(replacedObjectId ? { replacedObjectId } : {}) },
});
const complete = (...parts: [number, string][]): CompleteMultipartUpload => ({
  type: 'CompleteMultipartUpload',
  data: { bucket: 'docs', key: 'big.bin', uploadId: 'u-1', objectId: 'm-1', parts: parts.map(([partNumber, etag]) => ({ partNumber, etag })) },
  metadata: { now, newVersionId: 'v-new' },
});
const abort: AbortMultipartUpload = { type: 'AbortMultipartUpload', data: { bucket: 'docs', key: 'big.bin', uploadId: 'u-1' }, metadata: { now } };
const etagOf = (e: MultipartPartUploaded) => e.data.etag;

describe('multipart decider', () => {
  describe('CreateMultipartUpload', () => {
    it('initiates an upload', () => spec.given(created).when(create).then(initiated));
    it('records the tags the object will get', () => {
      const tags = [{ key: 'project', value: 'blue' }];
      spec.given(created).when({ ...create, data: { ...create.data, tags } }).then({ ...initiated, data: { ...initiated.data, tags } });
    });
    it('records the content headers the completed object gets', () => {
      const headers = { cacheControl: 'no-cache', contentDisposition: 'attachment', contentEncoding: 'br', contentLanguage: 'ja', expires: '0' };
      spec.given(created).when({ ...create, data: { ...create.data, ...headers } }).then({ ...initiated, data: { ...initiated.data, ...headers } });
    });
    it('refuses a missing bucket', () => spec.given().when(create).thenRejects('NoSuchBucket'));
  });

  describe('UploadPart', () => {
    it('records a part', () => spec.given(created, initiated).when(upload(1, 'p-1')).then(uploaded(1, 'p-1')));
    it('replaces a part uploaded again under the same number', () =>
      spec.given(created, initiated, uploaded(1, 'p-1')).when(upload(1, 'p-2')).then(uploaded(1, 'p-2', MiB5, 'p-1')));
    it.each([0, 10_001, 1.5, -1])('refuses part number %p with InvalidArgument', (n) =>
      spec.given(created, initiated).when(upload(n, 'p-1')).thenRejects('InvalidArgument'));
    it('accepts part number 10000', () => {
      spec.given(created, initiated).when(upload(10_000, 'p-1')).then(uploaded(10_000, 'p-1'));
    });
    it('refuses an unknown upload', () => spec.given(created).when(upload(1, 'p-1')).thenRejects('NoSuchUpload'));
    it('refuses an upload of another key', () =>
      spec.given(created, initiated).when({ ...upload(1, 'p-1'), data: { ...upload(1, 'p-1').data, key: 'other' } }).thenRejects('NoSuchUpload'));
    it('refuses an aborted upload', () =>
      spec.given(created, initiated, aborted([])).when(upload(1, 'p-1')).thenRejects('NoSuchUpload'));
  });

  const two = [uploaded(1, 'p-1'), uploaded(2, 'p-2', 100)] as const;
  const completed = (extra: Partial<MultipartUploadCompleted['data']> = {}): MultipartUploadCompleted => ({
    type: 'MultipartUploadCompleted',
    data: {
      bucket: 'docs', bucketId: 'b-1', key: 'big.bin', uploadId: 'u-1', objectId: 'm-1', size: MiB5 + 100,
      etag: multipartEtag([etagOf(two[0]), etagOf(two[1])]),
      parts: [
        { partNumber: 1, objectId: 'p-1', size: MiB5, etag: etagOf(two[0]) },
        { partNumber: 2, objectId: 'p-2', size: 100, etag: etagOf(two[1]) },
      ],
      contentType: 'video/mp4', userMetadata: [{ name: 'a', value: 'b' }], owner: 'owner-a', ownerDisplayName: 'root',
      storageClass: 'STANDARD', storedAt: at, discardedObjectIds: [], ...extra,
    },
  });
  function aborted(discardedObjectIds: string[]): MultipartUploadAborted {
    return { type: 'MultipartUploadAborted', data: { bucket: 'docs', bucketId: 'b-1', key: 'big.bin', uploadId: 'u-1', discardedObjectIds, abortedAt: at } };
  }

  describe('content headers', () => {
    const headers = { cacheControl: 'max-age=3600', contentDisposition: 'attachment; filename="big.bin"', contentEncoding: 'gzip', contentLanguage: 'en', expires: 'Wed, 01 Dec 2094 16:00:00 GMT' };
    const done = complete([1, etagOf(two[0])], [2, etagOf(two[1])]);
    it("gives the completed object the upload's content headers, and none to one initiated without them", () => {
      spec.given(created, { ...initiated, data: { ...initiated.data, ...headers } }, ...two).when(done).then(completed(headers));
      spec.given(created, initiated, ...two).when(done).then(completed());
    });
  });

  describe('ACLs and Object Ownership', () => {
    const ownership = (objectOwnership: 'BucketOwnerEnforced' | 'BucketOwnerPreferred' | 'ObjectWriter'): SedimentEvent => ({
      type: 'BucketOwnershipControlsConfigured',
      data: { bucket: 'docs', bucketId: 'b-1', objectOwnership, configuredAt: at },
    });
    const byOther = { owner: 'writer-b', ownerDisplayName: 'team-b' };
    const otherInitiated: MultipartUploadInitiated = { ...initiated, data: { ...initiated.data, ...byOther } };
    it('gives the bucket owner what another account uploads under BucketOwnerEnforced, the writer under ObjectWriter', () => {
      spec.given(created, ownership('BucketOwnerEnforced'), otherInitiated, ...two).when(complete([1, etagOf(two[0])], [2, etagOf(two[1])])).then(completed());
      spec.given(created, ownership('ObjectWriter'), otherInitiated, ...two).when(complete([1, etagOf(two[0])], [2, etagOf(two[1])])).then(completed(byOther));
    });
    it("accepts the owner's own ACL under BucketOwnerEnforced and refuses any other with AccessControlListNotSupported", () => {
      spec.given(created, ownership('BucketOwnerEnforced')).when({ ...create, acl: { canned: 'bucket-owner-full-control' } }).then(
        { ...initiated, data: { ...initiated.data, acl: { canned: 'bucket-owner-full-control' } } },
      );
      spec.given(created, ownership('BucketOwnerEnforced')).when({ ...create, acl: { canned: 'public-read' } }).thenRejects('AccessControlListNotSupported');
      const other = { ...create, data: { ...create.data, ...byOther } };
      spec.given(created, ownership('BucketOwnerEnforced')).when({ ...other, acl: { canned: 'public-read' } }).thenRejects('AccessControlListNotSupported');
    });
    it('records the ACL asked for on the upload, and nothing for private', () => {
      spec.given(created, ownership('ObjectWriter')).when({ ...create, acl: { canned: 'private' } }).then(initiated);
      spec.given(created, ownership('ObjectWriter')).when({ ...create, acl: { canned: 'public-read' } }).then({ ...initiated, data: { ...initiated.data, acl: { canned: 'public-read' } } });
    });
    it('refuses a public ACL under BlockPublicAcls when the upload begins', () => {
      const blocked: SedimentEvent = { type: 'BucketPublicAccessBlockConfigured', data: { bucket: 'docs', bucketId: 'b-1', publicAccessBlock: { blockPublicAcls: true, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: false }, configuredAt: at } };
      spec.given(created, blocked).when({ ...create, acl: { canned: 'public-read' } }).thenRejects('AccessDenied');
    });

    const aclPut = (grants: AclGrant[]): ObjectAclPut => ({
      type: 'ObjectAclPut',
      data: { bucket: 'docs', bucketId: 'b-1', key: 'big.bin', objectId: 'm-1', versionId: 'null', grants, putAt: at },
    });
    const withAcl = (event: MultipartUploadInitiated, acl: MultipartUploadInitiated['data']['acl']): MultipartUploadInitiated => ({ ...event, data: { ...event.data, acl } });
    const fullControl = (id: string, displayName: string): AclGrant => ({ grantee: { type: 'CanonicalUser', id, displayName }, permission: 'FULL_CONTROL' });
    const done = complete([1, etagOf(two[0])], [2, etagOf(two[1])]);

    it("records the upload's ACL right after its completion", () => {
      spec.given(created, withAcl(initiated, { canned: 'public-read' }), ...two).when(done).then(
        completed(),
        aclPut([fullControl('owner-a', 'root'), { grantee: { type: 'Group', uri: ALL_USERS_GROUP }, permission: 'READ' }]),
      );
      const grants: AclGrant[] = [fullControl('owner-a', 'root'), { grantee: { type: 'CanonicalUser', id: 'writer-b', displayName: 'team-b' }, permission: 'READ' }];
      spec.given(created, withAcl(initiated, { grants }), ...two).when(done).then(completed(), aclPut(grants));
    });
    it('records no ACL for an upload initiated without one (or with the owner\'s own)', () => {
      spec.given(created, initiated, ...two).when(done).then(completed());
      spec.given(created, withAcl(initiated, { canned: 'bucket-owner-full-control' }), ...two).when(done).then(completed());
    });
    it('gives the bucket owner what another account uploads with bucket-owner-full-control under BucketOwnerPreferred', () => {
      const preferred = ownership('BucketOwnerPreferred');
      spec.given(created, preferred, withAcl(otherInitiated, { canned: 'bucket-owner-full-control' }), ...two).when(done).then(completed());
      spec.given(created, preferred, withAcl(otherInitiated, { canned: 'bucket-owner-read' }), ...two).when(done).then(
        completed(byOther),
        aclPut([fullControl('writer-b', 'team-b'), { grantee: { type: 'CanonicalUser', id: 'owner-a', displayName: 'root' }, permission: 'READ' }]),
      );
    });
    it('gives the writer the object and the bucket owner FULL_CONTROL for bucket-owner-full-control under ObjectWriter', () =>
      spec.given(created, ownership('ObjectWriter'), withAcl(otherInitiated, { canned: 'bucket-owner-full-control' }), ...two).when(done).then(
        completed(byOther),
        aclPut([fullControl('writer-b', 'team-b'), fullControl('owner-a', 'root')]),
      ));
    it('records no ACL when ACLs were turned off while the upload was in progress', () =>
      spec.given(created, withAcl(otherInitiated, { canned: 'public-read' }), ownership('BucketOwnerEnforced'), ...two).when(done).then(completed()));
  });

  describe('CompleteMultipartUpload', () => {
    it('yields the object as a manifest of its parts', () =>
      spec.given(created, initiated, ...two).when(complete([1, etagOf(two[0])], [2, etagOf(two[1])])).then(completed()));
    it('gives the object the tags of the upload', () => {
      const tags = [{ key: 'project', value: 'blue' }];
      const tagged: MultipartUploadInitiated = { ...initiated, data: { ...initiated.data, tags } };
      spec.given(created, tagged, ...two).when(complete([1, etagOf(two[0])], [2, etagOf(two[1])])).then(completed({ tags }));
    });
    it('accepts ETags without quotes', () =>
      spec.given(created, initiated, ...two).when(complete([1, etagOf(two[0]).slice(1, -1)], [2, etagOf(two[1])])).then(completed()));
    it('records the object it replaced', () => {
      const old: ObjectStored = {
        type: 'ObjectStored',
        data: { bucket: 'docs', bucketId: 'b-1', key: 'big.bin', objectId: 'o-0', size: 1, etag: '"x"', contentType: 'a/b', userMetadata: [], owner: 'owner-a', ownerDisplayName: 'root', storedAt: at, storageClass: 'STANDARD' },
      };
      spec.given(created, old, initiated, ...two).when(complete([1, etagOf(two[0])], [2, etagOf(two[1])])).then(completed({ replacedObjectId: 'o-0' }));
    });
    it('discards parts not listed', () => {
      const third = uploaded(3, 'p-3', 7);
      spec.given(created, initiated, ...two, third).when(complete([1, etagOf(two[0])], [2, etagOf(two[1])])).then(completed({ discardedObjectIds: ['p-3'] }));
    });
    it('allows a last part under 5 MiB, and a single small part', () => {
      const small = uploaded(1, 'p-1', 3);
      spec.given(created, initiated, small).when(complete([1, etagOf(small)])).then({
        type: 'MultipartUploadCompleted',
        data: { ...completed().data, size: 3, etag: multipartEtag([etagOf(small)]), parts: [{ partNumber: 1, objectId: 'p-1', size: 3, etag: etagOf(small) }] },
      });
    });
    it('refuses a part under 5 MiB that is not the last with EntityTooSmall', () => {
      const small = [uploaded(1, 'p-1', MiB5 - 1), uploaded(2, 'p-2', 100)];
      spec.given(created, initiated, ...small).when(complete([1, etagOf(small[0]!)], [2, etagOf(small[1]!)])).thenRejects('EntityTooSmall');
    });
    it('refuses a part never uploaded with InvalidPart', () =>
      spec.given(created, initiated, ...two).when(complete([1, etagOf(two[0])], [3, etagOf(two[1])])).thenRejects('InvalidPart'));
    it('refuses a mismatched ETag with InvalidPart', () =>
      spec.given(created, initiated, ...two).when(complete([1, etagOf(two[0])], [2, '"0000"'])).thenRejects('InvalidPart'));
    it('refuses parts out of order with InvalidPartOrder', () =>
      spec.given(created, initiated, ...two).when(complete([2, etagOf(two[1])], [1, etagOf(two[0])])).thenRejects('InvalidPartOrder'));
    it('refuses a part listed twice with InvalidPartOrder', () =>
      spec.given(created, initiated, ...two).when(complete([1, etagOf(two[0])], [1, etagOf(two[0])])).thenRejects('InvalidPartOrder'));
    it('refuses an unknown upload', () => spec.given(created).when(complete([1, '"x"'])).thenRejects('NoSuchUpload'));
  });

  describe('CompleteMultipartUpload sent again (a client retrying after a timeout)', () => {
    const same = complete([1, etagOf(two[0])], [2, etagOf(two[1])]);
    const retried = (...past: SedimentEvent[]) => decideCompletion(same, past.reduce(evolve, initialBucketStream()));
    const originally = { outcome: 'alreadyCompleted', completion: { bucketId: 'b-1', key: 'big.bin', etag: completed().data.etag, partsFingerprint: expect.any(String) } };

    it('records nothing for a retry with the same part list', () => spec.given(created, initiated, ...two, completed()).when(same).then());
    it('answers the retry with the result of the completion', () => expect(retried(created, initiated, ...two, completed())).toEqual(originally));
    it('answers with the version the completion created, and its checksum', () => {
      const checksum = { algorithm: 'CRC32C' as const, value: 'AAAAAA==-2', type: 'COMPOSITE' as const };
      expect(retried(created, initiated, ...two, completed({ versionId: 'v-1', checksum }))).toEqual({
        outcome: 'alreadyCompleted',
        completion: { ...originally.completion, versionId: 'v-1', checksum },
      });
    });
    it('accepts the part ETags quoted or not, as the first request did', () => {
      const unquoted = complete([1, etagOf(two[0]).slice(1, -1)], [2, etagOf(two[1]).toUpperCase()]);
      spec.given(created, initiated, ...two, completed()).when(unquoted).then();
    });
    it('answers a retry even with a write condition that no longer holds (the condition held when it completed)', () =>
      spec.given(created, initiated, ...two, completed()).when({ ...same, condition: { ifNoneMatch: '*' } }).then());
    it('still answers after the object was overwritten or deleted: the upload did complete', () => {
      const overwritten: ObjectStored = {
        type: 'ObjectStored',
        data: { bucket: 'docs', bucketId: 'b-1', key: 'big.bin', objectId: 'o-9', size: 1, etag: '"x"', contentType: 'a/b', userMetadata: [], owner: 'owner-a', ownerDisplayName: 'root', storedAt: at, storageClass: 'STANDARD', replacedObjectId: 'm-1' },
      };
      const deleted: ObjectDeleted = { type: 'ObjectDeleted', data: { bucket: 'docs', bucketId: 'b-1', key: 'big.bin', objectId: 'm-1', deletedAt: at } };
      expect(retried(created, initiated, ...two, completed(), overwritten)).toEqual(originally);
      expect(retried(created, initiated, ...two, completed(), deleted)).toEqual(originally);
      spec.given(created, initiated, ...two, completed(), deleted).when(same).then();
    });
    it('refuses another part list with NoSuchUpload: the object is not made of those parts', () => {
      spec.given(created, initiated, ...two, completed()).when(complete([1, etagOf(two[0])])).thenRejects('NoSuchUpload');
      spec.given(created, initiated, ...two, completed()).when(complete([1, etagOf(two[0])], [2, '"0000"'])).thenRejects('NoSuchUpload');
      spec.given(created, initiated, ...two, completed()).when(complete([1, etagOf(two[0])], [3, etagOf(two[1])])).thenRejects('NoSuchUpload');
    });
    it('refuses the upload id under another key', () =>
      spec.given(created, initiated, ...two, completed()).when({ ...same, data: { ...same.data, key: 'other' } }).thenRejects('NoSuchUpload'));
    it('refuses it once the bucket was deleted and created again', () => {
      const deletedBucket: BucketDeleted = { type: 'BucketDeleted', data: { bucket: 'docs', bucketId: 'b-1', deletedAt: at } };
      const again: BucketCreated = { ...created, data: { ...created.data, bucketId: 'b-2' } };
      spec.given(created, initiated, ...two, completed(), deletedBucket, again).when(same).thenRejects('NoSuchUpload');
    });
    it('refuses an aborted upload', () => spec.given(created, initiated, ...two, aborted(['p-1', 'p-2'])).when(same).thenRejects('NoSuchUpload'));
  });

  describe('checksums', () => {
    const crc32c = (text: string) => {
      const c = new Crc32c().update(Buffer.from(text)).digest();
      return Buffer.from(c.toString(16).padStart(8, '0'), 'hex').toString('base64');
    };
    const withAlgorithm: MultipartUploadInitiated = { ...initiated, data: { ...initiated.data, checksumAlgorithm: 'CRC32C', checksumType: 'COMPOSITE' } };
    const withChecksum = (command: UploadPart, value: string): UploadPart => ({ ...command, data: { ...command.data, checksum: { algorithm: 'CRC32C', value } } });
    const parts = [
      { ...uploaded(1, 'p-1'), data: { ...uploaded(1, 'p-1').data, checksum: { algorithm: 'CRC32C' as const, value: crc32c('one') } } },
      { ...uploaded(2, 'p-2', 100), data: { ...uploaded(2, 'p-2', 100).data, checksum: { algorithm: 'CRC32C' as const, value: crc32c('two') } } },
    ];
    const completeWith = (values: (string | undefined)[]): CompleteMultipartUpload => {
      const c = complete([1, etagOf(two[0])], [2, etagOf(two[1])]);
      return { ...c, data: { ...c.data, parts: c.data.parts.map((p, i) => (values[i] ? { ...p, checksums: { CRC32C: values[i] } } : p)) } };
    };

    it('CreateMultipartUpload records the algorithm and type', () =>
      spec.given(created).when({ ...create, data: { ...create.data, checksumAlgorithm: 'CRC32C', checksumType: 'COMPOSITE' } }).then(withAlgorithm));
    it('UploadPart records the part checksum', () =>
      spec.given(created, withAlgorithm).when(withChecksum(upload(1, 'p-1'), crc32c('one'))).then(parts[0]!));
    it('UploadPart refuses a part without the upload algorithm checksum, or with another one', () => {
      spec.given(created, withAlgorithm).when(upload(1, 'p-1')).thenRejects('InvalidRequest');
      const sha1 = { ...upload(1, 'p-1'), data: { ...upload(1, 'p-1').data, checksum: { algorithm: 'SHA1' as const, value: 'x' } } };
      spec.given(created, withAlgorithm).when(sha1).thenRejects('InvalidRequest');
    });
    it('CompleteMultipartUpload yields the COMPOSITE checksum of the part checksums', () => {
      const binary = Buffer.concat([crc32c('one'), crc32c('two')].map((v) => Buffer.from(v, 'base64')));
      const composite = Buffer.from(new Crc32c().update(binary).digest().toString(16).padStart(8, '0'), 'hex').toString('base64');
      spec.given(created, withAlgorithm, ...parts).when(completeWith([crc32c('one'), crc32c('two')])).then(
        completed({ checksum: { algorithm: 'CRC32C', value: `${composite}-2`, type: 'COMPOSITE' } }),
      );
    });
    it('a COMPOSITE completion checks the object checksum the request names, with or without its -<parts> suffix', () => {
      const binary = Buffer.concat([crc32c('one'), crc32c('two')].map((v) => Buffer.from(v, 'base64')));
      const composite = Buffer.from(new Crc32c().update(binary).digest().toString(16).padStart(8, '0'), 'hex').toString('base64');
      const c = completeWith([crc32c('one'), crc32c('two')]);
      const expecting = (value: string) => ({ ...c, data: { ...c.data, expectedChecksum: { algorithm: 'CRC32C' as const, value } } });
      const done = completed({ checksum: { algorithm: 'CRC32C', value: `${composite}-2`, type: 'COMPOSITE' } });
      spec.given(created, withAlgorithm, ...parts).when(expecting(composite)).then(done);
      spec.given(created, withAlgorithm, ...parts).when(expecting(`${composite}-2`)).then(done);
      spec.given(created, withAlgorithm, ...parts).when(expecting(crc32c('x'))).thenRejects('BadDigest');
      spec.given(created, withAlgorithm, ...parts).when(expecting(`${composite}-3`)).thenRejects('BadDigest');
    });
    it('CompleteMultipartUpload refuses a wrong part checksum with InvalidPart, a missing one with InvalidRequest', () => {
      spec.given(created, withAlgorithm, ...parts).when(completeWith([crc32c('one'), crc32c('one')])).thenRejects('InvalidPart');
      spec.given(created, withAlgorithm, ...parts).when(completeWith([crc32c('one'), undefined])).thenRejects('InvalidRequest');
    });
    it('CompleteMultipartUpload refuses another checksum type than the upload one', () => {
      const c = completeWith([crc32c('one'), crc32c('two')]);
      spec.given(created, withAlgorithm, ...parts).when({ ...c, data: { ...c.data, checksumType: 'FULL_OBJECT' } }).thenRejects('InvalidRequest');
    });
    it('a FULL_OBJECT completion checks the whole-object checksum the request names', () => {
      const full: MultipartUploadInitiated = { ...withAlgorithm, data: { ...withAlgorithm.data, checksumType: 'FULL_OBJECT' } };
      const c = completeWith([undefined, undefined]);
      spec.given(created, full, ...parts).when({ ...c, data: { ...c.data, expectedChecksum: { algorithm: 'CRC32C', value: crc32c('x') } } }).thenRejects('BadDigest');
    });
  });

  describe('AbortMultipartUpload', () => {
    it('aborts and discards the uploaded parts', () => spec.given(created, initiated, ...two).when(abort).then(aborted(['p-1', 'p-2'])));
    it('refuses an unknown upload', () => spec.given(created).when(abort).thenRejects('NoSuchUpload'));
    it('refuses an aborted upload', () => spec.given(created, initiated, aborted([])).when(abort).thenRejects('NoSuchUpload'));
  });

  describe('multipartEtag', () => {
    it('is the MD5 of the concatenated binary part MD5s, then -N', () => {
      // Two parts "a" and "b": md5(md5("a") ‖ md5("b")).
      const a = createHash('md5').update('a').digest();
      const b = createHash('md5').update('b').digest();
      const expected = createHash('md5').update(Buffer.concat([a, b])).digest('hex');
      expect(multipartEtag([`"${a.toString('hex')}"`, b.toString('hex')])).toBe(`"${expected}-2"`);
    });
  });
});
