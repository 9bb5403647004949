import { S3Error } from '../errors/s3.error.js';
import type { BucketStreamState } from './bucket-stream.state.js';
import type { BucketLifecycleConfigured } from './bucket.events.js';
import { assertValidLifecycleConfiguration, sameLifecycleConfiguration, type BucketLifecycleConfiguration } from './lifecycle-configuration.js';

/** PutBucketLifecycleConfiguration (a configuration) or DeleteBucketLifecycle (null). */
export type ConfigureBucketLifecycle = {
  type: 'ConfigureBucketLifecycle';
  data: { bucket: string; configuration: BucketLifecycleConfiguration | null };
  metadata: { now: Date };
};

/**
 * Decides the bucket's lifecycle configuration; pure. The configuration in force again, or
 * deleting none, records nothing.
 */
export function decideBucketLifecycle(command: ConfigureBucketLifecycle, state: BucketStreamState): BucketLifecycleConfigured[] {
  const { bucket, configuration } = command.data;
  if (state.bucket === null) {
    throw new S3Error('NoSuchBucket', { resource: `/${bucket}`, details: { BucketName: bucket } });
  }
  if (configuration !== null) assertValidLifecycleConfiguration(configuration);
  if (sameLifecycleConfiguration(state.bucket.lifecycle, configuration)) return [];
  return [
    {
      type: 'BucketLifecycleConfigured',
      data: { bucket, bucketId: state.bucket.bucketId, configuration, configuredAt: command.metadata.now.toISOString() },
    },
  ];
}
