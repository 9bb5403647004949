import { QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { GetBucketQuery } from '../../../buckets/queries/get-bucket/get-bucket.query.js';
import { IdentityDirectory } from '../../../identity-stream/identity.directory.js';
import { GetBucketAccessQuery, type BucketAccess } from './get-bucket-access.query.js';

@QueryHandler(GetBucketAccessQuery)
export class GetBucketAccessHandler implements IQueryHandler<GetBucketAccessQuery> {
  constructor(
    private readonly queries: QueryBus,
    private readonly directory: IdentityDirectory,
  ) {}

  async execute({ bucket }: GetBucketAccessQuery): Promise<BucketAccess> {
    const doc = await this.queries.execute(new GetBucketQuery(bucket));
    // Documents of an earlier bucket of the same name carry its id and no longer apply.
    const policy = this.directory.bucketPolicy(bucket);
    const acl = this.directory.bucketAcl(bucket);
    return {
      bucket: doc,
      ...(policy?.bucketId === doc.bucketId ? { policy: policy.policy } : {}),
      acl: acl?.bucketId === doc.bucketId ? acl.acl : 'private',
    };
  }
}
