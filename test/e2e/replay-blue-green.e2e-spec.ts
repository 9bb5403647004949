// Operators rebuild the read model from the log (issue #4): `sediment replay` builds a new
// database while the service keeps serving, then the live service switches to it without a
// restart and without a failed request, once both digests match; `--until` rebuilds a past
// moment into a separate database that a read-only Sediment serves (point-in-time recovery).
// The CLI is the built one (dist/cli/main.js), run as an operator would.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { jest } from '@jest/globals';
import { MongoClient } from 'mongodb';
import { digestReadModel } from '../../src/replay/read-model.digest.js';
import { createUserWithKey, iamClient, policy } from '../support/iam-helpers.js';
import type { Credentials } from '../support/raw-s3-request.js';
import { outcomeOf } from '../support/concurrency-helpers.js';
import { operatorEnv, sedimentCli as runCli } from '../support/operator-cli.js';
import { MONGO_URL, s3Client, startSediment, type SedimentUnderTest } from '../support/sediment-under-test.js';

jest.setTimeout(240_000);
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

let sediment: SedimentUnderTest;
let mongo: MongoClient;
let readerKey: Credentials;
const extraDatabases: string[] = [];

function cliEnv(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  return operatorEnv(sediment.config, overrides);
}

async function sedimentCli(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return runCli(sediment.config, args);
}

/** Runs `count` tasks with `concurrency` workers. */
async function inParallel(count: number, concurrency: number, task: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) await task(next++);
  }));
}

const BUCKETS = ['bg-0', 'bg-1', 'bg-2', 'bg-3', 'bg-4', 'bg-5', 'bg-6', 'bg-7'];
const live = new Map<string, string>(); // bucket/key → sha256 of what must be there

async function put(s3: S3Client, bucket: string, key: string, body: Buffer): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  live.set(`${bucket}/${key}`, sha256(body));
}

beforeAll(async () => {
  expect(existsSync('dist/cli/main.js')).toBe(true); // scripts/test.sh builds before the e2e tier
  sediment = await startSediment();
  mongo = await new MongoClient(MONGO_URL).connect();

  // At least 5,000 events: creates by 16 concurrent writers, overwrites, single and batch deletes,
  // and identity events. (Mostly creates: on FerretDB an overwrite or a delete costs a scan of the
  // collection, docs/adr/0003.)
  const s3 = sediment.s3;
  for (const bucket of BUCKETS) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await inParallel(4200, 16, (i) => put(s3, BUCKETS[i % 8]!, `k/${i}`, randomBytes(64 + (i % 512))));
  await inParallel(400, 16, (i) => put(s3, BUCKETS[(i * 3) % 8]!, `k/${i * 3}`, randomBytes(32)));
  for (const [index, bucket] of BUCKETS.entries()) {
    const keys = Array.from({ length: 45 }, (_, j) => `k/${index + 8 * (j * 7 + 1)}`);
    await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.map((Key) => ({ Key })) } }));
    keys.forEach((k) => live.delete(`${bucket}/${k}`));
  }
  for (let i = 0; i < 40; i++) {
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKETS[(i * 11) % 8]!, Key: `k/${i * 11}` }));
    live.delete(`${BUCKETS[(i * 11) % 8]}/k/${i * 11}`);
  }
  readerKey = await createUserWithKey(iamClient(sediment.url), 'replayed-reader', {
    ro: policy({ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: '*' }),
  });
}, 240_000);

afterAll(async () => {
  for (const name of extraDatabases) await mongo.db(name).dropDatabase().catch(() => undefined);
  await mongo.close();
  await sediment.stop();
});

