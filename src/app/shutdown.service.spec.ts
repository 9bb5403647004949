import type { Admin } from 'kafkajs';
import type { MongoClient } from 'mongodb';
import type { BlobJanitor } from '../blobs/blob-janitor.js';
import { GridFsBlobStore } from '../blobs/gridfs-blob.store.js';
import type { EventLog } from '../event-log/event-log.port.js';
import type { RecordedIdentityEvent } from '../event-log/identity-envelope.js';
import type { IdentityEventLog } from '../iam/identities/identity-event.log.js';
import type { NotificationRelay } from '../notifications/notification.relay.js';
import type { LifecycleWorker } from '../objects/lifecycle/lifecycle.worker.js';
import type { ProjectionConsumer } from '../projections/projection-consumer.js';
import type { WriterLease } from '../write-model/writer-lease.js';
import { ShutdownService } from './shutdown.service.js';

describe('ShutdownService', () => {
  it('stops every background sweep before the database client closes, so none runs on against a closed client', async () => {
    const closed: string[] = [];
    const part = <T>(name: string, method: string) => ({ [method]: async () => void closed.push(name) }) as unknown as T;
    const gridfs = Object.assign(Object.create(GridFsBlobStore.prototype) as GridFsBlobStore, { close: () => void closed.push('gridfs heartbeat') });
    const service = new ShutdownService(
      part<ProjectionConsumer>('projection', 'stop'),
      part<EventLog>('event log', 'disconnect'),
      part<Admin>('admin', 'disconnect'),
      part<MongoClient>('database', 'close'),
      part<WriterLease>('lease', 'release'),
      part<ProjectionConsumer<RecordedIdentityEvent>>('identity projection', 'stop'),
      part<IdentityEventLog>('identity log', 'disconnect'),
      part<BlobJanitor>('blob janitor', 'stop'),
      part<NotificationRelay>('notifications', 'stop'),
      part<LifecycleWorker>('lifecycle worker', 'stop'),
      gridfs,
    );
    await service.onApplicationShutdown();
    const database = closed.indexOf('database');
    expect(database).toBe(closed.length - 1);
    for (const sweep of ['blob janitor', 'lifecycle worker', 'projection', 'identity projection', 'lease', 'gridfs heartbeat']) {
      expect(closed.indexOf(sweep)).toBeGreaterThanOrEqual(0);
      expect(closed.indexOf(sweep)).toBeLessThan(database);
    }
  });
});
