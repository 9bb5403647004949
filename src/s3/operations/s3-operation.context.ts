import type { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import type { BlobStore } from '../../blobs/blob-store.port.js';
import type { SedimentConfig } from '../../config/sediment.config.js';
import type { Principal } from '../../event-log/principal.js';
import type { S3HttpRequest } from '../http/s3-request.js';
import type { RoutedRequest } from '../routing/s3.router.js';

/** Everything an operation handler needs; handlers hold HTTP mapping only, no domain logic. */
export interface S3OperationContext {
  req: S3HttpRequest;
  res: Response;
  route: RoutedRequest;
  query: URLSearchParams;
  principal: Principal;
  commands: CommandBus;
  queries: QueryBus;
  blobs: BlobStore;
  config: SedimentConfig;
}

export type S3OperationHandler = (ctx: S3OperationContext) => Promise<void>;

export function sendXml(res: Response, status: number, xml: string): void {
  res.status(status);
  res.setHeader('Content-Type', 'application/xml');
  res.setHeader('Content-Length', Buffer.byteLength(xml));
  res.end(xml);
}

export function sendEmpty(res: Response, status: number): void {
  res.status(status);
  res.end();
}

export function bucketOf(ctx: S3OperationContext): string {
  return ctx.route.bucket!;
}

export function keyOf(ctx: S3OperationContext): string {
  return ctx.route.key!;
}
