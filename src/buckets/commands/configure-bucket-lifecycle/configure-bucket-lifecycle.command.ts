import { Command } from '@nestjs/cqrs';
import type { Principal } from '../../../event-log/principal.js';
import type { BucketLifecycleConfiguration } from '../../../bucket-stream/lifecycle-configuration.js';

/** PutBucketLifecycleConfiguration (its rules) or DeleteBucketLifecycle (null). */
export class ConfigureBucketLifecycleCommand extends Command<void> {
  constructor(
    readonly bucket: string,
    readonly configuration: BucketLifecycleConfiguration | null,
    readonly principal: Principal,
  ) {
    super();
  }
}
