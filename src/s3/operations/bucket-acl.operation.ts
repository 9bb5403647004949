import { bucketAclGrants, bucketAclOf, cannedAclGrants, parseCannedAcl, type AclGrant, type BucketAcl } from '../../identity-stream/canned-acl.js';
import { aclsEnabled } from '../../bucket-stream/bucket-access-controls.js';
import { isPublicGrant, onlyOwnerFullControl } from '../../bucket-stream/object-acl.js';
import { ChangeIdentityCommand } from '../../iam/commands/change-identity/change-identity.command.js';
import { GetBucketAccessQuery } from '../../iam/queries/get-bucket-access/get-bucket-access.query.js';
import { S3Error } from '../../errors/s3.error.js';
import { grantHeaderGrants, resolvedGrant } from '../http/acl-request.js';
import { readSmallBody } from '../http/request-body.js';
import { MAX_ACCESS_CONTROL_POLICY_BODY_BYTES, parseAccessControlPolicy } from '../xml/access-control-policy.parser.js';
import { renderAccessControlPolicy } from '../xml/s3-xml.renderers.js';
import { bucketOf, sendEmpty, sendXml, type S3OperationContext } from './s3-operation.context.js';
import { defineS3Operation } from './s3-operation.definition.js';

/**
 * GetBucketAcl: the bucket's grants (a canned ACL expanded), the bucket owner first for a canned
 * one. With ACLs off (BucketOwnerEnforced) the owner's FULL_CONTROL alone, as S3 answers.
 */
export const getBucketAcl = defineS3Operation({
  action: 's3:GetBucketAcl',
  readOnly: true,
  subresource: { name: 'acl', on: 'bucket', method: 'GET' },
}, async (ctx) => {
  const { bucket, acl } = await ctx.queries.execute(new GetBucketAccessQuery(bucketOf(ctx)));
  const owner = { id: bucket.owner, displayName: ctx.accounts(bucket.owner)?.name ?? bucket.ownerDisplayName };
  sendXml(ctx.res, 200, renderAccessControlPolicy(owner, aclsEnabled(bucket.objectOwnership) ? bucketAclGrants(acl, owner) : cannedAclGrants('private', owner)));
});

/**
 * PutBucketAcl: a canned ACL (x-amz-acl), grant headers (x-amz-grant-*) or an
 * AccessControlPolicy body, exactly one of them. Grants are checked at the edge (ADR 0013): an
 * account's canonical id, the AllUsers or AuthenticatedUsers group.
 */
export const putBucketAcl = defineS3Operation({
  action: 's3:PutBucketAcl',
  readOnly: false,
  subresource: { name: 'acl', on: 'bucket', method: 'PUT' },
}, async (ctx) => {
  const bucketName = bucketOf(ctx);
  const { bucket } = await ctx.queries.execute(new GetBucketAccessQuery(bucketName));
  const owner = { id: bucket.owner, displayName: ctx.accounts(bucket.owner)?.name ?? bucket.ownerDisplayName };
  const acl = await requestedAcl(ctx, owner.id);
  const grants = bucketAclGrants(acl, owner);
  // With ACLs off only the owner's own FULL_CONTROL may be sent; a public grant is refused
  // while the bucket's public access block says BlockPublicAcls.
  if (!aclsEnabled(bucket.objectOwnership) && !(grants.length > 0 && onlyOwnerFullControl(grants, owner))) throw new S3Error('AccessControlListNotSupported');
  if (bucket.publicAccessBlock?.blockPublicAcls && grants.some(isPublicGrant)) throw new S3Error('AccessDenied');
  await ctx.commands.execute(
    new ChangeIdentityCommand({ type: 'PutBucketAcl', data: { bucket: bucketName, bucketId: bucket.bucketId, acl } }, ctx.principal),
  );
  sendEmpty(ctx.res, 200);
});

async function requestedAcl(ctx: S3OperationContext, ownerId: string): Promise<BucketAcl> {
  const header = ctx.req.headers['x-amz-acl'];
  const canned = parseCannedAcl(typeof header === 'string' ? header : undefined);
  const headerGrants = grantHeaderGrants(ctx.req.headers, ctx.accounts);
  const body = await readSmallBody(ctx.req, MAX_ACCESS_CONTROL_POLICY_BODY_BYTES);
  const sources = [canned !== undefined, headerGrants !== undefined, body.trim() !== ''].filter(Boolean).length;
  if (sources > 1) {
    throw new S3Error('InvalidRequest', { message: 'Specifying both Canned ACLs and Header Grants is not allowed' });
  }
  if (canned !== undefined) return canned;
  if (headerGrants !== undefined) return bucketAclOf(headerGrants, ownerId);
  if (body.trim() === '') throw new S3Error('MissingSecurityHeader', { details: { MissingHeaderName: 'x-amz-acl' } });
  const policy = parseAccessControlPolicy(body);
  if (policy.owner.id !== ownerId) throw new S3Error('AccessDenied');
  return bucketAclOf(policy.grants.map((grant): AclGrant => resolvedGrant(grant, ctx.accounts)), ownerId);
}
