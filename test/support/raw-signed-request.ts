import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import http from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import { ROOT_ACCESS_KEY_ID, ROOT_SECRET } from './sediment-under-test.js';

type SourceData = string | ArrayBuffer | ArrayBufferView;

function bytesOf(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/** node:crypto behind the Checksum interface SignatureV4 expects (hash, or HMAC with a secret). */
class NodeSha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }
  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', bytesOf(this.secret));
  }
  update(data: Uint8Array): void {
    this.hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.fresh();
  }
}

const signer = new SignatureV4({
  service: 's3',
  region: 'us-east-1',
  credentials: { accessKeyId: ROOT_ACCESS_KEY_ID, secretAccessKey: ROOT_SECRET },
  sha256: NodeSha256,
  uriEscapePath: false,
  applyChecksum: false,
});

export interface RawRequestSpec {
  method: string;
  /** `http://127.0.0.1:port` */
  url: string;
  /** Already percent-encoded path, e.g. `/bucket/key`. */
  path: string;
  /** Extra headers to sign (x-amz-content-sha256, content-length, …). */
  headers: Record<string, string>;
}

/** SigV4-signs a request with the harness's root credentials; returns the headers to send. */
export async function signedHeaders(spec: RawRequestSpec): Promise<Record<string, string>> {
  const { hostname, port, host } = new URL(spec.url);
  const signed = await signer.sign({
    method: spec.method,
    protocol: 'http:',
    hostname,
    port: Number(port),
    path: spec.path,
    query: {},
    headers: { host, ...spec.headers },
  });
  return signed.headers as Record<string, string>;
}

/** Opens a signed request without sending any body yet; the caller writes, ends or destroys it. */
export async function openSignedRequest(spec: RawRequestSpec): Promise<http.ClientRequest> {
  const headers = await signedHeaders(spec);
  const { hostname, port } = new URL(spec.url);
  return http.request({ host: hostname, port: Number(port), method: spec.method, path: spec.path, headers, agent: false });
}

/** The response to a request whose body the caller has ended: status and body text. */
export function responseOf(req: http.ClientRequest): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    req.once('error', reject);
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.once('error', reject);
      res.once('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
    });
  });
}
