/**
 * Buckets seen to exist within the last second: PutObject's fail-fast check (no bytes streamed
 * into a bucket that is not there) skips its read for them. Only a hint, never the decision: a
 * bucket deleted meanwhile is still refused by the decider, which reads the read model, and the
 * blob written for nothing is deleted. Absence is never remembered, so a bucket just created is
 * never refused.
 */
export class RecentBuckets {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly ttlMs = 1000,
    private readonly capacity = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  has(bucket: string): boolean {
    const at = this.seen.get(bucket);
    if (at === undefined) return false;
    if (this.now() - at < this.ttlMs) return true;
    this.seen.delete(bucket);
    return false;
  }

  add(bucket: string): void {
    if (this.seen.size >= this.capacity) this.seen.clear();
    this.seen.set(bucket, this.now());
  }
}
