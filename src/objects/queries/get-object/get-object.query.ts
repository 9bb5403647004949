import { Query } from '@nestjs/cqrs';
import type { ObjectDocument } from '../../../metadata/metadata.documents.js';

/**
 * Resolves an object's metadata: the key's current version, or the version `versionId` names.
 * Throws NoSuchBucket / NoSuchKey / NoSuchVersion, or MethodNotAllowed for a delete marker's id.
 */
export class GetObjectQuery extends Query<ObjectDocument> {
  constructor(
    readonly bucket: string,
    readonly key: string,
    readonly versionId?: string,
  ) {
    super();
  }
}
