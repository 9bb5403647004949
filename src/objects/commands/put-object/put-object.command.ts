import { Command } from '@nestjs/cqrs';
import type { Readable } from 'node:stream';
import type { Principal } from '../../../event-log/principal.js';
import type { WriteCondition } from '../../../bucket-stream/object.decider.js';
import type { ObjectTag } from '../../../bucket-stream/object-tags.js';
import type { ContentHeaders, ObjectChecksum, UserMetadataEntry } from '../../../bucket-stream/object.events.js';
import type { VerifiedChecksum } from '../../../integrity/checksums.js';
import type { RequestedObjectAcl } from '../../../bucket-stream/object-acl.js';
import type { VersionLock } from '../../../bucket-stream/object-lock.js';
import type { BucketLifecycleConfiguration } from '../../../bucket-stream/lifecycle-configuration.js';

export interface PutObjectResult {
  etag: string;
  objectId: string;
  /** The version created, when the bucket has versioning configured. */
  versionId?: string;
  checksum?: ObjectChecksum;
  /** When it was stored (its Last-Modified), and its size: what lifecycle rules date and filter it by. */
  storedAt: Date;
  size: number;
  /**
   * The bucket's lifecycle configuration the write was decided under (x-amz-expiration), so the
   * answer needs no second read of the bucket.
   */
  lifecycle?: BucketLifecycleConfiguration;
}

export class PutObjectCommand extends Command<PutObjectResult> {
  constructor(
    readonly bucket: string,
    readonly key: string,
    /** The decoded payload (aws-chunked framing and checksums already handled). */
    readonly body: Readable,
    /** Its length as declared; undefined when it was sent chunked, without Content-Length. */
    readonly size: number | undefined,
    readonly contentType: string,
    readonly userMetadata: UserMetadataEntry[],
    readonly principal: Principal,
    readonly condition?: WriteCondition,
    /** From `x-amz-tagging`, validated. */
    readonly tags?: ObjectTag[],
    /** The payload's verified x-amz-checksum-*, readable once `body` has ended. */
    readonly checksum?: () => VerifiedChecksum | undefined,
    /** From the x-amz-object-lock-* headers, validated. */
    readonly lock?: VersionLock,
    /** The request carried Content-MD5 or an x-amz-checksum-*, which S3 requires of a locked write. */
    readonly integrityChecked = false,
    /** From x-amz-acl or the x-amz-grant-* headers, validated; absent: `private`. */
    readonly acl?: RequestedObjectAcl,
    /** Cache-Control, Content-Disposition, Content-Encoding, Content-Language, Expires: validated. */
    readonly contentHeaders: ContentHeaders = {},
  ) {
    super();
  }
}
