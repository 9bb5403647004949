import { Query } from '@nestjs/cqrs';
import type { UploadDocument } from '../../../metadata/metadata.documents.js';
import type { ListUploadsPage, ListUploadsParams } from './list-uploads.paginator.js';

/**
 * One page of a bucket's uploads in progress, in S3's order (key, then initiation time), after
 * (keyMarker, uploadIdMarker), grouped by delimiter; throws NoSuchBucket.
 */
export class ListUploadsQuery extends Query<ListUploadsPage<UploadDocument>> {
  constructor(
    readonly bucket: string,
    readonly params: ListUploadsParams,
  ) {
    super();
  }
}
