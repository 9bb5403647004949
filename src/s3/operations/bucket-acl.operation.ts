import { cannedAclFromGrants, cannedAclGrants, parseCannedAcl, type CannedBucketAcl } from '../../identity-stream/canned-acl.js';
import { aclsEnabled } from '../../bucket-stream/bucket-access-controls.js';
import { ChangeIdentityCommand } from '../../iam/commands/change-identity/change-identity.command.js';
import { GetBucketAccessQuery } from '../../iam/queries/get-bucket-access/get-bucket-access.query.js';
import { S3Error } from '../../errors/s3.error.js';
import { readSmallBody } from '../http/request-body.js';
import { MAX_ACCESS_CONTROL_POLICY_BODY_BYTES, parseAccessControlPolicy } from '../xml/access-control-policy.parser.js';
import { renderAccessControlPolicy } from '../xml/s3-xml.renderers.js';
import { bucketOf, sendEmpty, sendXml, type S3OperationContext } from './s3-operation.context.js';
import { defineS3Operation } from './s3-operation.definition.js';

const GRANT_HEADERS = ['x-amz-grant-read', 'x-amz-grant-write', 'x-amz-grant-read-acp', 'x-amz-grant-write-acp', 'x-amz-grant-full-control'];

/**
 * GetBucketAcl: the canned ACL expanded into S3's grants, the bucket owner first. With ACLs off
 * (BucketOwnerEnforced) the owner's FULL_CONTROL alone, as S3 answers.
 */
export const getBucketAcl = defineS3Operation({
  action: 's3:GetBucketAcl',
  readOnly: true,
  subresource: { name: 'acl', on: 'bucket', method: 'GET' },
}, async (ctx) => {
  const { bucket, acl } = await ctx.queries.execute(new GetBucketAccessQuery(bucketOf(ctx)));
  const owner = { id: bucket.owner, displayName: bucket.ownerDisplayName };
  sendXml(ctx.res, 200, renderAccessControlPolicy(owner, cannedAclGrants(aclsEnabled(bucket.objectOwnership) ? acl : 'private', owner)));
});

/**
 * PutBucketAcl with a canned ACL (x-amz-acl), or with a body whose grants are exactly a canned
 * ACL's expansion. Grants beyond those (x-amz-grant-* headers, other grantees) are not
 * supported: NotImplemented, never a silently different ACL.
 */
export const putBucketAcl = defineS3Operation({
  action: 's3:PutBucketAcl',
  readOnly: false,
  subresource: { name: 'acl', on: 'bucket', method: 'PUT' },
}, async (ctx) => {
  const bucketName = bucketOf(ctx);
  const { bucket } = await ctx.queries.execute(new GetBucketAccessQuery(bucketName));
  const acl = await requestedAcl(ctx, bucket.owner);
  // With ACLs off only the owner's own FULL_CONTROL may be sent; a public grant is refused
  // while the bucket's public access block says BlockPublicAcls.
  if (acl !== 'private' && !aclsEnabled(bucket.objectOwnership)) throw new S3Error('AccessControlListNotSupported');
  if (acl !== 'private' && bucket.publicAccessBlock?.blockPublicAcls) throw new S3Error('AccessDenied');
  await ctx.commands.execute(
    new ChangeIdentityCommand({ type: 'PutBucketAcl', data: { bucket: bucketName, bucketId: bucket.bucketId, acl } }, ctx.principal),
  );
  sendEmpty(ctx.res, 200);
});

async function requestedAcl(ctx: S3OperationContext, ownerId: string): Promise<CannedBucketAcl> {
  const header = parseCannedAcl(headerValue(ctx, 'x-amz-acl'));
  const grantHeaders = GRANT_HEADERS.filter((name) => headerValue(ctx, name) !== undefined);
  const body = await readSmallBody(ctx.req, MAX_ACCESS_CONTROL_POLICY_BODY_BYTES);
  const sources = [header !== undefined, grantHeaders.length > 0, body.trim() !== ''].filter(Boolean).length;
  if (sources > 1) {
    throw new S3Error('InvalidRequest', { message: 'Specifying both Canned ACLs and Header Grants is not allowed' });
  }
  if (header !== undefined) return header;
  if (grantHeaders.length > 0) {
    throw new S3Error('NotImplemented', { message: 'Grant headers are not supported; use a canned ACL (x-amz-acl).' });
  }
  if (body.trim() === '') throw new S3Error('MissingSecurityHeader', { details: { MissingHeaderName: 'x-amz-acl' } });
  const policy = parseAccessControlPolicy(body);
  if (policy.owner.id !== ownerId) throw new S3Error('AccessDenied');
  const canned = cannedAclFromGrants(policy.grants, ownerId);
  if (!canned) throw new S3Error('NotImplemented', { message: 'Only grant sets equal to a canned ACL are supported.' });
  return canned;
}

function headerValue(ctx: S3OperationContext, name: string): string | undefined {
  const value = ctx.req.headers[name];
  return typeof value === 'string' ? value : undefined;
}
