// A Sediment event consumer written only against the published contract (docs/events.md): for
// every object stored, it writes `<key>.sha256` next to it holding the payload's SHA-256 (hex).
// At-least-once: an offset is committed only after the digest is stored, and a redelivered or
// replayed event is recognised by the source ETag the digest object carries.
import { createHash } from 'node:crypto';
import kafkajs from 'kafkajs';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

// kafkajs is CommonJS: Node's ESM loader gives its exports through the default import only.
const { Kafka, logLevel } = kafkajs;

const SUFFIX = '.sha256';
/** The ObjectStored versions this program understands; each carries bucket, key and etag (v3 added the Object Lock fields, v4 the content headers, which it does not need). */
const KNOWN_VERSIONS = new Set([1, 2, 3, 4]);

const env = process.env;
const config = {
  brokers: (env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
  topic: env.SEDIMENT_BUCKET_TOPIC ?? 'sediment.bucket-events.v1',
  groupId: env.SIDECAR_GROUP_ID ?? 'sha256-sidecar',
  endpoint: env.S3_ENDPOINT ?? 'http://127.0.0.1:9000',
  region: env.AWS_REGION ?? 'us-east-1',
  accessKeyId: env.AWS_ACCESS_KEY_ID,
  secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
};
if (!config.accessKeyId || !config.secretAccessKey) {
  console.error('sha256-sidecar: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY');
  process.exit(1);
}

const log = (fields) => console.log(JSON.stringify({ at: new Date().toISOString(), ...fields }));

const s3 = new S3Client({
  endpoint: config.endpoint,
  region: config.region,
  forcePathStyle: true,
  credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
});
const kafka = new Kafka({ clientId: 'sha256-sidecar', brokers: config.brokers, logLevel: logLevel.WARN });
const consumer = kafka.consumer({ groupId: config.groupId });

const statusOf = (error) => error?.$metadata?.httpStatusCode;
const unquote = (etag) => String(etag).replace(/^"(.*)"$/, '$1');

/** What one record asks of us; resolves with what was done. Throws on a failure worth retrying. */
async function handle(envelope) {
  if (envelope.type !== 'ObjectStored') return { outcome: 'ignored' };
  const { bucket, key, etag } = envelope.data;
  if (key.endsWith(SUFFIX)) return { outcome: 'ignored' }; // our own output (or a user's digest file)
  const digestKey = key + SUFFIX;
  const sourceEtag = unquote(etag);

  // Redelivered, or replayed from offset 0: the digest of exactly this payload is already there.
  const existing = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: digestKey })).catch((error) => {
    if (statusOf(error) === 404) return undefined;
    throw error;
  });
  if (existing?.Metadata?.['source-etag'] === sourceEtag) return { outcome: 'already-done', bucket, key };

  // If-Match: hash the payload this event describes, not a later one; if the key was overwritten
  // or deleted since, a later event in the log covers it (ordering is per bucket).
  let object;
  try {
    object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, IfMatch: etag }));
  } catch (error) {
    if (statusOf(error) === 404 || statusOf(error) === 412) return { outcome: 'superseded', bucket, key };
    throw error;
  }
  const hash = createHash('sha256');
  for await (const chunk of object.Body) hash.update(chunk);
  const sha256 = hash.digest('hex');
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: digestKey,
      Body: sha256,
      ContentType: 'text/plain',
      Metadata: { 'source-etag': sourceEtag },
    }),
  );
  return { outcome: 'digested', bucket, key, sha256 };
}

let halted = false;

/** Leaves the group and exits; never from inside eachMessage (kafkajs would wait on itself). */
function shutdown(code) {
  setImmediate(async () => {
    await consumer.disconnect().catch(() => undefined);
    process.exit(code);
  });
}

consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => log({ event: 'joined', groupId: payload.groupId, topic: config.topic }));

await consumer.connect();
await consumer.subscribe({ topic: config.topic, fromBeginning: true });
await consumer.run({
  autoCommit: false,
  eachMessage: async ({ topic, partition, message }) => {
    if (halted) return; // nothing after an unknown record is handled or committed
    const envelope = JSON.parse(message.value.toString('utf8'));
    if (envelope.type === 'ObjectStored' && !KNOWN_VERSIONS.has(envelope.schemaVersion)) {
      // The contract: stop, never skip, on a version we do not know. Its offset stays
      // uncommitted, so a newer release of this program resumes exactly there.
      halted = true;
      log({ event: 'stopped', reason: `unknown ObjectStored schemaVersion ${envelope.schemaVersion}`, partition, offset: message.offset });
      shutdown(2);
      return;
    }
    const result = await handle(envelope);
    if (result.outcome !== 'ignored') log({ event: result.outcome, bucket: result.bucket, key: result.key, sha256: result.sha256 });
    await consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
  },
});

for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => shutdown(0));
