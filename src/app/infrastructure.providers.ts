import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Logger, type Provider } from '@nestjs/common';
import type { Admin, Kafka } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { BlobStore } from '../blobs/blob-store.port.js';
import { FilesystemBlobStore } from '../blobs/filesystem-blob.store.js';
import { GridFsBlobStore } from '../blobs/gridfs-blob.store.js';
import { SEDIMENT_CONFIG, type SedimentConfig } from '../config/sediment.config.js';
import { BucketHistory } from '../event-log/bucket-history.port.js';
import { EventLog } from '../event-log/event-log.port.js';
import { createKafka } from '../messaging/kafka.client.js';
import { KafkaBucketHistory } from '../messaging/kafka-bucket.history.js';
import { KafkaEventLog } from '../messaging/kafka-event.log.js';
import { ProjectionConsumer } from '../projections/projection-consumer.js';
import { ensureTopic } from '../messaging/topics.js';
import { MetadataStore } from '../metadata/metadata.store.port.js';
import { MongoMetadataStore } from '../metadata/mongo-metadata.store.js';
import { BucketMetadataProjector } from '../projections/bucket-metadata/bucket-metadata.projector.js';
import { ProjectionProgress } from '../projections/projection-progress.js';
import { BucketStreamWriter } from '../write-model/bucket-stream.writer.js';
import { WriterLease } from '../write-model/writer-lease.js';
import { WriteGate } from '../write-model/write-gate.js';
import { activeReadModel } from '../replay/read-model.control.js';
import { switchable, type Switchable } from '../replay/switchable.js';
import { ControlFollower, controlGroupId } from '../quarantine/control-log.js';
import { QuarantinedEvents, type QuarantineSink } from '../quarantine/quarantined-events.store.js';
import { describeStop } from '../projections/projection-progress.js';
import { OPENED_RESOURCES, type OpenedResources } from './opened-resources.js';

export const KAFKA = Symbol('KAFKA');
export const METADATA_SWITCH = Symbol('METADATA_SWITCH');
export const KAFKA_ADMIN = Symbol('KAFKA_ADMIN');
/** Where the projections keep the records they skip: `quarantined_events` of the live read model. */
export const QUARANTINE_SINK = Symbol('QUARANTINE_SINK');

const logger = new Logger('Boot');
const CHECKPOINT_INTERVAL_MS = 1000;

