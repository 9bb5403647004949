// Request latency as one bucket grows, the replay rate, and the blue/green switch's write hold.
//   npm run bench:scale                 (needs `scripts/infra.sh up`; builds first)
//   npm run bench:scale -- 100000       (the largest size; default 1,000,000)
// Fills one bucket in steps (1,000, 10,000, … up to the size) and at each step measures the p50
// of the requests a user makes: PutObject, GetObject and HeadObject on random keys; ListObjectsV2
// pages of 100 from the start, from the middle, under a prefix, with delimiter=/ over 100 common
// prefixes; ListObjectVersions pages; DeleteBucket's emptiness check. Then it rebuilds the whole
// log into a fresh database (the replay rate) and switches the live service to it (the write
// hold), and beside the replay what the database alone accepts through insertMany in the same run
// (the peer its rate is a ratio of). Prints one table per part; numbers, not assertions.
//
// The bucket is filled through the log, not through PUTs (a million PUTs take hours): events in
// the exact envelope the service writes go straight onto its topic, and its projection applies
// them as it applies its own. Every filled object shares the payload of one real object, as
// copies do, so GETs read real bytes.
import { randomBytes, randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import kafkajs from 'kafkajs';
import { MongoClient } from 'mongodb';
import {
  S3Client, CreateBucketCommand, PutObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, ListObjectVersionsCommand, DeleteBucketCommand,
} from '@aws-sdk/client-s3';
import { createSedimentApp } from '../dist/app/create-app.js';
import { encodeEnvelope, envelope } from '../dist/event-log/event-envelope.js';
import { packedCollections } from '../dist/metadata/packed-collection.js';
import { ProjectionProgress } from '../dist/projections/projection-progress.js';
import { ReadModelSwitcher } from '../dist/replay/read-model.switcher.js';
import { replayReadModel } from '../dist/replay/replay.engine.js';
import { benchConfig } from './bench-service.mjs';

const TARGET = Number(process.argv[2] ?? process.env.BENCH_OBJECTS ?? 1_000_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 60);
const PREFIXES = 100;
const steps = [];
for (let n = 1000; n < TARGET; n *= 10) steps.push(n);
steps.push(TARGET);

const { blobDir, config } = await benchConfig();
const app = await createSedimentApp(config);
await app.listen(0, '127.0.0.1');
const endpoint = `http://127.0.0.1:${app.getHttpServer().address().port}`;
const s3 = new S3Client({
  endpoint, region: 'us-east-1', forcePathStyle: true, maxAttempts: 1,
  credentials: { accessKeyId: config.SEDIMENT_ROOT_ACCESS_KEY_ID, secretAccessKey: config.SEDIMENT_ROOT_SECRET_ACCESS_KEY },
});
const mongo = await new MongoClient(config.MONGO_URL).connect();
const kafka = new kafkajs.Kafka({ clientId: 'scale-bench', brokers: config.KAFKA_BROKERS.split(','), logLevel: kafkajs.logLevel.NOTHING });
const admin = kafka.admin();
await admin.connect();
const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: kafkajs.Partitioners.DefaultPartitioner });
await producer.connect();

const bucket = 'scale';
await s3.send(new CreateBucketCommand({ Bucket: bucket }));
// The one real payload every filled object shares.
await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'payload', Body: randomBytes(1024) }));
const home = mongo.db(config.MONGO_DATABASE);
const source = await packedCollections(home).objects.findOne({ _id: `${bucket}/payload` });
const bucketDoc = await home.collection('buckets').findOne({ _id: bucket });

const keyOf = (i) => `d${String(i % PREFIXES).padStart(3, '0')}/${String(i).padStart(9, '0')}`;
const principal = { accessKeyId: config.SEDIMENT_ROOT_ACCESS_KEY_ID, arn: 'arn:aws:iam::000000000000:root' };
let filled = 0;

