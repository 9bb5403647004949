import { aclsEnabled } from '../../bucket-stream/bucket-access-controls.js';
import {
  grantsOfRequestedAcl,
  parseCannedObjectAcl,
  privateObjectAcl,
  type AclBucket,
  type RequestedObjectAcl,
} from '../../bucket-stream/object-acl.js';
import type { AclGrant, AclOwner } from '../../identity-stream/canned-acl.js';
import { GetBucketQuery } from '../../buckets/queries/get-bucket/get-bucket.query.js';
import { GetObjectQuery } from '../../objects/queries/get-object/get-object.query.js';
import { PutObjectAclCommand } from '../../objects/commands/object-acl/put-object-acl.command.js';
import { S3Error } from '../../errors/s3.error.js';
import type { BucketDocument } from '../../metadata/metadata.documents.js';
import { grantHeaderGrants, resolvedGrant } from '../http/acl-request.js';
import { readSmallBody } from '../http/request-body.js';
import { MAX_ACCESS_CONTROL_POLICY_BODY_BYTES, parseAccessControlPolicy } from '../xml/access-control-policy.parser.js';
import { renderAccessControlPolicy } from '../xml/s3-xml.renderers.js';
import { bucketOf, keyOf, sendEmpty, sendXml, versionIdOf, type S3OperationContext } from './s3-operation.context.js';
import { defineS3Operation } from './s3-operation.definition.js';

/**
 * GetObjectAcl: the version's owner and grants (`private` when it never had an ACL fact). With
 * ACLs off (BucketOwnerEnforced) the bucket owner's FULL_CONTROL alone, as S3 answers.
 */
export const getObjectAcl = defineS3Operation({
  action: 's3:GetObjectAcl',
  versionAction: 's3:GetObjectVersionAcl',
  readOnly: true,
  subresource: { name: 'acl', on: 'object', method: 'GET' },
}, async (ctx) => {
  const { bucket, owner, grants } = await aclTarget(ctx);
  if (!aclsEnabled(bucket.objectOwnership)) {
    const bucketOwner = ownerOf(ctx, bucket.owner, bucket.ownerDisplayName);
    sendXml(ctx.res, 200, renderAccessControlPolicy(bucketOwner, privateObjectAcl(bucketOwner)));
    return;
  }
  sendXml(ctx.res, 200, renderAccessControlPolicy(owner, grants));
});

/**
 * PutObjectAcl: a canned ACL (x-amz-acl), grant headers (x-amz-grant-*) or an
 * AccessControlPolicy body, exactly one of them; the version's grants from here on.
 */
export const putObjectAcl = defineS3Operation({
  action: 's3:PutObjectAcl',
  versionAction: 's3:PutObjectVersionAcl',
  readOnly: false,
  subresource: { name: 'acl', on: 'object', method: 'PUT' },
}, async (ctx) => {
  const { bucket, owner, versionId } = await aclTarget(ctx);
  const requested = await requestedObjectAcl(ctx, owner);
  const grants = grantsOfRequestedAcl(aclBucketOf(bucket), owner, requested) ?? privateObjectAcl(owner);
  await ctx.commands.execute(new PutObjectAclCommand(bucketOf(ctx), keyOf(ctx), grants, ctx.principal, versionId));
  sendEmpty(ctx.res, 200);
});

/** The version an ACL request names, its owner and its grants now. */
async function aclTarget(ctx: S3OperationContext): Promise<{ bucket: BucketDocument; owner: AclOwner; grants: AclGrant[]; versionId?: string }> {
  const name = bucketOf(ctx);
  const [bucket, object] = await Promise.all([
    ctx.queries.execute(new GetBucketQuery(name)),
    ctx.queries.execute(new GetObjectQuery(name, keyOf(ctx), versionIdOf(ctx))),
  ]);
  if (object.versionId !== undefined) ctx.res.setHeader('x-amz-version-id', object.versionId);
  const owner = ownerOf(ctx, object.owner, object.ownerDisplayName);
  const grants = object.acl?.grants ?? privateObjectAcl(owner);
  return { bucket, owner, grants, ...(object.versionId !== undefined ? { versionId: object.versionId } : {}) };
}

function ownerOf(ctx: S3OperationContext, id: string, recorded: string): AclOwner {
  return { id, displayName: ctx.accounts(id)?.name ?? recorded };
}

export function aclBucketOf(bucket: BucketDocument): AclBucket {
  return {
    owner: bucket.owner,
    ownerDisplayName: bucket.ownerDisplayName,
    ...(bucket.objectOwnership ? { objectOwnership: bucket.objectOwnership } : {}),
    ...(bucket.publicAccessBlock ? { publicAccessBlock: bucket.publicAccessBlock } : {}),
  };
}

/**
 * The ACL an object write's headers ask for: x-amz-acl or x-amz-grant-*, never both
 * (InvalidRequest, as S3); undefined when neither was sent.
 */
export function objectAclHeaders(ctx: S3OperationContext): RequestedObjectAcl | undefined {
  const header = ctx.req.headers['x-amz-acl'];
  const canned = parseCannedObjectAcl(typeof header === 'string' ? header : undefined);
  const grants = grantHeaderGrants(ctx.req.headers, ctx.accounts);
  if (canned !== undefined && grants !== undefined) {
    throw new S3Error('InvalidRequest', { message: 'Specifying both Canned ACLs and Header Grants is not allowed' });
  }
  if (canned !== undefined) return { canned };
  return grants && { grants };
}

/** PutObjectAcl's ACL: from its headers or its body, exactly one (MissingSecurityHeader for none). */
async function requestedObjectAcl(ctx: S3OperationContext, owner: AclOwner): Promise<RequestedObjectAcl> {
  const fromHeaders = objectAclHeaders(ctx);
  const body = await readSmallBody(ctx.req, MAX_ACCESS_CONTROL_POLICY_BODY_BYTES);
  if (fromHeaders !== undefined && body.trim() !== '') {
    throw new S3Error('InvalidRequest', { message: 'Specifying both Canned ACLs and Header Grants is not allowed' });
  }
  if (fromHeaders !== undefined) return fromHeaders;
  if (body.trim() === '') throw new S3Error('MissingSecurityHeader', { details: { MissingHeaderName: 'x-amz-acl' } });
  const policy = parseAccessControlPolicy(body);
  // Only the version's owner may be named as its owner.
  if (policy.owner.id !== owner.id) throw new S3Error('AccessDenied');
  return { grants: policy.grants.map((grant) => resolvedGrant(grant, ctx.accounts)) };
}
