import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { evolve, initialBucketStream } from '../../../bucket-stream/bucket-stream.state.js';
import { BucketHistory } from '../../../event-log/bucket-history.port.js';
import type { RecordedEvent } from '../../../event-log/event-envelope.js';
import { S3Error } from '../../../errors/s3.error.js';
import { GetBucketAsOfQuery, type AsOf, type BucketAsOf } from './get-bucket-as-of.query.js';

/**
 * Records of the partition one request may fold. Beyond it the answer is to rebuild the whole
 * read model at that moment (`sediment replay --until`) and serve it read-only.
 */
export const AS_OF_MAX_RECORDS = 200_000;

@QueryHandler(GetBucketAsOfQuery)
export class GetBucketAsOfHandler implements IQueryHandler<GetBucketAsOfQuery> {
  constructor(@Inject(BucketHistory) private readonly history: BucketHistory) {}

  async execute({ bucket, asOf }: GetBucketAsOfQuery): Promise<BucketAsOf> {
    const read = await this.history.readFromStart(bucket, after(asOf), AS_OF_MAX_RECORDS);
    if (!read.complete) {
      throw new S3Error('InvalidArgument', {
        message: `The log up to that moment is longer than ${AS_OF_MAX_RECORDS} records: rebuild it with sediment replay --until`,
        details: { ArgumentName: 'sediment-as-of' },
      });
    }
    // Bucket names come back after a delete: BucketCreated starts the fold afresh, as it does for the write model.
    const state = read.events.reduce((folded, recorded) => evolve(folded, recorded.event), initialBucketStream());
    // In S3's order: by UTF-8 bytes.
    const objects = state.keys.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))).map((key) => {
      const [current] = state.versionsOf(key);
      return { key, versionId: current!.versionId, etag: current!.etag! };
    });
    return { partition: read.partition, offset: read.events.at(-1)?.position.offset, exists: state.bucket !== null, objects };
  }
}

/** Whether an event comes after the moment. */
function after(asOf: AsOf): (event: RecordedEvent) => boolean {
  if ('offset' in asOf) return (event) => event.position.offset > asOf.offset;
  const time = asOf.time.getTime();
  return (event) => Date.parse(event.envelope.time) > time;
}
