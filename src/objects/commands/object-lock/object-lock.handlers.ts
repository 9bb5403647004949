import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Principal } from '../../../event-log/principal.js';
import { BucketStreamWriter } from '../../../write-model/bucket-stream.writer.js';
import { decideObjectLock, type PutObjectLegalHold, type PutObjectRetention } from '../../../bucket-stream/object-lock.decider.js';
import { PutObjectLegalHoldCommand, PutObjectRetentionCommand } from './object-lock.commands.js';

async function decide(writer: BucketStreamWriter, principal: Principal, command: PutObjectRetention | PutObjectLegalHold): Promise<void> {
  const { bucket, key } = command.data;
  // A retention or legal hold names a version (the current one by default): all versions.
  const { now } = command.metadata;
  const result = await writer.execute({ bucket, key, allVersions: true, principal, now, decide: (state) => decideObjectLock(command, state) });
  if (result.outcome === 'rejected') throw result.error;
}

@CommandHandler(PutObjectRetentionCommand)
export class PutObjectRetentionHandler implements ICommandHandler<PutObjectRetentionCommand> {
  constructor(private readonly writer: BucketStreamWriter) {}

  execute({ bucket, key, retention, bypassGovernance, principal, versionId }: PutObjectRetentionCommand): Promise<void> {
    const data = { bucket, key, retention, bypassGovernance, ...(versionId !== undefined ? { versionId } : {}) };
    return decide(this.writer, principal, { type: 'PutObjectRetention', data, metadata: { now: new Date() } });
  }
}

@CommandHandler(PutObjectLegalHoldCommand)
export class PutObjectLegalHoldHandler implements ICommandHandler<PutObjectLegalHoldCommand> {
  constructor(private readonly writer: BucketStreamWriter) {}

  execute({ bucket, key, legalHold, principal, versionId }: PutObjectLegalHoldCommand): Promise<void> {
    const data = { bucket, key, legalHold, ...(versionId !== undefined ? { versionId } : {}) };
    return decide(this.writer, principal, { type: 'PutObjectLegalHold', data, metadata: { now: new Date() } });
  }
}

export const OBJECT_LOCK_HANDLERS = [PutObjectRetentionHandler, PutObjectLegalHoldHandler];
