import { randomBytes } from 'node:crypto';
import { ConfigureBucketLifecycleCommand } from '../../buckets/commands/configure-bucket-lifecycle/configure-bucket-lifecycle.command.js';
import { GetBucketQuery } from '../../buckets/queries/get-bucket/get-bucket.query.js';
import { S3Error } from '../../errors/s3.error.js';
import { assertIntegrityHeader } from '../http/request-body.js';
import { LIFECYCLE_CONFIGURATION_DOCUMENT, renderLifecycleConfiguration } from '../xml/lifecycle-configuration.xml.js';
import { bucketOf, sendEmpty, sendXml } from './s3-operation.context.js';
import { defineS3Operation } from './s3-operation.definition.js';

/** GetBucketLifecycleConfiguration: the rules in force, or 404 NoSuchLifecycleConfiguration. */
export const getBucketLifecycleConfiguration = defineS3Operation({
  action: 's3:GetLifecycleConfiguration',
  readOnly: true,
  subresource: { name: 'lifecycle', on: 'bucket', method: 'GET' },
}, async (ctx) => {
  const name = bucketOf(ctx);
  const bucket = await ctx.queries.execute(new GetBucketQuery(name));
  if (!bucket.lifecycle) throw new S3Error('NoSuchLifecycleConfiguration', { resource: `/${name}`, details: { BucketName: name } });
  sendXml(ctx.res, 200, renderLifecycleConfiguration(bucket.lifecycle));
});

/**
 * PutBucketLifecycleConfiguration: replaces the bucket's lifecycle rules. S3 requires an
 * integrity check of the body (Content-MD5 or a checksum header). A rule without an ID gets a
 * random one here, as S3 gives it, so the decision and the log hold it.
 */
export const putBucketLifecycleConfiguration = defineS3Operation({
  action: 's3:PutLifecycleConfiguration',
  readOnly: false,
  subresource: { name: 'lifecycle', on: 'bucket', method: 'PUT' },
}, async (ctx) => {
  assertIntegrityHeader(ctx.req);
  const parsed = await LIFECYCLE_CONFIGURATION_DOCUMENT.read(ctx.req);
  const rules = parsed.map((rule) => ({ ...rule, id: rule.id ?? randomBytes(24).toString('base64url') }));
  await ctx.commands.execute(new ConfigureBucketLifecycleCommand(bucketOf(ctx), { rules }, ctx.principal));
  sendEmpty(ctx.res, 200);
});

/** DeleteBucketLifecycle: 204, whether or not the bucket had a configuration. */
export const deleteBucketLifecycle = defineS3Operation({
  // AWS has no DeleteLifecycleConfiguration action: it is authorised as s3:PutLifecycleConfiguration.
  action: 's3:PutLifecycleConfiguration',
  readOnly: false,
  subresource: { name: 'lifecycle', on: 'bucket', method: 'DELETE' },
}, async (ctx) => {
  await ctx.commands.execute(new ConfigureBucketLifecycleCommand(bucketOf(ctx), null, ctx.principal));
  sendEmpty(ctx.res, 204);
});
