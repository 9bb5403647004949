import type { Response } from 'express';
import { corsResponseHeaders, matchCorsRule } from '../../bucket-stream/cors-configuration.js';
import type { MetadataStore } from '../../metadata/metadata.store.port.js';
import type { S3HttpRequest } from './s3-request.js';

/**
 * A request with an Origin to a bucket with CORS rules gets the headers of the first rule that
 * allows its origin and method, whatever the operation answers, errors included (the browser
 * would otherwise hide the error from the page). No rule, no headers: S3 answers as without CORS.
 */
export async function applyCorsHeaders(req: S3HttpRequest, res: Response, bucket: string | undefined, store: MetadataStore): Promise<void> {
  const origin = req.headers.origin;
  if (!origin || bucket === undefined) return;
  const configuration = (await store.getBucket(bucket))?.cors;
  if (!configuration) return;
  const request = { origin, method: req.method, headers: [] };
  const rule = matchCorsRule(configuration, request);
  if (!rule) return;
  for (const [name, value] of Object.entries(corsResponseHeaders(rule, request, false))) res.setHeader(name, value);
}
