import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { BlobStore } from '../../../blobs/blob-store.port.js';
import { MetadataStore } from '../../../metadata/metadata.store.port.js';
import { S3Error } from '../../../errors/s3.error.js';
import { BucketStreamWriter } from '../../../write-model/bucket-stream.writer.js';
import { assertWriteCondition, decideObject } from '../../../bucket-stream/object.decider.js';
import { newVersionId } from '../../../bucket-stream/object-version.js';
import type { ObjectStored } from '../../../bucket-stream/object.events.js';
import type { ObjectChecksum } from '../../../bucket-stream/object.events.js';
import { contentHeadersOf } from '../../../bucket-stream/content-headers.js';
import type { BucketLifecycleConfiguration } from '../../../bucket-stream/lifecycle-configuration.js';
import { recordBlobWrite } from '../blob-recording.js';
import { PutObjectCommand, type PutObjectResult } from './put-object.command.js';
import { RecentBuckets } from './recent-buckets.js';

/** S3's single-PUT limit. */
export const MAX_PUT_SIZE = 5 * 1024 ** 3;

/**
 * Payload first, fact second: the blob is durable before its ObjectStored event is appended,
 * so no event ever points at bytes that may not exist. A refused or failed command deletes the
 * blob, or hands it to the janitor when its event may have been appended (recordBlobWrite).
 */
@CommandHandler(PutObjectCommand)
export class PutObjectHandler implements ICommandHandler<PutObjectCommand> {
  private readonly recentBuckets = new RecentBuckets();

  constructor(
    private readonly writer: BucketStreamWriter,
    @Inject(BlobStore) private readonly blobs: BlobStore,
    @Inject(MetadataStore) private readonly metadata: MetadataStore,
  ) {}

  async execute(command: PutObjectCommand): Promise<PutObjectResult> {
    const { bucket, key, principal } = command;
    // Fail fast before streaming gigabytes into a bucket that is not there; the decision below
    // is still the authority (so a bucket seen a moment ago is not read again).
    if (!this.recentBuckets.has(bucket)) {
      if (!(await this.metadata.getBucket(bucket))) {
        throw new S3Error('NoSuchBucket', { resource: `/${bucket}`, details: { BucketName: bucket } });
      }
      this.recentBuckets.add(bucket);
    }
    if (command.condition) {
      const current = await this.metadata.getObject(bucket, key);
      assertWriteCondition(command.condition, current ?? undefined, bucket, key);
    }
    const blob = await this.blobs.write(command.body, { expectedSize: command.size, maxSize: MAX_PUT_SIZE });
    const etag = `"${blob.md5Hex}"`;
    const verified = command.checksum?.();
    const checksum: ObjectChecksum | undefined = verified && { ...verified, type: 'FULL_OBJECT' };
    const now = new Date();
    let lifecycle: BucketLifecycleConfiguration | undefined;
    const result = await recordBlobWrite(this.writer, this.blobs, this.metadata, blob, {
      bucket,
      key,
      principal,
      now,
      decide: (state) => {
        lifecycle = state.bucket?.lifecycle;
        return decideObject(
          {
            type: 'PutObject',
            data: {
              bucket,
              key,
              objectId: blob.blobId,
              size: blob.size,
              etag,
              contentType: command.contentType,
              userMetadata: command.userMetadata,
              owner: principal.canonicalId,
              ownerDisplayName: principal.displayName,
              ...(command.tags && command.tags.length > 0 ? { tags: command.tags } : {}),
              ...(checksum ? { checksum } : {}),
              ...contentHeadersOf(command.contentHeaders),
            },
            ...(command.lock ? { lock: command.lock } : {}),
            ...(command.acl ? { acl: command.acl } : {}),
            integrityChecked: command.integrityChecked,
            condition: command.condition,
            metadata: { now, newVersionId: newVersionId() },
          },
          state,
        );
      },
    });
    const stored = result.envelopes.find((e) => e.type === 'ObjectStored')?.data as ObjectStored['data'] | undefined;
    return {
      etag,
      objectId: blob.blobId,
      ...(stored?.versionId !== undefined ? { versionId: stored.versionId } : {}),
      ...(checksum ? { checksum } : {}),
      storedAt: now,
      size: blob.size,
      ...(lifecycle ? { lifecycle } : {}),
    };
  }
}
