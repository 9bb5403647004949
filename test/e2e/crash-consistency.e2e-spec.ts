// Issue #4 §3: "At-least-once delivery produces an exactly-once effect: `kill -9` mid-batch followed
// by a restart gives the same digest. So does a duplicated delivery."
//
// The BUILT service (dist/main.js) runs as a child process. Sixteen S3 clients create, overwrite and
// delete objects (each key has one writer, one request at a time, so what it must hold afterwards
// is known exactly), a DeleteObjects of 200 keys gives the projection a large batch, and the child
// is SIGKILLed while the projection is inside that batch (some of the 200 deletes are in the read
// model, not all) and requests are in flight. After a restart on the same database, topics and blob
// directory:
//   - every write a client saw acknowledged is in the log, in order, and is what HEAD/GET/LIST show
//     (read-after-write survives the crash); a request that got no answer took effect at most once,
//     and the read model shows it exactly when the log holds it;
//   - the read model digests the same as one rebuilt from the log by `sediment replay --no-switch`.
// Then the projection's checkpoints are moved back (service stopped) so that a restart re-delivers
// half the log, already applied: the digest does not change.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CreateUserCommand, DeleteUserCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { MongoClient, type Db } from 'mongodb';
import { digestReadModel } from '../../src/replay/read-model.digest.js';
import { outcomeOf } from '../support/concurrency-helpers.js';
import { assertTopicsMatchContract } from '../support/event-contract.js';
import { freePort } from '../support/free-port.js';
import { createUserWithKey, iamClient, policy } from '../support/iam-helpers.js';
import { fetchEndOffsets, readTopic } from '../support/kafka-topic-reader.js';
import {
  deleteTopic,
  KAFKA_BROKERS,
  MASTER_KEY,
  MONGO_URL,
  ROOT_ACCESS_KEY_ID,
  ROOT_SECRET,
  s3Client,
} from '../support/sediment-under-test.js';
import { NODE_FLAGS } from '../../src/node-flags.js';
import { readModelDocuments } from '../support/read-model-documents.js';

const DIST_MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
const DIST_CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const run = promisify(execFile);

const CLIENTS = 16;
const BUCKETS = Array.from({ length: 8 }, (_, i) => `cc-${i}`);
/** Filled before the workload; a DeleteObjects of all their keys is the batch the kill lands in. */
const BULK_BUCKETS = ['cc-bulk-0', 'cc-bulk-1'];
const BULK_KEYS = 200;
/** Acknowledged workload requests before the DeleteObjects goes out (and the kill with it). */
const WARM_UP_ACKS = 200;
/** Short, so a restart after the kill waits little for the dead process's writer lease. */
const WRITER_LEASE_MS = 5000;

const md5Etag = (body: Uint8Array) => `"${createHash('md5').update(body).digest('hex')}"`;

/** What one request does to one key: store a payload with this ETag, or delete it. */
type Effect = { kind: 'put'; etag: string } | { kind: 'delete' };

/**
 * One key's requests. Each key has a single writer that sends one request at a time, so every
 * effect it saw acknowledged must be in the log in this order, followed by at most the one
 * request that never got an answer (`pending`).
 */
interface KeyHistory {
  bucket: string;
  key: string;
  acked: Effect[];
  pending?: Effect;
}

