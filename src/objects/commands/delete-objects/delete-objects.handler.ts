import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { BucketStreamWriter } from '../../../write-model/bucket-stream.writer.js';
import { decideObject } from '../../domain/object.decider.js';
import { DeleteObjectsCommand } from './delete-objects.command.js';

/**
 * One decision for the whole request: under the bucket's writer, the current objects of every
 * named key are loaded at once and one ObjectDeleted per existing key is appended in one batch.
 */
@CommandHandler(DeleteObjectsCommand)
export class DeleteObjectsHandler implements ICommandHandler<DeleteObjectsCommand> {
  constructor(private readonly writer: BucketStreamWriter) {}

  async execute({ bucket, keys, principal }: DeleteObjectsCommand): Promise<void> {
    const now = new Date();
    const result = await this.writer.execute({
      bucket,
      keys,
      principal,
      now,
      decide: (state) => decideObject({ type: 'DeleteObjects', data: { bucket, keys }, metadata: { now } }, state),
    });
    // As with DeleteObject, the payloads stay in the blob store.
    if (result.outcome === 'rejected') throw result.error;
  }
}
