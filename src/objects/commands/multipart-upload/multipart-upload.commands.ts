import type { WriteCondition } from '../../../bucket-stream/object.decider.js';
import { Command } from '@nestjs/cqrs';
import type { Readable } from 'node:stream';
import type { Principal } from '../../../event-log/principal.js';
import type { ObjectTag } from '../../../bucket-stream/object-tags.js';
import type { VerifiedChecksum } from '../../../integrity/checksums.js';
import type { RequestedObjectAcl } from '../../../bucket-stream/object-acl.js';
import type { VersionLock } from '../../../bucket-stream/object-lock.js';
import type { UploadChecksum } from '../../../bucket-stream/multipart-checksum.js';
import type { CompleteMultipartUpload } from '../../../bucket-stream/multipart.decider.js';
import type { PartChecksum } from '../../../bucket-stream/multipart.events.js';
import type { ChecksumAlgorithmName, ContentHeaders, ObjectChecksum, UserMetadataEntry } from '../../../bucket-stream/object.events.js';

/** `initiatedAt`: what lifecycle rules date an abort from (x-amz-abort-date). */
export class CreateMultipartUploadCommand extends Command<{ uploadId: string; initiatedAt: Date }> {
  constructor(
    readonly bucket: string,
    readonly key: string,
    readonly contentType: string,
    readonly userMetadata: UserMetadataEntry[],
    readonly principal: Principal,
    /** From `x-amz-tagging`, validated; the completed object gets them. */
    readonly tags?: ObjectTag[],
    /** From x-amz-checksum-algorithm / -type, already checked. */
    readonly checksum?: UploadChecksum,
    /** From the x-amz-object-lock-* headers, validated: the completed version's own lock. */
    readonly lock?: VersionLock,
    /** From x-amz-acl or the x-amz-grant-* headers, validated: the completed version's ACL. */
    readonly acl?: RequestedObjectAcl,
    /** Cache-Control, Content-Disposition, …, validated: the completed object's. */
    readonly contentHeaders: ContentHeaders = {},
  ) {
    super();
  }
}

export class UploadPartCommand extends Command<{ etag: string; checksum?: PartChecksum }> {
  constructor(
    readonly bucket: string,
    readonly key: string,
    readonly uploadId: string,
    readonly partNumber: number,
    /** The decoded payload (aws-chunked framing and checksums already handled). */
    readonly body: Readable,
    /** Its length as declared; undefined when it was sent chunked, without Content-Length. */
    readonly size: number | undefined,
    readonly principal: Principal,
    /** The part's x-amz-checksum-*: the declared algorithm now, the verified value once `body` ended. */
    readonly checksum?: { algorithm: ChecksumAlgorithmName | undefined; verified: () => VerifiedChecksum | undefined },
    /** The request carried Content-MD5 or an x-amz-checksum-*, which S3 requires of a part of a locked upload. */
    readonly integrityChecked?: boolean,
  ) {
    super();
  }
}

export class CompleteMultipartUploadCommand extends Command<{ etag: string; versionId?: string; checksum?: ObjectChecksum }> {
  constructor(
    readonly bucket: string,
    readonly key: string,
    readonly uploadId: string,
    readonly parts: CompleteMultipartUpload['data']['parts'],
    readonly principal: Principal,
    readonly condition?: WriteCondition,
    /** The request's x-amz-checksum-type and x-amz-checksum-<algorithm> headers, if any. */
    readonly checksumHeaders?: Pick<CompleteMultipartUpload['data'], 'checksumType' | 'expectedChecksum'>,
  ) {
    super();
  }
}

export class AbortMultipartUploadCommand extends Command<void> {
  constructor(
    readonly bucket: string,
    readonly key: string,
    readonly uploadId: string,
    readonly principal: Principal,
  ) {
    super();
  }
}

/** UploadPartCopy: the part's bytes are read from an existing object (a range of it). */
export class UploadPartCopyCommand extends Command<{ etag: string; lastModified: Date; checksum?: PartChecksum }> {
  constructor(
    readonly bucket: string,
    readonly key: string,
    readonly uploadId: string,
    readonly partNumber: number,
    readonly source: { bucket: string; key: string; versionId?: string | undefined },
    /** x-amz-copy-source-if-* headers, checked against the source as read. */
    readonly sourceConditions: Readonly<Record<string, string | string[] | undefined>>,
    /** x-amz-copy-source-range as sent, if any. */
    readonly range: string | undefined,
    readonly principal: Principal,
  ) {
    super();
  }
}
