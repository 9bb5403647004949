import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { destinationTopicOf } from '../../../bucket-stream/notification-configuration.js';
import { NotificationDestinations } from '../../../notifications/notification-destinations.js';
import { BucketStreamWriter } from '../../../write-model/bucket-stream.writer.js';
import { decideBucket } from '../../../bucket-stream/bucket.decider.js';
import { ConfigureBucketNotificationCommand } from './configure-bucket-notification.command.js';

@CommandHandler(ConfigureBucketNotificationCommand)
export class ConfigureBucketNotificationHandler implements ICommandHandler<ConfigureBucketNotificationCommand> {
  constructor(
    private readonly writer: BucketStreamWriter,
    @Inject(NotificationDestinations) private readonly destinations: NotificationDestinations,
  ) {}

  async execute({ bucket, configuration, principal }: ConfigureBucketNotificationCommand): Promise<void> {
    // Destination before fact: once the configuration is in the log, the relay may publish to
    // its topics at any moment. A failure here records nothing.
    await this.destinations.ensure(configuration.topicConfigurations.map((c) => destinationTopicOf(c.topicArn)));
    const now = new Date();
    const result = await this.writer.execute({
      bucket,
      principal,
      now,
      decide: (state) => decideBucket({ type: 'ConfigureBucketNotification', data: { bucket, configuration }, metadata: { now } }, state),
    });
    if (result.outcome === 'rejected') throw result.error;
  }
}
