import { S3Error } from '../errors/s3.error.js';

/**
 * A bucket's CORS configuration, as PutBucketCors put it: the BucketCorsConfigured event
 * (docs/events.md), the bucket document's copy and what requests are answered by.
 */
export interface CorsRule {
  id?: string;
  /** GET, PUT, POST, DELETE or HEAD. */
  allowedMethods: string[];
  /** Origins, each with at most one `*` wildcard; `*` alone allows any origin. */
  allowedOrigins: string[];
  /** Request headers a preflight may ask for, each with at most one `*`; matched case-insensitively. */
  allowedHeaders: string[];
  exposeHeaders: string[];
  maxAgeSeconds?: number;
}

export interface BucketCorsConfiguration {
  rules: CorsRule[];
}

export const MAX_CORS_RULES = 100;
export const CORS_METHODS: ReadonlySet<string> = new Set(['GET', 'PUT', 'POST', 'DELETE', 'HEAD']);

function invalidRequest(message: string): S3Error {
  return new S3Error('InvalidRequest', { message });
}

const wildcards = (text: string) => text.split('*').length - 1;

/** What S3 refuses in a well-formed configuration, with S3's messages. */
export function assertValidCorsConfiguration(configuration: BucketCorsConfiguration): void {
  if (configuration.rules.length === 0) throw new S3Error('MalformedXML');
  if (configuration.rules.length > MAX_CORS_RULES) {
    throw invalidRequest(`The number of CORS rules should not exceed allowed limit of ${MAX_CORS_RULES} rules.`);
  }
  for (const rule of configuration.rules) {
    if (rule.allowedMethods.length === 0 || rule.allowedOrigins.length === 0) throw new S3Error('MalformedXML');
    for (const method of rule.allowedMethods) {
      if (!CORS_METHODS.has(method)) {
        throw invalidRequest(`Found unsupported HTTP method in CORS config. Unsupported method is ${method}`);
      }
    }
    for (const origin of rule.allowedOrigins) {
      if (wildcards(origin) > 1) throw invalidRequest(`AllowedOrigin "${origin}" can not have more than one wildcard.`);
    }
    for (const header of rule.allowedHeaders) {
      if (wildcards(header) > 1) throw invalidRequest(`AllowedHeader "${header}" can not have more than one wildcard.`);
    }
  }
}

/** `pattern` with at most one `*`, which stands for any run of characters (also none). */
export function wildcardMatches(pattern: string, value: string): boolean {
  const star = pattern.indexOf('*');
  if (star === -1) return pattern === value;
  const prefix = pattern.slice(0, star);
  const suffix = pattern.slice(star + 1);
  return value.length >= prefix.length + suffix.length && value.startsWith(prefix) && value.endsWith(suffix);
}

export interface CorsRequest {
  origin: string;
  /** The method of the actual request (Access-Control-Request-Method for a preflight). */
  method: string;
  /** Access-Control-Request-Headers of a preflight, lower-cased; none for an actual request. */
  headers: readonly string[];
}

/** The first rule allowing the origin, the method and every requested header; S3 uses only that one. */
export function matchCorsRule(configuration: BucketCorsConfiguration | undefined, request: CorsRequest): CorsRule | undefined {
  return configuration?.rules.find(
    (rule) =>
      rule.allowedOrigins.some((o) => wildcardMatches(o, request.origin)) &&
      rule.allowedMethods.includes(request.method) &&
      request.headers.every((h) => rule.allowedHeaders.some((a) => wildcardMatches(a.toLowerCase(), h))),
  );
}

/** Access-Control-Request-Headers as the list of header names it names, lower-cased. */
export function requestedHeaders(header: string | undefined): string[] {
  return (header ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== '');
}

/**
 * The headers S3 answers a request allowed by `rule` with. An origin allowed only through a
 * bare `*` is answered `*` without credentials; any other match echoes the origin and allows
 * credentials. A preflight also names the requested headers it allows.
 */
export function corsResponseHeaders(rule: CorsRule, request: CorsRequest, preflight: boolean): Record<string, string> {
  const specific = rule.allowedOrigins.some((o) => o !== '*' && wildcardMatches(o, request.origin));
  const headers: Record<string, string> = specific
    ? { 'Access-Control-Allow-Origin': request.origin, 'Access-Control-Allow-Credentials': 'true' }
    : { 'Access-Control-Allow-Origin': '*' };
  headers['Access-Control-Allow-Methods'] = rule.allowedMethods.join(', ');
  if (preflight && request.headers.length > 0) headers['Access-Control-Allow-Headers'] = request.headers.join(', ');
  if (rule.exposeHeaders.length > 0) headers['Access-Control-Expose-Headers'] = rule.exposeHeaders.join(', ');
  if (rule.maxAgeSeconds !== undefined) headers['Access-Control-Max-Age'] = String(rule.maxAgeSeconds);
  headers['Vary'] = 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method';
  return headers;
}

/** Two configurations are the same when their canonical JSON is (rules are ordered). */
export function sameCorsConfiguration(a: BucketCorsConfiguration | undefined, b: BucketCorsConfiguration | null): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b);
}
