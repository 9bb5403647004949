import type { Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { readBlobSequence } from '../../blobs/multipart-blob.reader.js';
import type { ObjectDocument } from '../../metadata/metadata.documents.js';
import { STANDARD_STORAGE_CLASS } from '../../objects/domain/object.events.js';
import { GetObjectQuery } from '../../objects/queries/get-object/get-object.query.js';
import { S3Error } from '../errors/s3.error.js';
import { setChecksumHeaders } from '../http/checksum-headers.js';
import { parseByteRange, type ByteRange } from '../http/byte-range.js';
import { evaluatePreconditions } from '../http/preconditions.js';
import { responseHeaderOverrides } from '../http/response-overrides.js';
import { bucketOf, keyOf, type S3OperationContext, type S3OperationHandler } from './s3-operation.context.js';

function writeObjectHeaders(
  res: Response,
  object: ObjectDocument,
  range: ByteRange | undefined,
  overrides: Record<string, string>,
  checksumMode: boolean,
): void {
  res.status(range ? 206 : 200);
  res.setHeader('Content-Type', object.contentType);
  res.setHeader('Content-Length', range ? range.end - range.start + 1 : object.size);
  if (range) res.setHeader('Content-Range', `bytes ${range.start}-${range.end}/${object.size}`);
  res.setHeader('ETag', object.etag);
  res.setHeader('Last-Modified', object.lastModified.toUTCString());
  res.setHeader('Accept-Ranges', 'bytes');
  // S3 sends the header for every class but STANDARD; clients read its absence as STANDARD.
  if (object.storageClass && object.storageClass !== STANDARD_STORAGE_CLASS) res.setHeader('x-amz-storage-class', object.storageClass);
  for (const { name, value } of object.userMetadata) res.setHeader(`x-amz-meta-${name}`, value);
  // Only on request, and never for a range: the stored checksum is of the whole object, and a
  // client checking the bytes it received against it would fail (S3 omits it too).
  if (checksumMode && !range) setChecksumHeaders(res, object.checksum);
  // response-* query parameters win over what the object was stored with.
  for (const [name, value] of Object.entries(overrides)) res.setHeader(name, value);
}

/** 304: no body, only the validators, as S3 (and RFC 7232 §4.1) sends them. */
function writeNotModified(res: Response, object: ObjectDocument): void {
  res.status(304);
  res.setHeader('ETag', object.etag);
  res.setHeader('Last-Modified', object.lastModified.toUTCString());
  res.end();
}

/** x-amz-checksum-mode: ENABLED asks for the stored checksum; S3 returns it only then. */
function checksumModeOf(ctx: S3OperationContext): boolean {
  return String(ctx.req.headers['x-amz-checksum-mode'] ?? '').toUpperCase() === 'ENABLED';
}

type Resolved =
  | { kind: 'not-modified'; object: ObjectDocument }
  | { kind: 'object'; object: ObjectDocument; range?: ByteRange; overrides: Record<string, string> };

/**
 * What a GET or HEAD answers, in S3's order: a bad response-* parameter (400), a missing key
 * (404), the conditional headers (412, 304), then Range (416 or 206).
 */
async function resolve(ctx: S3OperationContext): Promise<Resolved> {
  const overrides = responseHeaderOverrides(ctx.query);
  const object = await ctx.queries.execute(new GetObjectQuery(bucketOf(ctx), keyOf(ctx))).catch(async (error: unknown) => {
    // S3 tells a caller that a key is missing only if it may list the bucket; to anyone else a
    // missing key looks like any other forbidden one, so keys cannot be probed.
    if (error instanceof S3Error && error.code === 'NoSuchKey' && !(await ctx.req.sediment.authorize!('s3:ListBucket', bucketOf(ctx)))) {
      throw new S3Error('AccessDenied');
    }
    throw error;
  });
  const precondition = evaluatePreconditions(ctx.req.headers, object);
  if (precondition === 'not-modified') return { kind: 'not-modified', object };
  if (precondition !== 'proceed') throw precondition;
  return { kind: 'object', object, range: parseByteRange(ctx.req.headers.range, object.size), overrides };
}

export const headObject: S3OperationHandler = async (ctx) => {
  const resolved = await resolve(ctx);
  if (resolved.kind === 'not-modified') return writeNotModified(ctx.res, resolved.object);
  writeObjectHeaders(ctx.res, resolved.object, resolved.range, resolved.overrides, checksumModeOf(ctx));
  ctx.res.end();
};

export const getObject: S3OperationHandler = async (ctx) => {
  const resolved = await resolve(ctx);
  if (resolved.kind === 'not-modified') return writeNotModified(ctx.res, resolved.object);
  const { object, range, overrides } = resolved;
  // Open the blob before committing to a 200, so a missing blob is still an error response.
  const body = object.parts ? readBlobSequence(ctx.blobs, object.parts, range) : ctx.blobs.read(object.objectId, range);
  await new Promise<void>((resolve, reject) => {
    body.once('readable', resolve);
    body.once('error', reject);
  });
  writeObjectHeaders(ctx.res, object, range, overrides, checksumModeOf(ctx));
  try {
    await pipeline(body, ctx.res);
  } catch (error) {
    // The client went away (or closed as soon as it had every byte): nobody to answer.
    if ((error as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE') return;
    throw error;
  }
};
