import { ConfigureObjectLockCommand } from '../../buckets/commands/configure-object-lock/configure-object-lock.command.js';
import { GetBucketQuery } from '../../buckets/queries/get-bucket/get-bucket.query.js';
import { MISSING_LOCK_CONFIGURATION_MESSAGE } from '../../bucket-stream/object-lock.js';
import { S3Error } from '../../errors/s3.error.js';
import { PutObjectLegalHoldCommand, PutObjectRetentionCommand } from '../../objects/commands/object-lock/object-lock.commands.js';
import { GetObjectQuery } from '../../objects/queries/get-object/get-object.query.js';
import { bypassGovernanceRequested } from '../http/object-lock-headers.js';
import { assertIntegrityHeader } from '../http/request-body.js';
import {
  LEGAL_HOLD_DOCUMENT,
  OBJECT_LOCK_CONFIGURATION_DOCUMENT,
  RETENTION_DOCUMENT,
  renderLegalHold,
  renderObjectLockConfiguration,
  renderRetention,
} from '../xml/object-lock.xml.js';
import { bucketOf, keyOf, sendEmpty, sendXml, versionIdOf, type S3OperationContext } from './s3-operation.context.js';
import { defineS3Operation } from './s3-operation.definition.js';

/** GetObjectLockConfiguration: 404 ObjectLockConfigurationNotFoundError on a bucket without Object Lock. */
export const getObjectLockConfiguration = defineS3Operation({
  action: 's3:GetBucketObjectLockConfiguration',
  readOnly: true,
  subresource: { name: 'object-lock', on: 'bucket', method: 'GET' },
}, async (ctx) => {
  const name = bucketOf(ctx);
  const bucket = await ctx.queries.execute(new GetBucketQuery(name));
  if (!bucket.objectLock) throw new S3Error('ObjectLockConfigurationNotFoundError', { resource: `/${name}`, details: { BucketName: name } });
  sendXml(ctx.res, 200, renderObjectLockConfiguration(bucket.objectLock.defaultRetention));
});

/**
 * PutObjectLockConfiguration: enables Object Lock on a bucket with versioning Enabled (for
 * good), and sets or clears its default retention. S3 requires an integrity check of the body.
 */
export const putObjectLockConfiguration = defineS3Operation({
  action: 's3:PutBucketObjectLockConfiguration',
  readOnly: false,
  subresource: { name: 'object-lock', on: 'bucket', method: 'PUT' },
}, async (ctx) => {
  assertIntegrityHeader(ctx.req);
  const defaultRetention = await OBJECT_LOCK_CONFIGURATION_DOCUMENT.read(ctx.req);
  await ctx.commands.execute(new ConfigureObjectLockCommand(bucketOf(ctx), defaultRetention, ctx.principal));
  sendEmpty(ctx.res, 200);
});

/** The version a lock read is about, in a bucket that has Object Lock (else InvalidRequest, as S3). */
async function lockedVersionOf(ctx: S3OperationContext) {
  const name = bucketOf(ctx);
  const bucket = await ctx.queries.execute(new GetBucketQuery(name));
  if (!bucket.objectLock) throw new S3Error('InvalidRequest', { message: MISSING_LOCK_CONFIGURATION_MESSAGE, resource: `/${name}` });
  const object = await ctx.queries.execute(new GetObjectQuery(name, keyOf(ctx), versionIdOf(ctx)));
  if (object.versionId !== undefined) ctx.res.setHeader('x-amz-version-id', object.versionId);
  return object;
}

function noLockConfiguration(ctx: S3OperationContext): S3Error {
  return new S3Error('NoSuchObjectLockConfiguration', { resource: `/${bucketOf(ctx)}/${keyOf(ctx)}` });
}

/** GetObjectRetention: 404 NoSuchObjectLockConfiguration for a version without one. */
export const getObjectRetention = defineS3Operation({
  action: 's3:GetObjectRetention',
  // AWS has no …Version action for these: the same one names a version too.
  versionAction: 's3:GetObjectRetention',
  readOnly: true,
  subresource: { name: 'retention', on: 'object', method: 'GET' },
}, async (ctx) => {
  const object = await lockedVersionOf(ctx);
  if (!object.retention) throw noLockConfiguration(ctx);
  sendXml(ctx.res, 200, renderRetention(object.retention));
});

/**
 * PutObjectRetention. Weakening a GOVERNANCE retention in force takes
 * x-amz-bypass-governance-retention: true from a caller allowed s3:BypassGovernanceRetention;
 * without either, the decider refuses it, as it refuses weakening COMPLIANCE always.
 */
export const putObjectRetention = defineS3Operation({
  action: 's3:PutObjectRetention',
  versionAction: 's3:PutObjectRetention',
  readOnly: false,
  subresource: { name: 'retention', on: 'object', method: 'PUT' },
}, async (ctx) => {
  const versionId = versionIdOf(ctx);
  assertIntegrityHeader(ctx.req);
  const retention = await RETENTION_DOCUMENT.read(ctx.req);
  const bypass = await bypassGovernanceOf(ctx, keyOf(ctx));
  await ctx.commands.execute(new PutObjectRetentionCommand(bucketOf(ctx), keyOf(ctx), retention, bypass, ctx.principal, versionId));
  if (versionId !== undefined) ctx.res.setHeader('x-amz-version-id', versionId);
  sendEmpty(ctx.res, 200);
});

/** GetObjectLegalHold: ON or OFF, or 404 NoSuchObjectLockConfiguration for a version never held. */
export const getObjectLegalHold = defineS3Operation({
  action: 's3:GetObjectLegalHold',
  versionAction: 's3:GetObjectLegalHold',
  readOnly: true,
  subresource: { name: 'legal-hold', on: 'object', method: 'GET' },
}, async (ctx) => {
  const object = await lockedVersionOf(ctx);
  if (object.legalHold === undefined) throw noLockConfiguration(ctx);
  sendXml(ctx.res, 200, renderLegalHold(object.legalHold));
});

/** PutObjectLegalHold: ON or OFF; no bypass lifts it, only this. */
export const putObjectLegalHold = defineS3Operation({
  action: 's3:PutObjectLegalHold',
  versionAction: 's3:PutObjectLegalHold',
  readOnly: false,
  subresource: { name: 'legal-hold', on: 'object', method: 'PUT' },
}, async (ctx) => {
  const versionId = versionIdOf(ctx);
  assertIntegrityHeader(ctx.req);
  const on = await LEGAL_HOLD_DOCUMENT.read(ctx.req);
  await ctx.commands.execute(new PutObjectLegalHoldCommand(bucketOf(ctx), keyOf(ctx), on, ctx.principal, versionId));
  if (versionId !== undefined) ctx.res.setHeader('x-amz-version-id', versionId);
  sendEmpty(ctx.res, 200);
});

/**
 * Whether the request bypasses GOVERNANCE retention on `key`: it sends the header and its caller
 * is allowed s3:BypassGovernanceRetention there. A header without the permission bypasses
 * nothing, so a deletion or weakening it needed is refused with AccessDenied.
 */
export async function bypassGovernanceOf(ctx: S3OperationContext, key: string): Promise<boolean> {
  if (!bypassGovernanceRequested(ctx.req)) return false;
  return ctx.req.sediment.authorize!('s3:BypassGovernanceRetention', bucketOf(ctx), key);
}
