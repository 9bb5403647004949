import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server } from 'node:http';

/**
 * How long an idle keep-alive connection stays open: a minute, not Node's 5 s. A client that
 * reuses a pooled connection just as the server closes it gets ECONNRESET, which SDKs survive
 * only if they retry; load balancers in front of S3-compatible stores keep idle connections
 * about as long.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 61_000;

export function keepIdleConnectionsOpen(server: Server): void {
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  // Node's own check that headers do not arrive slower than this must not cut a reused
  // connection's next request shorter than its idle time.
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1000;
}

/**
 * `server.close()` closes the connections idle at that moment and then waits for every other one
 * to close by itself: one busy at the close would stay open for the whole keep-alive time once
 * its response is sent. From the start of the shutdown until the server has closed, this closes
 * each connection as soon as it is idle, so no request in flight is cut and the shutdown does
 * not wait a minute.
 */
@Injectable()
export class ConnectionDrain implements BeforeApplicationShutdown {
  static readonly POLL_MS = 50;

  constructor(private readonly host: HttpAdapterHost) {}

  beforeApplicationShutdown(): void {
    const server = this.host.httpAdapter?.getHttpServer() as Server | undefined;
    if (!server?.listening) return;
    const timer = setInterval(() => server.closeIdleConnections(), ConnectionDrain.POLL_MS);
    timer.unref();
    server.once('close', () => clearInterval(timer));
  }
}
