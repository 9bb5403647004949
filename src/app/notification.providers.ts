import type { Provider } from '@nestjs/common';
import type { Admin, Kafka } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { ConfigureBucketNotificationHandler } from '../buckets/commands/configure-bucket-notification/configure-bucket-notification.handler.js';
import { SEDIMENT_CONFIG, type SedimentConfig } from '../config/sediment.config.js';
import { KafkaNotificationDestinations, NotificationDestinations } from '../notifications/notification-destinations.js';
import { MongoRelayStateStore } from '../notifications/notification-relay.store.js';
import { NotificationRelay } from '../notifications/notification.relay.js';
import { ControlFollower } from '../quarantine/control-log.js';
import { KAFKA, KAFKA_ADMIN } from './infrastructure.providers.js';
import { OPENED_RESOURCES, type OpenedResources } from './opened-resources.js';

/** Bucket notifications: the PutBucketNotificationConfiguration command and the Kafka relay. */
export const notificationProviders: Provider[] = [
  {
    provide: NotificationDestinations,
    inject: [KAFKA_ADMIN, SEDIMENT_CONFIG],
    useFactory: (admin: Admin, config: SedimentConfig) =>
      new KafkaNotificationDestinations(admin, {
        partitions: config.SEDIMENT_TOPIC_PARTITIONS,
        replicationFactor: config.SEDIMENT_TOPIC_REPLICATION_FACTOR,
        minInsyncReplicas: config.SEDIMENT_TOPIC_MIN_INSYNC_REPLICAS,
      }),
  },
  {
    provide: NotificationRelay,
    // KAFKA_ADMIN comes after the writer lease and the topics: a refused process relays nothing.
    inject: [KAFKA, KAFKA_ADMIN, MongoClient, NotificationDestinations, ControlFollower, SEDIMENT_CONFIG, OPENED_RESOURCES],
    useFactory: async (
      kafka: Kafka,
      admin: Admin,
      client: MongoClient,
      destinations: NotificationDestinations,
      control: ControlFollower,
      config: SedimentConfig,
      opened: OpenedResources,
    ) => {
      // The home database, which a blue/green switch of the read model does not move.
      const store = new MongoRelayStateStore(client.db(config.MONGO_DATABASE));
      const relay = new NotificationRelay(kafka, admin, store, destinations, {
        topic: config.SEDIMENT_BUCKET_TOPIC,
        partitions: config.SEDIMENT_TOPIC_PARTITIONS,
        // Named after the log, not the database: what has been delivered is a fact about the
        // log, so a read model rebuilt into another database must not deliver it all again.
        groupId: `${config.KAFKA_CLIENT_ID}.notifications.${config.SEDIMENT_BUCKET_TOPIC}`,
        quarantine: control.decisions,
      });
      opened.add(() => relay.stop());
      // A read-only snapshot must not join the live relay's group: it would take partitions from it.
      if (!config.SEDIMENT_READ_ONLY) await relay.start();
      return relay;
    },
  },
  ConfigureBucketNotificationHandler,
];
