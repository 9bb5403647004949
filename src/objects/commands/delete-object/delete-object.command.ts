import { Command } from '@nestjs/cqrs';
import type { Principal } from '../../../event-log/principal.js';

export class DeleteObjectCommand extends Command<void> {
  constructor(
    readonly bucket: string,
    readonly key: string,
    readonly principal: Principal,
  ) {
    super();
  }
}
