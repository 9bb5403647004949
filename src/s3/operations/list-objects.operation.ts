import { ListObjectsV2Query } from '../../objects/queries/list-objects-v2/list-objects-v2.query.js';
import { listObjectsV1Document } from '../xml/s3-xml.renderers.js';
import { listingParamsOf } from './list-objects-v2.operation.js';
import { bucketOf, sendXmlDocument } from './s3-operation.context.js';
import { defineS3Operation } from './s3-operation.definition.js';

/** ListObjects (v1), still used by s3cmd and older SDKs; the same query as v2, paged by marker. */
export const listObjects = defineS3Operation({
  action: 's3:ListBucket',
  readOnly: true,
}, async (ctx) => {
  const q = ctx.query;
  const { encodingType, ...listing } = listingParamsOf(q);
  const params = {
    ...listing,
    marker: q.get('marker') || undefined,
  };
  const page = await ctx.queries.execute(new ListObjectsV2Query(bucketOf(ctx), params));
  await sendXmlDocument(ctx.res, 200, listObjectsV1Document({ bucket: bucketOf(ctx), params, page, encodingType }));
});
