import { Command } from '@nestjs/cqrs';
import type { Principal } from '../../../event-log/principal.js';
import type { DeletionTarget } from '../../../bucket-stream/object.decider.js';
import type { DeletionOutcome } from '../delete-object/delete-object.command.js';

/** S3 DeleteObjects: the keys (or versions) of one bucket to delete in one decision. */
export class DeleteObjectsCommand extends Command<DeletionOutcome[]> {
  constructor(
    readonly bucket: string,
    readonly objects: readonly DeletionTarget[],
    readonly principal: Principal,
  ) {
    super();
  }
}
