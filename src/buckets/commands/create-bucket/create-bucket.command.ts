import { Command } from '@nestjs/cqrs';
import type { Principal } from '../../../event-log/principal.js';

export class CreateBucketCommand extends Command<{ bucket: string }> {
  constructor(
    readonly bucket: string,
    readonly region: string,
    readonly principal: Principal,
    /** x-amz-bucket-object-lock-enabled: true. */
    readonly objectLockEnabled = false,
  ) {
    super();
  }
}
