// Latency and throughput of the S3 API on the real Kafka and FerretDB.
//   npm run bench            (needs `scripts/infra.sh up`; builds first)
// Prints one table. Numbers, not assertions: compare runs on the same machine.
import { randomBytes, createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import {
  S3Client, CreateBucketCommand, PutObjectCommand, GetObjectCommand, ListObjectsV2Command, HeadObjectCommand,
  PutBucketPolicyCommand, CreateMultipartUploadCommand, UploadPartCommand, CompleteMultipartUploadCommand, DeleteObjectCommand,
  PutBucketVersioningCommand, DeleteObjectsCommand,
} from '@aws-sdk/client-s3';
import { IAMClient, CreateUserCommand, CreateAccessKeyCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { createSedimentApp } from '../dist/app/create-app.js';
import { benchConfig } from './bench-service.mjs';

const SMALL_OPS = Number(process.env.BENCH_OPS ?? 300);
const LARGE_MIB = Number(process.env.BENCH_LARGE_MIB ?? 256);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const MULTIPART_REPEATS = Number(process.env.BENCH_MULTIPART_REPEATS ?? 3);
// BENCH_ONLY=multipart runs just the CompleteMultipartUpload row (it uploads 1 GiB per repeat).
const ONLY_MULTIPART = process.env.BENCH_ONLY === 'multipart';

const { blobDir, config } = await benchConfig();
const bootStart = performance.now();
const app = await createSedimentApp(config);
await app.listen(0, '127.0.0.1');
const bootMs = performance.now() - bootStart;
const endpoint = `http://127.0.0.1:${app.getHttpServer().address().port}`;
const s3 = new S3Client({
  endpoint, region: 'us-east-1', forcePathStyle: true, maxAttempts: 1,
  credentials: { accessKeyId: config.SEDIMENT_ROOT_ACCESS_KEY_ID, secretAccessKey: config.SEDIMENT_ROOT_SECRET_ACCESS_KEY },
});

const rows = [];
const stats = (name, samples, extra = '') => {
  const sorted = [...samples].sort((a, b) => a - b);
  const q = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  rows.push({ operation: name, n: sorted.length, 'mean ms': mean.toFixed(2), 'p50 ms': q(0.5).toFixed(2), 'p99 ms': q(0.99).toFixed(2), note: extra });
};
const time = async (fn) => { const t = performance.now(); await fn(); return performance.now() - t; };

async function inParallel(n, concurrency, fn) {
  const samples = [];
  let next = 0;
  const t = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) { const i = next++; samples.push(await time(() => fn(i))); }
  }));
  return { samples, seconds: (performance.now() - t) / 1000 };
}

const bucket = 'bench-bucket';
rows.push({ operation: 'boot (connect + catch-up)', n: 1, 'mean ms': bootMs.toFixed(0), 'p50 ms': '', 'p99 ms': '', note: '' });
stats('CreateBucket', [await time(() => s3.send(new CreateBucketCommand({ Bucket: bucket })))]);
if (ONLY_MULTIPART) {
  await benchMultipartCompletion();
  await finish();
  process.exit(0);
}

const body = randomBytes(4096);
const seq = [];
for (let i = 0; i < SMALL_OPS; i++) seq.push(await time(() => s3.send(new PutObjectCommand({ Bucket: bucket, Key: `seq/${i}`, Body: body }))));
stats('PutObject 4 KiB, sequential', seq);
const gets = [];
for (let i = 0; i < SMALL_OPS; i++) gets.push(await time(async () => {
  const r = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `seq/${i}` }));
  await r.Body.transformToByteArray();
}));
stats('GetObject 4 KiB, sequential', gets);
const heads = [];
for (let i = 0; i < Math.min(SMALL_OPS, 200); i++) heads.push(await time(() => s3.send(new HeadObjectCommand({ Bucket: bucket, Key: `seq/${i}` }))));
stats('HeadObject, sequential', heads);

