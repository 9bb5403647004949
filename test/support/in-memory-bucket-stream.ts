import { decideObject } from '../../src/bucket-stream/object.decider.js';
import type { ContentHeaders } from '../../src/bucket-stream/content-headers.js';
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
  /** Stores `key` as PutObject would (without a payload), its version id `versionId` if versioning is on. */
  const putObject = async (bucket: string, key: string, objectId: string, versionId = `v-${objectId}`, contentHeaders: ContentHeaders = {}) => {
    const now = new Date();
    const result = await writer.execute({
      bucket,
      key,
      principal: ALICE,
      now,
      decide: (state) =>
        decideObject(
          {
            type: 'PutObject',
            data: { bucket, key, objectId, size: 1, etag: '"e"', contentType: 't', userMetadata: [], owner: ALICE.canonicalId, ownerDisplayName: 'root', ...contentHeaders },
            metadata: { now, newVersionId: versionId },
          },
          state,
        ),
    });
    if (result.outcome === 'rejected') throw result.error;
  };
  return { log, store, progress, writer, eventTypes, putObject };
}

export const ALICE: Principal = rootPrincipal('AKIAALICE0000000001');
