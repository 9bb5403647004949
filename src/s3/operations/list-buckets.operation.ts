import { decodeBucketToken } from '../../buckets/queries/list-buckets/list-buckets.handler.js';
import { ListBucketsQuery, type ListBucketsOptions } from '../../buckets/queries/list-buckets/list-buckets.query.js';
import { S3Error } from '../../errors/s3.error.js';
import { renderListAllMyBuckets } from '../xml/s3-xml.renderers.js';
import { sendXml, type S3OperationContext } from './s3-operation.context.js';
import { defineS3Operation } from './s3-operation.definition.js';

const MAX_BUCKETS = 10_000;

/**
 * ListBuckets: the caller's buckets in name order, narrowed by `prefix` and `bucket-region`, and
 * paged by `max-buckets` and `continuation-token` when asked (without `max-buckets`, all of them).
 */
export const listBuckets = defineS3Operation({
  action: 's3:ListAllMyBuckets',
  readOnly: true,
}, async (ctx) => {
  const options = listBucketsOptionsOf(ctx);
  const page = await ctx.queries.execute(new ListBucketsQuery(ctx.principal.canonicalId, options));
  sendXml(
    ctx.res,
    200,
    renderListAllMyBuckets({
      owner: { id: ctx.principal.canonicalId, displayName: ctx.principal.displayName },
      buckets: page.buckets.map((b) => ({ name: b._id, creationDate: b.createdAt, region: b.region })),
      ...(page.continuationToken !== undefined ? { continuationToken: page.continuationToken } : {}),
      ...(options.prefix !== undefined ? { prefix: options.prefix } : {}),
    }),
  );
});

function listBucketsOptionsOf({ query }: S3OperationContext): ListBucketsOptions {
  const options: ListBucketsOptions = {};
  const max = query.get('max-buckets');
  if (max !== null) {
    if (!/^\d{1,5}$/.test(max) || Number(max) < 1 || Number(max) > MAX_BUCKETS) {
      throw new S3Error('InvalidArgument', {
        message: `Argument max-buckets must be an integer between 1 and ${MAX_BUCKETS}`,
        details: { ArgumentName: 'max-buckets', ArgumentValue: max },
      });
    }
    options.maxBuckets = Number(max);
  }
  const token = query.get('continuation-token');
  if (token !== null && token !== '') {
    const after = decodeBucketToken(token);
    if (after === undefined) {
      throw new S3Error('InvalidArgument', {
        message: 'The continuation token provided is incorrect',
        details: { ArgumentName: 'continuation-token', ArgumentValue: token },
      });
    }
    options.after = after;
  }
  const prefix = query.get('prefix');
  if (prefix !== null) options.prefix = prefix;
  const region = query.get('bucket-region');
  if (region !== null && region !== '') options.region = region;
  return options;
}
