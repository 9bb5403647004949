import { ListObjectVersionsQuery } from '../../objects/queries/list-object-versions/list-object-versions.query.js';
import { listVersionsDocument } from '../xml/s3-xml.renderers.js';
import { listingParamsOf } from './list-objects-v2.operation.js';
import { bucketOf, sendXmlDocument } from './s3-operation.context.js';
import { defineS3Operation } from './s3-operation.definition.js';

/**
 * ListObjectVersions (GET /bucket?versions). Also on a bucket that never had versioning, where
 * each key's one version is listed with version id `null`.
 */
export const listObjectVersions = defineS3Operation({
  action: 's3:ListBucketVersions',
  readOnly: true,
  subresource: { name: 'versions', on: 'bucket', method: 'GET' },
}, async (ctx) => {
  const q = ctx.query;
  const { encodingType, ...listing } = listingParamsOf(q);
  const params = {
    ...listing,
    keyMarker: q.get('key-marker') || undefined,
    versionIdMarker: q.get('version-id-marker') || undefined,
  };
  const page = await ctx.queries.execute(new ListObjectVersionsQuery(bucketOf(ctx), params));
  await sendXmlDocument(ctx.res, 200, listVersionsDocument({ bucket: bucketOf(ctx), params, page, encodingType }));
});
