import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EventEnvelope } from '../../../event-log/event-envelope.js';
import { BucketStreamWriter } from '../../../write-model/bucket-stream.writer.js';
import { decideObject } from '../../../bucket-stream/object.decider.js';
import { newVersionId } from '../../../bucket-stream/object-version.js';
import { DeleteObjectCommand, type DeletionOutcome } from './delete-object.command.js';

@CommandHandler(DeleteObjectCommand)
export class DeleteObjectHandler implements ICommandHandler<DeleteObjectCommand> {
  constructor(private readonly writer: BucketStreamWriter) {}

  async execute({ bucket, key, principal, versionId, bypassGovernance }: DeleteObjectCommand): Promise<DeletionOutcome> {
    const now = new Date();
    const result = await this.writer.execute({
      bucket,
      key,
      allVersions: versionId !== undefined,
      principal,
      now,
      decide: (state) =>
        decideObject(
          {
            type: 'DeleteObject',
            data: { bucket, key, owner: principal.canonicalId, ownerDisplayName: principal.displayName, bypassGovernance, ...(versionId !== undefined ? { versionId } : {}) },
            metadata: { now, newVersionId: newVersionId() },
          },
          state,
        ),
    });
    // The payload stays in the blob store: point-in-time rebuilds may still need it.
    if (result.outcome === 'rejected') throw result.error;
    return deletionOutcome(result.envelopes.find((e) => keyOfEvent(e) === key), versionId);
  }
}

/** The headers' view of the event a deletion recorded (none: nothing was there to delete). */
export function deletionOutcome(envelope: EventEnvelope | undefined, requestedVersionId: string | undefined): DeletionOutcome {
  switch (envelope?.type) {
    case 'DeleteMarkerCreated':
    case 'DeleteMarkerRemoved':
      return { versionId: (envelope.data as { versionId: string }).versionId, deleteMarker: true };
    default:
      return { ...(requestedVersionId !== undefined ? { versionId: requestedVersionId } : {}), deleteMarker: false };
  }
}

/** The object key an event is about, if it is about one. */
export function keyOfEvent(envelope: EventEnvelope): string | undefined {
  return (envelope.data as { key?: string }).key;
}
