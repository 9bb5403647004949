import { DeleteObjectCommand, type DeletionOutcome } from '../../objects/commands/delete-object/delete-object.command.js';
import { bucketOf, keyOf, sendEmpty, versionIdOf } from './s3-operation.context.js';
import { defineS3Operation } from './s3-operation.definition.js';
import { bypassGovernanceOf } from './object-lock.operation.js';

/** DELETE /bucket/key[?versionId=]: 204, saying which version went or which delete marker came. */
export const deleteObject = defineS3Operation({
  action: 's3:DeleteObject',
  versionAction: 's3:DeleteObjectVersion',
  readOnly: false,
}, async (ctx) => {
  const versionId = versionIdOf(ctx);
  // Only a deletion by version id can remove a locked version, so only it may bypass.
  const bypass = versionId !== undefined && (await bypassGovernanceOf(ctx, keyOf(ctx)));
  const outcome: DeletionOutcome = await ctx.commands.execute(new DeleteObjectCommand(bucketOf(ctx), keyOf(ctx), ctx.principal, versionId, bypass));
  if (outcome.deleteMarker) ctx.res.setHeader('x-amz-delete-marker', 'true');
  if (outcome.versionId !== undefined) ctx.res.setHeader('x-amz-version-id', outcome.versionId);
  sendEmpty(ctx.res, 204);
});
