import type { S3HttpRequest } from '../http/s3-request.js';
import { IamError } from '../../errors/iam.error.js';

/** Generous for the largest IAM request we serve (a 128 KiB policy document, form-encoded). */
export const IAM_MAX_BODY_BYTES = 512 * 1024;

/**
 * Reads an IAM Query API body whole, before its signature is checked (the signature covers its
 * hash), refusing more than `limit` bytes.
 */
export async function readRawBody(req: S3HttpRequest, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limit) throw new IamError('ValidationError', `Request body exceeds ${limit} bytes.`);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > limit) throw new IamError('ValidationError', `Request body exceeds ${limit} bytes.`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
