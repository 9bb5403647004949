import { inMemoryBucketStream, ALICE } from '../../../../test/support/in-memory-bucket-stream.js';
import type { BucketNotificationConfiguration } from '../../../bucket-stream/notification-configuration.js';
import { NotificationDestinations } from '../../../notifications/notification-destinations.js';
import { CreateBucketCommand } from '../create-bucket/create-bucket.command.js';
import { CreateBucketHandler } from '../create-bucket/create-bucket.handler.js';
import { ConfigureBucketNotificationCommand } from './configure-bucket-notification.command.js';
import { ConfigureBucketNotificationHandler } from './configure-bucket-notification.handler.js';

class RecordingDestinations extends NotificationDestinations {
  readonly ensured: string[][] = [];
  constructor(private readonly failure?: Error) {
    super();
  }
  async ensure(topics: readonly string[]): Promise<void> {
    if (this.failure) throw this.failure;
    this.ensured.push([...topics]);
  }
}

const CONFIGURATION: BucketNotificationConfiguration = {
  topicConfigurations: [{ id: 'uploads', topicArn: 'arn:aws:sns:us-east-1:000000000000:photos.uploads', events: ['s3:ObjectCreated:*'] }],
};

async function withBucket(destinations: NotificationDestinations) {
  const stream = await inMemoryBucketStream();
  await new CreateBucketHandler(stream.writer).execute(new CreateBucketCommand('photos', 'us-east-1', ALICE));
  return { ...stream, handler: new ConfigureBucketNotificationHandler(stream.writer, destinations) };
}

describe('ConfigureBucketNotificationHandler', () => {
  it('makes sure the destination topics exist, then records the configuration', async () => {
    const destinations = new RecordingDestinations();
    const { handler, store, eventTypes } = await withBucket(destinations);
    await handler.execute(new ConfigureBucketNotificationCommand('photos', CONFIGURATION, ALICE));
    expect(destinations.ensured).toEqual([['photos.uploads']]);
    expect(store.buckets.get('photos')?.notification).toEqual(CONFIGURATION);
    expect(eventTypes()).toEqual(['BucketCreated', 'BucketNotificationConfigured']);
  });

  it('records nothing when a destination cannot be made, so the relay never publishes to a missing topic', async () => {
    const { handler, store, eventTypes } = await withBucket(new RecordingDestinations(new Error('broker down')));
    await expect(handler.execute(new ConfigureBucketNotificationCommand('photos', CONFIGURATION, ALICE))).rejects.toThrow('broker down');
    expect(store.buckets.get('photos')?.notification).toBeUndefined();
    expect(eventTypes()).toEqual(['BucketCreated']);
  });
});
