// Before/after for the replay: the same log rebuilt by two builds of Sediment, alternating, in one
// run, with the CPU each process spent per event (the service's Node, FerretDB, PostgreSQL).
//   npm run build && node bench/replay-ab.bench.mjs <other dist>   (needs `scripts/infra.sh up`)
// where <other dist> is another build's dist/ (e.g. a worktree of an earlier commit, built with
// `npx tsc -p tsconfig.build.json`). BENCH_EVENTS [100000] new keys in one bucket (one partition,
// as bench:scale fills), BENCH_ROUNDS [2]. Numbers, not assertions.
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import kafkajs from 'kafkajs';
import { MongoClient } from 'mongodb';
import { resolve } from 'node:path';
const N = Number(process.env.BENCH_EVENTS ?? 100000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
if (!process.argv[2]) throw new Error('usage: node bench/replay-ab.bench.mjs <other dist>');
const builds = { other: resolve(process.argv[2]), this: resolve('dist') };
const { encodeEnvelope, envelope } = await import(`${builds.this}/event-log/event-envelope.js`);
const { ensureTopic } = await import(`${builds.this}/messaging/topics.js`);
const kafka = new kafkajs.Kafka({ clientId: 'ab', brokers: ['127.0.0.1:9092'], logLevel: kafkajs.logLevel.NOTHING });
const admin = kafka.admin(); await admin.connect();
const id = randomUUID().slice(0, 8);
const topics = { bucketTopic: `ab.bucket.${id}`, identityTopic: `ab.identity.${id}`, controlTopic: `ab.control.${id}` };
for (const [t, p] of [[topics.bucketTopic, 12], [topics.identityTopic, 1], [topics.controlTopic, 1]]) await ensureTopic(admin, { topic: t, partitions: p, replicationFactor: 1, minInsyncReplicas: 1 });
const principal = { accessKeyId: 'SEDIMENTBENCHROOT001', arn: 'arn:aws:iam::000000000000:root' };
const owner = 'f'.repeat(64); const bucket = 'ab'; const bucketId = randomUUID(); const now = new Date().toISOString();
const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: kafkajs.Partitioners.DefaultPartitioner }); await producer.connect();
const ev = (i) => i === 0
  ? { type: 'BucketCreated', data: { bucket, bucketId, owner, ownerDisplayName: 'root', region: 'us-east-1', createdAt: now } }
  : { type: 'ObjectStored', data: { bucket, bucketId, key: `d${String(i % 100).padStart(3, '0')}/${String(i).padStart(9, '0')}`, objectId: randomUUID(), size: 1024, etag: '"0123456789abcdef0123456789abcdef"', contentType: 'application/octet-stream', userMetadata: [], owner, ownerDisplayName: 'root', storedAt: now, storageClass: 'STANDARD' } };
for (let i = 0; i < N; i += 1000) await producer.send({ topic: topics.bucketTopic, acks: -1, messages: Array.from({ length: Math.min(1000, N - i) }, (_, j) => encodeEnvelope(envelope(ev(i + j), bucket, randomUUID(), new Date(), principal))) });
await producer.disconnect();
const tick = 100; // USER_HZ
/** CPU seconds so far of every process with this name. */
function cpuOf(name) { let t = 0; for (const pid of readdirSync('/proc')) { if (!/^\d+$/.test(pid)) continue; try { const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim(); if (comm !== name) continue; const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); t += (Number(f[11]) + Number(f[12])) / tick; } catch { /* the process ended meanwhile */ } } return t; }
const mongo = await new MongoClient('mongodb://127.0.0.1:27017').connect();
const rows = [];
for (const variant of Array.from({ length: ROUNDS }, () => ['other', 'this']).flat()) {
  const { replayReadModel } = await import(`${builds[variant]}/replay/replay.engine.js`);
  const target = mongo.db(`ab_${variant}_${randomUUID().slice(0, 6)}`);
  const before = { f: cpuOf('ferretdb'), p: cpuOf('postgres'), n: process.cpuUsage() };
  const r = await replayReadModel({ kafka, admin, topics, target });
  const n = process.cpuUsage(before.n);
  const cpu = { node: (n.user + n.system) / 1e6, ferretdb: cpuOf('ferretdb') - before.f, postgres: cpuOf('postgres') - before.p };
  rows.push({ build: variant === 'this' ? 'this build' : process.argv[2], events: r.events, seconds: r.seconds.toFixed(1), 'events/s': (r.events / r.seconds).toFixed(0), 'node ms/1k ev': (1e6 * cpu.node / r.events).toFixed(0), 'ferretdb ms/1k ev': (1e6 * cpu.ferretdb / r.events).toFixed(0), 'postgres ms/1k ev': (1e6 * cpu.postgres / r.events).toFixed(0) });
  await target.dropDatabase();
}
console.table(rows);
await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
await admin.disconnect(); await mongo.close();