/** Appends `count` ObjectStored events for new keys, as the service would have. */
async function fill(count) {
  const started = performance.now();
  const storedAt = new Date().toISOString();
  for (let sent = 0; sent < count; ) {
    // One produce request stays under the broker's 1 MB message.max.bytes.
    const batch = Math.min(1000, count - sent);
    const messages = [];
    for (let j = 0; j < batch; j++) {
      const data = {
        bucket, bucketId: bucketDoc.bucketId, key: keyOf(filled + sent + j), objectId: source.objectId, size: source.size, etag: source.etag,
        contentType: 'application/octet-stream', userMetadata: [], owner: bucketDoc.owner, ownerDisplayName: bucketDoc.ownerDisplayName,
        storedAt, storageClass: 'STANDARD',
      };
      messages.push(encodeEnvelope(envelope({ type: 'ObjectStored', data }, bucket, randomUUID(), new Date(), principal)));
    }
    await producer.send({ topic: config.SEDIMENT_BUCKET_TOPIC, acks: -1, messages });
    sent += batch;
  }
  filled += count;
  const produced = performance.now();
  await projectionCaughtUp();
  return { produceSeconds: (produced - started) / 1000, applySeconds: (performance.now() - produced) / 1000 };
}

async function projectionCaughtUp() {
  const progress = app.get(ProjectionProgress);
  for (;;) {
    const ends = await admin.fetchTopicOffsets(config.SEDIMENT_BUCKET_TOPIC);
    if (ends.every((o) => progress.appliedOffset(o.partition) >= Number(o.high) - 1)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const p50 = async (n, fn) => {
  const samples = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
};
const random = () => Math.floor(Math.random() * filled);
const fmt = (ms) => ms.toFixed(1);

const latencies = [];
const fills = [];
for (const size of steps) {
  const fillStats = await fill(size - filled);
  fills.push({ 'objects': size, 'produce s': fillStats.produceSeconds.toFixed(1), 'projection apply s': fillStats.applySeconds.toFixed(1), 'applied events/s': ((size - (fills.at(-1)?.objects ?? 0)) / Math.max(fillStats.applySeconds, 0.001)).toFixed(0) });
  const middle = keyOf(Math.floor(filled / 2));
  latencies.push({
    objects: size,
    'PUT': fmt(await p50(SAMPLES, (i) => s3.send(new PutObjectCommand({ Bucket: bucket, Key: `new/${size}/${i}`, Body: 'x'.repeat(1024) })))),
    'GET': fmt(await p50(SAMPLES, async () => (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: keyOf(random()) }))).Body.transformToByteArray())),
    'HEAD': fmt(await p50(SAMPLES, () => s3.send(new HeadObjectCommand({ Bucket: bucket, Key: keyOf(random()) })))),
    'LIST start': fmt(await p50(SAMPLES / 2, () => s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 100 })))),
    'LIST middle': fmt(await p50(SAMPLES / 2, () => s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 100, StartAfter: middle })))),
    // 'd05' holds 10 of the 100 prefixes: a full page of 100 from 1,000 objects on.
    'LIST prefix': fmt(await p50(SAMPLES / 2, () => s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 100, Prefix: 'd05' })))),
    'LIST delimiter': fmt(await p50(SAMPLES / 2, async () => {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Delimiter: '/', MaxKeys: 100 }));
      if ((page.CommonPrefixes ?? []).length < PREFIXES) throw new Error(`expected ${PREFIXES} common prefixes, got ${page.CommonPrefixes?.length}`);
    })),
    'VERSIONS start': fmt(await p50(SAMPLES / 2, () => s3.send(new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: 100 })))),
    'VERSIONS middle': fmt(await p50(SAMPLES / 2, () => s3.send(new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: 100, KeyMarker: middle })))),
    'DeleteBucket (not empty)': fmt(await p50(SAMPLES / 2, () => s3.send(new DeleteBucketCommand({ Bucket: bucket })).then(
      () => { throw new Error('the bucket was deleted'); },
      (error) => { if (error.name !== 'BucketNotEmpty') throw error; },
    ))),
  });
  process.stderr.write(`  ${size} objects measured\n`);
}

// The replay rate: the whole log rebuilt into an empty database, as `sediment replay` does.
const topics = { bucketTopic: config.SEDIMENT_BUCKET_TOPIC, identityTopic: config.SEDIMENT_IDENTITY_TOPIC, controlTopic: config.SEDIMENT_CONTROL_TOPIC };
const target = `${config.MONGO_DATABASE}_rebuilt`;
const replay = await replayReadModel({ kafka, admin, topics, target: mongo.db(target) });

