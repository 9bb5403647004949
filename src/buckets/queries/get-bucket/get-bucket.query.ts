import { Query } from '@nestjs/cqrs';
import type { BucketDocument } from '../../../metadata/metadata.documents.js';

/** Resolves the bucket or throws NoSuchBucket. */
export class GetBucketQuery extends Query<BucketDocument> {
  constructor(readonly bucket: string) {
    super();
  }
}
