import type { WriteCondition } from '../../domain/object.decider.js';
import { Command } from '@nestjs/cqrs';
import type { Readable } from 'node:stream';
import type { Principal } from '../../../event-log/principal.js';
import type { ObjectTag } from '../../domain/object-tags.js';
import type { UserMetadataEntry } from '../../domain/object.events.js';

export class CreateMultipartUploadCommand extends Command<{ uploadId: string }> {
  constructor(
    readonly bucket: string,
    readonly key: string,
    readonly contentType: string,
    readonly userMetadata: UserMetadataEntry[],
    readonly principal: Principal,
    /** From `x-amz-tagging`, validated; the completed object gets them. */
    readonly tags?: ObjectTag[],
  ) {
    super();
  }
}

export class UploadPartCommand extends Command<{ etag: string }> {
  constructor(
    readonly bucket: string,
    readonly key: string,
    readonly uploadId: string,
    readonly partNumber: number,
    /** The decoded payload (aws-chunked framing and checksums already handled). */
    readonly body: Readable,
    readonly size: number,
    readonly principal: Principal,
  ) {
    super();
  }
}

export class CompleteMultipartUploadCommand extends Command<{ etag: string; versionId?: string }> {
  constructor(
    readonly bucket: string,
    readonly key: string,
    readonly uploadId: string,
    readonly parts: readonly { partNumber: number; etag: string }[],
    readonly principal: Principal,
    readonly condition?: WriteCondition,
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
export class UploadPartCopyCommand extends Command<{ etag: string; lastModified: Date }> {
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
