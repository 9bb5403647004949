import { KeyedMutex } from './keyed-mutex.js';

/** Above this many keys a decision takes the whole bucket instead of one lock per key. */
const MAX_KEY_LOCKS = 16;

/**
 * Who may decide at the same time within one bucket (ADR 0016). A decision about the bucket
 * itself (create, delete, versioning, CORS, notifications) has the bucket to itself. Decisions
 * about objects share the bucket and exclude each other per key: writes of different keys are
 * decided side by side, while two writes of one key still see each other's outcome. Waiters are
 * served in arrival order, so a bucket-wide decision is never starved by a stream of object writes.
 */
export class StreamLocks {
  private readonly buckets = new Map<string, ReadWriteLock>();
  private readonly keys = new KeyedMutex();

  /** Runs `work` holding `bucket` alone (`keys` undefined) or shared with the locks of `keys`. */
  async run<T>(bucket: string, keys: readonly string[] | undefined, work: () => Promise<T>): Promise<T> {
    const names = keys === undefined ? undefined : [...new Set(keys)].sort();
    const exclusive = names === undefined || names.length > MAX_KEY_LOCKS;
    const lock = this.bucketLock(bucket);
    await lock.acquire(exclusive);
    try {
      if (exclusive) return await work();
      // Always taken in one order, so two multi-key decisions cannot wait on each other.
      const nested = names!.reduceRight<() => Promise<T>>((inner, key) => () => this.keys.run(JSON.stringify([bucket, key]), inner), work);
      return await nested();
    } finally {
      lock.release(exclusive);
      if (lock.idle) this.buckets.delete(bucket);
    }
  }

  private bucketLock(bucket: string): ReadWriteLock {
    let lock = this.buckets.get(bucket);
    if (!lock) {
      lock = new ReadWriteLock();
      this.buckets.set(bucket, lock);
    }
    return lock;
  }
}

/** Many shared holders or one exclusive holder, granted in arrival order. */
export class ReadWriteLock {
  private shared = 0;
  private exclusive = false;
  private readonly waiting: { exclusive: boolean; grant: () => void }[] = [];

  get idle(): boolean {
    return this.shared === 0 && !this.exclusive && this.waiting.length === 0;
  }

  acquire(exclusive: boolean): Promise<void> {
    if (this.waiting.length === 0 && this.free(exclusive)) {
      this.take(exclusive);
      return Promise.resolve();
    }
    return new Promise((grant) => this.waiting.push({ exclusive, grant }));
  }

  release(exclusive: boolean): void {
    if (exclusive) this.exclusive = false;
    else this.shared--;
    while (this.waiting.length > 0 && this.free(this.waiting[0]!.exclusive)) {
      const next = this.waiting.shift()!;
      this.take(next.exclusive);
      next.grant();
    }
  }

  private free(exclusive: boolean): boolean {
    return exclusive ? !this.exclusive && this.shared === 0 : !this.exclusive;
  }

  private take(exclusive: boolean): void {
    if (exclusive) this.exclusive = true;
    else this.shared++;
  }
}
