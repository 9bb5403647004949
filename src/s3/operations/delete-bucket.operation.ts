import { DeleteBucketCommand } from '../../buckets/commands/delete-bucket/delete-bucket.command.js';
import { bucketOf, sendEmpty } from './s3-operation.context.js';
import { defineS3Operation } from './s3-operation.definition.js';

export const deleteBucket = defineS3Operation({
  action: 's3:DeleteBucket',
  readOnly: false,
}, async (ctx) => {
  await ctx.commands.execute(new DeleteBucketCommand(bucketOf(ctx), ctx.principal));
  sendEmpty(ctx.res, 204);
});
