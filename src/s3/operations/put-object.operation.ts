import { PutObjectCommand } from '../../objects/commands/put-object/put-object.command.js';
import type { WriteCondition } from '../../objects/domain/object.decider.js';
import type { UserMetadataEntry } from '../../objects/domain/object.events.js';
import { S3Error } from '../errors/s3.error.js';
import { setChecksumHeaders } from '../http/checksum-headers.js';
import { payloadStream } from '../http/request-body.js';
import type { S3HttpRequest } from '../http/s3-request.js';
import { bucketOf, keyOf, sendEmpty, type S3OperationHandler } from './s3-operation.context.js';

const META_PREFIX = 'x-amz-meta-';
export const DEFAULT_CONTENT_TYPE = 'binary/octet-stream';

export function userMetadataOf(req: S3HttpRequest): UserMetadataEntry[] {
  return Object.entries(req.headers)
    .filter(([name]) => name.startsWith(META_PREFIX))
    .map(([name, value]) => ({
      name: name.slice(META_PREFIX.length),
      value: Array.isArray(value) ? value.join(',') : String(value),
    }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** S3 conditional writes; If-None-Match supports only '*'. */
export function writeConditionOf(req: S3HttpRequest): WriteCondition | undefined {
  const ifNoneMatch = req.headers['if-none-match'];
  const ifMatch = req.headers['if-match'];
  if (ifNoneMatch === undefined && ifMatch === undefined) return undefined;
  if (ifNoneMatch !== undefined && ifNoneMatch.trim() !== '*') {
    throw new S3Error('NotImplemented', { message: 'If-None-Match on a write supports only *' });
  }
  return { ...(ifNoneMatch !== undefined ? { ifNoneMatch: '*' as const } : {}), ...(ifMatch !== undefined ? { ifMatch } : {}) };
}

export const putObject: S3OperationHandler = async (ctx) => {
  // CopyObject is a PUT with this header; storing the empty body instead would lose data.
  if (ctx.req.headers['x-amz-copy-source'] !== undefined) {
    throw new S3Error('NotImplemented', { message: 'CopyObject is not implemented yet' });
  }
  const condition = writeConditionOf(ctx.req);
  const { stream, size, checksum } = payloadStream(ctx.req);
  const contentType = ctx.req.headers['content-type'] || DEFAULT_CONTENT_TYPE;
  const result = await ctx.commands.execute(
    new PutObjectCommand(bucketOf(ctx), keyOf(ctx), stream, size, contentType, userMetadataOf(ctx.req), ctx.principal, condition, checksum.verified),
  );
  ctx.res.setHeader('ETag', result.etag);
  setChecksumHeaders(ctx.res, result.checksum);
  sendEmpty(ctx.res, 200);
};
