import { Command } from '@nestjs/cqrs';
import type { Principal } from '../../../event-log/principal.js';

export class DeleteBucketCommand extends Command<void> {
  constructor(
    readonly bucket: string,
    readonly principal: Principal,
  ) {
    super();
  }
}
