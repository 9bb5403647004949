import { Query } from '@nestjs/cqrs';
import type { UploadDocument } from '../../../metadata/metadata.documents.js';

/** Resolves a multipart upload in progress of this bucket and key, or throws NoSuchBucket / NoSuchUpload. */
export class GetUploadQuery extends Query<UploadDocument> {
  constructor(
    readonly bucket: string,
    readonly key: string,
    readonly uploadId: string,
  ) {
    super();
  }
}