// The switch, with a writer putting objects all along: how long its writes were held.
const switcher = app.get(ReadModelSwitcher);
let writing = true;
let written = 0;
const writer = (async () => {
  for (let i = 0; writing; i++) {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `during-switch/${i}`, Body: 'x' }));
    written++;
  }
})();
const request = { _id: 'switch', target, status: 'requested', requestedAt: new Date() };
await home.collection('read_model').replaceOne({ _id: 'switch' }, request, { upsert: true });
const switchStarted = performance.now();
await switcher.perform(request);
const switchSeconds = (performance.now() - switchStarted) / 1000;
writing = false;
await writer;
const outcome = await home.collection('read_model').findOne({ _id: 'switch' });

// The peer: how many documents/s the database itself accepts through insertMany (object-shaped
// documents, batches of 1,000, 2 in flight), in this run, on this machine.
const peerDb = mongo.db(`${config.MONGO_DATABASE}_peer`);
const PEER_DOCS = 200_000;
/** Documents/s of insertMany into a fresh collection, the documents made by `make`. */
async function peerInserts(name, make) {
  const started = performance.now();
  let next = 0;
  await Promise.all([0, 1].map(async () => {
    while (next < PEER_DOCS) {
      const from = next;
      next += 1000;
      await peerDb.collection(name).insertMany(Array.from({ length: 1000 }, (_, j) => make(from + j)), { ordered: false });
    }
  }));
  return PEER_DOCS / ((performance.now() - started) / 1000);
}
const peerObject = (i) => ({ ...source, _id: `${bucket}/peer/${i}`, key: `peer/${i}` });
// The documents as stored (ADR 0027), and the same documents with every field its own (before it).
const peerPacked = packedCollections(peerDb).objects;
const peerRate = await peerInserts('objects', (i) => peerPacked.pack(peerObject(i)));
const peerUnpackedRate = await peerInserts('unpacked', peerObject);
await peerDb.dropDatabase();
// Each replayed ObjectStored writes three documents: objects, versions, listing_tree.
const replayDocsRate = (3 * replay.events) / replay.seconds;

console.log(`\nRequest latency, p50 in ms, one bucket of N objects (${SAMPLES} samples; lists and the delete check ${SAMPLES / 2})`);
console.table(latencies);
console.log('Filling through the log: the live projection applying the events');
console.table(fills);
console.log('Rebuild and switch');
console.table([
  { step: `replay ${replay.events} events into an empty database`, seconds: replay.seconds.toFixed(1), rate: `${(replay.events / replay.seconds).toFixed(0)} events/s`, note: `its ledger from the documents: ${replay.ledgerSeconds.toFixed(1)} s more` },
  { step: `the database alone: insertMany of ${PEER_DOCS} object documents, packed`, seconds: '', rate: `${peerRate.toFixed(0)} documents/s`, note: `the replay wrote ${replayDocsRate.toFixed(0)} documents/s: ${(replayDocsRate / peerRate * 100).toFixed(0)}% of it` },
  { step: `the same documents with every field its own`, seconds: '', rate: `${peerUnpackedRate.toFixed(0)} documents/s`, note: `packing: ${(peerRate / peerUnpackedRate).toFixed(2)}x` },
  { step: 'blue/green switch to it', seconds: switchSeconds.toFixed(1), rate: `writes held ${outcome.heldWritesMs} ms`, note: `${outcome.status}, verified by ${outcome.verifiedBy}; ${written} PUTs during the switch${outcome.error ? `; ${outcome.error}` : ''}` },
]);

await app.close();
await producer.disconnect();
for (const name of [config.MONGO_DATABASE, target]) await mongo.db(name).dropDatabase();
await mongo.close();
await admin.deleteTopics({ topics: [config.SEDIMENT_BUCKET_TOPIC, config.SEDIMENT_IDENTITY_TOPIC, config.SEDIMENT_CONTROL_TOPIC] }).catch(() => undefined);
await admin.disconnect();
await rm(blobDir, { recursive: true, force: true });
process.exit(0);
