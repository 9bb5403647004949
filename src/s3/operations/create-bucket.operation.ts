import { CreateBucketCommand } from '../../buckets/commands/create-bucket/create-bucket.command.js';
import { GetBucketQuery } from '../../buckets/queries/get-bucket/get-bucket.query.js';
import { parseCannedAcl } from '../../identity-stream/canned-acl.js';
import { DEFAULT_NEW_BUCKET_OWNERSHIP, isObjectOwnership, type ObjectOwnership } from '../../bucket-stream/bucket-access-controls.js';
import { ChangeIdentityCommand } from '../../iam/commands/change-identity/change-identity.command.js';
import { S3Error } from '../../errors/s3.error.js';
import { CREATE_BUCKET_CONFIGURATION_DOCUMENT } from '../xml/create-bucket-configuration.parser.js';
import { bucketOf, sendEmpty } from './s3-operation.context.js';
import { defineS3Operation } from './s3-operation.definition.js';

export const createBucket = defineS3Operation({
  action: 's3:CreateBucket',
  readOnly: false,
}, async (ctx) => {
  const bucket = bucketOf(ctx);
  const header = ctx.req.headers['x-amz-acl'];
  const acl = parseCannedAcl(typeof header === 'string' ? header : undefined);
  const ownership = objectOwnershipHeader(ctx.req.headers['x-amz-object-ownership']);
  // A new bucket's ACLs are off unless CreateBucket asks otherwise: only the owner's own
  // FULL_CONTROL (private, bucket-owner-*) may come with it then.
  if (ownership === 'BucketOwnerEnforced' && acl !== undefined && acl !== 'private') {
    throw new S3Error('InvalidBucketAclWithObjectOwnership');
  }
  const { locationConstraint } = await CREATE_BUCKET_CONFIGURATION_DOCUMENT.read(ctx.req);
  const region = ctx.config.SEDIMENT_REGION;
  // One region per deployment: a constraint naming another one cannot be honoured.
  if (locationConstraint && locationConstraint !== region) {
    throw new S3Error('InvalidLocationConstraint', { details: { LocationConstraint: locationConstraint } });
  }
  const objectLockEnabled = String(ctx.req.headers['x-amz-bucket-object-lock-enabled'] ?? '').trim().toLowerCase() === 'true';
  await ctx.commands.execute(new CreateBucketCommand(bucket, region, ctx.principal, { objectOwnership: ownership, objectLockEnabled }));
  if (acl !== undefined && acl !== 'private') {
    // The ACL lives on the identity topic: a second append. Should it fail, the bucket exists
    // and stays private (the safe side), and the error tells the client so.
    const { bucketId } = await ctx.queries.execute(new GetBucketQuery(bucket));
    await ctx.commands.execute(new ChangeIdentityCommand({ type: 'PutBucketAcl', data: { bucket, bucketId, acl } }, ctx.principal));
  }
  ctx.res.setHeader('Location', `/${bucket}`);
  sendEmpty(ctx.res, 200);
});

/** `x-amz-object-ownership`: one of S3's three values, or AWS's default for new buckets. */
function objectOwnershipHeader(value: string | string[] | undefined): ObjectOwnership {
  if (value === undefined) return DEFAULT_NEW_BUCKET_OWNERSHIP;
  const text = Array.isArray(value) ? value.join(',') : value;
  if (!isObjectOwnership(text)) {
    throw new S3Error('InvalidArgument', { message: 'Invalid x-amz-object-ownership header', details: { ArgumentName: 'x-amz-object-ownership', ArgumentValue: text } });
  }
  return text;
}
