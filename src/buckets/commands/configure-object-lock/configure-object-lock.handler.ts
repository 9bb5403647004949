import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { BucketStreamWriter } from '../../../write-model/bucket-stream.writer.js';
import { decideObjectLock } from '../../../bucket-stream/object-lock.decider.js';
import { ConfigureObjectLockCommand } from './configure-object-lock.command.js';

@CommandHandler(ConfigureObjectLockCommand)
export class ConfigureObjectLockHandler implements ICommandHandler<ConfigureObjectLockCommand> {
  constructor(private readonly writer: BucketStreamWriter) {}

  async execute({ bucket, defaultRetention, principal }: ConfigureObjectLockCommand): Promise<void> {
    const now = new Date();
    const result = await this.writer.execute({
      bucket,
      principal,
      now,
      decide: (state) => decideObjectLock({ type: 'ConfigureObjectLock', data: { bucket, defaultRetention }, metadata: { now } }, state),
    });
    if (result.outcome === 'rejected') throw result.error;
  }
}
