import { S3Error } from '../errors/s3.error.js';
import { samePublicAccessBlock, type ObjectOwnership, type PublicAccessBlock } from './bucket-access-controls.js';
import type { BucketStreamState } from './bucket-stream.state.js';
import type { BucketOwnershipControlsConfigured, BucketPublicAccessBlockConfigured } from './bucket.events.js';

/** PutPublicAccessBlock (its four settings) or DeletePublicAccessBlock (null). */
export type ConfigurePublicAccessBlock = {
  type: 'ConfigurePublicAccessBlock';
  data: { bucket: string; publicAccessBlock: PublicAccessBlock | null };
  metadata: { now: Date };
};

/** PutBucketOwnershipControls (its rule) or DeleteBucketOwnershipControls (null). */
export type ConfigureOwnershipControls = {
  type: 'ConfigureOwnershipControls';
  data: { bucket: string; objectOwnership: ObjectOwnership | null };
  metadata: { now: Date };
};

export type BucketAccessCommand = ConfigurePublicAccessBlock | ConfigureOwnershipControls;

/**
 * Decides a bucket's public access block and ownership controls; pure. Putting what is in
 * force, or deleting what is absent, records nothing.
 */
export function decideBucketAccess(
  command: BucketAccessCommand,
  state: BucketStreamState,
): Array<BucketPublicAccessBlockConfigured | BucketOwnershipControlsConfigured> {
  const { bucket } = command.data;
  if (state.bucket === null) {
    throw new S3Error('NoSuchBucket', { resource: `/${bucket}`, details: { BucketName: bucket } });
  }
  const { bucketId } = state.bucket;
  const configuredAt = command.metadata.now.toISOString();
  if (command.type === 'ConfigurePublicAccessBlock') {
    const { publicAccessBlock } = command.data;
    if (samePublicAccessBlock(state.bucket.publicAccessBlock, publicAccessBlock)) return [];
    return [{ type: 'BucketPublicAccessBlockConfigured', data: { bucket, bucketId, publicAccessBlock, configuredAt } }];
  }
  const { objectOwnership } = command.data;
  if ((state.bucket.objectOwnership ?? null) === objectOwnership) return [];
  return [{ type: 'BucketOwnershipControlsConfigured', data: { bucket, bucketId, objectOwnership, configuredAt } }];
}
