import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EventEnvelope } from '../../../event-log/event-envelope.js';
import { BucketStreamWriter } from '../../../write-model/bucket-stream.writer.js';
import { decideObject } from '../../../bucket-stream/object.decider.js';
import { newVersionId } from '../../../bucket-stream/object-version.js';
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
    // Indexed, not searched per target: 1,000 targets of 1 KB keys must not cost a million compares.
    const firstOfKey = new Map<string, EventEnvelope>();
    const ofVersion = new Map<string, EventEnvelope>();
    for (const envelope of result.envelopes) {
      const key = keyOfEvent(envelope);
      if (key === undefined) continue;
      if (!firstOfKey.has(key)) firstOfKey.set(key, envelope);
      const versionId = (envelope.data as { versionId?: string }).versionId;
      const id = JSON.stringify([key, versionId]);
      if (versionId !== undefined && !ofVersion.has(id)) ofVersion.set(id, envelope);
    }
    return objects.map((target) => {
      const recorded = target.versionId === undefined ? firstOfKey.get(target.key) : ofVersion.get(JSON.stringify([target.key, target.versionId]));
      return deletionOutcome(recorded, target.versionId);
    });
  }
}
