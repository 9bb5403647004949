import { Command } from '@nestjs/cqrs';
import type { Principal } from '../../../event-log/principal.js';
import type { DefaultRetention } from '../../../bucket-stream/object-lock.js';

/** PutObjectLockConfiguration, its body parsed: the default retention, or none. */
export class ConfigureObjectLockCommand extends Command<void> {
  constructor(
    readonly bucket: string,
    readonly defaultRetention: DefaultRetention | null,
    readonly principal: Principal,
  ) {
    super();
  }
}
