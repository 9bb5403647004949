import { DeleteObjectCommand, type DeletionOutcome } from '../../objects/commands/delete-object/delete-object.command.js';
import { isWellFormedVersionId } from '../../objects/domain/object-version.js';
import { S3Error } from '../errors/s3.error.js';
import { bucketOf, keyOf, sendEmpty, type S3OperationContext, type S3OperationHandler } from './s3-operation.context.js';

/** DELETE /bucket/key[?versionId=]: 204, saying which version went or which delete marker came. */
export const deleteObject: S3OperationHandler = async (ctx) => {
  const versionId = versionIdOf(ctx);
  const outcome: DeletionOutcome = await ctx.commands.execute(new DeleteObjectCommand(bucketOf(ctx), keyOf(ctx), ctx.principal, versionId));
  if (outcome.deleteMarker) ctx.res.setHeader('x-amz-delete-marker', 'true');
  if (outcome.versionId !== undefined) ctx.res.setHeader('x-amz-version-id', outcome.versionId);
  sendEmpty(ctx.res, 204);
};

/** The `versionId` query parameter, checked: AWS refuses one it could not have issued. */
export function versionIdOf(ctx: S3OperationContext): string | undefined {
  const versionId = ctx.query.get('versionId') ?? undefined;
  if (versionId !== undefined && !isWellFormedVersionId(versionId)) {
    throw new S3Error('InvalidArgument', { message: 'Invalid version id specified', details: { ArgumentName: 'versionId', ArgumentValue: versionId } });
  }
  return versionId;
}
