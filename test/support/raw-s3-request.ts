import { createHash } from 'node:crypto';
import http from 'node:http';
import { crc32 } from 'node:zlib';
import { SignatureV4 } from '@smithy/signature-v4';
import { ROOT_ACCESS_KEY_ID, ROOT_SECRET } from './sediment-under-test.js';
import { NodeSha256 } from './node-sha256.js';

/**
 * SigV4-signed HTTP requests for what the AWS SDK cannot (or will not) send: hand-built
 * aws-chunked bodies, lying x-amz-content-sha256 values, missing Content-Type, bodies cut short
 * or written by the caller, unsigned requests. Signed with @smithy/signature-v4 (the SDK's own
 * signer), sent with node:http.
 */

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export const ROOT_CREDENTIALS: Credentials = { accessKeyId: ROOT_ACCESS_KEY_ID, secretAccessKey: ROOT_SECRET };

export interface RawRequest {
  method: string;
  /** The path exactly as it goes on the wire (already percent-encoded), e.g. '/bucket/a%20b'. */
  path: string;
  /** Query parameters; an empty value is sent as the bare name (`?acl`). */
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** The x-amz-content-sha256 value to send and sign; defaults to the hex SHA-256 of the body. */
  contentSha256?: string;
  /** Signing credentials (root by default); `null` sends no Authorization header at all. */
  credentials?: Credentials | null;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}



export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Base64 of the big-endian CRC32 of `data`, as in an x-amz-checksum-crc32 header or trailer. */
export function crc32Base64(data: Buffer): string {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32(data) >>> 0);
  return out.toString('base64');
}

