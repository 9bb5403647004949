import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { UploadDocument } from '../../../metadata/metadata.documents.js';
import { MetadataStore } from '../../../metadata/metadata.store.port.js';
import { S3Error } from '../../../errors/s3.error.js';
import { GetUploadQuery } from './get-upload.query.js';
import { CompletableUploadQuery } from './completable-upload.query.js';

@QueryHandler(GetUploadQuery)
export class GetUploadHandler implements IQueryHandler<GetUploadQuery> {
  constructor(@Inject(MetadataStore) private readonly metadata: MetadataStore) {}

  async execute({ bucket, key, uploadId }: GetUploadQuery): Promise<UploadDocument> {
    const upload = await this.metadata.getUpload(uploadId);
    if (upload && upload.bucket === bucket && upload.key === key) return upload;
    throw await noSuchUpload(this.metadata, bucket, key, uploadId);
  }
}

@QueryHandler(CompletableUploadQuery)
export class CompletableUploadHandler implements IQueryHandler<CompletableUploadQuery> {
  constructor(@Inject(MetadataStore) private readonly metadata: MetadataStore) {}

  async execute({ bucket, key, uploadId }: CompletableUploadQuery): Promise<void> {
    const upload = await this.metadata.getUpload(uploadId);
    if (upload && upload.bucket === bucket && upload.key === key) return;
    const completed = upload ? null : await this.metadata.getCompletedUpload(uploadId);
    if (completed && completed.bucket === bucket && completed.key === key) return;
    throw await noSuchUpload(this.metadata, bucket, key, uploadId);
  }
}

/** NoSuchBucket when the bucket is not there, else NoSuchUpload. */
async function noSuchUpload(metadata: MetadataStore, bucket: string, key: string, uploadId: string): Promise<S3Error> {
  if (!(await metadata.getBucket(bucket))) {
    return new S3Error('NoSuchBucket', { resource: `/${bucket}`, details: { BucketName: bucket } });
  }
  return new S3Error('NoSuchUpload', { resource: `/${bucket}/${key}`, details: { UploadId: uploadId } });
}
