import { Command } from '@nestjs/cqrs';
import type { Principal } from '../../../event-log/principal.js';
import type { WriteCondition } from '../../../bucket-stream/object.decider.js';
import type { ObjectTag } from '../../../bucket-stream/object-tags.js';
import type { ContentHeaders, UserMetadataEntry } from '../../../bucket-stream/object.events.js';
import type { RequestedObjectAcl } from '../../../bucket-stream/object-acl.js';
import type { VersionLock } from '../../../bucket-stream/object-lock.js';

export interface CopyObjectResult {
  etag: string;
  lastModified: Date;
  /** The version the copy created, when the destination bucket has versioning configured. */
  versionId?: string;
  /** The source version copied, when the source bucket has versioning configured. */
  sourceVersionId?: string;
}

/** What this request says about the copy's metadata; used only with the REPLACE directive. */
export interface ReplacedMetadata {
  contentType: string;
  userMetadata: UserMetadataEntry[];
  /** The request's Cache-Control, Expires, …; the copy has none the request did not send. */
  contentHeaders: ContentHeaders;
}

export class CopyObjectCommand extends Command<CopyObjectResult> {
  constructor(
    readonly bucket: string,
    readonly key: string,
    readonly sourceBucket: string,
    readonly sourceKey: string,
    /** From `?versionId=` of x-amz-copy-source: copy that version instead of the current one. */
    readonly sourceVersionId: string | undefined,
    /** x-amz-copy-source-if-* headers, checked against the source as read. */
    readonly sourceConditions: Readonly<Record<string, string | string[] | undefined>>,
    /** Set with x-amz-metadata-directive: REPLACE; the source's metadata is copied otherwise. */
    readonly replacedMetadata: ReplacedMetadata | undefined,
    /** Set with x-amz-tagging-directive: REPLACE (possibly empty); the source's tags otherwise. */
    readonly replacedTags: ObjectTag[] | undefined,
    readonly principal: Principal,
    readonly condition?: WriteCondition,
    /** From the x-amz-object-lock-* headers: the copy's own lock (it never takes the source's). */
    readonly lock?: VersionLock,
    /** From x-amz-acl or the x-amz-grant-* headers (a copy never takes the source's ACL); absent: `private`. */
    readonly acl?: RequestedObjectAcl,
  ) {
    super();
  }
}
