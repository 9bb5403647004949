import { ALICE, inMemoryBucketStream } from '../../../../test/support/in-memory-bucket-stream.js';
import { BucketHistory, type BucketLogPrefix, type BucketLogWindow } from '../../../event-log/bucket-history.port.js';
import type { RecordedEvent } from '../../../event-log/event-envelope.js';
import { DeleteObjectCommand } from '../../../objects/commands/delete-object/delete-object.command.js';
import { DeleteObjectHandler } from '../../../objects/commands/delete-object/delete-object.handler.js';
import { ConfigureBucketVersioningCommand } from '../../commands/configure-bucket-versioning/configure-bucket-versioning.command.js';
import { ConfigureBucketVersioningHandler } from '../../commands/configure-bucket-versioning/configure-bucket-versioning.handler.js';
import { CreateBucketCommand } from '../../commands/create-bucket/create-bucket.command.js';
import { CreateBucketHandler } from '../../commands/create-bucket/create-bucket.handler.js';
import { AS_OF_MAX_RECORDS, GetBucketAsOfHandler } from './get-bucket-as-of.handler.js';
import { GetBucketAsOfQuery } from './get-bucket-as-of.query.js';

const A1 = 'a'.repeat(32);
const A2 = 'b'.repeat(32);
const B1 = 'c'.repeat(32);

/** The events a real writer appended, read back as the Kafka adapter would give them. */
class LogOf extends BucketHistory {
  maxRecordsAsked?: number;
  constructor(
    private readonly recorded: () => RecordedEvent[],
    private readonly complete = true,
  ) {
    super();
  }
  async readBefore(): Promise<BucketLogWindow> {
    throw new Error('not used');
  }
  async readFromStart(bucket: string, stop: (event: RecordedEvent) => boolean, maxRecords: number): Promise<BucketLogPrefix> {
    this.maxRecordsAsked = maxRecords;
    const events: RecordedEvent[] = [];
    for (const e of this.recorded().filter((r) => r.envelope.bucket === bucket)) {
      if (stop(e)) break;
      events.push(e);
    }
    return { partition: 0, events, complete: this.complete };
  }
}

/** Versioned `docs`: a.txt A1 then A2, b.txt B1 then deleted (a delete marker on top). */
async function docs() {
  const stream = await inMemoryBucketStream();
  await new CreateBucketHandler(stream.writer).execute(new CreateBucketCommand('docs', 'us-east-1', ALICE));
  await new ConfigureBucketVersioningHandler(stream.writer).execute(new ConfigureBucketVersioningCommand('docs', 'Enabled', ALICE));
  await stream.putObject('docs', 'a.txt', 'o-1', A1);
  await stream.putObject('docs', 'b.txt', 'o-3', B1);
  await stream.putObject('docs', 'a.txt', 'o-2', A2);
  await new DeleteObjectHandler(stream.writer).execute(new DeleteObjectCommand('docs', 'b.txt', ALICE));
  const log = new LogOf(() => stream.log.all());
  const offsetOf = (type: string, n = 0) => stream.log.all().filter((r) => r.event.type === type)[n]!.position.offset;
  return { log, offsetOf, asOf: (q: GetBucketAsOfQuery) => new GetBucketAsOfHandler(log).execute(q) };
}

describe('GetBucketAsOfHandler', () => {
  it('folds the events up to an offset, that event included', async () => {
    const { asOf, offsetOf } = await docs();
    const second = offsetOf('ObjectStored', 1);
    expect(await asOf(new GetBucketAsOfQuery('docs', { offset: second }))).toEqual({
      partition: 0,
      offset: second,
      exists: true,
      objects: [
        { key: 'a.txt', versionId: A1, etag: '"e"' },
        { key: 'b.txt', versionId: B1, etag: '"e"' },
      ],
    });
  });

  it('shows the bucket as it is now for a time after its last event: a deleted key is gone', async () => {
    const { asOf } = await docs();
    const now = await asOf(new GetBucketAsOfQuery('docs', { time: new Date(Date.now() + 60_000) }));
    expect(now.objects).toEqual([{ key: 'a.txt', versionId: A2, etag: '"e"' }]);
  });

  it('says the bucket did not exist before its creation', async () => {
    const { asOf } = await docs();
    expect(await asOf(new GetBucketAsOfQuery('docs', { time: new Date(0) }))).toEqual({ partition: 0, offset: undefined, exists: false, objects: [] });
  });

  it('refuses, naming the rebuild, when the log up to then is longer than one request may fold', async () => {
    const handler = new GetBucketAsOfHandler(new LogOf(() => [], false));
    await expect(handler.execute(new GetBucketAsOfQuery('docs', { offset: 5 }))).rejects.toMatchObject({ code: 'InvalidArgument' });
    const log = new LogOf(() => []);
    await new GetBucketAsOfHandler(log).execute(new GetBucketAsOfQuery('docs', { offset: 5 }));
    expect(log.maxRecordsAsked).toBe(AS_OF_MAX_RECORDS);
  });
});
