import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { BucketHistory } from '../../../event-log/bucket-history.port.js';
import type { RecordedEvent } from '../../../event-log/event-envelope.js';
import { MetadataStore } from '../../../metadata/metadata.store.port.js';
import { S3Error } from '../../../errors/s3.error.js';
import { GetObjectHistoryQuery, type ObjectHistoryPage } from './get-object-history.query.js';

/** Records read per window of the partition. */
export const HISTORY_WINDOW_RECORDS = 10_000;
/** Windows read for one request before it answers with what it found (possibly nothing) and where to go on. */
export const HISTORY_MAX_WINDOWS = 5;

@QueryHandler(GetObjectHistoryQuery)
export class GetObjectHistoryHandler implements IQueryHandler<GetObjectHistoryQuery> {
  constructor(
    @Inject(MetadataStore) private readonly metadata: MetadataStore,
    @Inject(BucketHistory) private readonly history: BucketHistory,
  ) {}

  async execute({ bucket, key, before }: GetObjectHistoryQuery): Promise<ObjectHistoryPage> {
    const doc = await this.metadata.getBucket(bucket);
    if (!doc) throw new S3Error('NoSuchBucket', { resource: `/${bucket}`, details: { BucketName: bucket } });
    const events: RecordedEvent[] = [];
    let next = before;
    let partition = 0;
    // Windows back from the end until one holds some of the key's events: a request costs at
    // most HISTORY_MAX_WINDOWS windows, however long the log.
    for (let window = 0; window < HISTORY_MAX_WINDOWS && events.length === 0 && next !== 0; window++) {
      const read = await this.history.readBefore(bucket, next, HISTORY_WINDOW_RECORDS);
      partition = read.partition;
      next = read.from;
      events.push(...read.events.filter((e) => isOfKey(e, doc.bucketId, key)).reverse());
    }
    return { partition, events, nextBefore: next === 0 ? undefined : next };
  }
}

/** Of this bucket (not an earlier one of the same name) and, when one is asked for, of this key. */
function isOfKey(recorded: RecordedEvent, bucketId: string, key: string | undefined): boolean {
  const data = recorded.envelope.data as { bucketId?: string; key?: string };
  return data.bucketId === bucketId && (key === undefined || data.key === key);
}
