import { DeleteObjectCommand } from '../../objects/commands/delete-object/delete-object.command.js';
import { bucketOf, keyOf, sendEmpty, type S3OperationHandler } from './s3-operation.context.js';

export const deleteObject: S3OperationHandler = async (ctx) => {
  await ctx.commands.execute(new DeleteObjectCommand(bucketOf(ctx), keyOf(ctx), ctx.principal));
  sendEmpty(ctx.res, 204);
};
