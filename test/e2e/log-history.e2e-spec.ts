import { PutBucketVersioningCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createUserWithKey, iamClient, policy } from '../support/iam-helpers.js';
import { objectPath, rawS3Request, xmlText } from '../support/raw-s3-request.js';
import { serviceWithBucket } from '../support/sediment-under-test.js';

/**
 * Sediment's own reads of the log (ADR 0029), the web console's history and "as of" views, as any
 * signed client sends them: GetObjectHistory, GetBucketHistory and GetBucketAsOf, with S3's
 * authorization and error answers.
 */
const service = serviceWithBucket('log-history');

const get = (path: string, query: Record<string, string>, credentials?: { accessKeyId: string; secretAccessKey: string }) =>
  rawS3Request(service.sediment.url, { method: 'GET', path, query, ...(credentials ? { credentials } : {}) });

const all = (xml: string, name: string) => [...xml.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, 'g'))].map((m) => m[1]);

describe("Sediment's history and as-of operations", () => {
  const versions: string[] = [];
  beforeAll(async () => {
    const { s3 } = service.sediment;
    await s3.send(new PutBucketVersioningCommand({ Bucket: service.bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    for (const body of ['a', 'bb', 'ccc']) versions.push((await s3.send(new PutObjectCommand({ Bucket: service.bucket, Key: 'dir/k.txt', Body: body }))).VersionId!);
    await s3.send(new PutObjectCommand({ Bucket: service.bucket, Key: 'other.txt', Body: 'o' }));
  });

  it("GetObjectHistory gives the key's events newest first, with partition and offset", async () => {
    const response = await get(objectPath(service.bucket, 'dir/k.txt'), { 'sediment-history': '' });
    expect(response.status).toBe(200);
    expect(xmlText(response.body, 'Key')).toBe('dir/k.txt');
    expect(all(response.body, 'Type')).toEqual(['ObjectStored', 'ObjectStored', 'ObjectStored']);
    expect(all(response.body, 'VersionId')).toEqual([...versions].reverse());
    const offsets = all(response.body, 'Offset').map(Number);
    expect(offsets).toEqual([...offsets].sort((a, b) => b - a));
    expect(xmlText(response.body, 'IsTruncated')).toBe('false');
    // Older than the newest write: the two before it.
    const older = await get(objectPath(service.bucket, 'dir/k.txt'), { 'sediment-history': '', 'before-offset': String(offsets[0]) });
    expect(all(older.body, 'VersionId')).toEqual([versions[1], versions[0]]);
  });

  it('GetBucketHistory gives every event of the bucket; GetBucketAsOf folds them up to an offset', async () => {
    const history = await get(`/${service.bucket}`, { 'sediment-history': '' });
    expect(history.status).toBe(200);
    const types = all(history.body, 'Type');
    expect(types.at(-1)).toBe('BucketCreated');
    expect(types.filter((t) => t === 'ObjectStored')).toHaveLength(4);
    const secondWrite = all(history.body, 'Offset').map(Number)[2]; // newest first: other.txt, then k.txt's third and second
    const asOf = await get(`/${service.bucket}`, { 'sediment-as-of': String(secondWrite) });
    expect(asOf.status).toBe(200);
    expect(all(asOf.body, 'Key')).toEqual(['dir/k.txt']);
    expect(xmlText(asOf.body, 'VersionId')).toBe(versions[1]);
    const before = await get(`/${service.bucket}`, { 'sediment-as-of': '2000-01-01T00:00:00Z' });
    expect([xmlText(before.body, 'Exists'), all(before.body, 'Key')]).toEqual(['false', []]);
  });

  it('refuses what is not a moment or an offset, and a bucket that is not there', async () => {
    const badOffset = await get(objectPath(service.bucket, 'dir/k.txt'), { 'sediment-history': '', 'before-offset': '-1' });
    expect([badOffset.status, xmlText(badOffset.body, 'Code'), xmlText(badOffset.body, 'ArgumentName')]).toEqual([400, 'InvalidArgument', 'before-offset']);
    const badMoment = await get(`/${service.bucket}`, { 'sediment-as-of': 'yesterday' });
    expect([badMoment.status, xmlText(badMoment.body, 'Code')]).toEqual([400, 'InvalidArgument']);
    const missing = await get('/no-such-bucket-here', { 'sediment-history': '' });
    expect([missing.status, xmlText(missing.body, 'Code')]).toEqual([404, 'NoSuchBucket']);
  });

  it('needs s3:GetObjectVersion for a key and s3:ListBucketVersions for the bucket, as policies say', async () => {
    const iam = iamClient(service.sediment.url);
    const reader = await createUserWithKey(iam, 'history-reader', {
      read: policy({ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: '*' }),
    });
    const versionReader = await createUserWithKey(iam, 'version-reader', {
      read: policy({ Effect: 'Allow', Action: ['s3:GetObjectVersion', 's3:ListBucketVersions'], Resource: '*' }),
    });
    iam.destroy();
    for (const [path, query] of [
      [objectPath(service.bucket, 'dir/k.txt'), { 'sediment-history': '' }],
      [`/${service.bucket}`, { 'sediment-history': '' }],
      [`/${service.bucket}`, { 'sediment-as-of': '0' }],
    ] as const) {
      const refused = await get(path, query, reader);
      expect([refused.status, xmlText(refused.body, 'Code')]).toEqual([403, 'AccessDenied']);
      expect((await get(path, query, versionReader)).status).toBe(200);
    }
  });
});
