import { Query } from '@nestjs/cqrs';
import type { RecordedEvent } from '../../../event-log/event-envelope.js';

export interface ObjectHistoryPage {
  partition: number;
  /** The key's events, newest first. */
  events: RecordedEvent[];
  /** Where older events may still be: pass it back as `before`. Absent once offset 0 was read. */
  nextBefore?: number;
}

/**
 * The events of one key of a bucket, or of the whole bucket when `key` is undefined, read from
 * the log (the web console's history view), from the end of the bucket's partition backwards, or
 * from before the offset `before`.
 */
export class GetObjectHistoryQuery extends Query<ObjectHistoryPage> {
  constructor(
    readonly bucket: string,
    readonly key: string | undefined,
    readonly before?: number,
  ) {
    super();
  }
}
