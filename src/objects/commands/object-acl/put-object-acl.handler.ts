import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { BucketStreamWriter } from '../../../write-model/bucket-stream.writer.js';
import { decideObjectAcl } from '../../../bucket-stream/object-acl.decider.js';
import { PutObjectAclCommand } from './put-object-acl.command.js';

@CommandHandler(PutObjectAclCommand)
export class PutObjectAclHandler implements ICommandHandler<PutObjectAclCommand> {
  constructor(private readonly writer: BucketStreamWriter) {}

  async execute({ bucket, key, grants, principal, versionId }: PutObjectAclCommand): Promise<void> {
    const now = new Date();
    const data = { bucket, key, grants, ...(versionId !== undefined ? { versionId } : {}) };
    // An ACL names a version (the current one by default): all versions.
    const result = await this.writer.execute({
      bucket,
      key,
      allVersions: true,
      principal,
      now,
      decide: (state) => decideObjectAcl({ type: 'PutObjectAcl', data, metadata: { now } }, state),
    });
    if (result.outcome === 'rejected') throw result.error;
  }
}
