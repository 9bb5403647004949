import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { BucketStreamWriter } from '../../../write-model/bucket-stream.writer.js';
import { decideBucket } from '../../../bucket-stream/bucket.decider.js';
import { DeleteBucketCommand } from './delete-bucket.command.js';

@CommandHandler(DeleteBucketCommand)
export class DeleteBucketHandler implements ICommandHandler<DeleteBucketCommand> {
  constructor(private readonly writer: BucketStreamWriter) {}

  async execute({ bucket, principal }: DeleteBucketCommand): Promise<void> {
    const now = new Date();
    const result = await this.writer.execute({
      bucket,
      needsEmptiness: true,
      principal,
      now,
      decide: (state) => decideBucket({ type: 'DeleteBucket', data: { bucket }, metadata: { now } }, state),
    });
    if (result.outcome === 'rejected') throw result.error;
  }
}
