import type { LogPosition } from '../../src/event-log/event-envelope.js';
import type { IdentityEnvelope } from '../../src/event-log/identity-envelope.js';
import { IdentityEventLog } from '../../src/iam/identities/identity-event.log.js';
import { IdentityStreamWriter } from '../../src/iam/identities/identity-stream.writer.js';
import { IdentityStore } from '../../src/metadata/identity.store.port.js';
import { IdentityDirectory } from '../../src/identity-stream/identity.directory.js';
import type { IdentityDocument, IdentityMutation } from '../../src/identity-stream/identity.documents.js';
import type { IdentityEvent } from '../../src/identity-stream/identity.events.js';
import { IdentityProjector } from '../../src/projections/identity/identity.projector.js';
import { ProjectionProgress } from '../../src/projections/projection-progress.js';
import { InMemoryMetadataStore } from './in-memory-metadata.store.js';

/** The identity topic's one partition, in memory; each append is handed to `onRecord` in order. */
class InMemoryIdentityLog extends IdentityEventLog {
  readonly records: IdentityEnvelope[] = [];

  constructor(private readonly onRecord: (envelope: IdentityEnvelope, position: LogPosition) => Promise<void>) {
    super();
  }

  async append(envelopes: IdentityEnvelope[]): Promise<LogPosition[]> {
    const positions = envelopes.map((envelope) => {
      this.records.push(envelope);
      return { partition: 0, offset: this.records.length - 1 };
    });
    for (const [i, envelope] of envelopes.entries()) await this.onRecord(envelope, positions[i]!);
    return positions;
  }

  async endOffset(): Promise<number> {
    return this.records.length;
  }
}

class InMemoryIdentityStore extends IdentityStore {
  readonly docs = new Map<string, IdentityDocument>();

  async loadAll(): Promise<IdentityDocument[]> {
    return [...this.docs.values()];
  }

  async apply(mutation: IdentityMutation): Promise<void> {
    if (mutation.op === 'put') this.docs.set(mutation.doc._id, mutation.doc);
    else this.docs.delete(mutation.id);
  }
}

/**
 * The identity stream for a unit spec of an IAM command or query handler: the real single
 * writer, projector and directory over an in-memory log and store, so a handler's answer comes
 * once its event is applied, as in the service.
 */
export async function inMemoryIdentityStream() {
  const directory = new IdentityDirectory();
  const progress = new ProjectionProgress();
  const projector = new IdentityProjector(new InMemoryIdentityStore(), new InMemoryMetadataStore(), directory, progress, 'identities');
  await projector.start();
  const log = new InMemoryIdentityLog((envelope, position) =>
    projector.apply({ envelope, event: { type: envelope.type, data: envelope.data } as IdentityEvent, position }),
  );
  const writer = new IdentityStreamWriter(log, directory, progress, 2000, 2000);
  /** The types of the identity events appended so far, in order. */
  const eventTypes = () => log.records.map((envelope) => envelope.type);
  return { log, directory, writer, eventTypes };
}
