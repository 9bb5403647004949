import { S3Error } from '../s3/errors/s3.error.js';

interface Waiter {
  partition: number;
  offset: number;
  resolve: () => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * How far a projection has applied each partition, and a way to wait for it. This is how a
 * mutating request achieves read-after-write: it answers only once its event is applied.
 */
export class ProjectionProgress {
  private readonly applied = new Map<number, number>();
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

  get stoppedBy(): Error | null {
    return this.failure;
  }

  markApplied(partition: number, offset: number): void {
    if (offset <= this.appliedOffset(partition)) return;
    this.appliedCount++;
    this.applied.set(partition, offset);
    this.waiters = this.waiters.filter((w) => {
      if (w.partition !== partition || w.offset > offset) return true;
      clearTimeout(w.timer);
      w.resolve();
      return false;
    });
  }

  /** The projection stopped (e.g. on a poison event): nobody should wait for it any more. */
  stop(error: Error): void {
    this.failure = error;
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.reject(unavailable());
    }
    this.waiters = [];
  }

  waitFor(partition: number, offset: number, timeoutMs: number): Promise<void> {
    if (offset <= this.appliedOffset(partition)) return Promise.resolve();
    if (this.failure) return Promise.reject(unavailable());
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        partition,
        offset,
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
