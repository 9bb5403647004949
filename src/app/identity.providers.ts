import type { ObjectDocument } from '../metadata/metadata.documents.js';
import { randomUUID } from 'node:crypto';
import { Logger, type Provider } from '@nestjs/common';
import type { Admin, Kafka } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { ConfigError, SEDIMENT_CONFIG, type SedimentConfig } from '../config/sediment.config.js';
import { decodeIdentityRecord, type RecordedIdentityEvent } from '../event-log/identity-envelope.js';
import { Authorizer } from '../iam/authorization/authorizer.js';
import { IdentityDirectory } from '../identity-stream/identity.directory.js';
import { IdentityEventLog, KafkaIdentityEventLog } from '../iam/identities/identity-event.log.js';
import { IdentityStore } from '../metadata/identity.store.port.js';
import { IdentityStreamWriter } from '../iam/identities/identity-stream.writer.js';
import { MasterKeyError, SecretBox } from '../identity-stream/secret-box.js';
import { KafkaEventLog } from '../messaging/kafka-event.log.js';
import { ProjectionConsumer } from '../projections/projection-consumer.js';
import { MetadataStore } from '../metadata/metadata.store.port.js';
import { MongoIdentityStore } from '../metadata/mongo-identity.store.js';
import { IdentityProjector } from '../projections/identity/identity.projector.js';
import { ProjectionProgress } from '../projections/projection-progress.js';
import { WriterLease } from '../write-model/writer-lease.js';
import { WriteGate } from '../write-model/write-gate.js';
import { activeReadModel } from '../replay/read-model.control.js';
import { switchable, type Switchable } from '../replay/switchable.js';
import { ControlFollower } from '../quarantine/control-log.js';
import type { QuarantineSink } from '../quarantine/quarantined-events.store.js';
import { KAFKA, KAFKA_ADMIN, logStoppedPartitions, QUARANTINE_SINK } from './infrastructure.providers.js';
import { OPENED_RESOURCES, type OpenedResources } from './opened-resources.js';

export const IDENTITY_PROGRESS = Symbol('IDENTITY_PROGRESS');
export const IDENTITY_CONSUMER = Symbol('IDENTITY_CONSUMER');
export const IDENTITY_STORE_SWITCH = Symbol('IDENTITY_STORE_SWITCH');

const logger = new Logger('Boot');

