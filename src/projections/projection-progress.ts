import { S3Error } from '../errors/s3.error.js';

interface Waiter {
  partition: number;
  offset: number;
  /** Settling waiters (catch-up at boot) also resolve when their partition stops. */
  settle: boolean;
  resolve: () => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** A partition the projection stopped on: the record it cannot apply, and why. */
export interface StoppedPartition {
  topic: string;
  partition: number;
  offset: number;
  reason: string;
  since: Date;
}

/**
 * How far a projection has applied each partition, and a way to wait for it. This is how a
 * mutating request achieves read-after-write: it answers only once its event is applied.
 * A partition stopped on a poison event stops only itself (ADR 0011): waiting for it fails at
 * once with a message naming the record, while the other partitions go on.
 */
export class ProjectionProgress {
  private readonly applied = new Map<number, number>();
  private readonly stopped = new Map<number, StoppedPartition>();
  private waiters: Waiter[] = [];
  private failure: Error | null = null;
  private appliedCount = 0;

  seed(checkpoints: Map<number, number>): void {
    const counted = this.appliedCount;
    for (const [partition, offset] of checkpoints) this.markApplied(partition, offset);
    // Checkpoints loaded at start were applied by an earlier process: not counted here.
    this.appliedCount = counted;
  }

  /** Events applied since this process started (the metric `sediment_projection_events_applied_total`). */
  get eventsApplied(): number {
    return this.appliedCount;
  }

  appliedOffset(partition: number): number {
    return this.applied.get(partition) ?? -1;
  }

  snapshot(): Map<number, number> {
    return new Map(this.applied);
  }

  /** Set when the whole projection stopped (not one partition): nothing is applied any more. */
  get stoppedBy(): Error | null {
    return this.failure;
  }

  /** The poison record a partition is stopped on, if it is. */
  stoppedAt(partition: number): StoppedPartition | undefined {
    return this.stopped.get(partition);
  }

  /** Every stopped partition, in partition order. */
  stoppedPartitions(): StoppedPartition[] {
    return [...this.stopped.values()].sort((a, b) => a.partition - b.partition);
  }

  /** The partition is applied up to `offset`, by `events` events (a batch applies several at once). */
  markApplied(partition: number, offset: number, events = 1): void {
    if (offset <= this.appliedOffset(partition)) return;
    this.appliedCount += events;
    this.applied.set(partition, offset);
    this.waiters = this.waiters.filter((w) => {
      if (w.partition !== partition || w.offset > offset) return true;
      clearTimeout(w.timer);
      w.resolve();
      return false;
    });
  }

  /** A partition stopped on a poison record: its waiters are answered now, not at their timeout. */
  halt(stop: StoppedPartition): void {
    this.stopped.set(stop.partition, stop);
    this.waiters = this.waiters.filter((w) => {
      if (w.partition !== stop.partition) return true;
      clearTimeout(w.timer);
      if (w.settle) w.resolve();
      else w.reject(partitionStopped(stop));
      return false;
    });
  }

  /** The partition got past its poison record (quarantined, or applied after all). */
  resume(partition: number): void {
    this.stopped.delete(partition);
  }

  /** The whole projection stopped: nobody should wait for it any more. */
  stop(error: Error): void {
    this.failure = error;
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.reject(unavailable());
    }
    this.waiters = [];
  }

  /** Resolves once `offset` of `partition` is applied; fails at once if that partition is stopped. */
  waitFor(partition: number, offset: number, timeoutMs: number): Promise<void> {
    return this.wait(partition, offset, timeoutMs, false);
  }

  /**
   * Resolves once `offset` of `partition` is applied or the partition stopped before it: how far
   * a boot waits, so that a poison record cannot keep the service from opening its port.
   */
  settle(partition: number, offset: number, timeoutMs: number): Promise<void> {
    return this.wait(partition, offset, timeoutMs, true);
  }

  private wait(partition: number, offset: number, timeoutMs: number, settle: boolean): Promise<void> {
    if (offset <= this.appliedOffset(partition)) return Promise.resolve();
    if (this.failure) return Promise.reject(unavailable());
    const stop = this.stopped.get(partition);
    if (stop) return settle ? Promise.resolve() : Promise.reject(partitionStopped(stop));
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        partition,
        offset,
        settle,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          reject(unavailable());
        }, timeoutMs),
      };
      this.waiters.push(waiter);
    });
  }
}

const unavailable = () =>
  new S3Error('ServiceUnavailable', { message: 'The metadata projection is behind the log; please retry.' });

/** What `sediment quarantine-event` needs to be told to get a stopped partition going again. */
export function quarantineCommand(stop: Pick<StoppedPartition, 'topic' | 'partition' | 'offset'>): string {
  return `sediment quarantine-event --topic ${stop.topic} --partition ${stop.partition} --offset ${stop.offset} --reason "<why>"`;
}

/** The answer to a write whose partition is stopped: which record, and what the operator runs. */
export function partitionStopped(stop: StoppedPartition): S3Error {
  return new S3Error('ServiceUnavailable', {
    message:
      `Partition ${stop.partition} of ${stop.topic} is stopped at offset ${stop.offset} on an event the read model cannot apply ` +
      `(${clip(stop.reason)}); writes to it are refused until an operator inspects it ` +
      `(sediment inspect-event --topic ${stop.topic} --partition ${stop.partition} --offset ${stop.offset}) ` +
      `and quarantines it (${quarantineCommand(stop)}).`,
  });
}

/** A stopped partition as the log lines tell it: what it means and what the operator runs. */
export function describeStop(stop: Pick<StoppedPartition, 'topic' | 'partition' | 'offset' | 'reason'>): string {
  return (
    `partition ${stop.partition} of ${stop.topic} is stopped at offset ${stop.offset} (${clip(stop.reason)}): nothing after it ` +
    'in that partition is applied and writes to it answer 503; the other partitions go on. ' +
    `Inspect it: sediment inspect-event --topic ${stop.topic} --partition ${stop.partition} --offset ${stop.offset}; ` +
    `skip it (it stays in the log, a copy goes to quarantined_events): ${quarantineCommand(stop)}`
  );
}

/** Reasons can be a database's whole error text: enough of it to recognise, on one line. */
export function clip(reason: string, max = 200): string {
  // eslint-disable-next-line no-control-regex
  const line = reason.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
