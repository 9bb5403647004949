import { Query } from '@nestjs/cqrs';

/**
 * Passes when CompleteMultipartUpload can be answered for this id under this bucket and key: an
 * upload in progress, or one already completed there (a retried Complete is answered, ADR 0020).
 * Otherwise throws NoSuchBucket / NoSuchUpload. Only a fail-fast before reading the request body:
 * the decision is the authority.
 */
export class CompletableUploadQuery extends Query<void> {
  constructor(
    readonly bucket: string,
    readonly key: string,
    readonly uploadId: string,
  ) {
    super();
  }
}
