import { randomUUID } from 'node:crypto';
import { ConfigureBucketNotificationCommand } from '../../buckets/commands/configure-bucket-notification/configure-bucket-notification.command.js';
import { GetBucketQuery } from '../../buckets/queries/get-bucket/get-bucket.query.js';
import { normaliseNotificationConfiguration } from '../../notifications/notification-configuration.validator.js';
import {
  NOTIFICATION_CONFIGURATION_DOCUMENT,
  renderNotificationConfiguration,
} from '../xml/notification-configuration.xml.js';
import { bucketOf, sendEmpty, sendXml } from './s3-operation.context.js';
import { defineS3Operation } from './s3-operation.definition.js';

/** GetBucketNotificationConfiguration: the configuration in force, or an empty document. */
export const getBucketNotificationConfiguration = defineS3Operation({
  action: 's3:GetBucketNotification',
  readOnly: true,
  subresource: { name: 'notification', on: 'bucket', method: 'GET' },
}, async (ctx) => {
  const bucket = await ctx.queries.execute(new GetBucketQuery(bucketOf(ctx)));
  sendXml(ctx.res, 200, renderNotificationConfiguration(bucket.notification));
});

/**
 * PutBucketNotificationConfiguration: replaces the bucket's configuration (an empty one removes
 * it). Its Kafka destination topics are created if missing before the configuration is recorded.
 */
export const putBucketNotificationConfiguration = defineS3Operation({
  action: 's3:PutBucketNotification',
  readOnly: false,
  subresource: { name: 'notification', on: 'bucket', method: 'PUT' },
}, async (ctx) => {
  const name = bucketOf(ctx);
  const requested = await NOTIFICATION_CONFIGURATION_DOCUMENT.read(ctx.req);
  const bucket = await ctx.queries.execute(new GetBucketQuery(name));
  const configuration = normaliseNotificationConfiguration(requested, {
    region: bucket.region,
    // S3's generated ids are a UUID in base64.
    newId: () => Buffer.from(randomUUID()).toString('base64'),
    reservedTopics: new Set([ctx.config.SEDIMENT_BUCKET_TOPIC, ctx.config.SEDIMENT_IDENTITY_TOPIC, ctx.config.SEDIMENT_CONTROL_TOPIC]),
  });
  await ctx.commands.execute(new ConfigureBucketNotificationCommand(name, configuration, ctx.principal));
  sendEmpty(ctx.res, 200);
});
