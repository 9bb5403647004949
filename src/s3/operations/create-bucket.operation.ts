import { CreateBucketCommand } from '../../buckets/commands/create-bucket/create-bucket.command.js';
import { GetBucketQuery } from '../../buckets/queries/get-bucket/get-bucket.query.js';
import { parseCannedAcl } from '../../iam/authorization/canned-acl.js';
import { ChangeIdentityCommand } from '../../iam/commands/change-identity/change-identity.command.js';
import { readSmallBody } from '../http/request-body.js';
import { S3Error } from '../errors/s3.error.js';
import { parseCreateBucketConfiguration } from '../xml/s3-xml.renderers.js';
import { bucketOf, sendEmpty, type S3OperationHandler } from './s3-operation.context.js';

const MAX_CONFIGURATION_BYTES = 1024 * 1024;

export const createBucket: S3OperationHandler = async (ctx) => {
  const bucket = bucketOf(ctx);
  const header = ctx.req.headers['x-amz-acl'];
  const acl = parseCannedAcl(typeof header === 'string' ? header : undefined);
  const body = await readSmallBody(ctx.req, MAX_CONFIGURATION_BYTES);
  const { locationConstraint } = parseCreateBucketConfiguration(body);
  const region = ctx.config.SEDIMENT_REGION;
  // One region per deployment: a constraint naming another one cannot be honoured.
  if (locationConstraint && locationConstraint !== region) {
    throw new S3Error('InvalidLocationConstraint', { details: { LocationConstraint: locationConstraint } });
  }
  await ctx.commands.execute(new CreateBucketCommand(bucket, region, ctx.principal));
  if (acl !== undefined && acl !== 'private') {
    // The ACL lives on the identity topic: a second append. Should it fail, the bucket exists
    // and stays private (the safe side), and the error tells the client so.
    const { bucketId } = await ctx.queries.execute(new GetBucketQuery(bucket));
    await ctx.commands.execute(new ChangeIdentityCommand({ type: 'PutBucketAcl', data: { bucket, bucketId, acl } }, ctx.principal));
  }
  ctx.res.setHeader('Location', `/${bucket}`);
  sendEmpty(ctx.res, 200);
};
