/**
 * Virtual-hosted-style addressing (`Host: <bucket>.<domain>`, path = `/<key>`), turned into the
 * path-style request target it stands for so the router, IAM resource ARNs and the <Resource> of
 * errors all see one form. SigV4 is unaffected: it signs the path and Host exactly as sent.
 */

export interface S3Addressing {
  /**
   * The service's own domain (SEDIMENT_DOMAIN), lower-case, e.g. `s3.example.local`. Empty or
   * absent: every request is path-style.
   */
  domain?: string;
}

/**
 * The bucket a Host header names, or undefined for path-style. The port is dropped and the name
 * lower-cased (host names are case-insensitive); the host equal to the domain, or any host
 * outside it, is path-style.
 */
export function bucketFromHost(host: string | undefined, domain: string | undefined): string | undefined {
  if (host === undefined || domain === undefined || domain === '') return undefined;
  const name = stripPort(host.trim()).toLowerCase();
  const suffix = `.${domain.toLowerCase()}`;
  if (!name.endsWith(suffix)) return undefined;
  const bucket = name.slice(0, -suffix.length);
  // Buckets may contain dots (`logs.2026.s3.example.local`), never an empty label; a name no
  // bucket can have (characters outside [a-z0-9.-_], found by fuzzing) is no bucket host either.
  if (bucket === '' || bucket.startsWith('.') || bucket.endsWith('.') || bucket.includes('..') || !/^[a-z0-9._-]+$/.test(bucket)) return undefined;
  return bucket;
}

/**
 * The raw path a path-style client would have sent for the same resource: `/<bucket><path>`
 * under a bucket host (`/`, the bucket itself, becomes `/<bucket>` as path-style clients send it),
 * the path unchanged otherwise.
 */
export function pathStyleRawPath(rawPath: string, host: string | undefined, domain: string | undefined): string {
  const bucket = bucketFromHost(host, domain);
  // A path not starting with '/' is malformed either way; leave it for the router to reject.
  if (bucket === undefined || !rawPath.startsWith('/')) return rawPath;
  return `/${encodeURIComponent(bucket)}${rawPath === '/' ? '' : rawPath}`;
}

function stripPort(host: string): string {
  if (host.startsWith('[')) return host; // an IPv6 literal never names a bucket
  const colon = host.lastIndexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}
