import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { BucketStreamWriter } from '../../../write-model/bucket-stream.writer.js';
import { decideBucket } from '../../../bucket-stream/bucket.decider.js';
import { ConfigureBucketVersioningCommand } from './configure-bucket-versioning.command.js';

@CommandHandler(ConfigureBucketVersioningCommand)
export class ConfigureBucketVersioningHandler implements ICommandHandler<ConfigureBucketVersioningCommand> {
  constructor(private readonly writer: BucketStreamWriter) {}

  async execute({ bucket, status, principal }: ConfigureBucketVersioningCommand): Promise<void> {
    const now = new Date();
    const result = await this.writer.execute({
      bucket,
      principal,
      now,
      decide: (state) => decideBucket({ type: 'ConfigureBucketVersioning', data: { bucket, status }, metadata: { now } }, state),
    });
    if (result.outcome === 'rejected') throw result.error;
  }
}
