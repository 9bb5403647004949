import { Command } from '@nestjs/cqrs';
import type { Principal } from '../../../event-log/principal.js';
import type { ObjectOwnership, PublicAccessBlock } from '../../../bucket-stream/bucket-access-controls.js';

/** What to set (or, with null, remove): the public access block, or the ownership controls. */
export type BucketAccessControlsChange = { publicAccessBlock: PublicAccessBlock | null } | { objectOwnership: ObjectOwnership | null };

/** Put/DeletePublicAccessBlock and Put/DeleteBucketOwnershipControls. */
export class ConfigureBucketAccessControlsCommand extends Command<void> {
  constructor(
    readonly bucket: string,
    readonly change: BucketAccessControlsChange,
    readonly principal: Principal,
  ) {
    super();
  }
}
