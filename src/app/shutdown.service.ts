import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Admin } from 'kafkajs';
import { BlobJanitor } from '../blobs/blob-janitor.js';
import { BlobStore } from '../blobs/blob-store.port.js';
import { GridFsBlobStore } from '../blobs/gridfs-blob.store.js';
import { MongoClient } from 'mongodb';
import { EventLog } from '../event-log/event-log.port.js';
import type { RecordedIdentityEvent } from '../event-log/identity-envelope.js';
import { IdentityEventLog, KafkaIdentityEventLog } from '../iam/identities/identity-event.log.js';
import { KafkaEventLog } from '../messaging/kafka-event.log.js';
import { NotificationRelay } from '../notifications/notification.relay.js';
import { LifecycleWorker } from '../objects/lifecycle/lifecycle.worker.js';
import { ProjectionConsumer } from '../projections/projection-consumer.js';
import { WriterLease } from '../write-model/writer-lease.js';
import { IDENTITY_CONSUMER } from './identity.providers.js';
import { KAFKA_ADMIN } from './infrastructure.providers.js';

/**
 * Closes in reverse order of need: stop the background sweeps (blobs, lifecycle), consuming,
 * then producing, then the database. A sweep left running would go on against a closed client.
 */
@Injectable()
export class ShutdownService implements OnApplicationShutdown {
  constructor(
    private readonly consumer: ProjectionConsumer,
    @Inject(EventLog) private readonly log: EventLog,
    @Inject(KAFKA_ADMIN) private readonly admin: Admin,
    private readonly mongo: MongoClient,
    private readonly lease: WriterLease,
    @Inject(IDENTITY_CONSUMER) private readonly identityConsumer: ProjectionConsumer<RecordedIdentityEvent>,
    @Inject(IdentityEventLog) private readonly identityLog: IdentityEventLog,
    private readonly janitor: BlobJanitor,
    private readonly notifications: NotificationRelay,
    private readonly lifecycle: LifecycleWorker,
    private readonly blobs: BlobStore,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    // Its batch in flight finishes first, so what it produced is saved and committed.
    await bounded(this.notifications.stop());
    await bounded(this.janitor.stop());
    await bounded(this.lifecycle.stop());
    await bounded(this.consumer.stop());
    await bounded(this.identityConsumer.stop());
    if (this.log instanceof KafkaEventLog) await bounded(this.log.disconnect());
    if (this.identityLog instanceof KafkaIdentityEventLog) await bounded(this.identityLog.disconnect());
    await bounded(this.admin.disconnect());
    await bounded(this.lease.release());
    // Its heartbeat must not touch a closed client.
    if (this.blobs instanceof GridFsBlobStore) this.blobs.close();
    await bounded(this.mongo.close());
  }
}

/** A hung client must not keep the process from exiting. */
function bounded(step: Promise<void>, ms = 5000): Promise<void> {
  return Promise.race([step.catch(() => undefined), new Promise<void>((resolve) => setTimeout(resolve, ms).unref())]);
}
