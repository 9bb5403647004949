import type { LogPosition } from '../event-log/event-envelope.js';
import { S3Error } from '../errors/s3.error.js';
import { partitionStopped, type ProjectionProgress } from '../projections/projection-progress.js';
import { WriteGate } from './write-gate.js';

export function projectionStopped(): S3Error {
  return new S3Error('ServiceUnavailable', {
    message: 'The read model projection stopped; writes are refused until an operator deals with it (see /health).',
  });
}

/**
 * What every single writer of an event stream does around its decisions (ADR 0001, 0011, 0016),
 * whatever it locks and whatever state it decides against: the bucket topic's writer and the
 * identity topic's writer share it.
 * - At boot, nothing is decided until the projection has applied the log as it was found.
 * - A partition stopped on a poison record refuses writes: they would never be applied.
 * - An append that failed ambiguously (it may have landed) marks its partition: the next
 *   decision there first waits until the log's end is applied.
 * - An append is answered only once applied (read-after-write).
 * The caller holds whatever lock makes its decision race-free while it calls these.
 */
export class WriteDiscipline {
  /** Marked partitions; each mark is numbered, so a catch-up clears only the mark it caught up to. */
  private readonly uncertain = new Map<number, number>();
  private marks = 0;
  private ready: Promise<void> | null = null;

  constructor(
    /** The log's end offset per partition. */
    private readonly endOffsets: () => Promise<Map<number, number>>,
    private readonly progress: ProjectionProgress,
    private readonly applyTimeoutMs: number,
    private readonly catchUpTimeoutMs: number,
    /** Throws when this process may not write the log (ADR 0001: one writer per topic). */
    private readonly assertWriter: () => void = () => undefined,
    /** Holds writes while the read model is switched (blue/green replay). */
    private readonly gate: WriteGate = new WriteGate(),
  ) {}

  /**
   * Waits until the projection has applied everything the log held when this writer started, or
   * until a partition stopped on a poison record short of it (ADR 0011): the service then opens
   * with that partition refusing writes rather than not at all.
   */
  catchUp(): Promise<void> {
    this.ready ??= (async () => {
      const ends = await this.endOffsets();
      await Promise.all(
        [...ends]
          .filter(([, end]) => end > 0)
          .map(async ([p, end]) => {
            await this.progress.settle(p, end - 1, this.catchUpTimeoutMs);
            // If it gets going again, the events after the poison record come before any decision.
            if (this.progress.stoppedAt(p)) this.markUncertain(p);
          }),
      );
    })();
    return this.ready;
  }

  /** Runs a write unless writes are held (a read-model switch), then when they are let through. */
  enter<T>(work: () => Promise<T>): Promise<T> {
    return this.gate.enter(work);
  }

  /** Before deciding on `partition`: refuses while a projection is stopped, and catches up after an ambiguous append. */
  async beforeDeciding(partition: number): Promise<void> {
    // A projection stopped on a poison event will not apply this write: refuse it before it
    // becomes a fact nobody can read back.
    if (this.progress.stoppedBy) throw projectionStopped();
    await this.catchUp();
    const stopped = this.progress.stoppedAt(partition);
    if (stopped) {
      this.markUncertain(partition);
      throw partitionStopped(stopped);
    }
    const mark = this.uncertain.get(partition);
    if (mark !== undefined) {
      const end = (await this.endOffsets()).get(partition) ?? 0;
      await this.progress.waitFor(partition, end - 1, this.applyTimeoutMs);
      if (this.uncertain.get(partition) === mark) this.uncertain.delete(partition);
    }
  }

  /** Appends (all on `partition`) and waits until the last is applied; an ambiguous failure marks the partition. */
  async appendAndApply(partition: number, append: () => Promise<LogPosition[]>): Promise<LogPosition[]> {
    this.assertWriter();
    try {
      const positions = await append();
      const last = positions[positions.length - 1];
      if (last) await this.progress.waitFor(last.partition, last.offset, this.applyTimeoutMs);
      return positions;
    } catch (error) {
      // The append may have landed: the next decision on this partition must see it first.
      this.markUncertain(partition);
      throw error;
    }
  }

  private markUncertain(partition: number): void {
    this.uncertain.set(partition, ++this.marks);
  }
}
