import { Command } from '@nestjs/cqrs';
import type { Principal } from '../../../event-log/principal.js';
import type { ObjectRetention } from '../../../bucket-stream/object-lock.js';

/** PutObjectRetention with its body parsed and validated; null removes the retention. */
export class PutObjectRetentionCommand extends Command<void> {
  constructor(
    readonly bucket: string,
    readonly key: string,
    readonly retention: ObjectRetention | null,
    /** x-amz-bypass-governance-retention: true, and the caller holds s3:BypassGovernanceRetention. */
    readonly bypassGovernance: boolean,
    readonly principal: Principal,
    readonly versionId?: string,
  ) {
    super();
  }
}

/** PutObjectLegalHold: ON (true) or OFF (false). */
export class PutObjectLegalHoldCommand extends Command<void> {
  constructor(
    readonly bucket: string,
    readonly key: string,
    readonly legalHold: boolean,
    readonly principal: Principal,
    readonly versionId?: string,
  ) {
    super();
  }
}
