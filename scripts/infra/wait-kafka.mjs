#!/usr/bin/env node
// Health probe for the local Kafka broker, used by scripts/infra.sh.
// Healthy = a real admin request (Metadata via admin.listTopics()) succeeds.
//
//   node scripts/infra/wait-kafka.mjs [--brokers 127.0.0.1:9092] [--timeout 120] [--pid N]
//
// Retries until the deadline. Exit codes: 0 healthy, 1 timed out, 3 the process --pid died.
import kafkajs from 'kafkajs';

const { Kafka, logLevel } = kafkajs;

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const brokers = arg('brokers', process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const timeoutMs = Number(arg('timeout', '120')) * 1000;
const pid = arg('pid', undefined);
const deadline = Date.now() + timeoutMs;

function alive(p) {
  try {
    process.kill(Number(p), 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let lastError = 'no attempt';
for (;;) {
  if (pid !== undefined && !alive(pid)) {
    console.error(`wait-kafka: process ${pid} exited before the broker became healthy`);
    process.exit(3);
  }
  const kafka = new Kafka({
    clientId: 'sediment-infra-probe',
    brokers,
    connectionTimeout: 1000,
    requestTimeout: 3000,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const topics = await admin.listTopics();
    await admin.disconnect();
    console.log(`wait-kafka: ${brokers.join(',')} healthy (${topics.length} topics)`);
    process.exit(0);
  } catch (err) {
    lastError = err?.message ?? String(err);
    await admin.disconnect().catch(() => {});
  }
  if (Date.now() >= deadline) {
    console.error(`wait-kafka: ${brokers.join(',')} not healthy after ${timeoutMs / 1000}s: ${lastError}`);
    process.exit(1);
  }
  await sleep(500);
}
