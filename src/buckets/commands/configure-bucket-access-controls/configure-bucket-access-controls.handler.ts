import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { BucketStreamWriter } from '../../../write-model/bucket-stream.writer.js';
import { decideBucketAccess, type BucketAccessCommand } from '../../../bucket-stream/bucket-access-controls.decider.js';
import { ConfigureBucketAccessControlsCommand } from './configure-bucket-access-controls.command.js';

@CommandHandler(ConfigureBucketAccessControlsCommand)
export class ConfigureBucketAccessControlsHandler implements ICommandHandler<ConfigureBucketAccessControlsCommand> {
  constructor(private readonly writer: BucketStreamWriter) {}

  async execute({ bucket, change, principal }: ConfigureBucketAccessControlsCommand): Promise<void> {
    const now = new Date();
    const command: BucketAccessCommand =
      'publicAccessBlock' in change
        ? { type: 'ConfigurePublicAccessBlock', data: { bucket, publicAccessBlock: change.publicAccessBlock }, metadata: { now } }
        : { type: 'ConfigureOwnershipControls', data: { bucket, objectOwnership: change.objectOwnership }, metadata: { now } };
    const result = await this.writer.execute({ bucket, principal, now, decide: (state) => decideBucketAccess(command, state) });
    if (result.outcome === 'rejected') throw result.error;
  }
}