interface Failure {
  what: string;
  status: number | undefined;
  code: string | undefined;
  afterKill: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((resolve) => child.once('exit', () => resolve()));

describe('crash consistency: kill -9 mid-batch, restart, duplicated delivery (dist/main.js as a child process)', () => {
  const id = randomBytes(5).toString('hex');
  const database = `e2e_crash_${id}`;
  const freshDatabase = `${database}_fresh`;
  const bucketTopic = `e2e.crash.bucket-events.${id}`;
  const identityTopic = `e2e.crash.identity-events.${id}`;
  let blobDir: string | undefined;
  let env: NodeJS.ProcessEnv;
  let url: string;
  let adminUrl: string;
  let child: ChildProcess | undefined;
  let output = '';
  let mongo: MongoClient;
  let db: Db;
  let s3: S3Client;
  const histories = new Map<string, KeyHistory>();
  const history = (bucket: string, key: string): KeyHistory => {
    const path = `${bucket}/${key}`;
    let h = histories.get(path);
    if (!h) histories.set(path, (h = { bucket, key, acked: [] }));
    return h;
  };

  async function startChild(): Promise<number> {
    const started = Date.now();
    output = '';
    const proc = spawn(process.execPath, [...NODE_FLAGS, DIST_MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-20_000);
    };
    proc.stdout!.on('data', keep);
    proc.stderr!.on('data', keep);
    const probe = s3Client(url);
    try {
      // Boot takes the writer lease (after a kill: once the dead holder's lease ran out) and waits
      // until the read model has caught up with the log before it listens.
      const deadline = Date.now() + 45_000;
      for (;;) {
        if (proc.exitCode !== null || proc.signalCode !== null) {
          throw new Error(`dist/main.js exited (${proc.exitCode ?? proc.signalCode}) before serving:\n${output}`);
        }
        try {
          await probe.send(new ListBucketsCommand({}));
          return Date.now() - started;
        } catch (error) {
          if (Date.now() > deadline) throw new Error(`dist/main.js did not answer ListBuckets within 45 s (${String(error)}):\n${output}`);
          await sleep(100);
        }
      }
    } finally {
      probe.destroy();
    }
  }

  async function stopChild(signal: NodeJS.Signals): Promise<void> {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const done = exited(proc);
    proc.kill(signal);
    const killer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
    await done;
    clearTimeout(killer);
  }

  async function metric(name: string, projection: string): Promise<number> {
    const text = await (await fetch(`${adminUrl}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${name}{projection="${projection}"} `));
    if (!line) throw new Error(`no ${name} for ${projection} in /metrics:\n${text}`);
    return Number(line.split(' ').at(-1));
  }

  /** Runs `count` tasks with `concurrency` workers. */
  async function inParallel(count: number, concurrency: number, task: (i: number) => Promise<unknown>): Promise<void> {
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < count) await task(next++);
      }),
    );
  }

  beforeAll(async () => {
    for (const file of [DIST_MAIN, DIST_CLI]) {
      if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` before this e2e test (it spawns the built service).`);
    }
    blobDir = await mkdtemp(join(tmpdir(), 'sediment-crash-blobs-'));
    const port = await freePort();
    const adminPort = await freePort();
    url = `http://127.0.0.1:${port}`;
    adminUrl = `http://127.0.0.1:${adminPort}`;
    env = {
      PATH: process.env.PATH ?? '',
      SEDIMENT_PORT: String(port),
      SEDIMENT_HOST: '127.0.0.1',
      // A fixed admin port (not 0): the duplicated-delivery test reads /metrics.
      SEDIMENT_ADMIN_PORT: String(adminPort),
      KAFKA_BROKERS,
      MONGO_URL,
      MONGO_DATABASE: database,
      SEDIMENT_BUCKET_TOPIC: bucketTopic,
      SEDIMENT_IDENTITY_TOPIC: identityTopic,
      SEDIMENT_TOPIC_PARTITIONS: '4',
      SEDIMENT_BLOB_DIR: blobDir,
      SEDIMENT_ROOT_ACCESS_KEY_ID: ROOT_ACCESS_KEY_ID,
      SEDIMENT_ROOT_SECRET_ACCESS_KEY: ROOT_SECRET,
      SEDIMENT_MASTER_KEY: MASTER_KEY,
      SEDIMENT_WRITER_LEASE_MS: String(WRITER_LEASE_MS),
      SEDIMENT_LOG_LEVEL: 'warn',
    };
    mongo = await new MongoClient(MONGO_URL).connect();
    db = mongo.db(database);
    await startChild();
    s3 = s3Client(url);

    for (const bucket of [...BUCKETS, ...BULK_BUCKETS]) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    // A few identity events too, so both projections are crashed, replayed and re-delivered.
    const iam = iamClient(url);
    const reader = await createUserWithKey(iam, 'crash-reader', {
      read: policy({ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: '*' }),
    });
    await iam.send(new UpdateAccessKeyCommand({ UserName: 'crash-reader', AccessKeyId: reader.accessKeyId, Status: 'Inactive' }));
    await iam.send(new CreateUserCommand({ UserName: 'crash-passing' }));
    await iam.send(new DeleteUserCommand({ UserName: 'crash-passing' }));
    iam.destroy();

    const bulk = BULK_BUCKETS.flatMap((bucket) => Array.from({ length: BULK_KEYS }, (_, i) => ({ bucket, key: `bulk/${i}` })));
    await inParallel(bulk.length, CLIENTS, async (i) => {
      const { bucket, key } = bulk[i]!;
      const body = randomBytes(32 + (i % 97));
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
      history(bucket, key).acked.push({ kind: 'put', etag: md5Etag(body) });
    });
  }, 90_000);

  afterAll(async () => {
    s3?.destroy();
    await stopChild('SIGKILL');
    if (blobDir) await rm(blobDir, { recursive: true, force: true });
    // Every event written, the crash included, must still match docs/asyncapi.yaml: checked before
    // the topics go, reported after the clean-up.
    const contractError = await assertTopicsMatchContract({ bucket: bucketTopic, identity: identityTopic }).then(
      () => undefined,
      (error: unknown) => error ?? new Error('the event contract check failed'),
    );
    if (mongo) {
      for (const name of [database, freshDatabase]) await mongo.db(name).dropDatabase().catch(() => undefined);
      await mongo.close();
    }
    await deleteTopic(bucketTopic);
    await deleteTopic(identityTopic);
    if (contractError !== undefined) throw contractError;
  }, 60_000);

  let liveDigest: string;

  it('kill -9 while the projection is inside a 200-event batch and requests are in flight: acknowledged writes survive, the digest equals a replay of the log', async () => {
    const failures: Failure[] = [];
    let killed = false;
    let inFlight = 0;
    let acks = 0;
    const counts = { put: 0, overwrite: 0, delete: 0 };

    /** Sends one request for `h`; records its effect as acknowledged or, without an answer, pending. */
    async function request(h: KeyHistory, effect: Effect, what: string, send: () => Promise<{ $metadata?: { httpStatusCode?: number } }>) {
      h.pending = effect;
      inFlight++;
      const outcome = await outcomeOf(send());
      inFlight--;
      if (outcome.status === 200 || outcome.status === 204) {
        h.acked.push(effect);
        h.pending = undefined;
        acks++;
        return true;
      }
      failures.push({ what, status: outcome.status, code: outcome.code, afterKill: killed });
      return false; // pending stays: it may or may not have reached the log
    }

    // Client c owns the keys `c<c>/…` of bucket cc-<c % 8>: two clients per bucket, so requests
    // queue on the bucket's writer as well as run concurrently across buckets.
    const clients = Array.from({ length: CLIENTS }, () => s3Client(url));
    const workers = clients.map(async (client, c) => {
      const bucket = BUCKETS[c % BUCKETS.length]!;
      const live: string[] = [];
      let n = 0;
      while (!killed) {
        const roll = Math.random();
        if (live.length < 8 || roll < 0.5) {
          const key = `c${c}/k${n++}`;
          const body = randomBytes(16 + Math.floor(Math.random() * 700));
          const ok = await request(history(bucket, key), { kind: 'put', etag: md5Etag(body) }, `put ${bucket}/${key}`, () =>
            client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body })),
          );
          counts.put++;
          if (ok) live.push(key);
        } else {
          const index = Math.floor(Math.random() * live.length);
          const key = live[index]!;
          // Off the list while in flight; back on only if acknowledged (an unanswered key is left alone).
          live.splice(index, 1);
          if (roll < 0.8) {
            const body = randomBytes(16 + Math.floor(Math.random() * 700));
            const ok = await request(history(bucket, key), { kind: 'put', etag: md5Etag(body) }, `overwrite ${bucket}/${key}`, () =>
              client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body })),
            );
            counts.overwrite++;
            if (ok) live.push(key);
          } else {
            await request(history(bucket, key), { kind: 'delete' }, `delete ${bucket}/${key}`, () =>
              client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })),
            );
            counts.delete++;
          }
        }
      }
    });

    // The kill: once the workload is warm, DeleteObjects of a bulk bucket's 200 keys (one event
    // per key, ~1 KiB each, so one record batch in one produce request, and one projection batch).
    // The read model is watched; the child is killed once a quarter of the keys are gone and
    // some are not. If the whole batch is applied between two looks (a fast machine), the second
    // bulk bucket is tried, killing at the first partial state seen.
    const workloadStarted = Date.now();
    while (acks < WARM_UP_ACKS && Date.now() - workloadStarted < 20_000) await sleep(20);
    let killBatch: { bucket: string; remaining: number; inFlight: number } | undefined;
    const batchOutcomes: Array<Promise<unknown>> = [];
    for (const [attempt, bucket] of BULK_BUCKETS.entries()) {
      const killAtOrBelow = attempt === 0 ? (BULK_KEYS * 3) / 4 : BULK_KEYS - 1;
      const keys = Array.from({ length: BULK_KEYS }, (_, i) => `bulk/${i}`);
      let answered = false;
      const batch = keys.map((key) => history(bucket, key));
      for (const h of batch) h.pending = { kind: 'delete' };
      const sent = outcomeOf(s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.map((Key) => ({ Key })) } }))).then(
        (outcome) => {
          answered = true;
          if (outcome.status === 200 && (outcome.value?.Errors ?? []).length === 0) {
            for (const h of batch) {
              h.acked.push({ kind: 'delete' });
              h.pending = undefined;
            }
          } else {
            failures.push({ what: `DeleteObjects ${bucket}`, status: outcome.status, code: outcome.code, afterKill: killed });
          }
        },
      );
      batchOutcomes.push(sent);
      const deadline = Date.now() + 20_000;
      while (!answered && Date.now() < deadline) {
        const remaining = (await readModelDocuments(db, 'objects', (doc) => doc.bucket === bucket)).length;
        if (remaining > 0 && remaining <= killAtOrBelow) {
          killBatch = { bucket, remaining, inFlight };
          killed = true;
          child!.kill('SIGKILL');
          break;
        }
      }
      if (killBatch) break;
      await sent; // it went through before a partial state was seen: try the next bulk bucket
    }
    const workloadMs = Date.now() - workloadStarted;
    if (!killBatch) {
      killed = true;
      child!.kill('SIGKILL');
    }
    await exited(child!);
    await Promise.all([...workers, ...batchOutcomes]);
    clients.forEach((client) => client.destroy());
    s3.destroy();

    expect(killBatch).toBeDefined(); // the kill landed inside the DeleteObjects batch
    expect(killBatch!.inFlight).toBeGreaterThan(0); // with workload requests in flight
    // No request failed while the service was up; after the kill, only unanswered ones.
    expect(failures.filter((f) => !f.afterKill)).toEqual([]);
    expect(failures.filter((f) => f.status !== undefined)).toEqual([]);
    const checkpointsAtKill = await db
      .collection<{ partition: number; offset: number }>('projection_checkpoints')
      .find({ projection: 'bucket-metadata' })
      .toArray();

    const restartMs = await startChild();
    s3 = s3Client(url);

    // The log: every acknowledged effect of a key, in order, then at most its unanswered request.
    const records = await readTopic(bucketTopic);
    const logged = new Map<string, Effect[]>();
    for (const r of records) {
      const e = r.value as { type: string; data: { bucket: string; key?: string; etag?: string } };
      if (e.type !== 'ObjectStored' && e.type !== 'ObjectDeleted') continue;
      const path = `${e.data.bucket}/${e.data.key}`;
      logged.set(path, [...(logged.get(path) ?? []), e.type === 'ObjectStored' ? { kind: 'put', etag: e.data.etag! } : { kind: 'delete' }]);
    }
    const unanswered = { appended: 0, lost: 0 };
    const mismatches: string[] = [];
    const expected = new Map<string, Effect>();
    for (const [path, h] of histories) {
      const inLog = logged.get(path) ?? [];
      const withPending = h.pending ? [...h.acked, h.pending] : h.acked;
      if (JSON.stringify(inLog) === JSON.stringify(withPending) && h.pending) unanswered.appended++;
      else if (JSON.stringify(inLog) === JSON.stringify(h.acked)) unanswered.lost += h.pending ? 1 : 0;
      else mismatches.push(`${path}: log ${JSON.stringify(inLog)}, acknowledged ${JSON.stringify(h.acked)}, pending ${JSON.stringify(h.pending)}`);
      // A key whose only request went unanswered and never reached the log does not exist.
      expected.set(path, inLog.at(-1) ?? { kind: 'delete' });
    }
    expect(mismatches).toEqual([]);
    // The batch the projection was in the middle of is in the log whole, and so in the read model.
    for (let i = 0; i < BULK_KEYS; i++) expect(expected.get(`${killBatch!.bucket}/bulk/${i}`)).toEqual({ kind: 'delete' });
    // Its events are consecutive; the checkpoint the killed process left is below the last one it
    // had applied, so the restart re-delivered deletes that were already in the read model.
    const batchEvents = records.filter((r) => r.key === killBatch!.bucket && (r.value as { type: string }).type === 'ObjectDeleted');
    expect(batchEvents).toHaveLength(BULK_KEYS);
    const batchPartition = batchEvents[0]!.partition;
    const firstDelete = batchEvents[0]!.offset;
    expect(batchEvents.map((r) => r.offset)).toEqual(Array.from({ length: BULK_KEYS }, (_, i) => firstDelete + i));
    const appliedAtKill = BULK_KEYS - killBatch!.remaining;
    const checkpointAtKill = checkpointsAtKill.find((c) => c.partition === batchPartition)?.offset ?? -1;
    expect(checkpointAtKill).toBeLessThan(firstDelete + appliedAtKill - 1);

    // Read-after-write survived the crash: HEAD shows every key's last effect (for an acknowledged
    // request, that request's ETag unless its own unanswered successor reached the log), GET
    // returns its bytes, and LIST shows nothing else.
    const paths = [...expected.keys()];
    const wrong: string[] = [];
    await inParallel(paths.length, CLIENTS, async (i) => {
      const path = paths[i]!;
      const { bucket, key } = histories.get(path)!;
      const want = expected.get(path)!;
      const head = await outcomeOf(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })));
      const got = head.status === 200 ? { kind: 'put', etag: head.value?.ETag } : head.status === 404 ? { kind: 'delete' } : head;
      if (JSON.stringify(got) !== JSON.stringify(want)) wrong.push(`HEAD ${path}: ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
      if (want.kind === 'put' && !key.startsWith('bulk/')) {
        const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        const etag = md5Etag(await object.Body!.transformToByteArray());
        if (etag !== want.etag) wrong.push(`GET ${path}: bytes hash to ${etag}, expected ${want.etag}`);
      }
    });
    expect(wrong).toEqual([]);
    for (const bucket of [...BUCKETS, ...BULK_BUCKETS]) {
      const listed: string[] = [];
      let token: string | undefined;
      do {
        const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
        listed.push(...(page.Contents ?? []).map((o) => `${bucket}/${o.Key}`));
        token = page.NextContinuationToken;
      } while (token);
      const present = paths.filter((p) => p.startsWith(`${bucket}/`) && expected.get(p)!.kind === 'put');
      expect(listed.sort()).toEqual(present.sort());
    }

    // A read model rebuilt from the log by the operator CLI digests the same as the one that was
    // killed mid-batch and resumed.
    const replayStarted = Date.now();
    const { stdout } = await run(process.execPath, [DIST_CLI, 'replay', '--database', freshDatabase, '--no-switch'], {
      env,
      timeout: 60_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    const replayMs = Date.now() - replayStarted;
    expect(stdout).toMatch(/rebuilt \d+ events/);
    const live = await digestReadModel(db);
    const fresh = await digestReadModel(mongo.db(freshDatabase));
    expect(live.counts.objects).toBeGreaterThan(0);
    expect(live.counts.identities).toBeGreaterThan(0);
    expect(live).toEqual(fresh);
    liveDigest = live.digest;

    const kill = killBatch!;
    console.log(
      [
        `crash consistency (${records.length} bucket events; ${counts.put} puts, ${counts.overwrite} overwrites, ${counts.delete} deletes by ${CLIENTS} clients in ${workloadMs} ms):`,
        `  kill -9 with ${appliedAtKill}/${BULK_KEYS} deletes of the DeleteObjects on ${kill.bucket} (partition ${batchPartition}, offsets ${firstDelete}..${firstDelete + BULK_KEYS - 1}) applied and ${kill.inFlight} requests in flight`,
        `  bucket-metadata checkpoints at the kill: ${JSON.stringify(checkpointsAtKill.map((c) => [c.partition, c.offset]))}`,
        `  unanswered keys (the batch's ${BULK_KEYS} included): ${unanswered.appended} reached the log (applied after the restart), ${unanswered.lost} did not (no effect)`,
        `  restart until serving: ${restartMs} ms; CLI replay into ${freshDatabase}: ${replayMs} ms`,
        `  digest ${live.digest} ${JSON.stringify(live.counts)} (live = replayed)`,
      ].join('\n'),
    );
  }, 120_000);

  it('a duplicated delivery (checkpoints moved back, service restarted) re-applies half the log and changes nothing', async () => {
    expect(liveDigest).toBeDefined();
    s3.destroy();
    await stopChild('SIGTERM'); // a graceful stop saves the checkpoints at the log's end
    const bucketEnds = await fetchEndOffsets(bucketTopic);
    const identityEnds = await fetchEndOffsets(identityTopic);
    const checkpoints = db.collection<{ _id: string; projection: string; topic: string; partition: number; offset: number }>(
      'projection_checkpoints',
    );
    const saved = await checkpoints.find({ projection: 'bucket-metadata', topic: bucketTopic }).toArray();
    expect(new Map(saved.map((c) => [c.partition, c.offset]))).toEqual(
      new Map([...bucketEnds].filter(([, end]) => end > 0).map(([p, end]) => [p, end - 1])),
    );

    // Back to half of each partition: the restart re-delivers [end/2, end). Identities from 0.
    let redelivered = 0;
    for (const [partition, end] of bucketEnds) {
      const resumeAt = Math.floor(end / 2);
      redelivered += end - resumeAt;
      const _id = `bucket-metadata:${bucketTopic}:${partition}`;
      if (resumeAt === 0) await checkpoints.deleteOne({ _id });
      else await checkpoints.replaceOne({ _id }, { projection: 'bucket-metadata', topic: bucketTopic, partition, offset: resumeAt - 1 }, { upsert: true });
    }
    const identityRedelivered = [...identityEnds.values()].reduce((a, b) => a + b, 0);
    await checkpoints.deleteMany({ projection: 'identity', topic: identityTopic });
    expect(redelivered).toBeGreaterThan(300);

    const restartMs = await startChild();
    s3 = s3Client(url);
    // The projections applied every re-delivered event again (the counter counts events past the
    // checkpoint since this start), and the read model is the same.
    expect(await metric('sediment_projection_events_applied_total', 'bucket-metadata')).toBe(redelivered);
    expect(await metric('sediment_projection_events_applied_total', 'identity')).toBe(identityRedelivered);
    const after = await digestReadModel(db);
    expect(after.digest).toBe(liveDigest);
    expect(after).toEqual(await digestReadModel(mongo.db(freshDatabase)));
    console.log(
      `duplicated delivery: ${redelivered} bucket events and ${identityRedelivered} identity events re-delivered; ` +
        `restart until serving ${restartMs} ms; digest unchanged (${after.digest})`,
    );
  }, 60_000);
});
