import { Query } from '@nestjs/cqrs';
import type { UploadDocument } from '../../../metadata/metadata.documents.js';

export interface ListUploadsPage {
  uploads: UploadDocument[];
  isTruncated: boolean;
}

/**
 * One page of a bucket's uploads in progress, in S3's order (key, then initiation time), after
 * (keyMarker, uploadIdMarker); throws NoSuchBucket.
 */
export class ListUploadsQuery extends Query<ListUploadsPage> {
  constructor(
    readonly bucket: string,
    readonly prefix: string,
    readonly keyMarker: string,
    readonly uploadIdMarker: string,
    readonly maxUploads: number,
  ) {
    super();
  }
}
