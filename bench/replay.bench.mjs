// Replay rate: how fast `sediment replay` rebuilds the read model from the log.
//   npm run bench:replay                 (needs `scripts/infra.sh up`; builds first)
//   BENCH_EVENTS=100000 (default) BENCH_BUCKETS=50 BENCH_HOT=5000 (overwrites and deletes pick among
//   that many live keys: a small hot set makes a key change several times within one batch)
// Writes a synthetic log straight to fresh topics (creates, overwrites, deletes across many
// buckets, in the exact envelope the service writes), then rebuilds it into a fresh database with
// the replay engine the CLI uses, and prints one table.
import { randomBytes, randomUUID } from 'node:crypto';
import kafkajs from 'kafkajs';
import { MongoClient } from 'mongodb';
import { encodeEnvelope, envelope } from '../dist/event-log/event-envelope.js';
import { ensureTopic } from '../dist/messaging/topics.js';
import { digestReadModel } from '../dist/replay/read-model.digest.js';
import { replayReadModel } from '../dist/replay/replay.engine.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const BUCKETS = Number(process.env.BENCH_BUCKETS ?? 50);
const HOT = Number(process.env.BENCH_HOT ?? 5000);
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const mongoUrl = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017';
const id = randomBytes(4).toString('hex');
const topics = { bucketTopic: `bench.replay.bucket-events.${id}`, identityTopic: `bench.replay.identity-events.${id}` };

const kafka = new kafkajs.Kafka({ clientId: 'replay-bench', brokers, logLevel: kafkajs.logLevel.NOTHING });
const admin = kafka.admin();
await admin.connect();
const spec = { replicationFactor: 1, minInsyncReplicas: 1 };
await ensureTopic(admin, { topic: topics.bucketTopic, partitions: 12, ...spec });
await ensureTopic(admin, { topic: topics.identityTopic, partitions: 1, ...spec });

// The synthetic history: every bucket created, then 80% new keys, 10% overwrites, 10% deletes.
const principal = { accessKeyId: 'SEDIMENTBENCHROOT001', arn: 'arn:aws:iam::000000000000:root' };
const owner = 'f'.repeat(64);
const live = new Map(); // bucket/key -> objectId
const liveKeys = []; // the same paths, for a random pick in constant time
const buckets = Array.from({ length: BUCKETS }, (_, i) => ({ name: `replay-bench-${i}`, id: randomUUID() }));
const byName = new Map(buckets.map((b) => [b.name, b]));
const events = buckets.map((b) => ({ bucket: b.name, event: { type: 'BucketCreated', data: { bucket: b.name, bucketId: b.id, owner, ownerDisplayName: 'root', region: 'us-east-1', createdAt: new Date().toISOString() } } }));
let keyCounter = 0;
while (events.length < EVENTS) {
  const b = buckets[events.length % BUCKETS];
  const roll = events.length % 10;
  const now = new Date().toISOString();
  if (roll < 8 || live.size === 0) {
    const key = `k/${keyCounter++}`;
    const objectId = randomUUID();
    live.set(`${b.name}/${key}`, objectId);
    liveKeys.push(`${b.name}/${key}`);
    events.push({ bucket: b.name, event: stored(b, key, objectId, now) });
  } else {
    // Overwrites and deletes hit the first HOT live keys of the pick list.
    const at = Math.floor(Math.random() * Math.min(liveKeys.length, HOT));
    const path = liveKeys[at];
    const bucketName = path.slice(0, path.indexOf('/'));
    const key = path.slice(path.indexOf('/') + 1);
    const bucket = byName.get(bucketName);
    if (roll === 8) {
      const objectId = randomUUID();
      events.push({ bucket: bucketName, event: stored(bucket, key, objectId, now, live.get(path)) });
      live.set(path, objectId);
    } else {
      events.push({ bucket: bucketName, event: { type: 'ObjectDeleted', data: { bucket: bucketName, bucketId: bucket.id, key, objectId: live.get(path), deletedAt: now } } });
      live.delete(path);
      liveKeys[at] = liveKeys[liveKeys.length - 1];
      liveKeys.pop();
    }
  }
}
function stored(b, key, objectId, now, replacedObjectId) {
  return { type: 'ObjectStored', data: {
    bucket: b.name, bucketId: b.id, key, objectId, size: 1024, etag: `"${randomBytes(16).toString('hex')}"`, contentType: 'application/octet-stream',
    userMetadata: [], owner, ownerDisplayName: 'root', storedAt: now, storageClass: 'STANDARD', ...(replacedObjectId ? { replacedObjectId } : {}),
  } };
}

const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: kafkajs.Partitioners.DefaultPartitioner });
await producer.connect();
const writeStart = performance.now();
for (let i = 0; i < events.length; i += 2000) {
  const messages = events.slice(i, i + 2000).map(({ bucket, event }) => encodeEnvelope(envelope(event, bucket, randomUUID(), new Date(), principal)));
  await producer.send({ topic: topics.bucketTopic, acks: -1, messages });
}
const writeSeconds = (performance.now() - writeStart) / 1000;
await producer.disconnect();

const client = await new MongoClient(mongoUrl).connect();
const target = client.db(`replay_bench_${id}`);
let lastLine = 0;
const result = await replayReadModel({
  kafka, admin, topics, target,
  onProgress: ({ done, total }) => {
    if (Date.now() - lastLine > 5000) { lastLine = Date.now(); process.stderr.write(`  ${done}/${total}\n`); }
  },
});
const digestStart = performance.now();
const digest = await digestReadModel(target);
const digestSeconds = (performance.now() - digestStart) / 1000;

console.table([
  { step: 'write synthetic log', events: events.length, seconds: writeSeconds.toFixed(1), 'events/s': (events.length / writeSeconds).toFixed(0), note: `${BUCKETS} buckets, 12 partitions` },
  { step: 'replay into a fresh database', events: result.events, seconds: result.seconds.toFixed(1), 'events/s': (result.events / result.seconds).toFixed(0), note: `${live.size} objects live at the end; hot set ${HOT}` },
  { step: 'digest of the rebuilt model', events: '', seconds: digestSeconds.toFixed(1), 'events/s': '', note: `${digest.digest.slice(0, 23)}… ${JSON.stringify(digest.counts)}` },
]);

await target.dropDatabase();
await client.close();
await admin.deleteTopics({ topics: [topics.bucketTopic, topics.identityTopic] }).catch(() => undefined);
await admin.disconnect();
