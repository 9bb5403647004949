import { rootPrincipal, type Principal } from '../../src/event-log/principal.js';
import { BucketMetadataProjector } from '../../src/projections/bucket-metadata/bucket-metadata.projector.js';
import { ProjectionProgress } from '../../src/projections/projection-progress.js';
import { BucketStreamWriter } from '../../src/write-model/bucket-stream.writer.js';
import { InMemoryEventLog } from './in-memory-event.log.js';
import { InMemoryMetadataStore } from './in-memory-metadata.store.js';

/**
 * The bucket stream for a unit spec of a command or query handler: the real single writer and
 * projector over an in-memory log and read model, so a handler's answer comes once its event is
 * applied, as in the service.
 */
export async function inMemoryBucketStream() {
  const log = new InMemoryEventLog();
  const store = new InMemoryMetadataStore();
  const progress = new ProjectionProgress();
  const projector = new BucketMetadataProjector(store, progress, 'events');
  await projector.start();
  log.subscribe((recorded) => projector.apply(recorded));
  const writer = new BucketStreamWriter(log, store, progress, 2000, 2000);
  /** The types of the events appended so far, in order. */
  const eventTypes = () => log.all().map((recorded) => recorded.event.type);
  return { log, store, progress, writer, eventTypes };
}

export const ALICE: Principal = rootPrincipal('AKIAALICE0000000001');
