import type { Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { readBlobSequence } from '../../blobs/multipart-blob.reader.js';
import type { ObjectDocument } from '../../metadata/metadata.documents.js';
import { STANDARD_STORAGE_CLASS } from '../../bucket-stream/object.events.js';
import type { VersionLock } from '../../bucket-stream/object-lock.js';
import { GetObjectQuery } from '../../objects/queries/get-object/get-object.query.js';
import { S3Error } from '../../errors/s3.error.js';
import { setChecksumHeaders } from '../http/checksum-headers.js';
import type { ByteRange } from '../../blobs/blob-store.port.js';
import { parseByteRange } from '../http/byte-range.js';
import { partOf } from '../http/object-part.js';
import { evaluatePreconditions } from '../../objects/preconditions.js';
import { responseHeaderOverrides } from '../http/response-overrides.js';
import { setContentHeaders } from '../http/content-headers.js';
import { partNumberOf } from './multipart-upload.operation.js';
import { bucketOf, keyOf, lifecycleOf, versionIdOf, type S3OperationContext } from './s3-operation.context.js';
import { expirationHeaderValue } from '../http/expiration-header.js';
import { defineS3Operation } from './s3-operation.definition.js';

function writeObjectHeaders(
  res: Response,
  object: ObjectDocument,
  range: ByteRange | undefined,
  overrides: Record<string, string>,
  partsCount: number | undefined,
  checksumMode: boolean,
  lock: VersionLock,
): void {
  res.status(range ? 206 : 200);
  // Only a part of a multipart object says how many parts there are, as S3 does.
  if (partsCount !== undefined) res.setHeader('x-amz-mp-parts-count', partsCount);
  res.setHeader('Content-Type', object.contentType);
  res.setHeader('Content-Length', range ? range.end - range.start + 1 : object.size);
  if (range) res.setHeader('Content-Range', `bytes ${range.start}-${range.end}/${object.size}`);
  res.setHeader('ETag', object.etag);
  res.setHeader('Last-Modified', object.lastModified.toUTCString());
  res.setHeader('Accept-Ranges', 'bytes');
  if (object.versionId !== undefined) res.setHeader('x-amz-version-id', object.versionId);
  // S3 sends the header for every class but STANDARD; clients read its absence as STANDARD.
  if (object.storageClass && object.storageClass !== STANDARD_STORAGE_CLASS) res.setHeader('x-amz-storage-class', object.storageClass);
  setContentHeaders(res, object);
  for (const { name, value } of object.userMetadata) res.setHeader(`x-amz-meta-${name}`, value);
  if (object.tags && object.tags.length > 0) res.setHeader('x-amz-tagging-count', String(object.tags.length));
  if (lock.retention) {
    res.setHeader('x-amz-object-lock-mode', lock.retention.mode);
    res.setHeader('x-amz-object-lock-retain-until-date', lock.retention.retainUntil);
  }
  if (lock.legalHold !== undefined) res.setHeader('x-amz-object-lock-legal-hold', lock.legalHold ? 'ON' : 'OFF');
  // Only on request, and never for a range: the stored checksum is of the whole object, and a
  // client checking the bytes it received against it would fail (S3 omits it too).
  if (checksumMode && !range) setChecksumHeaders(res, object.checksum);
  // response-* query parameters win over what the object was stored with.
  for (const [name, value] of Object.entries(overrides)) res.setHeader(name, value);
}

/** 304: no body, only the validators, as S3 (and RFC 7232 §4.1) sends them. */
export function writeNotModified(res: Response, object: ObjectDocument): void {
  res.status(304);
  res.setHeader('ETag', object.etag);
  res.setHeader('Last-Modified', object.lastModified.toUTCString());
  if (object.versionId !== undefined) res.setHeader('x-amz-version-id', object.versionId);
  res.end();
}

/**
 * The version's lock as GET and HEAD show it: as in S3, its retention only to a caller allowed
 * s3:GetObjectRetention, its legal hold only to one allowed s3:GetObjectLegalHold.
 */
async function visibleLockOf(ctx: S3OperationContext, object: ObjectDocument): Promise<VersionLock> {
  const [retention, legalHold] = await Promise.all([
    object.retention !== undefined && ctx.req.sediment.authorize!('s3:GetObjectRetention', bucketOf(ctx), keyOf(ctx)),
    object.legalHold !== undefined && ctx.req.sediment.authorize!('s3:GetObjectLegalHold', bucketOf(ctx), keyOf(ctx)),
  ]);
  return { ...(retention ? { retention: object.retention! } : {}), ...(legalHold ? { legalHold: object.legalHold! } : {}) };
}

/** x-amz-checksum-mode: ENABLED asks for the stored checksum; S3 returns it only then. */
function checksumModeOf(ctx: S3OperationContext): boolean {
  return String(ctx.req.headers['x-amz-checksum-mode'] ?? '').toUpperCase() === 'ENABLED';
}

type Resolved =
  | { kind: 'not-modified'; object: ObjectDocument }
  | {
      kind: 'object';
      object: ObjectDocument;
      range?: ByteRange;
      overrides: Record<string, string>;
      partsCount?: number;
      /** x-amz-expiration, for the current version of a key some lifecycle rule expires. */
      expiration?: string;
    };

/**
 * The object (or version) a read names. S3 tells a caller that a key is missing only if it may
 * list the bucket for that name (a ListBucket limited by s3:prefix covers only the names under
 * the prefix); to anyone else a missing key looks like any other forbidden one, so keys cannot
 * be probed.
 */
export async function objectToRead(ctx: S3OperationContext): Promise<ObjectDocument> {
  return ctx.queries.execute(new GetObjectQuery(bucketOf(ctx), keyOf(ctx), versionIdOf(ctx))).catch(async (error: unknown) => {
    if (error instanceof S3Error && error.code === 'NoSuchKey' && !(await ctx.req.sediment.authorize!('s3:ListBucket', bucketOf(ctx), undefined, { 's3:prefix': keyOf(ctx) }))) {
      throw new S3Error('AccessDenied');
    }
    throw error;
  });
}

/**
 * What a GET or HEAD answers, in S3's order: a bad response-* or partNumber parameter, or
 * partNumber with Range (400), a missing key (404), the conditional headers (412, 304), then
 * Range or partNumber (416 or 206).
 */
async function resolve(ctx: S3OperationContext): Promise<Resolved> {
  const overrides = responseHeaderOverrides(ctx.query, ctx.principal.type === 'anonymous');
  const partNumber = ctx.query.has('partNumber') ? partNumberOf(ctx) : undefined;
  if (partNumber !== undefined && ctx.req.headers.range !== undefined) {
    throw new S3Error('InvalidRequest', { message: 'Cannot specify both Range header and partNumber query parameter' });
  }
  // Read beside the object (a point read of the bucket), not after it: a GET waits for one round trip.
  const [object, lifecycle] = await Promise.all([objectToRead(ctx), ctx.query.has('versionId') ? undefined : lifecycleOf(ctx)]);
  const precondition = evaluatePreconditions(ctx.req.headers, object);
  if (precondition === 'not-modified') return { kind: 'not-modified', object };
  if (precondition !== 'proceed') throw precondition;
  const subject = { key: object.key, size: object.size, ...(object.tags ? { tags: object.tags } : {}), createdAt: object.lastModified };
  const expiration = expirationHeaderValue(lifecycle, subject, ctx.config.SEDIMENT_LIFECYCLE_DAY_SECONDS * 1000);
  const resolved = { kind: 'object' as const, object, overrides, ...(expiration !== undefined ? { expiration } : {}) };
  if (partNumber !== undefined) return { ...resolved, ...partOf(object, partNumber) };
  return { ...resolved, range: parseByteRange(ctx.req.headers.range, object.size) };
}

export const headObject = defineS3Operation({
  action: 's3:GetObject',
  versionAction: 's3:GetObjectVersion',
  readOnly: true,
}, async (ctx) => {
  const resolved = await resolve(ctx);
  if (resolved.kind === 'not-modified') return writeNotModified(ctx.res, resolved.object);
  const lock = await visibleLockOf(ctx, resolved.object);
  writeObjectHeaders(ctx.res, resolved.object, resolved.range, resolved.overrides, resolved.partsCount, checksumModeOf(ctx), lock);
  if (resolved.expiration !== undefined) ctx.res.setHeader('x-amz-expiration', resolved.expiration);
  ctx.res.end();
});

export const getObject = defineS3Operation({
  action: 's3:GetObject',
  versionAction: 's3:GetObjectVersion',
  readOnly: true,
}, async (ctx) => {
  const resolved = await resolve(ctx);
  if (resolved.kind === 'not-modified') return writeNotModified(ctx.res, resolved.object);
  const { object, range, overrides, partsCount, expiration } = resolved;
  const lock = await visibleLockOf(ctx, object);
  // Open the blob before committing to a 200, so a missing blob is still an error response.
  const body = object.parts ? readBlobSequence(ctx.blobs, object.parts, range) : ctx.blobs.read(object.objectId, range);
  await new Promise<void>((resolve, reject) => {
    body.once('readable', resolve);
    body.once('error', reject);
  });
  writeObjectHeaders(ctx.res, object, range, overrides, partsCount, checksumModeOf(ctx), lock);
  if (expiration !== undefined) ctx.res.setHeader('x-amz-expiration', expiration);
  try {
    await pipeline(body, ctx.res);
  } catch (error) {
    // The client went away (or closed as soon as it had every byte): nobody to answer.
    if ((error as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE') return;
    throw error;
  }
});
