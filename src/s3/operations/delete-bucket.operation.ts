import { DeleteBucketCommand } from '../../buckets/commands/delete-bucket/delete-bucket.command.js';
import { bucketOf, sendEmpty, type S3OperationHandler } from './s3-operation.context.js';

export const deleteBucket: S3OperationHandler = async (ctx) => {
  await ctx.commands.execute(new DeleteBucketCommand(bucketOf(ctx), ctx.principal));
  sendEmpty(ctx.res, 204);
};
