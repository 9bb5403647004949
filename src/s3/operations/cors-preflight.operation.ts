import { corsResponseHeaders, matchCorsRule, requestedHeaders } from '../../bucket-stream/cors-configuration.js';
import type { BucketDocument } from '../../metadata/metadata.documents.js';
import { GetBucketQuery } from '../../buckets/queries/get-bucket/get-bucket.query.js';
import { isS3Error, S3Error } from '../../errors/s3.error.js';
import { bucketOf, sendEmpty } from './s3-operation.context.js';
import { defineS3Operation } from './s3-operation.definition.js';

const NOT_ALLOWED =
  "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.";

/**
 * OPTIONS object: the CORS preflight, answered from the bucket's rules and never authenticated
 * (browsers send no credentials with it). S3's answers, in its order: no Origin is 400; a missing
 * bucket, a bucket without CORS and a request no rule allows are 403 AccessForbidden naming the
 * method asked about and the kind of resource; a missing Access-Control-Request-Method is 400.
 */
export const corsPreflight = defineS3Operation({
  action: 'unauthenticated',
  readOnly: true,
}, async (ctx) => {
  const origin = header(ctx.req.headers.origin);
  if (!origin) throw new S3Error('BadRequest', { message: 'Insufficient information. Origin request header needed.' });
  const method = header(ctx.req.headers['access-control-request-method']);
  const forbidden = (message: string) =>
    new S3Error('AccessForbidden', {
      message,
      details: { Method: method ?? 'OPTIONS', ResourceType: ctx.route.key === undefined ? 'BUCKET' : 'OBJECT' },
    });
  const bucket = await ctx.queries.execute(new GetBucketQuery(bucketOf(ctx))).catch((error: unknown): BucketDocument => {
    if (isS3Error(error) && error.code === 'NoSuchBucket') throw forbidden('CORSResponse: Bucket not found');
    throw error;
  });
  if (!bucket.cors) throw forbidden('CORSResponse: CORS is not enabled for this bucket.');
  if (method === undefined) throw new S3Error('BadRequest', { message: 'Invalid Access-Control-Request-Method: null' });
  const request = { origin, method, headers: requestedHeaders(header(ctx.req.headers['access-control-request-headers'])) };
  const rule = matchCorsRule(bucket.cors, request);
  if (!rule) throw forbidden(NOT_ALLOWED);
  for (const [name, value] of Object.entries(corsResponseHeaders(rule, request, true))) ctx.res.setHeader(name, value);
  ctx.res.setHeader('Content-Length', '0');
  sendEmpty(ctx.res, 200);
});

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}
