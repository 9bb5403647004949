import { All, Controller, Inject, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { BlobStore } from '../blobs/blob-store.port.js';
import { SEDIMENT_CONFIG, type SedimentConfig } from '../config/sediment.config.js';
import { splitUrl, type S3HttpRequest } from './http/s3-request.js';
import { S3_OPERATION_HANDLERS } from './operations/index.js';
import { routeS3Request } from './routing/s3.router.js';

/** Every S3 request enters here, after the IAM guard: route, then dispatch by operation. */
@Controller()
export class S3Controller {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    @Inject(BlobStore) private readonly blobs: BlobStore,
    @Inject(SEDIMENT_CONFIG) private readonly config: SedimentConfig,
  ) {}

  @All(['/', '{*path}'])
  async handle(@Req() req: S3HttpRequest, @Res() res: Response): Promise<void> {
    const { rawPath, rawQuery } = splitUrl(req.originalUrl);
    const query = new URLSearchParams(rawQuery);
    const route = routeS3Request({ method: req.method, rawPath, query });
    await S3_OPERATION_HANDLERS[route.operation]({
      req,
      res,
      route,
      query,
      principal: req.sediment.principal!,
      commands: this.commands,
      queries: this.queries,
      blobs: this.blobs,
      config: this.config,
    });
  }
}
