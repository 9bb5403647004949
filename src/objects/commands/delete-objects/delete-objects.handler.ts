import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EventEnvelope } from '../../../event-log/event-envelope.js';
import { BucketStreamWriter } from '../../../write-model/bucket-stream.writer.js';
import { decideDeletions } from '../../../bucket-stream/object.decider.js';
import type { S3Error } from '../../../errors/s3.error.js';
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
    let refusals = new Map<number, S3Error>();
    const result = await this.writer.execute({
      bucket,
      keys: objects.map((o) => o.key),
      allVersions: objects.some((o) => o.versionId !== undefined),
      principal,
      now,
      decide: (state) => {
        const decided = decideDeletions(
          {
            type: 'DeleteObjects',
            data: { bucket, objects, owner: principal.canonicalId, ownerDisplayName: principal.displayName },
            metadata: { now, newVersionId },
          },
          state,
        );
        // Reported per target beside the events; a refusal records nothing.
        refusals = decided.refusals;
        return decided.events;
      },
    });
    // As with DeleteObject, the payloads stay in the blob store.
    if (result.outcome === 'rejected') throw result.error;
    // Indexed, not searched per target: 1,000 targets of 1 KB keys must not cost a million compares.
    const ofVersion = new Map<string, EventEnvelope>();
    for (const envelope of result.envelopes) {
      const key = keyOfEvent(envelope);
      const versionId = (envelope.data as { versionId?: string }).versionId;
      if (key === undefined || versionId === undefined) continue;
      const id = JSON.stringify([key, versionId]);
      if (!ofVersion.has(id)) ofVersion.set(id, envelope);
    }
    // A target naming a version owns that version's event. A target naming only its key owns the
    // first other event of that key (its delete marker, or the removal of the null version), not
    // the removal of a version another target of the same request named ([a@V1, a] is V1's
    // deletion, then a new marker). None left: the key was already gone, which S3 reports as deleted.
    const claimed = new Set<EventEnvelope>();
    for (const target of objects) {
      const recorded = target.versionId === undefined ? undefined : ofVersion.get(JSON.stringify([target.key, target.versionId]));
      if (recorded) claimed.add(recorded);
    }
    const ofKey = new Map<string, EventEnvelope>();
    for (const envelope of result.envelopes) {
      const key = keyOfEvent(envelope);
      if (key !== undefined && !claimed.has(envelope) && !ofKey.has(key)) ofKey.set(key, envelope);
    }
    return objects.map((target, i) => {
      const refusal = refusals.get(i);
      if (refusal) return { deleteMarker: false, ...(target.versionId !== undefined ? { versionId: target.versionId } : {}), refused: { code: refusal.code, message: refusal.message } };
      const recorded = target.versionId === undefined ? ofKey.get(target.key) : ofVersion.get(JSON.stringify([target.key, target.versionId]));
      return deletionOutcome(recorded, target.versionId);
    });
  }
}
