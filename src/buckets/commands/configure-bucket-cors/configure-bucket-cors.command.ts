import { Command } from '@nestjs/cqrs';
import type { Principal } from '../../../event-log/principal.js';
import type { BucketCorsConfiguration } from '../../../bucket-stream/cors-configuration.js';

/** PutBucketCors (its body parsed) or DeleteBucketCors (null). */
export class ConfigureBucketCorsCommand extends Command<void> {
  constructor(
    readonly bucket: string,
    readonly configuration: BucketCorsConfiguration | null,
    readonly principal: Principal,
  ) {
    super();
  }
}
