import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { IdentityEnvelope } from '../../../event-log/identity-envelope.js';
import { decideIdentity } from '../../../identity-stream/identity.decider.js';
import { IdentityStreamWriter } from '../../identities/identity-stream.writer.js';
import { ChangeIdentityCommand } from './change-identity.command.js';

@CommandHandler(ChangeIdentityCommand)
export class ChangeIdentityHandler implements ICommandHandler<ChangeIdentityCommand> {
  constructor(private readonly writer: IdentityStreamWriter) {}

  execute({ change, principal }: ChangeIdentityCommand): Promise<IdentityEnvelope[]> {
    const now = new Date();
    return this.writer.execute(principal, now, (state) => decideIdentity(change, state, now));
  }
}
