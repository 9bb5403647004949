import { Command } from '@nestjs/cqrs';
import type { Principal } from '../../../event-log/principal.js';
import type { VersioningStatus } from '../../../bucket-stream/bucket.events.js';

/** PutBucketVersioning. */
export class ConfigureBucketVersioningCommand extends Command<void> {
  constructor(
    readonly bucket: string,
    readonly status: VersioningStatus,
    readonly principal: Principal,
  ) {
    super();
  }
}
