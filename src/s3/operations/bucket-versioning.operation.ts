import { ConfigureBucketVersioningCommand } from '../../buckets/commands/configure-bucket-versioning/configure-bucket-versioning.command.js';
import { GetBucketQuery } from '../../buckets/queries/get-bucket/get-bucket.query.js';
import {
  VERSIONING_CONFIGURATION_DOCUMENT,
  renderVersioningConfiguration,
} from '../xml/versioning-configuration.xml.js';
import { bucketOf, sendEmpty, sendXml } from './s3-operation.context.js';
import { defineS3Operation } from './s3-operation.definition.js';

/** GetBucketVersioning: Enabled or Suspended, or an empty configuration if never set. */
export const getBucketVersioning = defineS3Operation({
  action: 's3:GetBucketVersioning',
  readOnly: true,
  subresource: { name: 'versioning', on: 'bucket', method: 'GET' },
}, async (ctx) => {
  const bucket = await ctx.queries.execute(new GetBucketQuery(bucketOf(ctx)));
  sendXml(ctx.res, 200, renderVersioningConfiguration(bucket.versioning));
});

/** PutBucketVersioning: once configured, a bucket is never unversioned again (only Suspended), as in S3. */
export const putBucketVersioning = defineS3Operation({
  action: 's3:PutBucketVersioning',
  readOnly: false,
  subresource: { name: 'versioning', on: 'bucket', method: 'PUT' },
}, async (ctx) => {
  const status = await VERSIONING_CONFIGURATION_DOCUMENT.read(ctx.req);
  await ctx.commands.execute(new ConfigureBucketVersioningCommand(bucketOf(ctx), status, ctx.principal));
  sendEmpty(ctx.res, 200);
});
