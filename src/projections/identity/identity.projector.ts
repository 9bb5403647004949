import type { RecordedIdentityEvent } from '../../event-log/identity-envelope.js';
import type { IdentityDirectory } from '../../identity-stream/identity.directory.js';
import type { IdentityStore } from '../../metadata/identity.store.port.js';
import type { MetadataStore } from '../../metadata/metadata.store.port.js';
import type { QuarantineDecision } from '../../quarantine/quarantine-list.js';
import { NO_QUARANTINE_SINK, type QuarantineSink, type RawRecord } from '../../quarantine/quarantined-events.store.js';
import type { ProjectionProgress } from '../projection-progress.js';
import { IDENTITY_PROJECTION, projectIdentity } from './identity.projection.js';

/**
 * Applies identity-topic events to the `identities` collection, then to the in-memory directory
 * the guard reads. Identity changes are rare, so the checkpoint is saved after every batch.
 */
export class IdentityProjector {
  readonly name = IDENTITY_PROJECTION;

  constructor(
    private readonly store: IdentityStore,
    private readonly checkpoints: MetadataStore,
    private readonly directory: IdentityDirectory,
    private readonly progress: ProjectionProgress,
    private readonly topic: string,
    /** Where skipped (quarantined) records are kept. */
    private readonly quarantined: QuarantineSink = NO_QUARANTINE_SINK,
  ) {}

  async start(): Promise<Map<number, number>> {
    this.directory.load(await this.store.loadAll());
    const checkpoints = await this.checkpoints.loadCheckpoints(this.name, this.topic);
    this.progress.seed(checkpoints);
    return checkpoints;
  }

  resumeOffset(partition: number): number {
    return this.progress.appliedOffset(partition) + 1;
  }

  async apply(recorded: RecordedIdentityEvent): Promise<void> {
    const { partition, offset } = recorded.position;
    if (offset <= this.progress.appliedOffset(partition)) return;
    for (const mutation of projectIdentity(recorded.event, offset, (id) => this.directory.get(id))) {
      await this.store.apply(mutation);
      this.directory.apply(mutation);
    }
    this.progress.markApplied(partition, offset);
  }

  /** A quarantined record changes no identity, only its copy is kept; its position counts as applied. */
  async skip(record: RawRecord, decision: QuarantineDecision): Promise<void> {
    if (record.offset <= this.progress.appliedOffset(record.partition)) return;
    await this.quarantined.keep(record, decision);
    this.progress.markApplied(record.partition, record.offset);
  }

  async checkpoint(partition: number): Promise<void> {
    const offset = this.progress.appliedOffset(partition);
    if (offset >= 0) await this.checkpoints.saveCheckpoint(this.name, this.topic, partition, offset);
  }

  async flush(): Promise<void> {
    for (const partition of this.progress.snapshot().keys()) await this.checkpoint(partition);
  }
}
