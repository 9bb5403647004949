// Issue #5: "A replay after a mixed workload of all the above gives the same digest." One workload
// touches every S3 feature Sediment records on its log (metadata, checksums, overwrites, deletes,
// copies, multipart in every state, tagging, versioning with markers and suspension, CORS,
// notifications, IAM and bucket policies, a bucket deleted and recreated); a service started on
// the same log with an empty database must rebuild a read model with the same digest, then serve
// the same bytes, tags and versions. The operator CLI must digest the live model the same way.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteBucketCorsCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  DeleteObjectTaggingCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  PutBucketCorsCommand,
  PutBucketNotificationConfigurationCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  UploadPartCommand,
  UploadPartCopyCommand,
  type ChecksumAlgorithm,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { jest } from '@jest/globals';
import { MongoClient } from 'mongodb';
import { digestReadModel, type ReadModelDigest } from '../../src/replay/read-model.digest.js';
import { createUserWithKey, iamClient, policy } from '../support/iam-helpers.js';
import { sedimentCli } from '../support/operator-cli.js';
import { deleteTopic, MONGO_URL, s3Client, startSediment, type SedimentUnderTest } from '../support/sediment-under-test.js';

jest.setTimeout(180_000);
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const MIB = 1024 * 1024;

const id = randomBytes(5).toString('hex');
const PLAIN = 'mix-plain';
const COPIES = 'mix-copies';
const VERSIONED = 'mix-versioned';
const MULTIPART = 'mix-multipart';
const REBORN = 'mix-reborn';
const NOTIFY_TOPIC = `e2e.mixed.${id}.created`;

let overrides: Record<string, string>;
let sediment: SedimentUnderTest;
let mongo: MongoClient;
let reader: S3Client | undefined;

/** An object (or one version of it) whose reads must survive the rebuild unchanged. */
interface Sample {
  Bucket: string;
  Key: string;
  VersionId?: string;
}

/** What a client sees of a sample: bytes, ETag, metadata, stored checksums and tags. */
async function observe(s3: S3Client, sample: Sample) {
  const got = await s3.send(new GetObjectCommand({ ...sample, ChecksumMode: 'ENABLED' }));
  const bytes = await got.Body!.transformToByteArray();
  const tagging = await s3.send(new GetObjectTaggingCommand(sample));
  return {
    sample,
    sha256: sha256(bytes),
    etag: got.ETag,
    versionId: got.VersionId,
    contentType: got.ContentType,
    metadata: got.Metadata,
    checksums: [got.ChecksumCRC32, got.ChecksumCRC32C, got.ChecksumSHA256, got.ChecksumCRC64NVME, got.ChecksumType],
    tags: tagging.TagSet,
    tagsVersionId: tagging.VersionId,
  };
}

/** Lists without the request id and other per-response noise. */
async function listings(s3: S3Client) {
  const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: VERSIONED }));
  const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: MULTIPART }));
  return {
    versions: versions.Versions?.map(({ Key, VersionId, IsLatest, ETag, Size, LastModified }) => ({ Key, VersionId, IsLatest, ETag, Size, LastModified })),
    markers: versions.DeleteMarkers?.map(({ Key, VersionId, IsLatest, LastModified }) => ({ Key, VersionId, IsLatest, LastModified })),
    uploads: uploads.Uploads?.map(({ Key, UploadId, Initiated, ChecksumAlgorithm }) => ({ Key, UploadId, Initiated, ChecksumAlgorithm })),
  };
}

/**
 * The workload. Returns the samples to read back after the rebuild; everything else it does is
 * checked through the digest alone.
 */
