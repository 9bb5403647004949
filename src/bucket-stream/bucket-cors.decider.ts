import { S3Error } from '../errors/s3.error.js';
import type { BucketStreamState } from './bucket-stream.state.js';
import type { BucketCorsConfigured } from './bucket.events.js';
import { assertValidCorsConfiguration, sameCorsConfiguration, type BucketCorsConfiguration } from './cors-configuration.js';

/** PutBucketCors (a configuration) or DeleteBucketCors (null). */
export type ConfigureBucketCors = {
  type: 'ConfigureBucketCors';
  data: { bucket: string; configuration: BucketCorsConfiguration | null };
  metadata: { now: Date };
};

/** Decides the bucket's CORS configuration; pure. A configuration already in force records nothing. */
export function decideBucketCors(command: ConfigureBucketCors, state: BucketStreamState): BucketCorsConfigured[] {
  const { bucket, configuration } = command.data;
  if (state.bucket === null) {
    throw new S3Error('NoSuchBucket', { resource: `/${bucket}`, details: { BucketName: bucket } });
  }
  if (configuration !== null) assertValidCorsConfiguration(configuration);
  if (sameCorsConfiguration(state.bucket.cors, configuration)) return [];
  return [
    {
      type: 'BucketCorsConfigured',
      data: { bucket, bucketId: state.bucket.bucketId, configuration, configuredAt: command.metadata.now.toISOString() },
    },
  ];
}
