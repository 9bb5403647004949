import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { UploadDocument } from '../../../metadata/metadata.documents.js';
import { MetadataStore } from '../../../metadata/metadata.store.port.js';
import { S3Error } from '../../../errors/s3.error.js';
import { GetUploadQuery } from './get-upload.query.js';

@QueryHandler(GetUploadQuery)
export class GetUploadHandler implements IQueryHandler<GetUploadQuery> {
  constructor(@Inject(MetadataStore) private readonly metadata: MetadataStore) {}

  async execute({ bucket, key, uploadId }: GetUploadQuery): Promise<UploadDocument> {
    const upload = await this.metadata.getUpload(uploadId);
    if (upload && upload.bucket === bucket && upload.key === key) return upload;
    if (!(await this.metadata.getBucket(bucket))) {
      throw new S3Error('NoSuchBucket', { resource: `/${bucket}`, details: { BucketName: bucket } });
    }
    throw new S3Error('NoSuchUpload', { resource: `/${bucket}/${key}`, details: { UploadId: uploadId } });
  }
}
