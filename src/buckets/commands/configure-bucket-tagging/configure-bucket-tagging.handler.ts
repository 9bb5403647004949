import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { BucketStreamWriter } from '../../../write-model/bucket-stream.writer.js';
import { decideBucketTagging } from '../../../bucket-stream/bucket-tagging.decider.js';
import { ConfigureBucketTaggingCommand } from './configure-bucket-tagging.command.js';

@CommandHandler(ConfigureBucketTaggingCommand)
export class ConfigureBucketTaggingHandler implements ICommandHandler<ConfigureBucketTaggingCommand> {
  constructor(private readonly writer: BucketStreamWriter) {}

  async execute({ bucket, tags, principal }: ConfigureBucketTaggingCommand): Promise<void> {
    const now = new Date();
    const result = await this.writer.execute({
      bucket,
      principal,
      now,
      decide: (state) => decideBucketTagging({ type: 'ConfigureBucketTagging', data: { bucket, tags }, metadata: { now } }, state),
    });
    if (result.outcome === 'rejected') throw result.error;
  }
}
