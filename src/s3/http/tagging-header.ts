import type { S3HttpRequest } from './s3-request.js';

/**
 * The `x-amz-tagging` of a PutObject or CreateMultipartUpload: the header, or for a presigned
 * URL the query parameter of that name, where SDK presigners hoist `x-amz-*` headers (signed
 * with the rest of the query) and where S3 applies it too.
 */
export function taggingHeaderValue(req: S3HttpRequest, query: URLSearchParams): string | undefined {
  const header = req.headers['x-amz-tagging'];
  if (header !== undefined) return Array.isArray(header) ? header.join('&') : header;
  return query.has('X-Amz-Signature') ? (query.get('x-amz-tagging') ?? undefined) : undefined;
}
