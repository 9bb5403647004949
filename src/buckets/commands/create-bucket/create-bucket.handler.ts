import { randomUUID } from 'node:crypto';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { BucketStreamWriter } from '../../../write-model/bucket-stream.writer.js';
import { assertValidBucketName } from '../../../bucket-stream/bucket-name.js';
import { decideBucket } from '../../../bucket-stream/bucket.decider.js';
import { CreateBucketCommand } from './create-bucket.command.js';

@CommandHandler(CreateBucketCommand)
export class CreateBucketHandler implements ICommandHandler<CreateBucketCommand> {
  constructor(private readonly writer: BucketStreamWriter) {}

  async execute({ bucket, region, principal, options }: CreateBucketCommand): Promise<{ bucket: string }> {
    assertValidBucketName(bucket);
    const now = new Date();
    const bucketId = randomUUID();
    const result = await this.writer.execute({
      bucket,
      principal,
      now,
      decide: (state) =>
        decideBucket(
          {
            type: 'CreateBucket',
            data: {
              bucket,
              bucketId,
              owner: principal.canonicalId,
              ownerDisplayName: principal.displayName,
              region,
              ...(options.objectOwnership ? { objectOwnership: options.objectOwnership } : {}),
              ...(options.objectLockEnabled ? { objectLockEnabled: true } : {}),
            },
            metadata: { now },
          },
          state,
        ),
    });
    if (result.outcome === 'rejected') throw result.error;
    return { bucket };
  }
}
