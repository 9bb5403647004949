import { Command } from '@nestjs/cqrs';
import type { Principal } from '../../../event-log/principal.js';
import type { ObjectTag } from '../../../bucket-stream/object-tags.js';

/** PutBucketTagging (its tag set) or DeleteBucketTagging (null). */
export class ConfigureBucketTaggingCommand extends Command<void> {
  constructor(
    readonly bucket: string,
    readonly tags: ObjectTag[] | null,
    readonly principal: Principal,
  ) {
    super();
  }
}
