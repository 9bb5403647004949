import type { EventEnvelope } from '../event-log/event-envelope.js';
import type { MultipartUploadCompleted } from '../bucket-stream/multipart.events.js';
import type { ObjectDeleted, ObjectStored } from '../bucket-stream/object.events.js';
import { LIFECYCLE_PRINCIPAL } from '../event-log/principal.js';
import { encodeEventKey, s3EventNameOf, s3EventRecord, sequencerOf } from './s3-event-message.js';

const t = '2026-11-27T10:00:00.123Z';
const bucket = { name: 'photos', owner: 'c'.repeat(64), region: 'us-east-1' };
const stored: ObjectStored = {
  type: 'ObjectStored',
  data: {
    bucket: 'photos', bucketId: 'b-1', key: 'summer 2026/beach+sun.jpg', objectId: 'o-1', size: 1234,
    etag: '"0cc175b9c0f1b6a831c399e269772661"', contentType: 'image/jpeg', userMetadata: [], owner: bucket.owner,
    ownerDisplayName: 'root', storedAt: t, storageClass: 'STANDARD',
  } as ObjectStored['data'],
};
const deleted: ObjectDeleted = {
  type: 'ObjectDeleted',
  data: { bucket: 'photos', bucketId: 'b-1', key: 'summer 2026/beach+sun.jpg', objectId: 'o-1', deletedAt: t },
};
const envelope = (arn: string) =>
  ({ id: 'e', type: 'ObjectStored', schemaVersion: 1, time: t, principal: { accessKeyId: 'AKIA', arn }, bucket: 'photos', data: {} }) as unknown as EventEnvelope;

describe('s3EventRecord', () => {
  it("writes AWS's ObjectCreated:Put record", () => {
    const record = s3EventRecord({ envelope: envelope('arn:aws:iam::000000000000:user/alice'), event: stored, position: { partition: 3, offset: 42 } }, bucket, 'images');
    expect(record).toEqual({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventTime: t,
      eventName: 'ObjectCreated:Put',
      userIdentity: { principalId: 'arn:aws:iam::000000000000:user/alice' },
      requestParameters: {},
      responseElements: {},
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'images',
        bucket: { name: 'photos', ownerIdentity: { principalId: bucket.owner }, arn: 'arn:aws:s3:::photos' },
        object: {
          key: 'summer+2026/beach%2Bsun.jpg',
          size: 1234,
          eTag: '0cc175b9c0f1b6a831c399e269772661',
          sequencer: '0003000000000000002A',
        },
      },
    });
  });

  it('writes ObjectRemoved:Delete without size or eTag, and anonymous callers as such', () => {
    const record = s3EventRecord({ envelope: envelope('*'), event: deleted, position: { partition: 0, offset: 7 } }, bucket, 'deletes');
    expect(record.eventName).toBe('ObjectRemoved:Delete');
    expect(record.userIdentity).toEqual({ principalId: 'anonymous' });
    expect(record.s3.object).toEqual({ key: 'summer+2026/beach%2Bsun.jpg', sequencer: '00000000000000000007' });
  });

  it('writes what the lifecycle removed as LifecycleExpiration, caused by s3.amazonaws.com (ADR 0022)', () => {
    const record = s3EventRecord({ envelope: envelope(LIFECYCLE_PRINCIPAL.arn), event: deleted, position: { partition: 0, offset: 8 } }, bucket, 'expiries');
    expect(record.eventName).toBe('LifecycleExpiration:Delete');
    expect(record.userIdentity).toEqual({ principalId: 's3.amazonaws.com' });
    expect(s3EventNameOf('DeleteMarkerCreated', LIFECYCLE_PRINCIPAL)).toBe('s3:LifecycleExpiration:DeleteMarkerCreated');
    expect(s3EventNameOf('DeleteMarkerRemoved', LIFECYCLE_PRINCIPAL)).toBe('s3:LifecycleExpiration:Delete');
    expect(s3EventNameOf('MultipartUploadAborted', LIFECYCLE_PRINCIPAL)).toBeUndefined();
    // A user's removal of a delete marker is not notified, as before.
    expect(s3EventNameOf('DeleteMarkerRemoved', { accessKeyId: 'K', arn: 'arn:aws:iam::000000000000:root' })).toBeUndefined();
  });
});

