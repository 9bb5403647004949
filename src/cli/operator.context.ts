import type { Admin, Kafka } from 'kafkajs';
import { MongoClient, type Db } from 'mongodb';
import { loadConfig, type SedimentConfig } from '../config/sediment.config.js';
import { createKafka } from '../messaging/kafka.client.js';

/** The connections an operator command needs, opened from the service's own configuration. */
export interface OperatorContext {
  config: SedimentConfig;
  client: MongoClient;
  /** MONGO_DATABASE: where control documents (active read model, replays, leases) live. */
  home: Db;
  kafka: Kafka;
  admin: Admin;
  close(): Promise<void>;
}

export async function openOperatorContext(env: Record<string, string | undefined> = process.env): Promise<OperatorContext> {
  const config = loadConfig(env);
  const client = await new MongoClient(config.MONGO_URL, { serverSelectionTimeoutMS: 10000 }).connect();
  const kafka = createKafka(config);
  const admin = kafka.admin();
  try {
    await admin.connect();
  } catch (error) {
    await client.close();
    throw error;
  }
  return {
    config,
    client,
    home: client.db(config.MONGO_DATABASE),
    kafka,
    admin,
    async close() {
      await admin.disconnect().catch(() => undefined);
      await client.close().catch(() => undefined);
    },
  };
}
