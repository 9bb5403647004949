import { Command } from '@nestjs/cqrs';
import type { Principal } from '../../../event-log/principal.js';

/** What S3 reports about a deletion in its x-amz-version-id / x-amz-delete-marker headers. */
export interface DeletionOutcome {
  /** The version deleted, or the delete marker created. */
  versionId?: string;
  /** A delete marker was created or removed. */
  deleteMarker: boolean;
  /** DeleteObjects: why this target was not deleted (Object Lock protects it). */
  refused?: { code: string; message: string };
}

export class DeleteObjectCommand extends Command<DeletionOutcome> {
  constructor(
    readonly bucket: string,
    readonly key: string,
    readonly principal: Principal,
    /** Delete this version for good instead of the key's current one. */
    readonly versionId?: string,
    /** x-amz-bypass-governance-retention: true, and the caller holds s3:BypassGovernanceRetention. */
    readonly bypassGovernance = false,
  ) {
    super();
  }
}
