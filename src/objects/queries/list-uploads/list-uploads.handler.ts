import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { UploadDocument } from '../../../metadata/metadata.documents.js';
import { MetadataStore } from '../../../metadata/metadata.store.port.js';
import { S3Error } from '../../../errors/s3.error.js';
import { pageUploads, type ListUploadsPage } from './list-uploads.paginator.js';
import { ListUploadsQuery } from './list-uploads.query.js';

@QueryHandler(ListUploadsQuery)
export class ListUploadsHandler implements IQueryHandler<ListUploadsQuery> {
  constructor(@Inject(MetadataStore) private readonly metadata: MetadataStore) {}

  async execute(q: ListUploadsQuery): Promise<ListUploadsPage<UploadDocument>> {
    if (!(await this.metadata.getBucket(q.bucket))) {
      throw new S3Error('NoSuchBucket', { resource: `/${q.bucket}`, details: { BucketName: q.bucket } });
    }
    return pageUploads(await this.metadata.listUploads(q.bucket), q.params);
  }
}