describe('blue/green replay (sediment replay)', () => {
  let target: string;
  let liveDigestBefore: string;

  it('rebuilds at least 5,000 events into a new database and switches the live service to it, with no failed request', async () => {
    liveDigestBefore = (await digestReadModel(sediment.db)).digest;
    // Readers and a writer keep going during the whole replay and switch.
    let stop = false;
    const failures: string[] = [];
    let reads = 0;
    let writes = 0;
    const readable = [...live.keys()].slice(0, 64).map((path) => path.split('/'));
    const traffic = (async () => {
      for (let i = 0; !stop; i++) {
        const bucket = BUCKETS[i % 8]!;
        const [getBucket, ...key] = readable[i % readable.length]!;
        const list = await outcomeOf(sediment.s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 20 })));
        const get = await outcomeOf(sediment.s3.send(new GetObjectCommand({ Bucket: getBucket, Key: key.join('/') })));
        reads += 2;
        if (list.status !== 200) failures.push(`list ${list.status} ${list.code}`);
        if (get.status !== 200) failures.push(`get ${get.status} ${get.code}`);
        if (i % 5 === 0) {
          const body = randomBytes(16);
          const key = `during/${i}`;
          const written = await outcomeOf(sediment.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body })));
          writes++;
          if (written.status !== 200) failures.push(`put ${written.status} ${written.code}`);
          else live.set(`${bucket}/${key}`, sha256(body));
        }
      }
    })();

    const { stdout } = await sedimentCli(['replay']);
    stop = true;
    await traffic;

    target = /replaying .* into (\S+)/.exec(stdout)?.[1] ?? '';
    extraDatabases.push(target);
    const events = Number(/rebuilt (\d+) events/.exec(stdout)?.[1]);
    expect(events).toBeGreaterThanOrEqual(5000);
    expect(stdout).toMatch(/switched to \S+: digest sha256:[0-9a-f]{64} matched the live model/);
    expect(stdout).toContain(`the previous read model ${sediment.config.MONGO_DATABASE} is kept`);
    expect(failures).toEqual([]);
    expect(reads).toBeGreaterThan(0);
    expect(writes).toBeGreaterThan(0);

    const control = await sediment.db.collection('read_model').findOne({ _id: 'active' as never });
    expect(control).toMatchObject({ database: target, previous: sediment.config.MONGO_DATABASE });
    // The service kept its model's ledger from its first event: the switch compared two sums.
    const request = await sediment.db.collection('read_model').findOne({ _id: 'switch' as never });
    expect(request).toMatchObject({ status: 'switched', verifiedBy: 'ledgers' });
  });

  it('serves every object from the new database, and writes land there', async () => {
    for (const [path, digest] of [...live].filter((_, i) => i % 25 === 0)) {
      const [bucket, ...rest] = path.split('/');
      const object = await sediment.s3.send(new GetObjectCommand({ Bucket: bucket, Key: rest.join('/') }));
      expect(sha256(await object.Body!.transformToByteArray())).toBe(digest);
    }
    const listed = await sediment.s3.send(new ListObjectsV2Command({ Bucket: 'bg-3', Prefix: 'k/' }));
    expect(listed.KeyCount).toBe([...live.keys()].filter((p) => p.startsWith('bg-3/k/')).length);

    await sediment.s3.send(new PutObjectCommand({ Bucket: 'bg-0', Key: 'after-switch', Body: 'new' }));
    expect(await mongo.db(target).collection('objects').findOne({ _id: 'bg-0/after-switch' as never })).not.toBeNull();
    expect(await sediment.db.collection('objects').findOne({ _id: 'bg-0/after-switch' as never })).toBeNull();
  });

  it('gives the new database the janitor indexes, which the replay builds once its documents are in', async () => {
    const names = (await mongo.db(target).collection('versions').listIndexes().toArray()).map((index) => index.name as string);
    expect(names).toEqual(expect.arrayContaining(['object_id', 'parts_object_id']));
  });

  it('keeps identities across the switch: a user key made before it still reads, and its policy still limits it', async () => {
    expect(await mongo.db(target).collection('identities').findOne({ _id: 'user:replayed-reader' as never })).not.toBeNull();
    const reader = s3Client(sediment.url, readerKey);
    const [path] = [...live.keys()];
    const [bucket, ...key] = path!.split('/');
    expect((await outcomeOf(reader.send(new GetObjectCommand({ Bucket: bucket, Key: key.join('/') })))).status).toBe(200);
    const denied = await outcomeOf(reader.send(new PutObjectCommand({ Bucket: bucket, Key: 'nope', Body: 'x' })));
    expect({ status: denied.status, code: denied.code }).toEqual({ status: 403, code: 'AccessDenied' });
  });

  it('digests the same through the CLI as the live model, and keeps the old database until it is dropped', async () => {
    const { stdout } = await sedimentCli(['digest']);
    expect(stdout).toContain(target);
    expect(stdout).toMatch(/sha256:[0-9a-f]{64} buckets=8 objects=(\d+) versions=\1 identities=\d+/);
    expect(stdout).toContain((await digestReadModel(mongo.db(target))).digest);
    // The old database is still there, as it was before the replay (the traffic above aside).
    expect(await sediment.db.collection('objects').countDocuments()).toBeGreaterThan(0);
    expect(liveDigestBefore).toMatch(/^sha256:/);
    await expect(sedimentCli(['drop-read-model', '--database', target])).rejects.toMatchObject({ code: 65 });
  });

  it('resumes an interrupted replay from its checkpoints and reaches the same digest', async () => {
    const resumed = `${sediment.config.MONGO_DATABASE}_resume`;
    extraDatabases.push(resumed);
    const child = spawn(process.execPath, ['dist/cli/main.js', 'replay', '--database', resumed, '--no-switch'], { env: cliEnv(), stdio: 'pipe' });
    // Kill it once it has applied a first checkpoint's worth of events.
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const saved = await mongo.db(resumed).collection('projection_checkpoints').countDocuments().catch(() => 0);
      if (saved > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const partial = await mongo.db(resumed).collection('objects').countDocuments();

    const { stdout } = await sedimentCli(['replay', '--database', resumed, '--no-switch']);
    const replayedSecondTime = Number(/rebuilt (\d+) events/.exec(stdout)?.[1]);
    expect(partial).toBeGreaterThan(0);
    expect(replayedSecondTime).toBeLessThan(5000); // it did not start over
    expect((await digestReadModel(mongo.db(resumed))).digest).toBe((await digestReadModel(mongo.db(target))).digest);
  });
});

