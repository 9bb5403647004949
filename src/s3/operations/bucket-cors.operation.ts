import { ConfigureBucketCorsCommand } from '../../buckets/commands/configure-bucket-cors/configure-bucket-cors.command.js';
import { GetBucketQuery } from '../../buckets/queries/get-bucket/get-bucket.query.js';
import { S3Error } from '../../errors/s3.error.js';
import { assertIntegrityHeader } from '../http/request-body.js';
import { CORS_CONFIGURATION_DOCUMENT, renderCorsConfiguration } from '../xml/cors-configuration.xml.js';
import { bucketOf, sendEmpty, sendXml } from './s3-operation.context.js';
import { defineS3Operation } from './s3-operation.definition.js';

/** GetBucketCors: the configuration in force, or 404 NoSuchCORSConfiguration. */
export const getBucketCors = defineS3Operation({
  action: 's3:GetBucketCORS',
  readOnly: true,
  subresource: { name: 'cors', on: 'bucket', method: 'GET' },
}, async (ctx) => {
  const name = bucketOf(ctx);
  const bucket = await ctx.queries.execute(new GetBucketQuery(name));
  if (!bucket.cors) throw new S3Error('NoSuchCORSConfiguration', { resource: `/${name}`, details: { BucketName: name } });
  sendXml(ctx.res, 200, renderCorsConfiguration(bucket.cors));
});

/**
 * PutBucketCors: replaces the bucket's CORS configuration. S3 requires an integrity check of
 * the body (Content-MD5 or a checksum header), as for DeleteObjects.
 */
export const putBucketCors = defineS3Operation({
  action: 's3:PutBucketCORS',
  readOnly: false,
  subresource: { name: 'cors', on: 'bucket', method: 'PUT' },
}, async (ctx) => {
  assertIntegrityHeader(ctx.req);
  const configuration = await CORS_CONFIGURATION_DOCUMENT.read(ctx.req);
  await ctx.commands.execute(new ConfigureBucketCorsCommand(bucketOf(ctx), configuration, ctx.principal));
  sendEmpty(ctx.res, 200);
});

/** DeleteBucketCors: 204, whether or not the bucket had a configuration. */
export const deleteBucketCors = defineS3Operation({
  // AWS has no DeleteBucketCORS action: DeleteBucketCors is authorised as s3:PutBucketCORS.
  action: 's3:PutBucketCORS',
  readOnly: false,
  subresource: { name: 'cors', on: 'bucket', method: 'DELETE' },
}, async (ctx) => {
  await ctx.commands.execute(new ConfigureBucketCorsCommand(bucketOf(ctx), null, ctx.principal));
  sendEmpty(ctx.res, 204);
});
