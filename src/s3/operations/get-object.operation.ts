import type { Response } from 'express';
import { pipeline } from 'node:stream/promises';
import type { ObjectDocument } from '../../metadata/metadata.documents.js';
import { GetObjectQuery } from '../../objects/queries/get-object/get-object.query.js';
import { parseByteRange, type ByteRange } from '../http/byte-range.js';
import { bucketOf, keyOf, type S3OperationContext, type S3OperationHandler } from './s3-operation.context.js';

function writeObjectHeaders(res: Response, object: ObjectDocument, range: ByteRange | undefined): void {
  res.status(range ? 206 : 200);
  res.setHeader('Content-Type', object.contentType);
  res.setHeader('Content-Length', range ? range.end - range.start + 1 : object.size);
  if (range) res.setHeader('Content-Range', `bytes ${range.start}-${range.end}/${object.size}`);
  res.setHeader('ETag', object.etag);
  res.setHeader('Last-Modified', object.lastModified.toUTCString());
  res.setHeader('Accept-Ranges', 'bytes');
  for (const { name, value } of object.userMetadata) res.setHeader(`x-amz-meta-${name}`, value);
}

async function resolve(ctx: S3OperationContext): Promise<{ object: ObjectDocument; range?: ByteRange }> {
  const object = await ctx.queries.execute(new GetObjectQuery(bucketOf(ctx), keyOf(ctx)));
  return { object, range: parseByteRange(ctx.req.headers.range, object.size) };
}

export const headObject: S3OperationHandler = async (ctx) => {
  const { object, range } = await resolve(ctx);
  writeObjectHeaders(ctx.res, object, range);
  ctx.res.end();
};

export const getObject: S3OperationHandler = async (ctx) => {
  const { object, range } = await resolve(ctx);
  // Open the blob before committing to a 200, so a missing blob is still an error response.
  const body = ctx.blobs.read(object.objectId, range);
  await new Promise<void>((resolve, reject) => {
    body.once('readable', resolve);
    body.once('error', reject);
  });
  writeObjectHeaders(ctx.res, object, range);
  try {
    await pipeline(body, ctx.res);
  } catch (error) {
    // The client went away (or closed as soon as it had every byte): nobody to answer.
    if ((error as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE') return;
    throw error;
  }
};