async function mixedWorkload(s3: S3Client): Promise<Sample[]> {
  const samples: Sample[] = [];
  for (const Bucket of [PLAIN, COPIES, VERSIONED, MULTIPART, REBORN]) await s3.send(new CreateBucketCommand({ Bucket }));

  // Plain objects: user metadata, every checksum algorithm, tagging on PUT, overwrites, deletes.
  await s3.send(new PutObjectCommand({ Bucket: PLAIN, Key: 'meta.txt', Body: 'with metadata', ContentType: 'text/plain', Metadata: { owner: 'ada', colour: 'blue' } }));
  const algorithms: ChecksumAlgorithm[] = ['CRC32C', 'SHA256', 'CRC64NVME'];
  for (const algorithm of algorithms) {
    await s3.send(new PutObjectCommand({ Bucket: PLAIN, Key: `sum/${algorithm}`, Body: randomBytes(3000), ChecksumAlgorithm: algorithm }));
    samples.push({ Bucket: PLAIN, Key: `sum/${algorithm}` });
  }
  await s3.send(new PutObjectCommand({ Bucket: PLAIN, Key: 'tagged.bin', Body: randomBytes(100), Tagging: 'team=storage&tier=hot' }));
  await s3.send(new PutObjectCommand({ Bucket: PLAIN, Key: 'overwritten.txt', Body: 'first' }));
  await s3.send(new PutObjectCommand({ Bucket: PLAIN, Key: 'overwritten.txt', Body: 'second, longer', Metadata: { round: '2' } }));
  for (let i = 0; i < 6; i++) await s3.send(new PutObjectCommand({ Bucket: PLAIN, Key: `batch/${i}`, Body: `batch ${i}` }));
  await s3.send(new DeleteObjectCommand({ Bucket: PLAIN, Key: 'batch/0' }));
  await s3.send(new DeleteObjectsCommand({ Bucket: PLAIN, Delete: { Objects: [{ Key: 'batch/1' }, { Key: 'batch/2' }, { Key: 'never-was' }] } }));
  await s3.send(new PutObjectTaggingCommand({ Bucket: PLAIN, Key: 'meta.txt', Tagging: { TagSet: [{ Key: 'reviewed', Value: 'yes' }] } }));
  await s3.send(new PutObjectTaggingCommand({ Bucket: PLAIN, Key: 'batch/3', Tagging: { TagSet: [{ Key: 'gone', Value: 'soon' }] } }));
  await s3.send(new DeleteObjectTaggingCommand({ Bucket: PLAIN, Key: 'batch/3' }));
  samples.push({ Bucket: PLAIN, Key: 'meta.txt' }, { Bucket: PLAIN, Key: 'tagged.bin' }, { Bucket: PLAIN, Key: 'overwritten.txt' }, { Bucket: PLAIN, Key: 'batch/3' });

  // Copies within and across buckets, keeping (COPY) and replacing (REPLACE) metadata and tags,
  // then the sources go: the copies must not depend on them.
  await s3.send(new PutObjectCommand({ Bucket: PLAIN, Key: 'source.bin', Body: randomBytes(2048), Metadata: { origin: 'source' }, Tagging: 'copied=true' }));
  await s3.send(new CopyObjectCommand({ Bucket: PLAIN, Key: 'copy-same-bucket.bin', CopySource: `${PLAIN}/source.bin` }));
  await s3.send(
    new CopyObjectCommand({
      Bucket: COPIES,
      Key: 'copy-replaced.bin',
      CopySource: `${PLAIN}/source.bin`,
      MetadataDirective: 'REPLACE',
      Metadata: { origin: 'replaced' },
      ContentType: 'application/x-replaced',
      TaggingDirective: 'REPLACE',
      Tagging: 'copied=replaced',
    }),
  );
  await s3.send(new CopyObjectCommand({ Bucket: COPIES, Key: 'copy-kept.txt', CopySource: `${PLAIN}/meta.txt`, MetadataDirective: 'COPY' }));
  await s3.send(new DeleteObjectCommand({ Bucket: PLAIN, Key: 'source.bin' }));
  samples.push({ Bucket: PLAIN, Key: 'copy-same-bucket.bin' }, { Bucket: COPIES, Key: 'copy-replaced.bin' }, { Bucket: COPIES, Key: 'copy-kept.txt' });

  // Multipart: completed with and without a checksum algorithm (one through lib-storage), one
  // with a part copied from an object, one aborted, one left in progress.
  const bigPart = randomBytes(5 * MIB);
  const withSum = await s3.send(new CreateMultipartUploadCommand({ Bucket: MULTIPART, Key: 'mp/crc32c.bin', ChecksumAlgorithm: 'CRC32C' }));
  const sumParts = [];
  for (const [index, body] of [bigPart, randomBytes(1000)].entries()) {
    const part = await s3.send(new UploadPartCommand({ Bucket: MULTIPART, Key: 'mp/crc32c.bin', UploadId: withSum.UploadId, PartNumber: index + 1, Body: body, ChecksumAlgorithm: 'CRC32C' }));
    sumParts.push({ PartNumber: index + 1, ETag: part.ETag, ChecksumCRC32C: part.ChecksumCRC32C });
  }
  await s3.send(new CompleteMultipartUploadCommand({ Bucket: MULTIPART, Key: 'mp/crc32c.bin', UploadId: withSum.UploadId, MultipartUpload: { Parts: sumParts } }));

  const withCopy = await s3.send(new CreateMultipartUploadCommand({ Bucket: MULTIPART, Key: 'mp/with-copied-part.bin', Metadata: { parts: 'uploaded+copied' } }));
  const first = await s3.send(new UploadPartCommand({ Bucket: MULTIPART, Key: 'mp/with-copied-part.bin', UploadId: withCopy.UploadId, PartNumber: 1, Body: bigPart }));
  const copied = await s3.send(
    new UploadPartCopyCommand({ Bucket: MULTIPART, Key: 'mp/with-copied-part.bin', UploadId: withCopy.UploadId, PartNumber: 2, CopySource: `${COPIES}/copy-replaced.bin`, CopySourceRange: 'bytes=0-1023' }),
  );
  await s3.send(
    new CompleteMultipartUploadCommand({
      Bucket: MULTIPART,
      Key: 'mp/with-copied-part.bin',
      UploadId: withCopy.UploadId,
      MultipartUpload: { Parts: [{ PartNumber: 1, ETag: first.ETag }, { PartNumber: 2, ETag: copied.CopyPartResult!.ETag }] },
    }),
  );

  await new Upload({ client: s3, params: { Bucket: MULTIPART, Key: 'mp/lib-storage.bin', Body: Buffer.concat([bigPart, randomBytes(4096)]) }, partSize: 5 * MIB, queueSize: 2 }).done();

  const aborted = await s3.send(new CreateMultipartUploadCommand({ Bucket: MULTIPART, Key: 'mp/aborted.bin' }));
  await s3.send(new UploadPartCommand({ Bucket: MULTIPART, Key: 'mp/aborted.bin', UploadId: aborted.UploadId, PartNumber: 1, Body: randomBytes(2000) }));
  await s3.send(new AbortMultipartUploadCommand({ Bucket: MULTIPART, Key: 'mp/aborted.bin', UploadId: aborted.UploadId }));

  const pending = await s3.send(new CreateMultipartUploadCommand({ Bucket: MULTIPART, Key: 'mp/in-progress.bin', ChecksumAlgorithm: 'SHA256' }));
  await s3.send(new UploadPartCommand({ Bucket: MULTIPART, Key: 'mp/in-progress.bin', UploadId: pending.UploadId, PartNumber: 1, Body: randomBytes(1500), ChecksumAlgorithm: 'SHA256' }));
  samples.push({ Bucket: MULTIPART, Key: 'mp/crc32c.bin' }, { Bucket: MULTIPART, Key: 'mp/with-copied-part.bin' }, { Bucket: MULTIPART, Key: 'mp/lib-storage.bin' });

  // Versioning: several versions, delete markers, deletes by version id (of a marker and of an
  // old version), tags on a non-current version, then Suspended and a null version.
  const versioning = (Status: 'Enabled' | 'Suspended') => s3.send(new PutBucketVersioningCommand({ Bucket: VERSIONED, VersioningConfiguration: { Status } }));
  await s3.send(new PutObjectCommand({ Bucket: VERSIONED, Key: 'before-versioning.txt', Body: 'null version from the start' }));
  await versioning('Enabled');
  const versionIds: string[] = [];
  for (const body of ['v1', 'v2', 'v3', 'v4']) {
    versionIds.push((await s3.send(new PutObjectCommand({ Bucket: VERSIONED, Key: 'doc.txt', Body: body }))).VersionId!);
  }
  await s3.send(new PutObjectTaggingCommand({ Bucket: VERSIONED, Key: 'doc.txt', VersionId: versionIds[1], Tagging: { TagSet: [{ Key: 'era', Value: 'old' }] } }));
  const marker = (await s3.send(new DeleteObjectCommand({ Bucket: VERSIONED, Key: 'doc.txt' }))).VersionId!;
  await s3.send(new DeleteObjectCommand({ Bucket: VERSIONED, Key: 'doc.txt', VersionId: marker }));
  await s3.send(new DeleteObjectCommand({ Bucket: VERSIONED, Key: 'doc.txt', VersionId: versionIds[0] }));
  await s3.send(new PutObjectCommand({ Bucket: VERSIONED, Key: 'buried.txt', Body: 'under a marker' }));
  await s3.send(new DeleteObjectCommand({ Bucket: VERSIONED, Key: 'buried.txt' }));
  await s3.send(new DeleteObjectsCommand({ Bucket: VERSIONED, Delete: { Objects: [{ Key: 'before-versioning.txt' }] } }));
  await versioning('Suspended');
  await s3.send(new PutObjectCommand({ Bucket: VERSIONED, Key: 'doc.txt', Body: 'null while suspended' }));
  samples.push(
    { Bucket: VERSIONED, Key: 'doc.txt' },
    { Bucket: VERSIONED, Key: 'doc.txt', VersionId: versionIds[1] },
    { Bucket: VERSIONED, Key: 'doc.txt', VersionId: versionIds[3] },
    { Bucket: VERSIONED, Key: 'before-versioning.txt', VersionId: 'null' },
  );

  // Bucket configuration: CORS put then deleted on one bucket and kept on another, a
  // notification configuration, a bucket policy for an IAM user with a key and a policy.
  const cors = { CORSRules: [{ AllowedMethods: ['GET', 'PUT'], AllowedOrigins: ['https://example.com'], AllowedHeaders: ['*'], MaxAgeSeconds: 600 }] };
  await s3.send(new PutBucketCorsCommand({ Bucket: COPIES, CORSConfiguration: cors }));
  await s3.send(new DeleteBucketCorsCommand({ Bucket: COPIES }));
  await s3.send(new PutBucketCorsCommand({ Bucket: MULTIPART, CORSConfiguration: cors }));
  await s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket: PLAIN,
      NotificationConfiguration: { TopicConfigurations: [{ Id: 'created', TopicArn: `arn:aws:sns:us-east-1:000000000000:${NOTIFY_TOPIC}`, Events: ['s3:ObjectCreated:*'] }] },
    }),
  );
  const key = await createUserWithKey(iamClient(sediment.url), 'mixed-reader', {
    list: policy({ Effect: 'Allow', Action: ['s3:ListBucket'], Resource: '*' }),
  });
  await s3.send(
    new PutBucketPolicyCommand({
      Bucket: PLAIN,
      Policy: policy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:user/mixed-reader' }, Action: ['s3:GetObject', 's3:GetObjectTagging'], Resource: `arn:aws:s3:::${PLAIN}/*` }),
    }),
  );
  reader = s3Client(sediment.url, key);
  await s3.send(new PutObjectCommand({ Bucket: PLAIN, Key: 'after-notification.txt', Body: 'notified' }));

  // A bucket deleted and recreated: the new one must not inherit what the old one held.
  await s3.send(new PutObjectCommand({ Bucket: REBORN, Key: 'old-life.txt', Body: 'old' }));
  await s3.send(new PutBucketCorsCommand({ Bucket: REBORN, CORSConfiguration: cors }));
  await s3.send(new DeleteObjectCommand({ Bucket: REBORN, Key: 'old-life.txt' }));
  await s3.send(new DeleteBucketCommand({ Bucket: REBORN }));
  await s3.send(new CreateBucketCommand({ Bucket: REBORN }));
  await s3.send(new PutObjectCommand({ Bucket: REBORN, Key: 'new-life.txt', Body: 'new', Tagging: 'life=second' }));
  samples.push({ Bucket: REBORN, Key: 'new-life.txt' });
  return samples;
}

