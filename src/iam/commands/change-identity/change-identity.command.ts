import { Command } from '@nestjs/cqrs';
import type { IdentityEnvelope } from '../../../event-log/identity-envelope.js';
import type { Principal } from '../../../event-log/principal.js';
import type { IdentityCommand } from '../../../identity-stream/identity.decider.js';

/**
 * Any change to users, access keys, user policies, bucket policies or bucket ACLs: one command
 * type carrying the decider's command union, since all of them go through the same single
 * identity writer and decider. Resolves with the recorded events (none if nothing changed).
 */
export class ChangeIdentityCommand extends Command<IdentityEnvelope[]> {
  constructor(
    readonly change: IdentityCommand,
    readonly principal: Principal,
  ) {
    super();
  }
}
