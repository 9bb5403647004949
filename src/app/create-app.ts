import { randomBytes } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Response } from 'express';
import type { SedimentConfig } from '../config/sediment.config.js';
import { AdminServer } from '../observability/admin.server.js';
import { recordS3Requests, S3RequestMetrics } from '../observability/s3-request.metrics.js';
import { continueWhenBodyIsRead } from '../s3/http/expect-continue.js';
import type { S3HttpRequest } from '../s3/http/s3-request.js';
import { AppModule } from './app.module.js';
import { keepIdleConnectionsOpen } from './keep-alive.js';
import { OpenedResources } from './opened-resources.js';

/** Builds the HTTP application; used by main.ts and by the e2e tests. */
export async function createSedimentApp(config: SedimentConfig): Promise<NestExpressApplication> {
  const opened = new OpenedResources();
  let app: NestExpressApplication;
  try {
    app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, opened), {
      // Payloads are streamed by the operations themselves; nothing may buffer them.
      bodyParser: false,
      // Boot failures are thrown to the caller (main.ts prints them and exits), not exit()ed here.
      abortOnError: false,
      logger: logLevels(config.SEDIMENT_LOG_LEVEL),
    });
  } catch (error) {
    await opened.closeAll();
    throw error;
  }
  app.set('etag', false);
  app.set('x-powered-by', false);
  app.set('query parser', false);
  app.use((req: S3HttpRequest, res: Response, next: NextFunction) => {
    const requestId = randomBytes(8).toString('hex').toUpperCase();
    req.sediment = { requestId, bodyIdleTimeoutMs: config.SEDIMENT_BODY_IDLE_TIMEOUT_MS };
    res.setHeader('x-amz-request-id', requestId);
    res.setHeader('x-amz-id-2', randomBytes(24).toString('base64'));
    res.setHeader('Server', 'Sediment');
    next();
  });
  // Counted once per request, on the S3 port only; served by the admin listener.
  app.use(recordS3Requests(app.get(S3RequestMetrics)));
  keepIdleConnectionsOpen(app.getHttpServer());
  continueWhenBodyIsRead(app.getHttpServer());
  // The web console's S3 calls, made on the admin listener, are served by this same handler.
  app.get(AdminServer).attachS3(app.getHttpServer());
  app.enableShutdownHooks();
  return app;
}

function logLevels(level: SedimentConfig['SEDIMENT_LOG_LEVEL']) {
  const all = ['error', 'warn', 'log', 'debug'] as const;
  return all.slice(0, all.indexOf(level) + 1) as ('error' | 'warn' | 'log' | 'debug')[];
}
