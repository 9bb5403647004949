import type { RecordedEvent } from './event-envelope.js';

/** A stretch of the bucket topic's partition that holds one bucket's events: offsets [from, to). */
export interface BucketLogWindow {
  partition: number;
  from: number;
  to: number;
  /** This bucket's events among the window's records, oldest first (other buckets share the partition). */
  events: RecordedEvent[];
}

/**
 * Reads a bucket's events back from the log, for the web console's history view: a window of at
 * most `maxRecords` records of the bucket's partition ending before `before` (default: its end).
 */
export abstract class BucketHistory {
  abstract readBefore(bucket: string, before: number | undefined, maxRecords: number): Promise<BucketLogWindow>;
}
