import { All, Controller, Inject, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { IdentityDirectory } from '../identity-stream/identity.directory.js';
import { BlobStore } from '../blobs/blob-store.port.js';
import { SEDIMENT_CONFIG, type SedimentConfig } from '../config/sediment.config.js';
import { IamQueryApi } from './iam-query-api/iam.api.js';
import { splitUrl, type S3HttpRequest } from './http/s3-request.js';
import { isS3Operation, S3_OPERATIONS } from './operations/index.js';

/**
 * Every request enters here, after the IAM guard has authenticated it, routed it and authorised
 * the operation: S3 requests are dispatched by operation, IAM Query API calls to their API.
 */
@Controller()
export class S3Controller {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    @Inject(BlobStore) private readonly blobs: BlobStore,
    @Inject(SEDIMENT_CONFIG) private readonly config: SedimentConfig,
    private readonly iam: IamQueryApi,
    private readonly directory: IdentityDirectory,
  ) {}

  @All(['/', '{*path}'])
  async handle(@Req() req: S3HttpRequest, @Res() res: Response): Promise<void> {
    if (req.sediment.protocol === 'iam') return this.iam.handle(req, res);
    const query = new URLSearchParams(splitUrl(req.originalUrl).rawQuery);
    const route = req.sediment.route!;
    if (!isS3Operation(route.operation)) throw new Error(`the guard routed to ${route.operation}, which is not an operation`);
    await S3_OPERATIONS[route.operation].handle({
      req,
      res,
      route,
      query,
      principal: req.sediment.principal!,
      commands: this.commands,
      queries: this.queries,
      blobs: this.blobs,
      config: this.config,
      accounts: (canonicalId) => this.directory.accountByCanonicalId(canonicalId),
    });
  }
}
