#!/usr/bin/env node
// Health probe for the local Kafka broker, used by scripts/infra.sh.
// Healthy = a real admin request (Metadata via admin.listTopics()) succeeds.
//
//   node scripts/infra/wait-kafka.mjs [--brokers 127.0.0.1:9092] [--timeout 120] [--pid N]
//
// Retries until the deadline. Exit codes: 0 healthy, 1 timed out, 3 the process --pid died.
import kafkajs from 'kafkajs';
import { arg, waitUntilHealthy } from './wait-until.mjs';

const { Kafka, logLevel } = kafkajs;

const brokers = arg('brokers', process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

await waitUntilHealthy({
  name: 'wait-kafka',
  target: brokers.join(','),
  what: 'broker',
  timeoutMs: Number(arg('timeout', '120')) * 1000,
  pid: arg('pid', undefined),
  intervalMs: 500,
  probe: async () => {
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
      return `${topics.length} topics`;
    } catch (err) {
      await admin.disconnect().catch(() => {});
      throw err;
    }
  },
});
