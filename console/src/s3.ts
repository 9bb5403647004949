import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client, S3ServiceException } from '@aws-sdk/client-s3';

/** What the admin listener says about this Sediment (GET /_console/config.json). */
export interface ConsoleConfig {
  region: string;
  s3Port: number | null;
  s3Host: string | null;
}

/**
 * A signed-in tab: the credentials live in these clients only, in memory, until the tab closes
 * or signs out. Nothing is written to storage of any kind.
 */
export interface Session {
  accessKeyId: string;
  /** Signs for this page's origin; its requests go to the admin listener's S3 path. */
  s3: S3Client;
  /** Signs for the S3 port itself: share links that work without the console. */
  share: S3Client;
  /** The IAM Query API, served on the same endpoint as S3 (signed for `iam` in us-east-1). */
  iam: IAMClient;
}

/** Where the admin listener hands requests to the S3 port's handler (ADR 0029). */
export const S3_PROXY_PATH = '/_console/s3';

interface HttpRequestLike {
  path: string;
}

export function createSession(config: ConsoleConfig, accessKeyId: string, secretAccessKey: string): Session {
  const credentials = { accessKeyId, secretAccessKey };
  const common = {
    region: config.region,
    forcePathStyle: true,
    credentials,
    // Checksums only where S3 requires one (DeleteObjects): computing CRCs of every part in the
    // page would slow uploads for nothing the payload hash does not already give.
    requestChecksumCalculation: 'WHEN_REQUIRED' as const,
    responseChecksumValidation: 'WHEN_REQUIRED' as const,
  };
  const s3 = throughConsolePath(new S3Client({ ...common, endpoint: location.origin }));
  const share = new S3Client({ ...common, endpoint: s3Endpoint(config) });
  const iam = throughConsolePath(new IAMClient({ region: 'us-east-1', endpoint: location.origin, credentials }));
  return { accessKeyId, s3, share, iam };
}

/**
 * After signing (the deserialize step runs last), the client's requests go to the same host under
 * the console's S3 path; the admin listener takes the prefix off again, so the S3 guard checks the
 * very host and path that were signed.
 */
function throughConsolePath<C extends S3Client | IAMClient>(client: C): C {
  (client.middlewareStack as S3Client['middlewareStack']).add(
    (next) => (args) => {
      const request = args.request as HttpRequestLike;
      return next({ ...args, request: { ...request, path: `${S3_PROXY_PATH}${request.path}` } });
    },
    { step: 'deserialize', priority: 'low', name: 'consoleS3Path' },
  );
  return client;
}

/** The S3 port as this browser reaches it. */
export function s3Endpoint(config: ConsoleConfig): string {
  const host = config.s3Host ?? location.hostname;
  const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `${location.protocol}//${bracketed}:${config.s3Port ?? location.port}`;
}

/** A URL presigned for this origin, made to go through the console's S3 path. */
export function throughConsole(presigned: string): string {
  return presigned.startsWith(location.origin) ? `${location.origin}${S3_PROXY_PATH}${presigned.slice(location.origin.length)}` : presigned;
}

/** The API's own words: its error code and message, as the CLI would print them. */
export function describeError(error: unknown): string {
  if (error instanceof S3ServiceException || (error instanceof Error && '$metadata' in error)) {
    const code = errorCode(error);
    const status = (error as S3ServiceException).$metadata?.httpStatusCode;
    const message = error.message && error.message !== code && error.message !== error.name ? `: ${error.message}` : '';
    return `${code}${message}${status ? ` (HTTP ${status})` : ''}`;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * The error code the service sent (`MalformedPolicyDocument`), which the SDK keeps as `Code`; its
 * `name` is the SDK's class name (`MalformedPolicyDocumentException`) where it has one.
 */
export function errorCode(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { Code?: unknown }).Code;
  return typeof code === 'string' && code !== '' ? code : error.name;
}

export function formatBytes(n: number | undefined): string {
  if (n === undefined) return '';
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function formatDate(date: Date | undefined): string {
  return date ? date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC') : '';
}
