import { ListObjectsV2Query } from '../../objects/queries/list-objects-v2/list-objects-v2.query.js';
import { parseMaxKeys } from '../../objects/queries/list-objects-v2/list-objects-v2.paginator.js';
import { S3Error } from '../../errors/s3.error.js';
import { listObjectsV2Document } from '../xml/s3-xml.renderers.js';
import { bucketOf, sendXmlDocument } from './s3-operation.context.js';
import { defineS3Operation } from './s3-operation.definition.js';

/** encoding-type: only 'url' exists. */
export function encodingTypeOf(q: URLSearchParams): 'url' | undefined {
  const encodingType = q.get('encoding-type') ?? undefined;
  if (encodingType !== undefined && encodingType !== 'url') {
    throw new S3Error('InvalidArgument', { message: 'Invalid Encoding Method specified in Request' });
  }
  return encodingType;
}

/** What every object listing (v1, v2, versions) reads from its query the same way. */
export function listingParamsOf(q: URLSearchParams): { encodingType?: 'url'; prefix: string; delimiter?: string; maxKeys: number } {
  const encodingType = encodingTypeOf(q);
  const delimiter = q.get('delimiter') || undefined;
  return {
    ...(encodingType ? { encodingType } : {}),
    prefix: q.get('prefix') ?? '',
    ...(delimiter !== undefined ? { delimiter } : {}),
    maxKeys: parseMaxKeys(q.get('max-keys')),
  };
}

export const listObjectsV2 = defineS3Operation({
  action: 's3:ListBucket',
  readOnly: true,
}, async (ctx) => {
  const q = ctx.query;
  const { encodingType, ...listing } = listingParamsOf(q);
  const continuationToken = q.get('continuation-token') ?? undefined;
  const params = {
    ...listing,
    startAfter: q.get('start-after') ?? undefined,
    // An empty token is no token, as in S3 (start-after then applies); it is still echoed.
    continuationToken: continuationToken || undefined,
  };
  const page = await ctx.queries.execute(new ListObjectsV2Query(bucketOf(ctx), params));
  await sendXmlDocument(
    ctx.res,
    200,
    listObjectsV2Document({ bucket: bucketOf(ctx), params: { ...params, continuationToken }, page, encodingType, fetchOwner: q.get('fetch-owner') === 'true' }),
  );
});
