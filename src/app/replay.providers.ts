import type { Provider } from '@nestjs/common';
import type { Admin, Kafka } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { SEDIMENT_CONFIG, type SedimentConfig } from '../config/sediment.config.js';
import { IdentityStreamWriter } from '../iam/identities/identity-stream.writer.js';
import type { IdentityStore } from '../metadata/identity.store.port.js';
import type { MetadataStore } from '../metadata/metadata.store.port.js';
import { ProjectionProgress } from '../projections/projection-progress.js';
import { activeReadModel } from '../replay/read-model.control.js';
import { ReadModelSwitcher } from '../replay/read-model.switcher.js';
import type { Switchable } from '../replay/switchable.js';
import { BucketStreamWriter } from '../write-model/bucket-stream.writer.js';
import { WriteGate } from '../write-model/write-gate.js';
import { IDENTITY_PROGRESS, IDENTITY_STORE_SWITCH } from './identity.providers.js';
import { KAFKA, KAFKA_ADMIN, METADATA_SWITCH } from './infrastructure.providers.js';

/** The live half of blue/green replay: watches for switch requests once the writers are ready. */
export const replayProviders: Provider[] = [
  {
    provide: ReadModelSwitcher,
    inject: [
      MongoClient,
      SEDIMENT_CONFIG,
      KAFKA,
      KAFKA_ADMIN,
      METADATA_SWITCH,
      IDENTITY_STORE_SWITCH,
      ProjectionProgress,
      IDENTITY_PROGRESS,
      WriteGate,
      BucketStreamWriter,
      IdentityStreamWriter,
    ],
    useFactory: async (
      client: MongoClient,
      config: SedimentConfig,
      kafka: Kafka,
      admin: Admin,
      metadata: Switchable<MetadataStore>,
      identities: Switchable<IdentityStore>,
      bucketProgress: ProjectionProgress,
      identityProgress: ProjectionProgress,
      gate: WriteGate,
    ) => {
      const home = client.db(config.MONGO_DATABASE);
      const switcher = new ReadModelSwitcher({
        client,
        home,
        kafka,
        admin,
        topics: {
          bucketTopic: config.SEDIMENT_BUCKET_TOPIC,
          identityTopic: config.SEDIMENT_IDENTITY_TOPIC,
          controlTopic: config.SEDIMENT_CONTROL_TOPIC,
        },
        metadata,
        identities,
        bucketProgress,
        identityProgress,
        gate,
        liveDatabase: await activeReadModel(home),
        timeoutMs: config.SEDIMENT_SWITCH_TIMEOUT_MS,
      });
      if (!config.SEDIMENT_READ_ONLY) switcher.start();
      return switcher;
    },
  },
];
