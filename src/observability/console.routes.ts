import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the web console lives on the admin listener; its S3 calls go under `/_console/s3/`. */
export const CONSOLE_PATH = '/_console';
export const CONSOLE_S3_PATH = `${CONSOLE_PATH}/s3`;

/**
 * The bundle `npm run build` writes (scripts/build-console.mjs): `<root>/dist/console/`. Both
 * src/observability/ and dist/observability/ sit one floor under the root, so the path holds
 * whether this file runs compiled or under the tests.
 */
export const CONSOLE_BUNDLE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'console');

const FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/app.css': { file: 'app.css', type: 'text/css; charset=utf-8' },
};

/**
 * Nothing but the bundle runs on the console's page, nothing frames it, and no presigned URL
 * leaks through a Referer.
 */
const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

export interface ConsoleSettings {
  /** The region requests are signed for (SEDIMENT_REGION). */
  region: string;
  bundleDir?: string;
}

/**
 * The web console on the admin listener (ADR 0029). It serves the static bundle, and hands each
 * request under `/_console/s3/` to the S3 port's own request handler in this process, the prefix
 * taken off the path and nothing else changed: the browser signed `Host` (the admin listener's)
 * and the path without the prefix, which is exactly what the S3 guard then sees, and the
 * socket's address stays the browser's, so `aws:SourceIp` holds as on the S3 port.
 */
export class ConsoleRoutes {
  private s3Server: Server | null = null;
  private readonly bundleDir: string;

  constructor(private readonly settings: ConsoleSettings) {
    this.bundleDir = settings.bundleDir ?? CONSOLE_BUNDLE_DIR;
  }

  /** The S3 port's HTTP server, once the application has made it. */
  attachS3(server: Server): void {
    this.s3Server = server;
  }

  /** True when the request was the console's (answered or handed on). */
  async route(req: IncomingMessage, res: ServerResponse, expectsContinue = false): Promise<boolean> {
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const path = queryAt === -1 ? url : url.slice(0, queryAt);
    if (path === CONSOLE_S3_PATH || path.startsWith(`${CONSOLE_S3_PATH}/`)) {
      if (!this.s3Server) {
        plain(res, req, 503, 'the S3 port is not up yet\n');
        return true;
      }
      req.url = (path.slice(CONSOLE_S3_PATH.length) || '/') + (queryAt === -1 ? '' : url.slice(queryAt));
      this.s3Server.emit(expectsContinue ? 'checkContinue' : 'request', req, res);
      return true;
    }
    if (path === CONSOLE_PATH) {
      res.statusCode = 308;
      res.setHeader('Location', `${CONSOLE_PATH}/`);
      res.end();
      return true;
    }
    if (!path.startsWith(`${CONSOLE_PATH}/`)) return false;
    if (expectsContinue) res.writeContinue();
    return this.serveStatic(req, res, path.slice(CONSOLE_PATH.length));
  }

  private async serveStatic(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      plain(res, req, 405, 'method not allowed\n');
      return true;
    }
    if (path === '/config.json') {
      const body = `${JSON.stringify(this.clientConfig())}\n`;
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
      res.setHeader('Content-Type', 'application/json');
      res.setHeader('Content-Length', Buffer.byteLength(body));
      res.end(req.method === 'HEAD' ? undefined : body);
      return true;
    }
    const entry = FILES[path];
    if (!entry) {
      plain(res, req, 404, 'not found\n');
      return true;
    }
    const file = join(this.bundleDir, entry.file);
    const size = await stat(file).then(
      (s) => s.size,
      () => null,
    );
    if (size === null) {
      plain(res, req, 503, 'the web console is not built: run `npm run build`\n');
      return true;
    }
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    res.setHeader('Content-Type', entry.type);
    res.setHeader('Content-Length', size);
    if (req.method === 'HEAD') {
      res.end();
      return true;
    }
    const stream = createReadStream(file);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
    return true;
  }

  /**
   * What the page needs to know: the region to sign for, and where the S3 port listens, for
   * share links that work without the console (null host: it listens on every address, so the
   * page uses the host it was opened on).
   */
  private clientConfig(): { region: string; s3Port: number | null; s3Host: string | null } {
    const address = this.s3Server?.address() as AddressInfo | null | undefined;
    if (!address) return { region: this.settings.region, s3Port: null, s3Host: null };
    const wildcard = address.address === '0.0.0.0' || address.address === '::';
    return { region: this.settings.region, s3Port: address.port, s3Host: wildcard ? null : address.address };
  }
}

function plain(res: ServerResponse, req: IncomingMessage, status: number, body: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(req.method === 'HEAD' ? undefined : body);
}
