import { GetBucketQuery } from '../../buckets/queries/get-bucket/get-bucket.query.js';
import { renderLocationConstraint } from '../xml/s3-xml.renderers.js';
import { bucketOf, sendXml } from './s3-operation.context.js';
import { defineS3Operation } from './s3-operation.definition.js';

/** GET /bucket?location: the region the bucket was created in (NoSuchBucket if there is none). */
export const getBucketLocation = defineS3Operation({
  action: 's3:GetBucketLocation',
  readOnly: true,
  subresource: { name: 'location', on: 'bucket', method: 'GET' },
}, async (ctx) => {
  const bucket = await ctx.queries.execute(new GetBucketQuery(bucketOf(ctx)));
  sendXml(ctx.res, 200, renderLocationConstraint(bucket.region));
});
