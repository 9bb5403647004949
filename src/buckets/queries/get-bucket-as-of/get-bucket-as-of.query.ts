import { Query } from '@nestjs/cqrs';

/** A moment of the bucket's stream: a time, or the offset of an event of its partition (that event included). */
export type AsOf = { time: Date } | { offset: number };

export interface BucketAsOf {
  partition: number;
  /** The offset of the last event folded; absent when none was. */
  offset?: number;
  /** Whether the bucket existed then. */
  exists: boolean;
  /** Its objects then (keys whose current version was not a delete marker), by key. */
  objects: { key: string; versionId: string; etag: string }[];
}

/**
 * The bucket as it was at a past moment, folded from its events on the log with the write
 * model's own `evolve`: the web console's read-only "as of" view.
 */
export class GetBucketAsOfQuery extends Query<BucketAsOf> {
  constructor(
    readonly bucket: string,
    readonly asOf: AsOf,
  ) {
    super();
  }
}
