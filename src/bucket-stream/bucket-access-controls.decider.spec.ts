import { deciderSpec } from '../../test/support/decider-spec.js';
import { decideBucketAccess, type BucketAccessCommand } from './bucket-access-controls.decider.js';
import type { ObjectOwnership, PublicAccessBlock } from './bucket-access-controls.js';
import type { BucketCreated, BucketDeleted, BucketOwnershipControlsConfigured, BucketPublicAccessBlockConfigured } from './bucket.events.js';

const now = new Date('2026-12-07T10:00:00.000Z');
const spec = deciderSpec(decideBucketAccess);

const created: BucketCreated = {
  type: 'BucketCreated',
  data: { bucket: 'site', bucketId: 'b-1', owner: 'owner-a', ownerDisplayName: 'root', region: 'us-east-1', createdAt: now.toISOString() },
};
const deleted: BucketDeleted = { type: 'BucketDeleted', data: { bucket: 'site', bucketId: 'b-1', deletedAt: now.toISOString() } };
const allBlocked: PublicAccessBlock = { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true };
const aclsOnly: PublicAccessBlock = { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: false, restrictPublicBuckets: false };

const block = (publicAccessBlock: PublicAccessBlock | null): BucketAccessCommand => ({
  type: 'ConfigurePublicAccessBlock', data: { bucket: 'site', publicAccessBlock }, metadata: { now },
});
const blocked = (publicAccessBlock: PublicAccessBlock | null): BucketPublicAccessBlockConfigured => ({
  type: 'BucketPublicAccessBlockConfigured', data: { bucket: 'site', bucketId: 'b-1', publicAccessBlock, configuredAt: now.toISOString() },
});
const own = (objectOwnership: ObjectOwnership | null): BucketAccessCommand => ({
  type: 'ConfigureOwnershipControls', data: { bucket: 'site', objectOwnership }, metadata: { now },
});
const owned = (objectOwnership: ObjectOwnership | null): BucketOwnershipControlsConfigured => ({
  type: 'BucketOwnershipControlsConfigured', data: { bucket: 'site', bucketId: 'b-1', objectOwnership, configuredAt: now.toISOString() },
});

describe('bucket access controls decider', () => {
  it('records a public access block, a change of one setting, and its removal', () => {
    spec.given(created).when(block(allBlocked)).then(blocked(allBlocked));
    spec.given(created, blocked(allBlocked)).when(block(aclsOnly)).then(blocked(aclsOnly));
    spec.given(created, blocked(aclsOnly)).when(block(null)).then(blocked(null));
  });
  it('records nothing for the block in force, or for removing none', () => {
    spec.given(created, blocked(allBlocked)).when(block({ ...allBlocked })).then();
    spec.given(created).when(block(null)).then();
    spec.given(created, blocked(aclsOnly), blocked(null)).when(block(null)).then();
  });
  it('records ownership controls, a change, and their removal; the same again records nothing', () => {
    spec.given(created).when(own('BucketOwnerEnforced')).then(owned('BucketOwnerEnforced'));
    spec.given(created, owned('BucketOwnerEnforced')).when(own('ObjectWriter')).then(owned('ObjectWriter'));
    spec.given(created, owned('BucketOwnerPreferred')).when(own(null)).then(owned(null));
    spec.given(created, owned('BucketOwnerPreferred')).when(own('BucketOwnerPreferred')).then();
    spec.given(created).when(own(null)).then();
  });
  it('refuses a missing or deleted bucket', () => {
    spec.given().when(block(allBlocked)).thenRejects('NoSuchBucket');
    spec.given(created, owned('ObjectWriter'), deleted).when(own('ObjectWriter')).thenRejects('NoSuchBucket');
  });
  it('forgets the controls of an earlier bucket of the same name', () => {
    spec.given(created, blocked(allBlocked), owned('ObjectWriter'), deleted, created).when(block(null)).then();
    spec.given(created, owned('ObjectWriter'), deleted, created).when(own('ObjectWriter')).then(owned('ObjectWriter'));
  });
});
