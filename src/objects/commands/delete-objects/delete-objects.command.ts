import { Command } from '@nestjs/cqrs';
import type { Principal } from '../../../event-log/principal.js';

/** S3 DeleteObjects: the keys of one bucket to delete in one decision (deduplicated by the decider). */
export class DeleteObjectsCommand extends Command<void> {
  constructor(
    readonly bucket: string,
    readonly keys: readonly string[],
    readonly principal: Principal,
  ) {
    super();
  }
}
