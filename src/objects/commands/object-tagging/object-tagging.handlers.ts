import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Principal } from '../../../event-log/principal.js';
import { BucketStreamWriter } from '../../../write-model/bucket-stream.writer.js';
import { decideObjectTagging, type ObjectTaggingCommand } from '../../../bucket-stream/object-tagging.decider.js';
import { DeleteObjectTaggingCommand, PutObjectTaggingCommand } from './object-tagging.commands.js';

async function decide(writer: BucketStreamWriter, principal: Principal, now: Date, command: ObjectTaggingCommand): Promise<void> {
  const { bucket, key } = command.data;
  // Tags name a version (the current one by default, which may be a delete marker): all versions.
  const result = await writer.execute({ bucket, key, allVersions: true, principal, now, decide: (state) => decideObjectTagging(command, state) });
  if (result.outcome === 'rejected') throw result.error;
}

@CommandHandler(PutObjectTaggingCommand)
export class PutObjectTaggingHandler implements ICommandHandler<PutObjectTaggingCommand> {
  constructor(private readonly writer: BucketStreamWriter) {}

  execute({ bucket, key, tags, principal, versionId }: PutObjectTaggingCommand): Promise<void> {
    const now = new Date();
    const data = { bucket, key, tags, ...(versionId !== undefined ? { versionId } : {}) };
    return decide(this.writer, principal, now, { type: 'PutObjectTagging', data, metadata: { now } });
  }
}

@CommandHandler(DeleteObjectTaggingCommand)
export class DeleteObjectTaggingHandler implements ICommandHandler<DeleteObjectTaggingCommand> {
  constructor(private readonly writer: BucketStreamWriter) {}

  execute({ bucket, key, principal, versionId }: DeleteObjectTaggingCommand): Promise<void> {
    const now = new Date();
    const data = { bucket, key, ...(versionId !== undefined ? { versionId } : {}) };
    return decide(this.writer, principal, now, { type: 'DeleteObjectTagging', data, metadata: { now } });
  }
}

export const OBJECT_TAGGING_HANDLERS = [PutObjectTaggingHandler, DeleteObjectTaggingHandler];
