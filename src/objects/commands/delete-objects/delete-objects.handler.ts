import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { BucketStreamWriter } from '../../../write-model/bucket-stream.writer.js';
import { decideObject } from '../../domain/object.decider.js';
import { newVersionId } from '../../domain/object-version.js';
import { deletionOutcome, keyOfEvent } from '../delete-object/delete-object.handler.js';
import type { DeletionOutcome } from '../delete-object/delete-object.command.js';
import { DeleteObjectsCommand } from './delete-objects.command.js';

/**
 * One decision for the whole request: under the bucket's writer, the versions of every named
 * key are loaded at once and the events of every deletion are appended in one batch. Answers one
 * outcome per target, in order.
 */
@CommandHandler(DeleteObjectsCommand)
export class DeleteObjectsHandler implements ICommandHandler<DeleteObjectsCommand> {
  constructor(private readonly writer: BucketStreamWriter) {}

  async execute({ bucket, objects, principal }: DeleteObjectsCommand): Promise<DeletionOutcome[]> {
    const now = new Date();
    const result = await this.writer.execute({
      bucket,
      keys: objects.map((o) => o.key),
      allVersions: objects.some((o) => o.versionId !== undefined),
      principal,
      now,
      decide: (state) =>
        decideObject(
          {
            type: 'DeleteObjects',
            data: { bucket, objects, owner: principal.canonicalId, ownerDisplayName: principal.displayName },
            metadata: { now, newVersionId },
          },
          state,
        ),
    });
    // As with DeleteObject, the payloads stay in the blob store.
    if (result.outcome === 'rejected') throw result.error;
    return objects.map((target) => {
      const recorded = result.envelopes.find(
        (e) => keyOfEvent(e) === target.key && (target.versionId === undefined || (e.data as { versionId?: string }).versionId === target.versionId),
      );
      return deletionOutcome(recorded, target.versionId);
    });
  }
}
