import type { EventEnvelope, RecordedEvent } from '../event-log/event-envelope.js';
import type { SedimentEvent } from '../bucket-stream/sediment-event.js';
import type { BucketNotificationConfiguration } from '../bucket-stream/notification-configuration.js';
import { copyCursor, relayStep, type OutgoingNotification, type RelayCursor } from './notification-relay.state.js';

const t = '2026-11-27T10:00:00.000Z';
const created = (bucketId = 'b-1'): SedimentEvent => ({
  type: 'BucketCreated',
  data: { bucket: 'photos', bucketId, owner: 'owner-a', ownerDisplayName: 'root', region: 'us-east-1', createdAt: t },
});
const deletedBucket: SedimentEvent = { type: 'BucketDeleted', data: { bucket: 'photos', bucketId: 'b-1', deletedAt: t } };
const configured = (configuration: BucketNotificationConfiguration, bucketId = 'b-1'): SedimentEvent => ({
  type: 'BucketNotificationConfigured',
  data: { bucket: 'photos', bucketId, configuration, configuredAt: t },
});
const put = (key: string, bucketId = 'b-1'): SedimentEvent =>
  ({
    type: 'ObjectStored',
    data: {
      bucket: 'photos', bucketId, key, objectId: `o-${key}`, size: 3, etag: '"abc"', contentType: 'text/plain',
      userMetadata: [], owner: 'owner-a', ownerDisplayName: 'root', storedAt: t, storageClass: 'STANDARD',
    },
  }) as SedimentEvent;
const del = (key: string): SedimentEvent => ({
  type: 'ObjectDeleted',
  data: { bucket: 'photos', bucketId: 'b-1', key, objectId: `o-${key}`, deletedAt: t },
});

const topic = (name: string, events: string[], filter?: { prefix?: string; suffix?: string }) => ({
  id: name,
  topicArn: `arn:aws:sns:us-east-1:000000000000:${name}`,
  events,
  ...(filter ? { filter } : {}),
});
const jpegs: BucketNotificationConfiguration = { topicConfigurations: [topic('jpegs', ['s3:ObjectCreated:*'], { suffix: '.jpg' })] };
const removals: BucketNotificationConfiguration = { topicConfigurations: [topic('removals', ['s3:ObjectRemoved:*'], { prefix: 'tmp/' })] };

const ROOT = { accessKeyId: 'K', arn: 'arn:aws:iam::000000000000:root' };
const recorded = (event: SedimentEvent, offset: number, principal: { accessKeyId: string; arn: string } = ROOT): RecordedEvent => ({
  event,
  position: { partition: 2, offset },
  envelope: { time: t, principal } as EventEnvelope,
});

const cursor = (over: Partial<RelayCursor> = {}): RelayCursor => ({ next: 0, quietBelow: 0, buckets: new Map(), ...over });

/** given(events at offsets 0, 1, …).then(what the relay produces for each, flattened) */
function relay(events: SedimentEvent[], at: RelayCursor = cursor()): { out: OutgoingNotification[]; summary: string[] } {
  const out = events.flatMap((event, offset) => relayStep(at, recorded(event, offset)));
  const summary = out.map((m) => {
    const record = (JSON.parse(m.value) as { Records: { eventName: string; s3: { object: { key: string } } }[] }).Records[0]!;
    return `${m.topic} ${record.eventName} ${record.s3.object.key}`;
  });
  return { out, summary };
}

