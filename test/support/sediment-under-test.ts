import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { Kafka, logLevel } from 'kafkajs';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { MongoClient, type Db } from 'mongodb';
import { createSedimentApp } from '../../src/app/create-app.js';
import { loadConfig, type SedimentConfig } from '../../src/config/sediment.config.js';
import { AdminServer } from '../../src/observability/admin.server.js';
import { KAFKA_BROKERS, MONGO_URL } from './endpoints.js';
import { assertTopicsMatchContract } from './event-contract.js';

export const ROOT_ACCESS_KEY_ID = 'SEDIMENTTESTROOT0001';
export const ROOT_SECRET = 'sediment-test-root-secret-0001';
/** Fixed, so a restarted service (keepData) opens the secrets its predecessor sealed. */
export const MASTER_KEY = Buffer.alloc(32, 0x5e).toString('base64');
export { KAFKA_BROKERS, MONGO_URL };

export interface SedimentUnderTest {
  url: string;
  /** The admin listener (GET /metrics, GET /health), on a port of its own. */
  adminUrl: string;
  config: SedimentConfig;
  app: NestExpressApplication;
  s3: S3Client;
  db: Db;
  mongo: MongoClient;
  /**
   * Stops the service; pass `keepData` to restart it on the same topic and database. Without
   * `keepData` it first checks every record of both topics against docs/asyncapi.yaml and, after
   * deleting them, throws an Error listing those that do not match.
   */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

/** The service of a test file; `sediment` is set once beforeAll ran. */
export interface ServiceForFile {
  readonly sediment: SedimentUnderTest;
}

/** The service of a test file and the one bucket its tests share. */
export interface ServiceWithBucket extends ServiceForFile {
  readonly bucket: string;
}

/**
 * Starts the service (with these configuration overrides) before a test file's tests, then runs
 * `setUp` on it, and stops it after them. Call it at the top of the file.
 */
export function serviceForFile(
  setUp: (sediment: SedimentUnderTest) => Promise<unknown> = async () => undefined,
  overrides: Record<string, string> = {},
): ServiceForFile {
  const state: { sediment?: SedimentUnderTest } = {};
  beforeAll(async () => {
    state.sediment = await startSediment(overrides);
    await setUp(state.sediment);
  }, 60_000);
  afterAll(async () => {
    state.sediment?.s3.destroy();
    await state.sediment?.stop();
  }, 60_000);
  return {
    get sediment() {
      if (!state.sediment) throw new Error('the service starts in beforeAll');
      return state.sediment;
    },
  };
}

/** `serviceForFile` with one fresh bucket named `<prefix>-<random>`. */
export function serviceWithBucket(prefix: string, overrides: Record<string, string> = {}): ServiceWithBucket {
  const bucket = `${prefix}-${randomBytes(4).toString('hex')}`;
  const service = serviceForFile((sediment) => sediment.s3.send(new CreateBucketCommand({ Bucket: bucket })), overrides);
  return {
    get sediment() {
      return service.sediment;
    },
    bucket,
  };
}

/**
 * Runs the real service in-process on a free port, against the real Kafka and FerretDB, with a
 * topic, database and blob directory of its own so test files cannot see each other's state.
 */
export async function startSediment(overrides: Record<string, string> = {}): Promise<SedimentUnderTest> {
  const id = randomBytes(5).toString('hex');
  const blobDir = overrides.SEDIMENT_BLOB_DIR ?? (await mkdtemp(join(tmpdir(), 'sediment-blobs-')));
  const bucketTopic = overrides.SEDIMENT_BUCKET_TOPIC ?? `e2e.bucket-events.${id}`;
  const config = loadConfig({
    SEDIMENT_PORT: '9000',
    KAFKA_BROKERS,
    MONGO_URL,
    MONGO_DATABASE: `e2e_${id}`,
    SEDIMENT_BUCKET_TOPIC: bucketTopic,
    SEDIMENT_IDENTITY_TOPIC: `e2e.identity-events.${id}`,
    // Named after the bucket topic, so a restart on the same topics reads the same decisions.
    SEDIMENT_CONTROL_TOPIC: `${bucketTopic}.control`,
    SEDIMENT_TOPIC_PARTITIONS: '4',
    SEDIMENT_BLOB_DIR: blobDir,
    SEDIMENT_ROOT_ACCESS_KEY_ID: ROOT_ACCESS_KEY_ID,
    SEDIMENT_ROOT_SECRET_ACCESS_KEY: ROOT_SECRET,
    SEDIMENT_MASTER_KEY: MASTER_KEY,
    SEDIMENT_LOG_LEVEL: 'warn',
    SEDIMENT_ADMIN_PORT: '0',
    // A write is answered once applied, or 503 after this long. A test's outcome must not depend
    // on how fast the machine is: a DeleteObjects of 1,000 versions took 13.6 s to apply on an
    // idle one (the default is 15 s). A test about the timeout itself sets its own.
    SEDIMENT_APPLY_TIMEOUT_MS: '120000',
    ...overrides,
  });
  const app = await createSedimentApp(config);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const mongo = await new MongoClient(MONGO_URL).connect();
  const db = mongo.db(config.MONGO_DATABASE);
  return {
    url,
    adminUrl: app.get(AdminServer).url,
    config,
    app,
    s3: s3Client(url),
    db,
    mongo,
    async stop(options = {}) {
      await app.close();
      let contractError: unknown;
      if (!options.keepData) {
        // Before the topics go, every event the service wrote must match docs/asyncapi.yaml; the
        // clean-up happens either way, then the mismatches fail the caller (usually an afterAll).
        contractError = await assertTopicsMatchContract({
          bucket: config.SEDIMENT_BUCKET_TOPIC,
          identity: config.SEDIMENT_IDENTITY_TOPIC,
          control: config.SEDIMENT_CONTROL_TOPIC,
        }).then(
          () => undefined,
          (error: unknown) => error ?? new Error('the event contract check failed'),
        );
        await db.dropDatabase().catch(() => undefined);
        await deleteTopic(config.SEDIMENT_BUCKET_TOPIC);
        await deleteTopic(config.SEDIMENT_IDENTITY_TOPIC);
        await deleteTopic(config.SEDIMENT_CONTROL_TOPIC);
        if (!overrides.SEDIMENT_BLOB_DIR) await rm(blobDir, { recursive: true, force: true });
      }
      await mongo.close();
      if (contractError !== undefined) throw contractError;
    },
  };
}

export function s3Client(endpoint: string, credentials = { accessKeyId: ROOT_ACCESS_KEY_ID, secretAccessKey: ROOT_SECRET }) {
  return new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials, maxAttempts: 1 });
}

/** Test topics are unique per run; deleting them keeps the local broker small. */
export async function deleteTopic(topic: string): Promise<void> {
  const admin = new Kafka({ brokers: KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics: [topic] });
  } catch {
    // already gone
  } finally {
    await admin.disconnect();
  }
}
