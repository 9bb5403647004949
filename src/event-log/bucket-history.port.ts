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
 * Reads a bucket's events back from the log, for the web console's history and "as of" views: a window of at
 * most `maxRecords` records of the bucket's partition ending before `before` (default: its end).
 */
export abstract class BucketHistory {
  abstract readBefore(bucket: string, before: number | undefined, maxRecords: number): Promise<BucketLogWindow>;
  /**
   * The bucket's events from the start of its partition, in order, up to (not including) the
   * first for which `stop` holds; `complete` is false when `maxRecords` records were read first.
   */
  abstract readFromStart(bucket: string, stop: (event: RecordedEvent) => boolean, maxRecords: number): Promise<BucketLogPrefix>;
}

export interface BucketLogPrefix {
  partition: number;
  events: RecordedEvent[];
  complete: boolean;
}