describe('relayStep', () => {
  it('notifies nothing for a bucket without a configuration', () => {
    expect(relay([created(), put('a.jpg'), del('a.jpg')]).out).toEqual([]);
  });

  it('notifies exactly the events the configuration matches, keyed bucket/key', () => {
    const { out, summary } = relay([created(), configured(jpegs), put('a.jpg'), put('a.png'), del('a.jpg'), put('tmp/b.jpg')]);
    expect(summary).toEqual(['jpegs ObjectCreated:Put a.jpg', 'jpegs ObjectCreated:Put tmp/b.jpg']);
    expect(out.map((m) => m.key)).toEqual(['photos/a.jpg', 'photos/tmp/b.jpg']);
    expect(JSON.parse(out[0]!.value).Records[0].s3.object.sequencer).toBe('00020000000000000002');
  });

  it('notifies a copy as ObjectCreated:Copy, which ObjectCreated:* covers and ObjectCreated:Put does not', () => {
    const copy = (key: string): SedimentEvent => {
      const stored = put(key) as Extract<SedimentEvent, { type: 'ObjectStored' }>;
      return { type: 'ObjectCopied', data: { ...stored.data, objectId: 'o-src', sourceBucket: 'photos', sourceKey: 'src.jpg' } };
    };
    const puts: BucketNotificationConfiguration = { topicConfigurations: [topic('puts', ['s3:ObjectCreated:Put'])] };
    expect(relay([created(), configured(jpegs), copy('c.jpg')]).summary).toEqual(['jpegs ObjectCreated:Copy c.jpg']);
    expect(relay([created(), configured(puts), copy('c.jpg')]).summary).toEqual([]);
  });

  it('notifies a lifecycle expiry to s3:LifecycleExpiration:* subscribers, never to s3:ObjectRemoved:* ones', () => {
    const expiries: BucketNotificationConfiguration = {
      topicConfigurations: [topic('expiries', ['s3:LifecycleExpiration:*']), topic('removals', ['s3:ObjectRemoved:*'])],
    };
    const at = cursor();
    [created(), configured(expiries), put('tmp/a')].forEach((event, offset) => relayStep(at, recorded(event, offset)));
    const expired = relayStep(at, recorded(del('tmp/a'), 3, { accessKeyId: '', arn: 'lifecycle.s3.amazonaws.com' }));
    expect(expired.map((m) => `${m.topic} ${(JSON.parse(m.value) as { Records: { eventName: string }[] }).Records[0]!.eventName}`)).toEqual([
      'expiries LifecycleExpiration:Delete',
    ]);
    expect(relayStep(at, recorded(del('tmp/b'), 4)).map((m) => m.topic)).toEqual(['removals']);
  });

  it('applies a configuration change from its position on, and an empty one removes it', () => {
    const { summary } = relay([
      created(),
      put('before.jpg'), // no configuration yet
      configured(jpegs),
      put('x.jpg'),
      del('tmp/x'),
      configured(removals),
      put('y.jpg'), // jpegs no longer in force
      del('tmp/x'),
      configured({ topicConfigurations: [] }),
      del('tmp/y'),
    ]);
    expect(summary).toEqual(['jpegs ObjectCreated:Put x.jpg', 'removals ObjectRemoved:Delete tmp/x']);
  });

  it('forgets the configuration with the bucket: a bucket created again under the name has none', () => {
    const { summary } = relay([created(), configured(jpegs), put('a.jpg'), del('a.jpg'), deletedBucket, created('b-2'), put('b.jpg', 'b-2')]);
    expect(summary).toEqual(['jpegs ObjectCreated:Put a.jpg']);
  });

  it('ignores a configuration of another incarnation of the name', () => {
    expect(relay([created('b-2'), configured(jpegs, 'b-1'), put('a.jpg', 'b-2')]).out).toEqual([]);
  });

  it('folds but stays quiet below quietBelow (already delivered), then notifies', () => {
    const at = cursor({ quietBelow: 4 });
    const { summary } = relay([created(), configured(jpegs), put('old.jpg'), put('old2.jpg'), put('new.jpg')], at);
    expect(summary).toEqual(['jpegs ObjectCreated:Put new.jpg']);
    expect(at.next).toBe(5);
  });

  it('changes nothing for a redelivered event', () => {
    const at = cursor();
    relay([created(), configured(jpegs), put('a.jpg')], at);
    const before = copyCursor(at);
    expect(relayStep(at, recorded(put('a.jpg'), 2))).toEqual([]);
    expect(relayStep(at, recorded(configured(removals), 1))).toEqual([]);
    expect(at).toEqual(before);
  });

  it('leaves the original cursor untouched when working on a copy', () => {
    const at = cursor();
    relay([created(), configured(jpegs)], at);
    const work = copyCursor(at);
    relayStep(work, recorded(deletedBucket, 2));
    expect(at.buckets.get('photos')?.configuration).toEqual(jpegs);
    expect(work.buckets.has('photos')).toBe(false);
    expect([at.next, work.next]).toEqual([2, 3]);
  });
});
