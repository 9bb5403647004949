import { ConfigureBucketTaggingCommand } from '../../buckets/commands/configure-bucket-tagging/configure-bucket-tagging.command.js';
import { GetBucketQuery } from '../../buckets/queries/get-bucket/get-bucket.query.js';
import { S3Error } from '../../errors/s3.error.js';
import { assertIntegrityHeader } from '../http/request-body.js';
import { TAGGING_DOCUMENT, renderTagging } from '../xml/tagging.xml.js';
import { bucketOf, sendEmpty, sendXml } from './s3-operation.context.js';
import { defineS3Operation } from './s3-operation.definition.js';

/** GetBucketTagging: the bucket's tag set, or 404 NoSuchTagSet when it has none. */
export const getBucketTagging = defineS3Operation({
  action: 's3:GetBucketTagging',
  readOnly: true,
  subresource: { name: 'tagging', on: 'bucket', method: 'GET' },
}, async (ctx) => {
  const name = bucketOf(ctx);
  const bucket = await ctx.queries.execute(new GetBucketQuery(name));
  if (!bucket.tags) throw new S3Error('NoSuchTagSet', { resource: `/${name}`, details: { BucketName: name } });
  sendXml(ctx.res, 200, renderTagging(bucket.tags));
});

/**
 * PutBucketTagging: replaces the bucket's tags (up to 50; an empty TagSet removes them). S3
 * requires an integrity check of the body (Content-MD5 or a checksum header), and answers 204.
 */
export const putBucketTagging = defineS3Operation({
  action: 's3:PutBucketTagging',
  readOnly: false,
  subresource: { name: 'tagging', on: 'bucket', method: 'PUT' },
}, async (ctx) => {
  assertIntegrityHeader(ctx.req);
  const tags = await TAGGING_DOCUMENT.read(ctx.req);
  await ctx.commands.execute(new ConfigureBucketTaggingCommand(bucketOf(ctx), tags, ctx.principal));
  sendEmpty(ctx.res, 204);
});

/** DeleteBucketTagging: 204, whether or not the bucket had tags. */
export const deleteBucketTagging = defineS3Operation({
  // AWS has no DeleteBucketTagging action: it is authorised as s3:PutBucketTagging.
  action: 's3:PutBucketTagging',
  readOnly: false,
  subresource: { name: 'tagging', on: 'bucket', method: 'DELETE' },
}, async (ctx) => {
  await ctx.commands.execute(new ConfigureBucketTaggingCommand(bucketOf(ctx), null, ctx.principal));
  sendEmpty(ctx.res, 204);
});
