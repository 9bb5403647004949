import { BUCKET_METADATA_PROJECTION } from '../metadata/read-model-mutations.js';
import type { Provider } from '@nestjs/common';
import type { Admin } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { SEDIMENT_CONFIG, type SedimentConfig } from '../config/sediment.config.js';
import { AdminServer } from '../observability/admin.server.js';
import { ConsoleRoutes } from '../observability/console.routes.js';
import { S3RequestMetrics } from '../observability/s3-request.metrics.js';
import { ServiceProbe } from '../observability/service.probe.js';
import { IDENTITY_PROJECTION } from '../projections/identity/identity.projection.js';
import { ProjectionProgress } from '../projections/projection-progress.js';
import { IDENTITY_PROGRESS } from './identity.providers.js';
import { KAFKA_ADMIN } from './infrastructure.providers.js';
import { OPENED_RESOURCES, type OpenedResources } from './opened-resources.js';

/** Health checks give up after this long: a hung dependency reads as down, not as a hung probe. */
const CHECK_TIMEOUT_MS = 2000;

/** Metrics of the S3 port and the admin listener that serves them with the health report. */
export const observabilityProviders: Provider[] = [
  { provide: S3RequestMetrics, useFactory: () => new S3RequestMetrics() },
  {
    provide: AdminServer,
    inject: [SEDIMENT_CONFIG, KAFKA_ADMIN, MongoClient, ProjectionProgress, IDENTITY_PROGRESS, S3RequestMetrics, OPENED_RESOURCES],
    useFactory: async (
      config: SedimentConfig,
      admin: Admin,
      mongo: MongoClient,
      bucketProgress: ProjectionProgress,
      identityProgress: ProjectionProgress,
      requests: S3RequestMetrics,
      opened: OpenedResources,
    ) => {
      const topics = [config.SEDIMENT_BUCKET_TOPIC, config.SEDIMENT_IDENTITY_TOPIC];
      const probe = new ServiceProbe(admin, mongo.db(config.MONGO_DATABASE), topics, CHECK_TIMEOUT_MS);
      const server = new AdminServer(
        probe,
        [
          { name: BUCKET_METADATA_PROJECTION, topic: config.SEDIMENT_BUCKET_TOPIC, progress: bucketProgress },
          { name: IDENTITY_PROJECTION, topic: config.SEDIMENT_IDENTITY_TOPIC, progress: identityProgress },
        ],
        requests,
        config.SEDIMENT_ADMIN_HOST,
        config.SEDIMENT_ADMIN_PORT,
        new ConsoleRoutes({ region: config.SEDIMENT_REGION }),
      );
      await server.listen();
      opened.add(() => server.close());
      return server;
    },
  },
];
