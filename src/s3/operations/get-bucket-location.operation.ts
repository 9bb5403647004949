import { GetBucketQuery } from '../../buckets/queries/get-bucket/get-bucket.query.js';
import { renderLocationConstraint } from '../xml/s3-xml.renderers.js';
import { bucketOf, sendXml, type S3OperationHandler } from './s3-operation.context.js';

/** GET /bucket?location: the region the bucket was created in (NoSuchBucket if there is none). */
export const getBucketLocation: S3OperationHandler = async (ctx) => {
  const bucket = await ctx.queries.execute(new GetBucketQuery(bucketOf(ctx)));
  sendXml(ctx.res, 200, renderLocationConstraint(bucket.region));
};
