import { Query } from '@nestjs/cqrs';
import type { BucketDocument } from '../../../metadata/metadata.documents.js';
import type { BucketAcl } from '../../../identity-stream/canned-acl.js';

export interface BucketAccess {
  bucket: BucketDocument;
  /** The bucket policy JSON exactly as it was put, if the bucket has one. */
  policy?: string;
  acl: BucketAcl;
}

/** A bucket's policy and canned ACL; NoSuchBucket if the bucket does not exist. */
export class GetBucketAccessQuery extends Query<BucketAccess> {
  constructor(readonly bucket: string) {
    super();
  }
}
