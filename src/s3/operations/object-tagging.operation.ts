import { DeleteObjectTaggingCommand, PutObjectTaggingCommand } from '../../objects/commands/object-tagging/object-tagging.commands.js';
import { GetObjectQuery } from '../../objects/queries/get-object/get-object.query.js';
import { TAGGING_DOCUMENT, renderTagging } from '../xml/tagging.xml.js';
import { bucketOf, keyOf, versionIdOf, sendEmpty, sendXml } from './s3-operation.context.js';
import { defineS3Operation } from './s3-operation.definition.js';

/** GetObjectTagging: the tag set of the current object (or of the version named); none is an empty set. */
export const getObjectTagging = defineS3Operation({
  action: 's3:GetObjectTagging',
  versionAction: 's3:GetObjectVersionTagging',
  readOnly: true,
  subresource: { name: 'tagging', on: 'object', method: 'GET' },
}, async (ctx) => {
  const object = await ctx.queries.execute(new GetObjectQuery(bucketOf(ctx), keyOf(ctx), versionIdOf(ctx)));
  if (object.versionId !== undefined) ctx.res.setHeader('x-amz-version-id', object.versionId);
  sendXml(ctx.res, 200, renderTagging(object.tags ?? []));
});

/** PutObjectTagging: replaces the tag set (an empty TagSet removes it). */
export const putObjectTagging = defineS3Operation({
  action: 's3:PutObjectTagging',
  versionAction: 's3:PutObjectVersionTagging',
  readOnly: false,
  subresource: { name: 'tagging', on: 'object', method: 'PUT' },
}, async (ctx) => {
  const versionId = versionIdOf(ctx);
  const tags = await TAGGING_DOCUMENT.read(ctx.req);
  await ctx.commands.execute(new PutObjectTaggingCommand(bucketOf(ctx), keyOf(ctx), tags, ctx.principal, versionId));
  if (versionId !== undefined) ctx.res.setHeader('x-amz-version-id', versionId);
  sendEmpty(ctx.res, 200);
});

/** DeleteObjectTagging: 204, whether or not the object had tags. */
export const deleteObjectTagging = defineS3Operation({
  action: 's3:DeleteObjectTagging',
  versionAction: 's3:DeleteObjectVersionTagging',
  readOnly: false,
  subresource: { name: 'tagging', on: 'object', method: 'DELETE' },
}, async (ctx) => {
  const versionId = versionIdOf(ctx);
  await ctx.commands.execute(new DeleteObjectTaggingCommand(bucketOf(ctx), keyOf(ctx), ctx.principal, versionId));
  if (versionId !== undefined) ctx.res.setHeader('x-amz-version-id', versionId);
  sendEmpty(ctx.res, 204);
});
