import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { BucketStreamWriter } from '../../../write-model/bucket-stream.writer.js';
import { decideBucketCors } from '../../../bucket-stream/bucket-cors.decider.js';
import { ConfigureBucketCorsCommand } from './configure-bucket-cors.command.js';

@CommandHandler(ConfigureBucketCorsCommand)
export class ConfigureBucketCorsHandler implements ICommandHandler<ConfigureBucketCorsCommand> {
  constructor(private readonly writer: BucketStreamWriter) {}

  async execute({ bucket, configuration, principal }: ConfigureBucketCorsCommand): Promise<void> {
    const now = new Date();
    const result = await this.writer.execute({
      bucket,
      principal,
      now,
      decide: (state) => decideBucketCors({ type: 'ConfigureBucketCors', data: { bucket, configuration }, metadata: { now } }, state),
    });
    if (result.outcome === 'rejected') throw result.error;
  }
}
