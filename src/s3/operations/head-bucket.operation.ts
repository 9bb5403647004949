import { GetBucketQuery } from '../../buckets/queries/get-bucket/get-bucket.query.js';
import { bucketOf, sendEmpty, type S3OperationHandler } from './s3-operation.context.js';

export const headBucket: S3OperationHandler = async (ctx) => {
  const bucket = await ctx.queries.execute(new GetBucketQuery(bucketOf(ctx)));
  ctx.res.setHeader('x-amz-bucket-region', bucket.region);
  sendEmpty(ctx.res, 200);
};