const par = await inParallel(SMALL_OPS, CONCURRENCY, (i) => s3.send(new PutObjectCommand({ Bucket: bucket, Key: `par/${i}`, Body: body })));
stats(`PutObject 4 KiB, ${CONCURRENCY} clients, one bucket`, par.samples, `${(SMALL_OPS / par.seconds).toFixed(0)} req/s`);
const buckets = Array.from({ length: CONCURRENCY }, (_, i) => `bench-${i}`);
await Promise.all(buckets.map((b) => s3.send(new CreateBucketCommand({ Bucket: b }))));
const spread = await inParallel(SMALL_OPS, CONCURRENCY, (i) => s3.send(new PutObjectCommand({ Bucket: buckets[i % buckets.length], Key: `k/${i}`, Body: body })));
stats(`PutObject 4 KiB, ${CONCURRENCY} clients, ${CONCURRENCY} buckets`, spread.samples, `${(SMALL_OPS / spread.seconds).toFixed(0)} req/s`);
const lists = [];
for (let i = 0; i < 50; i++) lists.push(await time(() => s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'seq/', MaxKeys: 100 }))));
stats(`ListObjectsV2 100 of ${SMALL_OPS * 2} keys`, lists);

// IAM: identity writes, and reads by a user whose policies (and a bucket policy) are evaluated.
const iam = new IAMClient({ endpoint, region: 'us-east-1', maxAttempts: 1, credentials: s3.config.credentials });
const createUsers = [];
for (let i = 0; i < 20; i++) createUsers.push(await time(() => iam.send(new CreateUserCommand({ UserName: `bench-user-${i}` }))));
stats('IAM CreateUser', createUsers);
const readOnly = JSON.stringify({ Version: '2012-10-17', Statement: [
  { Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: '*' },
  { Effect: 'Deny', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/secret/*`, Condition: { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } },
] });
await iam.send(new PutUserPolicyCommand({ UserName: 'bench-user-0', PolicyName: 'read-only', PolicyDocument: readOnly }));
await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify({ Version: '2012-10-17', Statement: [
  { Effect: 'Deny', Principal: '*', Action: 's3:DeleteObject', Resource: `arn:aws:s3:::${bucket}/seq/*` },
] }) }));
const keyTimes = [];
let userKey;
keyTimes.push(await time(async () => { userKey = (await iam.send(new CreateAccessKeyCommand({ UserName: 'bench-user-0' }))).AccessKey; }));
stats('IAM CreateAccessKey', keyTimes);
const userS3 = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, maxAttempts: 1,
  credentials: { accessKeyId: userKey.AccessKeyId, secretAccessKey: userKey.SecretAccessKey } });
const userGets = [];
for (let i = 0; i < SMALL_OPS; i++) userGets.push(await time(async () => {
  const r = await userS3.send(new GetObjectCommand({ Bucket: bucket, Key: `seq/${i}` }));
  await r.Body.transformToByteArray();
}));
stats('GetObject 4 KiB as IAM user (2 policies checked)', userGets);

// S3's largest DeleteObjects, by version id in a versioned bucket: 500 keys of 2 versions each.
// Its 1,000 events are applied one after another (each removal may promote the key's next
// version), and the answer waits for all of them.
const versioned = 'bench-versioned';
await s3.send(new CreateBucketCommand({ Bucket: versioned }));
await s3.send(new PutBucketVersioningCommand({ Bucket: versioned, VersioningConfiguration: { Status: 'Enabled' } }));
const versionsToDelete = [];
await inParallel(1000, CONCURRENCY, async (i) => {
  const key = `v/${i % 500}`;
  const { VersionId } = await s3.send(new PutObjectCommand({ Bucket: versioned, Key: key, Body: body }));
  versionsToDelete.push({ Key: key, VersionId });
});
let deleteOutcome = '';
const deleteVersions = await time(async () => {
  try {
    const out = await s3.send(new DeleteObjectsCommand({ Bucket: versioned, Delete: { Objects: versionsToDelete, Quiet: false } }));
    deleteOutcome = `${out.Deleted?.length ?? 0} deleted`;
  } catch (error) {
    deleteOutcome = `refused: ${error.name}`;
  }
});
rows.push({ operation: 'DeleteObjects 1,000 versions', n: 1, 'mean ms': deleteVersions.toFixed(0), 'p50 ms': '', 'p99 ms': '', note: `${deleteOutcome}; the apply timeout is ${config.SEDIMENT_APPLY_TIMEOUT_MS} ms` });

function generated(bytes) {
  const chunk = randomBytes(1024 * 1024);
  let sent = 0;
  return Readable.from((function* () { while (sent < bytes) { const n = Math.min(chunk.length, bytes - sent); sent += n; yield chunk.subarray(0, n); } })());
}
const large = LARGE_MIB * 1024 * 1024;
const putLarge = await time(() => s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'large', Body: generated(large), ContentLength: large })));
rows.push({ operation: `PutObject ${LARGE_MIB} MiB`, n: 1, 'mean ms': putLarge.toFixed(0), 'p50 ms': '', 'p99 ms': '', note: `${(LARGE_MIB / (putLarge / 1000)).toFixed(0)} MiB/s` });
const getLarge = await time(async () => {
  const r = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'large' }));
  const hash = createHash('md5');
  for await (const c of r.Body) hash.update(c);
});
rows.push({ operation: `GetObject ${LARGE_MIB} MiB`, n: 1, 'mean ms': getLarge.toFixed(0), 'p50 ms': '', 'p99 ms': '', note: `${(LARGE_MIB / (getLarge / 1000)).toFixed(0)} MiB/s` });
await benchMultipartCompletion();
await finish();

/**
 * CompleteMultipartUpload of a 1 GiB object in 200 parts (issue #5): the parts are uploaded first,
 * untimed; only the Complete call is timed, which has to check 200 parts, append the completion
 * and wait for the projection. Each repeat is a fresh upload of its own key.
 */
async function benchMultipartCompletion() {
  const PARTS = 200;
  const total = 1024 * 1024 * 1024;
  const partSize = Math.floor(total / PARTS); // ~5.12 MiB; the last part takes the remainder
  const partBody = randomBytes(total - partSize * (PARTS - 1));
  const completes = [];
  let uploadMs = 0;
  for (let r = 0; r < MULTIPART_REPEATS; r++) {
    const Key = `multipart/${r}`;
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key }));
    const parts = new Array(PARTS);
    uploadMs += (await inParallel(PARTS, 4, async (i) => {
      const Body = i === PARTS - 1 ? partBody : partBody.subarray(0, partSize);
      const { ETag } = await s3.send(new UploadPartCommand({ Bucket: bucket, Key, UploadId, PartNumber: i + 1, Body }));
      parts[i] = { PartNumber: i + 1, ETag };
    })).seconds * 1000;
    completes.push(await time(() => s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key, UploadId, MultipartUpload: { Parts: parts } }))));
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key }));
  }
  const max = Math.max(...completes);
  const uploadRate = (MULTIPART_REPEATS * 1024) / (uploadMs / 1000);
  stats(`CompleteMultipartUpload 1 GiB, ${PARTS} parts`, completes, `max ${max.toFixed(2)} ms; parts uploaded untimed at ${uploadRate.toFixed(0)} MiB/s (4 at a time)`);
}

async function finish() {
  rows.push({ operation: 'service RSS after run', n: 1, 'mean ms': '', 'p50 ms': '', 'p99 ms': '', note: `${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB (bench client in same process)` });

  console.table(rows);

  await app.close();
  const mongo = await new MongoClient(config.MONGO_URL).connect();
  await mongo.db(config.MONGO_DATABASE).dropDatabase();
  await mongo.close();
  const admin = new Kafka({ brokers: config.KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [config.SEDIMENT_BUCKET_TOPIC, config.SEDIMENT_IDENTITY_TOPIC] }).catch(() => undefined);
  await admin.disconnect();
  await rm(blobDir, { recursive: true, force: true });
}
