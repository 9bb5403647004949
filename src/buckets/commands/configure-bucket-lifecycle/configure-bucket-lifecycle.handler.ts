import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { BucketStreamWriter } from '../../../write-model/bucket-stream.writer.js';
import { decideBucketLifecycle } from '../../../bucket-stream/bucket-lifecycle.decider.js';
import { ConfigureBucketLifecycleCommand } from './configure-bucket-lifecycle.command.js';

@CommandHandler(ConfigureBucketLifecycleCommand)
export class ConfigureBucketLifecycleHandler implements ICommandHandler<ConfigureBucketLifecycleCommand> {
  constructor(private readonly writer: BucketStreamWriter) {}

  async execute({ bucket, configuration, principal }: ConfigureBucketLifecycleCommand): Promise<void> {
    const now = new Date();
    const result = await this.writer.execute({
      bucket,
      principal,
      now,
      decide: (state) => decideBucketLifecycle({ type: 'ConfigureBucketLifecycle', data: { bucket, configuration }, metadata: { now } }, state),
    });
    if (result.outcome === 'rejected') throw result.error;
  }
}