beforeAll(async () => {
  expect(existsSync('dist/cli/main.js')).toBe(true); // the CLI is run as built
  overrides = {
    MONGO_DATABASE: `e2e_mixed_${id}`,
    SEDIMENT_BUCKET_TOPIC: `e2e.mixed.bucket-events.${id}`,
    SEDIMENT_IDENTITY_TOPIC: `e2e.mixed.identity-events.${id}`,
    SEDIMENT_BLOB_DIR: await mkdtemp(join(tmpdir(), 'sediment-mixed-blobs-')),
  };
  mongo = await new MongoClient(MONGO_URL).connect();
  sediment = await startSediment(overrides);
}, 30_000);

afterAll(async () => {
  reader?.destroy();
  // stop() drops the rebuilt database and the topics; the first (live) database is ours to drop.
  await mongo.db(overrides.MONGO_DATABASE).dropDatabase().catch(() => undefined);
  await mongo.close();
  await sediment?.stop();
  await deleteTopic(NOTIFY_TOPIC);
  await rm(overrides.SEDIMENT_BLOB_DIR!, { recursive: true, force: true });
}, 60_000);

describe('replay after a mixed workload of every feature', () => {
  it('rebuilds the same digest from the log and serves the same objects, tags, versions and uploads', async () => {
    const samples = await mixedWorkload(sediment.s3);
    const before = { objects: await Promise.all(samples.map((s) => observe(sediment.s3, s))), listings: await listings(sediment.s3) };
    // The IAM user reads through the bucket policy.
    const viaPolicy = await reader!.send(new GetObjectCommand({ Bucket: PLAIN, Key: 'meta.txt' }));
    expect(await viaPolicy.Body!.transformToString()).toBe('with metadata');

    const live: ReadModelDigest = await digestReadModel(sediment.db);
    expect(live.counts.buckets).toBe(5);
    expect(live.counts.uploads).toBeGreaterThanOrEqual(1);
    expect(live.counts.identities).toBeGreaterThanOrEqual(1);
    expect(live.counts.versions).toBeGreaterThan(live.counts.objects!);
    // The samples are what they were written as (so the comparison below is not of two blanks).
    const seen = (Bucket: string, Key: string, VersionId?: string) =>
      before.objects.find((o) => o.sample.Bucket === Bucket && o.sample.Key === Key && o.sample.VersionId === VersionId)!;
    expect(seen(PLAIN, 'meta.txt').metadata).toEqual({ owner: 'ada', colour: 'blue' });
    expect(seen(PLAIN, 'meta.txt').tags).toEqual([{ Key: 'reviewed', Value: 'yes' }]);
    expect(seen(PLAIN, 'batch/3').tags).toEqual([]);
    expect(seen(PLAIN, 'sum/CRC64NVME').checksums[3]).toMatch(/^[A-Za-z0-9+/]{11}=$/);
    expect(seen(COPIES, 'copy-replaced.bin')).toMatchObject({ metadata: { origin: 'replaced' }, tags: [{ Key: 'copied', Value: 'replaced' }] });
    expect(seen(PLAIN, 'copy-same-bucket.bin')).toMatchObject({ metadata: { origin: 'source' }, tags: [{ Key: 'copied', Value: 'true' }] });
    expect(seen(MULTIPART, 'mp/crc32c.bin').etag).toMatch(/-2"$/);
    expect(seen(VERSIONED, 'doc.txt')).toMatchObject({ versionId: 'null', sha256: sha256(Buffer.from('null while suspended')) });
    expect(before.objects.filter((o) => o.sample.Bucket === VERSIONED && o.sample.VersionId !== undefined).map((o) => o.tags)).toEqual([
      [{ Key: 'era', Value: 'old' }],
      [],
      [],
    ]);
    expect(seen(REBORN, 'new-life.txt').tags).toEqual([{ Key: 'life', Value: 'second' }]);
    expect(before.listings.uploads).toEqual([expect.objectContaining({ Key: 'mp/in-progress.bin', ChecksumAlgorithm: 'SHA256' })]);
    // doc.txt: v2, v3, v4 and the null version (v1 and the first marker were deleted by id);
    // buried.txt and before-versioning.txt: a version each under a marker.
    expect(before.listings.versions).toHaveLength(6);
    expect(before.listings.markers).toHaveLength(2);

    await sediment.stop({ keepData: true });
    // The operator CLI digests the live model (the one the stopped service served) the same way.
    const printed = (await sedimentCli(sediment.config, ['digest'], 60_000)).stdout;
    const counts = Object.entries(live.counts).map(([name, n]) => `${name}=${n}`).join(' ');
    expect(printed.trim()).toBe(`${overrides.MONGO_DATABASE} ${live.digest} ${counts}`);

    const rebuiltDb = `${overrides.MONGO_DATABASE}_rebuilt`;
    sediment = await startSediment({ ...overrides, MONGO_DATABASE: rebuiltDb });
    const rebuilt = await digestReadModel(mongo.db(rebuiltDb));
    expect(rebuilt).toEqual(live);
    // Not digested (the janitor prunes them), but a rebuild that lost one would leak the part
    // blobs of a completed multipart object for good.
    const manifests = (db: string) => mongo.db(db).collection('manifests').find({}).sort({ _id: 1 }).toArray();
    const liveManifests = await manifests(overrides.MONGO_DATABASE!);
    expect(liveManifests).toHaveLength(3);
    expect(await manifests(rebuiltDb)).toEqual(liveManifests);
    // Not digested either (ADR 0020), but a rebuild that lost one would answer a retried
    // CompleteMultipartUpload of that upload with NoSuchUpload.
    const completions = (db: string) => mongo.db(db).collection('completed_uploads').find({}).sort({ _id: 1 }).toArray();
    const liveCompletions = await completions(overrides.MONGO_DATABASE!);
    expect(liveCompletions).toHaveLength(3);
    expect(await completions(rebuiltDb)).toEqual(liveCompletions);

    const after = { objects: await Promise.all(samples.map((s) => observe(sediment.s3, s))), listings: await listings(sediment.s3) };
    expect(after).toEqual(before);
  });
});
