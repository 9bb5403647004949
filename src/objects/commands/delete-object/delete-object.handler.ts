import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { BucketStreamWriter } from '../../../write-model/bucket-stream.writer.js';
import { decideObject } from '../../domain/object.decider.js';
import { DeleteObjectCommand } from './delete-object.command.js';

@CommandHandler(DeleteObjectCommand)
export class DeleteObjectHandler implements ICommandHandler<DeleteObjectCommand> {
  constructor(private readonly writer: BucketStreamWriter) {}

  async execute({ bucket, key, principal }: DeleteObjectCommand): Promise<void> {
    const now = new Date();
    const result = await this.writer.execute({
      bucket,
      key,
      principal,
      now,
      decide: (state) => decideObject({ type: 'DeleteObject', data: { bucket, key }, metadata: { now } }, state),
    });
    // The payload stays in the blob store: point-in-time rebuilds may still need it.
    if (result.outcome === 'rejected') throw result.error;
  }
}
