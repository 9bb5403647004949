import { BucketHistory, type BucketLogPrefix, type BucketLogWindow } from '../../../event-log/bucket-history.port.js';
import type { RecordedEvent } from '../../../event-log/event-envelope.js';
import type { MetadataStore } from '../../../metadata/metadata.store.port.js';
import { GetObjectHistoryHandler, HISTORY_MAX_WINDOWS, HISTORY_WINDOW_RECORDS } from './get-object-history.handler.js';
import { GetObjectHistoryQuery } from './get-object-history.query.js';

/** The bucket `docs` of today has id `b-2`; an earlier `docs`, deleted since, was `b-1`. */
const metadata = { getBucket: async (name: string) => (name === 'docs' ? { bucketId: 'b-2' } : null) } as unknown as MetadataStore;

function recorded(offset: number, type: string, data: Record<string, unknown>): RecordedEvent {
  return {
    envelope: { id: `e-${offset}`, type, schemaVersion: 1, time: '2026-12-08T00:00:00.000Z', principal: { accessKeyId: 'AK', arn: 'arn' }, bucket: 'docs', data },
    event: { type, data },
    position: { partition: 3, offset },
  } as unknown as RecordedEvent;
}

/** A partition of `length` records, the given events at their offsets; counts the windows read. */
class PartitionOf extends BucketHistory {
  windows: [number, number][] = [];
  constructor(
    private readonly length: number,
    private readonly events: RecordedEvent[],
  ) {
    super();
  }
  async readBefore(_bucket: string, before: number | undefined, maxRecords: number): Promise<BucketLogWindow> {
    const to = Math.min(before ?? this.length, this.length);
    const from = Math.max(0, to - maxRecords);
    this.windows.push([from, to]);
    return { partition: 3, from, to, events: this.events.filter((e) => e.position.offset >= from && e.position.offset < to) };
  }
  async readFromStart(): Promise<BucketLogPrefix> {
    throw new Error('not used');
  }
}

describe('GetObjectHistoryHandler', () => {
  it("gives the key's events of this bucket, newest first, not another key's nor an earlier bucket's of the same name", async () => {
    const log = new PartitionOf(10, [
      recorded(1, 'ObjectStored', { bucketId: 'b-1', key: 'a.txt' }),
      recorded(4, 'ObjectStored', { bucketId: 'b-2', key: 'a.txt' }),
      recorded(5, 'ObjectStored', { bucketId: 'b-2', key: 'b.txt' }),
      recorded(7, 'ObjectTaggingPut', { bucketId: 'b-2', key: 'a.txt' }),
    ]);
    const page = await new GetObjectHistoryHandler(metadata, log).execute(new GetObjectHistoryQuery('docs', 'a.txt'));
    expect(page.events.map((e) => [e.position.offset, e.envelope.type])).toEqual([
      [7, 'ObjectTaggingPut'],
      [4, 'ObjectStored'],
    ]);
    expect(page).toMatchObject({ partition: 3, nextBefore: undefined });
  });

  it("gives every event of the bucket when no key is asked for, and none of an earlier bucket's", async () => {
    const log = new PartitionOf(10, [
      recorded(0, 'BucketCreated', { bucketId: 'b-1' }),
      recorded(2, 'BucketCreated', { bucketId: 'b-2' }),
      recorded(4, 'ObjectStored', { bucketId: 'b-2', key: 'a.txt' }),
      recorded(6, 'BucketVersioningConfigured', { bucketId: 'b-2' }),
    ]);
    const page = await new GetObjectHistoryHandler(metadata, log).execute(new GetObjectHistoryQuery('docs', undefined));
    expect(page.events.map((e) => e.position.offset)).toEqual([6, 4, 2]);
  });

  it('reads back window by window until it finds some, and says where older records remain', async () => {
    const length = HISTORY_WINDOW_RECORDS * 3 + 5;
    const log = new PartitionOf(length, [recorded(HISTORY_WINDOW_RECORDS + 2, 'ObjectStored', { bucketId: 'b-2', key: 'a.txt' })]);
    const page = await new GetObjectHistoryHandler(metadata, log).execute(new GetObjectHistoryQuery('docs', 'a.txt'));
    expect(page.events.map((e) => e.position.offset)).toEqual([HISTORY_WINDOW_RECORDS + 2]);
    expect(log.windows).toHaveLength(3);
    expect(page.nextBefore).toBe(5);
    const older = await new GetObjectHistoryHandler(metadata, log).execute(new GetObjectHistoryQuery('docs', 'a.txt', page.nextBefore));
    expect(older).toEqual({ partition: 3, events: [], nextBefore: undefined });
  });

  it('costs at most a fixed number of windows however long the log', async () => {
    const log = new PartitionOf(HISTORY_WINDOW_RECORDS * (HISTORY_MAX_WINDOWS + 3), []);
    const page = await new GetObjectHistoryHandler(metadata, log).execute(new GetObjectHistoryQuery('docs', 'a.txt'));
    expect(log.windows).toHaveLength(HISTORY_MAX_WINDOWS);
    expect(page.events).toEqual([]);
    expect(page.nextBefore).toBe(HISTORY_WINDOW_RECORDS * 3);
  });

  it('is NoSuchBucket for a bucket that does not exist', async () => {
    await expect(new GetObjectHistoryHandler(metadata, new PartitionOf(0, [])).execute(new GetObjectHistoryQuery('nope', 'a.txt'))).rejects.toMatchObject({ code: 'NoSuchBucket' });
  });
});
