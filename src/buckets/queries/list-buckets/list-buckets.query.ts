import { Query } from '@nestjs/cqrs';
import type { BucketDocument } from '../../../metadata/metadata.documents.js';

export class ListBucketsQuery extends Query<BucketDocument[]> {
  constructor(readonly owner: string) {
    super();
  }
}
