import { GetBucketQuery } from '../../buckets/queries/get-bucket/get-bucket.query.js';
import { bucketOf, sendEmpty } from './s3-operation.context.js';
import { defineS3Operation } from './s3-operation.definition.js';

export const headBucket = defineS3Operation({
  action: 's3:ListBucket',
  readOnly: true,
}, async (ctx) => {
  const bucket = await ctx.queries.execute(new GetBucketQuery(bucketOf(ctx)));
  ctx.res.setHeader('x-amz-bucket-region', bucket.region);
  sendEmpty(ctx.res, 200);
});