describe('point-in-time rebuild (sediment replay --until)', () => {
  it('brings back an object deleted after the chosen moment, served by a read-only Sediment', async () => {
    const body = randomBytes(4096);
    await sediment.s3.send(new PutObjectCommand({ Bucket: 'bg-1', Key: 'precious.bin', Body: body }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const moment = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await sediment.s3.send(new DeleteObjectCommand({ Bucket: 'bg-1', Key: 'precious.bin' }));
    await sediment.s3.send(new PutObjectCommand({ Bucket: 'bg-1', Key: 'later.txt', Body: 'after the moment' }));
    expect((await outcomeOf(sediment.s3.send(new GetObjectCommand({ Bucket: 'bg-1', Key: 'precious.bin' })))).code).toBe('NoSuchKey');

    const pit = `${sediment.config.MONGO_DATABASE}_pit`;
    extraDatabases.push(pit);
    const { stdout } = await sedimentCli(['replay', '--until', moment, '--database', pit]);
    expect(stdout).toContain(`as of ${moment}`);
    expect(stdout).toContain('SEDIMENT_READ_ONLY=true');
    // The live service did not move.
    expect(await sediment.db.collection('read_model').findOne({ _id: 'active' as never })).toMatchObject({ database: expect.not.stringContaining('_pit') });

    const snapshot = await startSediment({
      MONGO_DATABASE: pit,
      SEDIMENT_BUCKET_TOPIC: sediment.config.SEDIMENT_BUCKET_TOPIC,
      SEDIMENT_IDENTITY_TOPIC: sediment.config.SEDIMENT_IDENTITY_TOPIC,
      SEDIMENT_BLOB_DIR: sediment.config.SEDIMENT_BLOB_DIR,
      SEDIMENT_READ_ONLY: 'true',
    });
    try {
      const restored = await snapshot.s3.send(new GetObjectCommand({ Bucket: 'bg-1', Key: 'precious.bin' }));
      expect(sha256(await restored.Body!.transformToByteArray())).toBe(sha256(body));
      expect((await outcomeOf(snapshot.s3.send(new GetObjectCommand({ Bucket: 'bg-1', Key: 'later.txt' })))).code).toBe('NoSuchKey');
      const refused = await outcomeOf(snapshot.s3.send(new PutObjectCommand({ Bucket: 'bg-1', Key: 'x', Body: 'x' })));
      expect({ status: refused.status, code: refused.code }).toEqual({ status: 403, code: 'AccessDenied' });
      // Identities are rebuilt as of that moment too: the user's key reads the snapshot.
      const restoredByUser = await s3Client(snapshot.url, readerKey).send(new GetObjectCommand({ Bucket: 'bg-1', Key: 'precious.bin' }));
      expect(sha256(await restoredByUser.Body!.transformToByteArray())).toBe(sha256(body));
    } finally {
      await snapshot.stop({ keepData: true });
    }
  });
});
