import { Command } from '@nestjs/cqrs';
import type { Principal } from '../../../event-log/principal.js';
import type { BucketNotificationConfiguration } from '../../../bucket-stream/notification-configuration.js';

/** PutBucketNotificationConfiguration with its body validated and normalised. */
export class ConfigureBucketNotificationCommand extends Command<void> {
  constructor(
    readonly bucket: string,
    readonly configuration: BucketNotificationConfiguration,
    readonly principal: Principal,
  ) {
    super();
  }
}
