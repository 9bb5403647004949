import { Command } from '@nestjs/cqrs';
import type { Principal } from '../../../event-log/principal.js';
import type { ObjectTag } from '../../../bucket-stream/object-tags.js';

/** PutObjectTagging with its body parsed; the tag rules are checked by the decider. */
export class PutObjectTaggingCommand extends Command<void> {
  constructor(
    readonly bucket: string,
    readonly key: string,
    readonly tags: ObjectTag[],
    readonly principal: Principal,
    /** Tag this version instead of the key's current one. */
    readonly versionId?: string,
  ) {
    super();
  }
}

export class DeleteObjectTaggingCommand extends Command<void> {
  constructor(
    readonly bucket: string,
    readonly key: string,
    readonly principal: Principal,
    readonly versionId?: string,
  ) {
    super();
  }
}