describe('a completed multipart upload', () => {
  it('is notified as ObjectCreated:CompleteMultipartUpload with its size and multipart eTag', () => {
    const completed = {
      type: 'MultipartUploadCompleted',
      data: { ...stored.data, uploadId: 'u-1', objectId: 'm-1', etag: '"0cc175b9c0f1b6a831c399e269772661-2"', parts: [], discardedObjectIds: [] },
    } as MultipartUploadCompleted;
    const record = s3EventRecord({ envelope: envelope('*'), event: completed, position: { partition: 0, offset: 9 } }, bucket, 'big');
    expect(record.eventName).toBe('ObjectCreated:CompleteMultipartUpload');
    expect(record.s3.object).toEqual({ key: 'summer+2026/beach%2Bsun.jpg', size: 1234, eTag: '0cc175b9c0f1b6a831c399e269772661-2', sequencer: '00000000000000000009' });
  });
});

describe('sequencerOf', () => {
  it('is fixed-width upper-case hex of partition then offset', () => {
    expect(sequencerOf({ partition: 0, offset: 0 })).toBe('00000000000000000000');
    expect(sequencerOf({ partition: 11, offset: 255 })).toBe('000B00000000000000FF');
    expect(sequencerOf({ partition: 1, offset: Number.MAX_SAFE_INTEGER })).toBe('0001001FFFFFFFFFFFFF');
  });

  it('orders the events of a partition by plain string comparison, as their offsets', () => {
    const offsets = [0, 1, 9, 10, 15, 16, 255, 256, 4095, 4096, 65535, 65536, 1e6, 2 ** 32, 2 ** 40 + 1];
    const sequencers = offsets.map((offset) => sequencerOf({ partition: 5, offset }));
    expect([...sequencers].sort()).toEqual(sequencers);
    expect(new Set(sequencers.map((s) => s.length))).toEqual(new Set([20]));
  });

  it('refuses positions it cannot write', () => {
    expect(() => sequencerOf({ partition: -1, offset: 0 })).toThrow();
    expect(() => sequencerOf({ partition: 0, offset: 2 ** 64 })).toThrow();
  });
});

describe('encodeEventKey', () => {
  it.each([
    ['plain/key.txt', 'plain/key.txt'],
    ['red flower.jpg', 'red+flower.jpg'],
    ['a+b', 'a%2Bb'],
    ['dt=2026-11-27/part-0', 'dt%3D2026-11-27/part-0'],
    ['été/naïve.txt', '%C3%A9t%C3%A9/na%C3%AFve.txt'],
    ['🌊', '%F0%9F%8C%8A'],
    ['~tilde(1)&x?y#z%', '%7Etilde%281%29%26x%3Fy%23z%25'],
    ['keep-_.*', 'keep-_.*'],
  ])('%j → %j', (key, encoded) => {
    expect(encodeEventKey(key)).toBe(encoded);
    // What consumers do with it (Python's unquote_plus) gives the key back.
    expect(decodeURIComponent(encoded.replaceAll('+', ' '))).toBe(key);
  });
});

describe('a copied object', () => {
  it('is notified as ObjectCreated:Copy (as AWS names CopyObject), with the copy’s key, size and eTag', () => {
    const copied = {
      type: 'ObjectCopied',
      data: { ...stored.data, key: 'copies/beach.jpg', sourceBucket: 'photos', sourceKey: 'summer 2026/beach+sun.jpg' },
    } as const;
    const record = s3EventRecord({ envelope: envelope('*'), event: copied, position: { partition: 1, offset: 9 } }, bucket, 'copies');
    expect(record.eventName).toBe('ObjectCreated:Copy');
    expect(record.s3.object).toEqual({ key: 'copies/beach.jpg', size: 1234, eTag: '0cc175b9c0f1b6a831c399e269772661', sequencer: '00010000000000000009' });
  });
});
