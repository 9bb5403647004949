import { ChangeIdentityCommand } from '../../iam/commands/change-identity/change-identity.command.js';
import { GetBucketAccessQuery } from '../../iam/queries/get-bucket-access/get-bucket-access.query.js';
import { MAX_POLICY_BYTES, parsePolicyDocument } from '../../policy/policy-document.js';
import { isPublicPolicy } from '../../policy/policy-status.js';
import { S3_XML_NAMESPACE } from '../xml/s3-xml.renderers.js';
import { element, renderXml, textElement } from '../xml/xml.writer.js';
import { S3Error } from '../../errors/s3.error.js';
import { readSmallBody } from '../http/request-body.js';
import { bucketOf, sendEmpty, sendXml } from './s3-operation.context.js';
import { defineS3Operation } from './s3-operation.definition.js';

/** GetBucketPolicy: the JSON exactly as it was put, or 404 NoSuchBucketPolicy. */
export const getBucketPolicy = defineS3Operation({
  action: 's3:GetBucketPolicy',
  readOnly: true,
  subresource: { name: 'policy', on: 'bucket', method: 'GET' },
}, async (ctx) => {
  const bucket = bucketOf(ctx);
  const { policy } = await ctx.queries.execute(new GetBucketAccessQuery(bucket));
  if (policy === undefined) throw new S3Error('NoSuchBucketPolicy', { resource: `/${bucket}`, details: { BucketName: bucket } });
  ctx.res.status(200);
  ctx.res.setHeader('Content-Type', 'application/json');
  ctx.res.setHeader('Content-Length', Buffer.byteLength(policy));
  ctx.res.end(policy);
});

/**
 * GetBucketPolicyStatus: whether the bucket policy makes the bucket public (a grant to everyone
 * not limited to fixed addresses or accounts); 404 NoSuchBucketPolicy without a policy.
 */
export const getBucketPolicyStatus = defineS3Operation({
  action: 's3:GetBucketPolicyStatus',
  readOnly: true,
  subresource: { name: 'policyStatus', on: 'bucket', method: 'GET' },
}, async (ctx) => {
  const bucket = bucketOf(ctx);
  const { policy } = await ctx.queries.execute(new GetBucketAccessQuery(bucket));
  if (policy === undefined) throw new S3Error('NoSuchBucketPolicy', { resource: `/${bucket}`, details: { BucketName: bucket } });
  const isPublic = isPublicPolicy(parsePolicyDocument(policy, 'resource'));
  sendXml(ctx.res, 200, renderXml(element('PolicyStatus', [textElement('IsPublic', isPublic)], { xmlns: S3_XML_NAMESPACE })));
});

/** PutBucketPolicy: validated whole (grammar, resources of this bucket, known principals), then 204. */
export const putBucketPolicy = defineS3Operation({
  action: 's3:PutBucketPolicy',
  readOnly: false,
  subresource: { name: 'policy', on: 'bucket', method: 'PUT' },
}, async (ctx) => {
  const bucket = bucketOf(ctx);
  const policy = await readPolicyBody(ctx.req);
  const { bucket: doc } = await ctx.queries.execute(new GetBucketAccessQuery(bucket));
  // BlockPublicPolicy refuses a policy that would make the bucket public. One that does not
  // parse is left to the decider, which answers MalformedPolicy.
  if (doc.publicAccessBlock?.blockPublicPolicy && isPublicPolicyText(policy)) throw new S3Error('AccessDenied');
  await ctx.commands.execute(
    new ChangeIdentityCommand({ type: 'PutBucketPolicy', data: { bucket, bucketId: doc.bucketId, policy } }, ctx.principal),
  );
  sendEmpty(ctx.res, 204);
});

/** DeleteBucketPolicy: 204 whether or not the bucket had one, as S3 answers. */
export const deleteBucketPolicy = defineS3Operation({
  action: 's3:DeleteBucketPolicy',
  readOnly: false,
  subresource: { name: 'policy', on: 'bucket', method: 'DELETE' },
}, async (ctx) => {
  const bucket = bucketOf(ctx);
  const { bucket: doc } = await ctx.queries.execute(new GetBucketAccessQuery(bucket));
  await ctx.commands.execute(
    new ChangeIdentityCommand({ type: 'DeleteBucketPolicy', data: { bucket, bucketId: doc.bucketId } }, ctx.principal),
  );
  sendEmpty(ctx.res, 204);
});

function isPublicPolicyText(policy: string): boolean {
  try {
    return isPublicPolicy(parsePolicyDocument(policy, 'resource'));
  } catch {
    return false;
  }
}

async function readPolicyBody(req: Parameters<typeof readSmallBody>[0]): Promise<string> {
  let body: string;
  try {
    body = await readSmallBody(req, MAX_POLICY_BYTES.resource);
  } catch (error) {
    if (error instanceof S3Error && error.code === 'MaxMessageLengthExceeded') {
      throw new S3Error('MalformedPolicy', { message: `Policy exceeds the maximum allowed document size of ${MAX_POLICY_BYTES.resource} bytes.` });
    }
    throw error;
  }
  if (body.trim() === '') throw new S3Error('MalformedPolicy');
  return body;
}