/** The identity side: its topic, read model, projection, writer, secrets and the authorizer. */
export const identityProviders: Provider[] = [
  {
    provide: SecretBox,
    inject: [SEDIMENT_CONFIG],
    useFactory: (config: SedimentConfig) => new SecretBox(config.SEDIMENT_MASTER_KEY),
  },
  { provide: IdentityDirectory, useFactory: () => new IdentityDirectory() },
  {
    provide: IDENTITY_STORE_SWITCH,
    inject: [MongoClient, SEDIMENT_CONFIG],
    useFactory: async (client: MongoClient, config: SedimentConfig) =>
      switchable<IdentityStore>(new MongoIdentityStore(client.db(await activeReadModel(client.db(config.MONGO_DATABASE))))),
  },
  { provide: IdentityStore, inject: [IDENTITY_STORE_SWITCH], useFactory: (s: Switchable<IdentityStore>) => s.proxy },
  {
    provide: IdentityEventLog,
    inject: [KAFKA, KAFKA_ADMIN, SEDIMENT_CONFIG, OPENED_RESOURCES],
    useFactory: async (kafka: Kafka, admin: Admin, config: SedimentConfig, opened: OpenedResources) => {
      const log = new KafkaIdentityEventLog(new KafkaEventLog(kafka, admin, config.SEDIMENT_IDENTITY_TOPIC, 1));
      await log.connect();
      opened.add(() => log.disconnect());
      return log;
    },
  },
  { provide: IDENTITY_PROGRESS, useFactory: () => new ProjectionProgress() },
  {
    provide: IdentityProjector,
    inject: [IdentityStore, MetadataStore, IdentityDirectory, IDENTITY_PROGRESS, QUARANTINE_SINK, SEDIMENT_CONFIG],
    useFactory: (
      store: IdentityStore,
      checkpoints: MetadataStore,
      directory: IdentityDirectory,
      progress: ProjectionProgress,
      sink: QuarantineSink,
      config: SedimentConfig,
    ) => new IdentityProjector(store, checkpoints, directory, progress, config.SEDIMENT_IDENTITY_TOPIC, sink),
  },
  {
    provide: IDENTITY_CONSUMER,
    inject: [KAFKA, KAFKA_ADMIN, IdentityProjector, IDENTITY_PROGRESS, ControlFollower, SEDIMENT_CONFIG, OPENED_RESOURCES],
    useFactory: async (
      kafka: Kafka,
      _admin: Admin,
      projector: IdentityProjector,
      progress: ProjectionProgress,
      control: ControlFollower,
      config: SedimentConfig,
      opened: OpenedResources,
    ) => {
      const consumer = new ProjectionConsumer<RecordedIdentityEvent>(kafka, {
        topic: config.SEDIMENT_IDENTITY_TOPIC,
        partitions: 1,
        handler: projector,
        groupId: `${config.KAFKA_CLIENT_ID}.projection.${projector.name}.${config.MONGO_DATABASE}.${randomUUID()}`,
        progress,
        decode: decodeIdentityRecord,
        quarantine: control.decisions,
      });
      if (config.SEDIMENT_READ_ONLY) await projector.start();
      else {
        await consumer.start();
        opened.add(() => consumer.stop());
      }
      return consumer;
    },
  },
  {
    provide: IdentityStreamWriter,
    inject: [IdentityEventLog, IdentityDirectory, IDENTITY_PROGRESS, IDENTITY_CONSUMER, WriterLease, WriteGate, SecretBox, SEDIMENT_CONFIG],
    useFactory: async (
      log: IdentityEventLog,
      directory: IdentityDirectory,
      progress: ProjectionProgress,
      _consumer: ProjectionConsumer<RecordedIdentityEvent>,
      lease: WriterLease,
      gate: WriteGate,
      box: SecretBox,
      config: SedimentConfig,
    ) => {
      const writer = new IdentityStreamWriter(
        log,
        directory,
        progress,
        config.SEDIMENT_APPLY_TIMEOUT_MS,
        10 * 60_000,
        () => lease.assertHeld(),
        gate,
      );
      const started = Date.now();
      // Requests are judged against identities only once every identity event is applied.
      if (!config.SEDIMENT_READ_ONLY) await writer.catchUp();
      assertMasterKeyOpens(directory, box);
      logger.log(`identities caught up with the log in ${Date.now() - started} ms`);
      logStoppedPartitions(progress);
      return writer;
    },
  },
  {
    provide: Authorizer,
    inject: [IdentityDirectory, MetadataStore],
    useFactory: (directory: IdentityDirectory, metadata: MetadataStore) =>
      new Authorizer(directory, async (bucket) => {
        const doc = await metadata.getBucket(bucket);
        return doc
          ? {
              bucketId: doc.bucketId,
              owner: doc.owner,
              ...(doc.objectOwnership ? { objectOwnership: doc.objectOwnership } : {}),
              ...(doc.publicAccessBlock ? { publicAccessBlock: doc.publicAccessBlock } : {}),
            }
          : undefined;
      }, async (bucket, key, versionId) => {
        const doc = versionId === undefined ? await metadata.getObject(bucket, key) : await metadata.getVersion(bucket, key, versionId);
        if (!doc || ('isDeleteMarker' in doc && doc.isDeleteMarker === true)) return undefined;
        const { acl } = doc as ObjectDocument;
        return { owner: doc.owner, ...(acl ? { grants: acl.grants } : {}) };
      }),
  },
];

/** Every stored secret must open under the configured master key, or no key would verify. */
function assertMasterKeyOpens(directory: IdentityDirectory, box: SecretBox): void {
  for (const doc of directory.all()) {
    if (doc.kind !== 'accessKey' && doc.kind !== 'account') continue;
    try {
      if (doc.kind === 'accessKey') box.open(doc.secret, doc.accessKeyId);
      else box.open(doc.rootSecret, doc.rootAccessKeyId);
    } catch (error) {
      if (error instanceof MasterKeyError) {
        throw new ConfigError(
          `Invalid configuration:\n  SEDIMENT_MASTER_KEY: does not open the stored access key secrets (${error.message}); ` +
            'start with the master key they were created under.',
        );
      }
      throw error;
    }
  }
}
