import { Command } from '@nestjs/cqrs';
import type { Principal } from '../../../event-log/principal.js';
import type { ObjectOwnership } from '../../../bucket-stream/bucket-access-controls.js';

export class CreateBucketCommand extends Command<{ bucket: string }> {
  constructor(
    readonly bucket: string,
    readonly region: string,
    readonly principal: Principal,
    /** x-amz-object-ownership (CreateBucket over HTTP always names one) and x-amz-bucket-object-lock-enabled: true. */
    readonly options: { objectOwnership?: ObjectOwnership; objectLockEnabled?: boolean } = {},
  ) {
    super();
  }
}
