import { unstorableStringReason } from '../../event-log/storable.js';
import { PutObjectCommand } from '../../objects/commands/put-object/put-object.command.js';
import type { WriteCondition } from '../../bucket-stream/object.decider.js';
import type { UserMetadataEntry } from '../../bucket-stream/object.events.js';
import { parseTaggingHeader, type ObjectTag } from '../../bucket-stream/object-tags.js';
import { S3Error } from '../../errors/s3.error.js';
import { setChecksumHeaders } from '../http/checksum-headers.js';
import { hasIntegrityHeader, payloadStream } from '../http/request-body.js';
import { objectAclHeaders } from './object-acl.operation.js';
import { objectLockHeadersOf } from '../http/object-lock-headers.js';
import { taggingHeaderValue } from '../http/tagging-header.js';
import type { S3HttpRequest } from '../http/s3-request.js';
import { bucketOf, keyOf, sendEmpty } from './s3-operation.context.js';
import { setExpirationHeader } from '../http/expiration-header.js';
import { contentHeadersOfRequest } from '../http/content-headers.js';
import { defineS3Operation } from './s3-operation.definition.js';
import { setWrittenVersionHeader } from '../http/written-version-header.js';

const META_PREFIX = 'x-amz-meta-';
export const DEFAULT_CONTENT_TYPE = 'binary/octet-stream';

/** S3's limit on user metadata: the bytes of every name (without x-amz-meta-) and value, summed. */
export const MAX_USER_METADATA_BYTES = 2048;

export function userMetadataOf(req: S3HttpRequest): UserMetadataEntry[] {
  return userMetadataFrom(req.headers);
}

/** The x-amz-meta-* entries of headers, or of a form's fields (POST Object), checked as above. */
export function userMetadataFrom(headers: Readonly<Record<string, string | string[] | undefined>>): UserMetadataEntry[] {
  const entries = Object.entries(headers)
    .filter(([name]) => name.startsWith(META_PREFIX))
    .map(([name, value]) => ({
      name: name.slice(META_PREFIX.length),
      value: Array.isArray(value) ? value.join(',') : String(value),
    }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  // Node's HTTP parser refuses control characters in headers; this is the edge's own guarantee.
  const unstorable = entries.find(({ name, value }) => unstorableStringReason(name) ?? unstorableStringReason(value));
  if (unstorable) throw new S3Error('InvalidArgument', { message: 'User metadata holds a character Sediment cannot store.', details: { ArgumentName: `${META_PREFIX}${unstorable.name}` } });
  // Header strings hold one character per byte received (latin1), so this counts wire bytes.
  const size = entries.reduce((sum, { name, value }) => sum + Buffer.byteLength(name, 'latin1') + Buffer.byteLength(value, 'latin1'), 0);
  if (size > MAX_USER_METADATA_BYTES) {
    throw new S3Error('MetadataTooLarge', { details: { Size: String(size), MaxSizeAllowed: String(MAX_USER_METADATA_BYTES) } });
  }
  return entries;
}

/** The tag set of `x-amz-tagging` (PutObject, CreateMultipartUpload), validated; undefined without one. */
export function taggingHeaderOf(req: S3HttpRequest, query: URLSearchParams): ObjectTag[] | undefined {
  const value = taggingHeaderValue(req, query);
  return value === undefined ? undefined : parseTaggingHeader(value);
}

/**
 * S3 conditional writes: If-None-Match `*` (create only) or an ETag (412 when the current
 * object's matches), and If-Match, decided against the authoritative state.
 */
export function writeConditionOf(req: S3HttpRequest): WriteCondition | undefined {
  const ifNoneMatch = req.headers['if-none-match'];
  const ifMatch = req.headers['if-match'];
  if (ifNoneMatch === undefined && ifMatch === undefined) return undefined;
  return { ...(ifNoneMatch !== undefined ? { ifNoneMatch: ifNoneMatch.trim() } : {}), ...(ifMatch !== undefined ? { ifMatch } : {}) };
}

export const putObject = defineS3Operation({
  action: 's3:PutObject',
  storesTaggingHeader: true,
  storesLockHeaders: true,
  storesAclHeaders: true,
  readOnly: false,
}, async (ctx) => {
  const acl = objectAclHeaders(ctx);
  const condition = writeConditionOf(ctx.req);
  const tags = taggingHeaderOf(ctx.req, ctx.query);
  const lock = objectLockHeadersOf(ctx.req);
  const contentHeaders = contentHeadersOfRequest(ctx.req);
  const { stream, size, checksum } = payloadStream(ctx.req);
  const contentType = ctx.req.headers['content-type'] || DEFAULT_CONTENT_TYPE;
  const result = await ctx.commands.execute(
    new PutObjectCommand(
      bucketOf(ctx),
      keyOf(ctx),
      stream,
      size,
      contentType,
      userMetadataOf(ctx.req),
      ctx.principal,
      condition,
      tags,
      checksum.verified,
      lock,
      hasIntegrityHeader(ctx.req),
      acl,
      contentHeaders,
    ),
  );
  ctx.res.setHeader('ETag', result.etag);
  setWrittenVersionHeader(ctx.res, result.versionId);
  setChecksumHeaders(ctx.res, result.checksum);
  const object = { key: keyOf(ctx), size: result.size, ...(tags ? { tags } : {}), createdAt: result.storedAt };
  setExpirationHeader(ctx.res, result.lifecycle, object, ctx.config.SEDIMENT_LIFECYCLE_DAY_SECONDS * 1000);
  sendEmpty(ctx.res, 200);
});
