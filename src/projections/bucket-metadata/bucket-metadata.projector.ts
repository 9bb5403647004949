import { BUCKET_METADATA_PROJECTION } from '../../metadata/read-model-mutations.js';
import type { RecordedEvent } from '../../event-log/event-envelope.js';
import type { MetadataStore } from '../../metadata/metadata.store.port.js';
import type { QuarantineDecision } from '../../quarantine/quarantine-list.js';
import { NO_QUARANTINE_SINK, type QuarantineSink, type RawRecord } from '../../quarantine/quarantined-events.store.js';
import type { ProjectionProgress } from '../projection-progress.js';
import { projectBucketMetadata } from './bucket-metadata.projection.js';

/**
 * Applies bucket-topic events to the metadata read model. At-least-once delivery becomes an
 * exactly-once effect: events at or below the checkpoint are skipped, and every document write
 * is guarded by the document's own log position.
 */
export class BucketMetadataProjector {
  readonly name = BUCKET_METADATA_PROJECTION;
  private readonly savedAt = new Map<number, { offset: number; at: number }>();

  constructor(
    private readonly store: MetadataStore,
    private readonly progress: ProjectionProgress,
    private readonly topic: string,
    /** Checkpoints are only a restart shortcut (re-applying is a no-op), so they may lag a little. */
    private readonly checkpointIntervalMs = 0,
    /** Where skipped (quarantined) records are kept. */
    private readonly quarantined: QuarantineSink = NO_QUARANTINE_SINK,
  ) {}

  async start(): Promise<Map<number, number>> {
    const checkpoints = await this.store.loadCheckpoints(this.name, this.topic);
    this.progress.seed(checkpoints);
    return checkpoints;
  }

  resumeOffset(partition: number): number {
    return this.progress.appliedOffset(partition) + 1;
  }

  async apply(recorded: RecordedEvent): Promise<void> {
    const { partition, offset } = recorded.position;
    if (offset <= this.progress.appliedOffset(partition)) return;
    // Through the batch path even alone: a new document is inserted without being read first.
    await this.store.applyMutations(projectBucketMetadata(recorded.event, recorded.position));
    this.progress.markApplied(partition, offset);
  }

  /** A quarantined record changes nothing but its copy; its position counts as applied. */
  async skip(record: RawRecord, decision: QuarantineDecision): Promise<void> {
    if (record.offset <= this.progress.appliedOffset(record.partition)) return;
    await this.quarantined.keep(record, decision);
    this.progress.markApplied(record.partition, record.offset);
  }

  /**
   * Applies one partition's consecutive events at once (replay): the read model's writes are
   * coalesced and batched by the store, with the same outcome as applying them one by one.
   */
  async applyBatch(records: RecordedEvent[]): Promise<void> {
    const fresh = records.filter((r) => r.position.offset > this.progress.appliedOffset(r.position.partition));
    const last = fresh[fresh.length - 1];
    if (!last) return;
    await this.store.applyMutations(fresh.flatMap((r) => projectBucketMetadata(r.event, r.position)));
    this.progress.markApplied(last.position.partition, last.position.offset, fresh.length);
  }

  /**
   * Persists how far a partition is applied; called at the end of each consumed batch, at most
   * once per interval per partition unless forced (on shutdown).
   */
  async checkpoint(partition: number, force = false): Promise<void> {
    const offset = this.progress.appliedOffset(partition);
    const saved = this.savedAt.get(partition);
    if (offset < 0 || (saved && saved.offset >= offset)) return;
    if (!force && saved && Date.now() - saved.at < this.checkpointIntervalMs) return;
    await this.store.saveCheckpoint(this.name, this.topic, partition, offset);
    this.savedAt.set(partition, { offset, at: Date.now() });
  }

  async flush(): Promise<void> {
    for (const partition of this.progress.snapshot().keys()) await this.checkpoint(partition, true);
  }
}
