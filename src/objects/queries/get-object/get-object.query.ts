import { Query } from '@nestjs/cqrs';
import type { ObjectDocument } from '../../../metadata/metadata.documents.js';

/** Resolves the object's current metadata or throws NoSuchBucket / NoSuchKey. */
export class GetObjectQuery extends Query<ObjectDocument> {
  constructor(
    readonly bucket: string,
    readonly key: string,
  ) {
    super();
  }
}
