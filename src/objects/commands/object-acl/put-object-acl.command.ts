import { Command } from '@nestjs/cqrs';
import type { Principal } from '../../../event-log/principal.js';
import type { AclGrant } from '../../../identity-stream/canned-acl.js';

/** PutObjectAcl with its ACL expanded into grants and checked against the bucket's switches. */
export class PutObjectAclCommand extends Command<void> {
  constructor(
    readonly bucket: string,
    readonly key: string,
    readonly grants: AclGrant[],
    readonly principal: Principal,
    readonly versionId?: string,
  ) {
    super();
  }
}
