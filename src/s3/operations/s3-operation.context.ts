import type { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import type { BlobStore } from '../../blobs/blob-store.port.js';
import type { SedimentConfig } from '../../config/sediment.config.js';
import type { AccountRef, Principal } from '../../event-log/principal.js';
import { isWellFormedVersionId } from '../../bucket-stream/object-version.js';
import { S3Error } from '../../errors/s3.error.js';
import type { BucketLifecycleConfiguration } from '../../bucket-stream/lifecycle-configuration.js';
import { GetBucketQuery } from '../../buckets/queries/get-bucket/get-bucket.query.js';
import type { S3HttpRequest } from '../http/s3-request.js';
import { renderXmlInSlices, type XmlElement } from '../xml/xml.writer.js';

/** Everything an operation handler needs; handlers hold HTTP mapping only, no domain logic. */
export interface S3OperationContext {
  req: S3HttpRequest;
  res: Response;
  /** The bucket and key the request names, as routed (path-style or virtual-hosted). */
  route: { readonly bucket?: string; readonly key?: string };
  query: URLSearchParams;
  principal: Principal;
  commands: CommandBus;
  queries: QueryBus;
  blobs: BlobStore;
  config: SedimentConfig;
  /** The account a canonical id names (ACL grantees and owners), or undefined. */
  accounts: (canonicalId: string) => AccountRef | undefined;
}

export type S3OperationHandler = (ctx: S3OperationContext) => Promise<void>;

export function sendXml(res: Response, status: number, xml: string): void {
  res.status(status);
  res.setHeader('Content-Type', 'application/xml');
  res.setHeader('Content-Length', Buffer.byteLength(xml));
  res.end(xml);
}

/** A document that can be large (listings, DeleteResult), rendered without stalling the event loop. */
export async function sendXmlDocument(res: Response, status: number, root: XmlElement): Promise<void> {
  sendXml(res, status, await renderXmlInSlices(root));
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

/** The `versionId` query parameter, checked: AWS refuses one it could not have issued. */
export function versionIdOf(ctx: S3OperationContext): string | undefined {
  const versionId = ctx.query.get('versionId') ?? undefined;
  if (versionId !== undefined && !isWellFormedVersionId(versionId)) {
    throw new S3Error('InvalidArgument', { message: 'Invalid version id specified', details: { ArgumentName: 'versionId', ArgumentValue: versionId } });
  }
  return versionId;
}

/**
 * The bucket's lifecycle configuration, for x-amz-expiration; undefined without one. A missing
 * bucket is the object read's error to report, so it reads as none here.
 */
export function lifecycleOf(ctx: S3OperationContext): Promise<BucketLifecycleConfiguration | undefined> {
  return ctx.queries
    .execute(new GetBucketQuery(bucketOf(ctx)))
    .then((bucket) => bucket.lifecycle)
    .catch(() => undefined);
}
