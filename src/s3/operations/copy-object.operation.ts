import { CopyObjectCommand } from '../../objects/commands/copy-object/copy-object.command.js';
import { S3Error } from '../../errors/s3.error.js';
import { objectAclHeaders } from './object-acl.operation.js';
import { objectLockHeadersOf } from '../http/object-lock-headers.js';
import { parseCopySource, parseDirective, type CopySource } from '../http/copy-source.js';
import { renderCopyObjectResult } from '../xml/copy-object.xml.js';
import { DEFAULT_CONTENT_TYPE, taggingHeaderOf, userMetadataOf, writeConditionOf } from './put-object.operation.js';
import { contentHeadersOfRequest } from '../http/content-headers.js';
import { bucketOf, keyOf, sendXml, type S3OperationContext } from './s3-operation.context.js';
import { defineS3Operation } from './s3-operation.definition.js';
import { setWrittenVersionHeader } from '../http/written-version-header.js';

/**
 * The guard authorized the destination (s3:PutObject); reading the source needs s3:GetObject
 * on it too (…Version with a versionId), asked before the source is looked at so a caller who
 * may not read it learns nothing about it.
 */
export async function authorizedCopySource(ctx: S3OperationContext): Promise<CopySource> {
  const source = parseCopySource(ctx.req.headers['x-amz-copy-source']);
  const action = source.versionId !== undefined ? 's3:GetObjectVersion' : 's3:GetObject';
  if (!(await ctx.req.sediment.authorize!(action, source.bucket, source.key))) throw new S3Error('AccessDenied');
  return source;
}

/** The x-amz-copy-source-if-* headers, as the command carries them. */
export function copySourceConditionsOf(ctx: S3OperationContext): Record<string, string | string[] | undefined> {
  return Object.fromEntries(Object.entries(ctx.req.headers).filter(([name]) => name.startsWith('x-amz-copy-source-if-')));
}

export const copyObject = defineS3Operation({
  action: 's3:PutObject',
  storesLockHeaders: true,
  storesAclHeaders: true,
  readOnly: false,
}, async (ctx) => {
  const lock = objectLockHeadersOf(ctx.req);
  const acl = objectAclHeaders(ctx);
  const metadataDirective = parseDirective(ctx.req.headers['x-amz-metadata-directive'], 'metadata');
  const taggingDirective = parseDirective(ctx.req.headers['x-amz-tagging-directive'], 'tagging');
  const condition = writeConditionOf(ctx.req);
  // The same parser and tag rules as PutObject's x-amz-tagging: these tags become an event too.
  const replacedTags = taggingDirective === 'REPLACE' ? (taggingHeaderOf(ctx.req, ctx.query) ?? []) : undefined;
  const source = await authorizedCopySource(ctx);
  const replacedMetadata =
    metadataDirective === 'REPLACE'
      ? { contentType: ctx.req.headers['content-type'] || DEFAULT_CONTENT_TYPE, userMetadata: userMetadataOf(ctx.req), contentHeaders: contentHeadersOfRequest(ctx.req) }
      : undefined;
  const result = await ctx.commands.execute(
    new CopyObjectCommand(
      bucketOf(ctx),
      keyOf(ctx),
      source.bucket,
      source.key,
      source.versionId,
      copySourceConditionsOf(ctx),
      replacedMetadata,
      replacedTags,
      ctx.principal,
      condition,
      lock,
      acl,
    ),
  );
  setWrittenVersionHeader(ctx.res, result.versionId);
  if (result.sourceVersionId !== undefined) ctx.res.setHeader('x-amz-copy-source-version-id', result.sourceVersionId);
  sendXml(ctx.res, 200, renderCopyObjectResult(result.etag, result.lastModified));
});
