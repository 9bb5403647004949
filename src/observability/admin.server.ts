import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { PROMETHEUS_CONTENT_TYPE, renderMetrics } from './prometheus-text.js';
import { ConsoleRoutes } from './console.routes.js';
import type { S3RequestMetrics } from './s3-request.metrics.js';
import { healthReport, reportProjection, serviceFamilies, type ObservedProjection } from './service-report.js';
import type { ServiceProbe } from './service.probe.js';

/**
 * The admin listener: `GET /metrics` (Prometheus) and `GET /health` (JSON) on a port of their
 * own, so no bucket name can shadow them and the S3 port carries only S3. It listens from early
 * in the boot, so /health already answers (degraded) while the projections catch up. It also
 * serves the web console under `/_console/` (ConsoleRoutes, ADR 0029).
 */
export class AdminServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Admin');
  private readonly server: Server;
  private booted = false;
  private closing: Promise<void> | null = null;

  constructor(
    private readonly probe: ServiceProbe,
    private readonly projections: readonly ObservedProjection[],
    private readonly requests: S3RequestMetrics,
    private readonly host: string,
    private readonly port: number,
    private readonly consoleRoutes: ConsoleRoutes = new ConsoleRoutes({ region: 'us-east-1' }),
  ) {
    const serve = (req: IncomingMessage, res: ServerResponse, expectsContinue: boolean) => {
      this.handle(req, res, expectsContinue).catch((error: unknown) => {
        this.logger.error(`${req.method} ${req.url} failed: ${error instanceof Error ? error.stack : String(error)}`);
        if (!res.headersSent) send(res, req, 500, 'text/plain; charset=utf-8', 'internal error\n');
        else res.destroy();
      });
    };
    this.server = createServer((req, res) => serve(req, res, false));
    // An S3 upload through the console answers `100 Continue` as the S3 port does: once authorised.
    this.server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => serve(req, res, true));
    this.server.keepAliveTimeout = 5000;
  }

  /** Gives the console the S3 port's server, whose handler serves the console's S3 calls. */
  attachS3(server: Server): void {
    this.consoleRoutes.attachS3(server);
    // A console upload is an S3 request like any other: no whole-request deadline of its own
    // beyond the S3 port's.
    this.server.requestTimeout = server.requestTimeout;
    this.server.headersTimeout = server.headersTimeout;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const refuse = (error: Error) =>
        reject(new Error(`the admin listener cannot listen on ${this.host}:${this.port} (SEDIMENT_ADMIN_HOST / SEDIMENT_ADMIN_PORT): ${error.message}`));
      this.server.once('error', refuse);
      this.server.listen(this.port, this.host, () => {
        this.server.off('error', refuse);
        resolve();
      });
    });
    this.logger.log(`metrics and health on ${this.url}, the web console on ${this.url}/_console/`);
  }

  /** Where the listener is, e.g. `http://127.0.0.1:9464` (the actual port when configured as 0). */
  get url(): string {
    const address = this.server.address() as AddressInfo | null;
    if (!address) throw new Error('the admin listener is not listening');
    const host = address.address.includes(':') ? `[${address.address}]` : address.address;
    return `http://${host}:${address.port}`;
  }

  onApplicationBootstrap(): void {
    this.booted = true;
  }

  onApplicationShutdown(): Promise<void> {
    return this.close();
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      if (!this.server.listening) return resolve();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    return this.closing;
  }

  async metrics(): Promise<string> {
    const snapshot = await this.probe.snapshot({ replays: true });
    const projections = this.projections.map((p) => reportProjection(p, snapshot.endOffsets));
    return renderMetrics([...serviceFamilies(snapshot, projections), ...this.requests.families()]);
  }

  async health(): Promise<ReturnType<typeof healthReport>> {
    const snapshot = await this.probe.snapshot({ replays: false });
    const projections = this.projections.map((p) => reportProjection(p, snapshot.endOffsets));
    return healthReport(snapshot, projections, this.booted);
  }

  private async handle(req: IncomingMessage, res: ServerResponse, expectsContinue: boolean): Promise<void> {
    if (await this.consoleRoutes.route(req, res, expectsContinue)) return;
    if (expectsContinue) res.writeContinue();
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics' && path !== '/health') {
      return send(res, req, 404, 'text/plain; charset=utf-8', 'not found: the admin listener serves GET /metrics, GET /health and the web console at /_console/\n');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return send(res, req, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
    }
    if (path === '/metrics') return send(res, req, 200, PROMETHEUS_CONTENT_TYPE, await this.metrics());
    const { httpStatus, body } = await this.health();
    return send(res, req, httpStatus, 'application/json', `${JSON.stringify(body)}\n`);
  }
}

function send(res: ServerResponse, req: IncomingMessage, status: number, contentType: string, body: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', contentType);
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(req.method === 'HEAD' ? undefined : body);
}