/** RFC 3986 encoding of one query component, as SigV4 wants it on the wire. */
function encodeQueryComponent(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** A key as a path-style URL path: every byte but unreserved characters and '/' percent-encoded. */
export function objectPath(bucket: string, key: string): string {
  return `/${bucket}/${key.split('/').map(encodeQueryComponent).join('/')}`;
}

interface PreparedRequest {
  url: URL;
  wirePath: string;
  headers: Record<string, string>;
  body: Buffer;
}

async function prepare(endpoint: string, request: RawRequest): Promise<PreparedRequest> {
  const url = new URL(endpoint);
  const body = request.body === undefined ? Buffer.alloc(0) : Buffer.from(request.body);
  const query = request.query ?? {};
  const wireQuery = Object.entries(query)
    .map(([name, value]) => (value === '' ? encodeQueryComponent(name) : `${encodeQueryComponent(name)}=${encodeQueryComponent(value)}`))
    .join('&');
  const wirePath = wireQuery === '' ? request.path : `${request.path}?${wireQuery}`;
  const given = lowerCase(request.headers ?? {});
  const headers: Record<string, string> = {
    host: url.host,
    // A body framed by Transfer-Encoding carries no Content-Length (RFC 9112 §6.2).
    ...(given['transfer-encoding'] === undefined ? { 'content-length': String(body.length) } : {}),
    ...given,
  };
  const credentials = request.credentials === undefined ? ROOT_CREDENTIALS : request.credentials;
  if (credentials === null) return { url, wirePath, headers, body };

  headers['x-amz-content-sha256'] = request.contentSha256 ?? sha256Hex(body);
  const signer = new SignatureV4({
    credentials,
    region: 'us-east-1',
    service: 's3',
    sha256: NodeSha256,
    // S3 signs the path as sent (no second round of escaping).
    uriEscapePath: false,
    applyChecksum: false,
  });
  const signed = await signer.sign({
    method: request.method,
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: request.path,
    query,
    headers,
    body,
  });
  return { url, wirePath, headers: signed.headers as Record<string, string>, body };
}

function lowerCase(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

/** An http request for a prepared one, on a fresh connection, with nothing written yet. */
function open(method: string, { url, wirePath, headers }: PreparedRequest): http.ClientRequest {
  return http.request({ hostname: url.hostname, port: url.port, method, path: wirePath, headers, agent: false });
}

/** The response to `req` once the caller has ended it: status, headers and the whole body as text. */
export function responseOf(req: http.ClientRequest): Promise<RawResponse> {
  return new Promise<RawResponse>((resolve, reject) => {
    req.on('error', reject);
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
  });
}

/** Sends a (by default root-signed) request on a fresh connection and reads the whole response. */
export async function rawS3Request(endpoint: string, request: RawRequest): Promise<RawResponse> {
  const prepared = await prepare(endpoint, request);
  const req = open(request.method, prepared);
  const response = responseOf(req);
  req.end(prepared.body);
  return response;
}

/**
 * Opens a signed request and sends nothing yet: the caller writes, ends or destroys it (and reads
 * the answer with `responseOf`). There is no body to sign or measure, so the headers must carry
 * the content-length (and `contentSha256` the payload hash, or UNSIGNED-PAYLOAD, or a STREAMING-…).
 */
export async function openRawS3Request(endpoint: string, request: Omit<RawRequest, 'body'>): Promise<http.ClientRequest> {
  return open(request.method, await prepare(endpoint, request));
}

/**
 * Sends the request's headers (Content-Length and signature covering the whole body) but only the
 * first `sentBytes` of the body, waits for `beforeClose` (e.g. until the server is visibly
 * receiving), then closes the connection. Resolves once the socket is closed.
 */
export async function rawS3RequestCutShort(
  endpoint: string,
  request: RawRequest,
  sentBytes: number,
  beforeClose: () => Promise<void>,
): Promise<void> {
  const prepared = await prepare(endpoint, request);
  const { body } = prepared;
  await new Promise<void>((resolve, reject) => {
    const req = open(request.method, prepared);
    // The server must not answer a half-sent request; if it does, that is worth seeing.
    req.on('response', (res) => reject(new Error(`unexpected response ${res.statusCode} to a truncated body`)));
    req.on('error', () => undefined); // the abort below surfaces here as ECONNRESET / socket hang up
    req.on('close', () => resolve());
    req.write(body.subarray(0, sentBytes), () => {
      beforeClose().then(
        () => req.destroy(),
        (error: unknown) => {
          req.destroy();
          reject(error);
        },
      );
    });
  });
}

export interface AwsChunkedOptions {
  /** Size of every chunk but the last. */
  chunkSize?: number;
  /** Trailer lines after the final zero-size chunk, e.g. { 'x-amz-checksum-crc32': '…' }. */
  trailers?: Record<string, string>;
}

/**
 * An aws-chunked body as STREAMING-UNSIGNED-PAYLOAD-TRAILER sends it (no chunk signatures):
 * `<hex size>\r\n<data>\r\n` per chunk, `0\r\n`, the trailer lines, and an empty line.
 */
export function awsChunkedBody(payload: Buffer, options: AwsChunkedOptions = {}): Buffer {
  const chunkSize = options.chunkSize ?? 64 * 1024;
  const parts: Buffer[] = [];
  for (let offset = 0; offset < payload.length; offset += chunkSize) {
    const chunk = payload.subarray(offset, offset + chunkSize);
    parts.push(Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from('0\r\n'));
  for (const [name, value] of Object.entries(options.trailers ?? {})) parts.push(Buffer.from(`${name}:${value}\r\n`));
  parts.push(Buffer.from('\r\n'));
  return Buffer.concat(parts);
}

/** The headers of an unsigned-payload aws-chunked PutObject carrying a CRC32 trailer. */
export function awsChunkedCrc32Headers(decodedLength: number): Record<string, string> {
  return {
    'content-encoding': 'aws-chunked',
    'x-amz-decoded-content-length': String(decodedLength),
    'x-amz-trailer': 'x-amz-checksum-crc32',
  };
}

export const STREAMING_UNSIGNED_PAYLOAD_TRAILER = 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';

/** The text of the first `<name>` element of an XML document (no entity decoding needed in tests). */
export function xmlText(xml: string, name: string): string | undefined {
  const match = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml);
  return match?.[1];
}