/** Every port bound to its real adapter, connected before the HTTP server listens. */
export const infrastructureProviders: Provider[] = [
  {
    provide: MongoClient,
    inject: [SEDIMENT_CONFIG, OPENED_RESOURCES],
    useFactory: async (config: SedimentConfig, opened: OpenedResources) => {
      const client = new MongoClient(config.MONGO_URL, { serverSelectionTimeoutMS: 10000 });
      await client.connect();
      opened.add(() => client.close());
      return client;
    },
  },
  {
    // The read model lives in the database the control document names (a blue/green replay
    // moves it); every user of MetadataStore goes through this switchable stand-in.
    provide: METADATA_SWITCH,
    inject: [MongoClient, SEDIMENT_CONFIG],
    useFactory: async (client: MongoClient, config: SedimentConfig) => {
      const database = await activeReadModel(client.db(config.MONGO_DATABASE));
      if (database !== config.MONGO_DATABASE) logger.log(`read model database: ${database}`);
      // A read-only snapshot may be served beside the database's own writer: it keeps no bucket cache.
      const store = new MongoMetadataStore(client.db(database), { cacheBuckets: !config.SEDIMENT_READ_ONLY });
      await store.assertFormat();
      await store.ensureIndexes();
      return switchable<MetadataStore>(store);
    },
  },
  { provide: MetadataStore, inject: [METADATA_SWITCH], useFactory: (s: Switchable<MetadataStore>) => s.proxy },
  { provide: WriteGate, useFactory: () => new WriteGate() },
  {
    provide: BlobStore,
    inject: [SEDIMENT_CONFIG, MongoClient, OPENED_RESOURCES],
    useFactory: async (config: SedimentConfig, client: MongoClient, opened: OpenedResources) => {
      if (config.SEDIMENT_BLOB_STORE === 'gridfs') {
        const store = new GridFsBlobStore(client.db(config.SEDIMENT_GRIDFS_DATABASE));
        await store.init();
        opened.add(async () => store.close());
        return store;
      }
      const store = new FilesystemBlobStore(config.SEDIMENT_BLOB_DIR);
      await store.init();
      return store;
    },
  },
  { provide: KAFKA, inject: [SEDIMENT_CONFIG], useFactory: (config: SedimentConfig) => createKafka(config) },
  {
    provide: KAFKA_ADMIN,
    // The writer lease comes first: a refused second process opens no Kafka connection at all.
    inject: [KAFKA, SEDIMENT_CONFIG, OPENED_RESOURCES, WriterLease],
    useFactory: async (kafka: Kafka, config: SedimentConfig, opened: OpenedResources) => {
      const admin = kafka.admin();
      await admin.connect();
      opened.add(() => admin.disconnect());
      await ensureTopic(admin, {
        topic: config.SEDIMENT_BUCKET_TOPIC,
        partitions: config.SEDIMENT_TOPIC_PARTITIONS,
        replicationFactor: config.SEDIMENT_TOPIC_REPLICATION_FACTOR,
        minInsyncReplicas: config.SEDIMENT_TOPIC_MIN_INSYNC_REPLICAS,
      });
      // One partition: identity decisions (unique names, key quotas) need one total order.
      await ensureTopic(admin, {
        topic: config.SEDIMENT_IDENTITY_TOPIC,
        partitions: 1,
        replicationFactor: config.SEDIMENT_TOPIC_REPLICATION_FACTOR,
        minInsyncReplicas: config.SEDIMENT_TOPIC_MIN_INSYNC_REPLICAS,
      });
      // One partition: decisions are few, and every reader takes them all before the log.
      await ensureTopic(admin, {
        topic: config.SEDIMENT_CONTROL_TOPIC,
        partitions: 1,
        replicationFactor: config.SEDIMENT_TOPIC_REPLICATION_FACTOR,
        minInsyncReplicas: config.SEDIMENT_TOPIC_MIN_INSYNC_REPLICAS,
      });
      return admin;
    },
  },
  {
    provide: EventLog,
    inject: [KAFKA, KAFKA_ADMIN, SEDIMENT_CONFIG, OPENED_RESOURCES],
    useFactory: async (kafka: Kafka, admin: Admin, config: SedimentConfig, opened: OpenedResources) => {
      const log = new KafkaEventLog(kafka, admin, config.SEDIMENT_BUCKET_TOPIC, config.SEDIMENT_TOPIC_PARTITIONS);
      await log.connect();
      opened.add(() => log.disconnect());
      return log;
    },
  },
  {
    // The console's history view reads the bucket topic back, a bounded window at a time.
    provide: BucketHistory,
    inject: [KAFKA, EventLog, SEDIMENT_CONFIG],
    useFactory: (kafka: Kafka, log: EventLog, config: SedimentConfig) => new KafkaBucketHistory(kafka, config.SEDIMENT_BUCKET_TOPIC, log),
  },
  {
    provide: WriterLease,
    inject: [MongoClient, SEDIMENT_CONFIG, OPENED_RESOURCES],
    useFactory: async (client: MongoClient, config: SedimentConfig, opened: OpenedResources) => {
      const lease = new WriterLease(
        client.db(config.MONGO_DATABASE),
        config.SEDIMENT_BUCKET_TOPIC,
        `${hostname()}:${process.pid}`,
        config.SEDIMENT_WRITER_LEASE_MS,
      );
      // A read-only snapshot never writes, so it takes no lease (its assertHeld always refuses).
      if (config.SEDIMENT_READ_ONLY) return lease;
      await lease.acquire();
      opened.add(() => lease.release());
      return lease;
    },
  },
  { provide: ProjectionProgress, useFactory: () => new ProjectionProgress() },
  {
    // Decisions recorded while the service runs reach the projections without a restart.
    provide: ControlFollower,
    inject: [KAFKA, KAFKA_ADMIN, SEDIMENT_CONFIG, OPENED_RESOURCES],
    useFactory: async (kafka: Kafka, admin: Admin, config: SedimentConfig, opened: OpenedResources) => {
      const follower = new ControlFollower(kafka, admin, config.SEDIMENT_CONTROL_TOPIC, controlGroupId(config.KAFKA_CLIENT_ID, config.MONGO_DATABASE));
      if (config.SEDIMENT_READ_ONLY) return follower;
      opened.add(() => follower.stop());
      await follower.start();
      return follower;
    },
  },
  {
    provide: QUARANTINE_SINK,
    inject: [MongoClient, SEDIMENT_CONFIG],
    // Asked for the live database at each (rare) skip, so a blue/green switch needs to move nothing.
    useFactory: (client: MongoClient, config: SedimentConfig): QuarantineSink => ({
      keep: async (record, decision) =>
        new QuarantinedEvents(client.db(await activeReadModel(client.db(config.MONGO_DATABASE)))).keep(record, decision),
    }),
  },
  {
    provide: BucketMetadataProjector,
    inject: [MetadataStore, ProjectionProgress, QUARANTINE_SINK, SEDIMENT_CONFIG],
    useFactory: (store: MetadataStore, progress: ProjectionProgress, sink: QuarantineSink, config: SedimentConfig) =>
      new BucketMetadataProjector(store, progress, config.SEDIMENT_BUCKET_TOPIC, CHECKPOINT_INTERVAL_MS, sink),
  },
  {
    provide: ProjectionConsumer,
    inject: [KAFKA, KAFKA_ADMIN, BucketMetadataProjector, ProjectionProgress, ControlFollower, SEDIMENT_CONFIG, OPENED_RESOURCES],
    useFactory: async (
      kafka: Kafka,
      _admin: Admin,
      projector: BucketMetadataProjector,
      progress: ProjectionProgress,
      control: ControlFollower,
      config: SedimentConfig,
      opened: OpenedResources,
    ) => {
      const consumer = new ProjectionConsumer(kafka, {
        topic: config.SEDIMENT_BUCKET_TOPIC,
        partitions: config.SEDIMENT_TOPIC_PARTITIONS,
        handler: projector,
        groupId: `${config.KAFKA_CLIENT_ID}.projection.${projector.name}.${config.MONGO_DATABASE}.${randomUUID()}`,
        progress,
        quarantine: control.decisions,
      });
      // A read-only snapshot (point-in-time rebuild) is served as it is: no consuming.
      if (config.SEDIMENT_READ_ONLY) await projector.start();
      else {
        await consumer.start();
        opened.add(() => consumer.stop());
      }
      return consumer;
    },
  },
  {
    provide: BucketStreamWriter,
    // The consumer is injected only so that it runs before the writer waits on it.
    inject: [EventLog, MetadataStore, ProjectionProgress, ProjectionConsumer, WriterLease, WriteGate, SEDIMENT_CONFIG],
    useFactory: async (
      log: EventLog,
      store: MetadataStore,
      progress: ProjectionProgress,
      _consumer: ProjectionConsumer,
      lease: WriterLease,
      gate: WriteGate,
      config: SedimentConfig,
    ) => {
      const writer = new BucketStreamWriter(
        log,
        store,
        progress,
        config.SEDIMENT_APPLY_TIMEOUT_MS,
        10 * 60_000,
        () => lease.assertHeld(),
        gate,
      );
      if (config.SEDIMENT_READ_ONLY) return writer;
      const started = Date.now();
      await writer.catchUp();
      logger.log(`read model caught up with the log in ${Date.now() - started} ms`);
      logStoppedPartitions(progress);
      return writer;
    },
  },
];

/** A boot that opens with a partition stopped says so, with what to run. */
export function logStoppedPartitions(progress: ProjectionProgress): void {
  for (const stop of progress.stoppedPartitions()) logger.error(`opening with ${describeStop(stop)}`);
}
