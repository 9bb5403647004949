import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { MetadataStore } from '../../../metadata/metadata.store.port.js';
import { S3Error } from '../../../errors/s3.error.js';
import { BucketStreamWriter } from '../../../write-model/bucket-stream.writer.js';
import { assertWriteCondition, CopySourceChanged, decideObject } from '../../../bucket-stream/object.decider.js';
import { newVersionId } from '../../../bucket-stream/object-version.js';
import type { ObjectCopied } from '../../../bucket-stream/object.events.js';
import { contentHeadersOf } from '../../../bucket-stream/content-headers.js';
import { CopyObjectCommand, type CopyObjectResult } from './copy-object.command.js';
import { loadCopySource } from './copy-source.loader.js';

const MAX_ATTEMPTS = 3;

const SELF_COPY_MESSAGE =
  "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.";

/**
 * Metadata only: objects are immutable, so the copy references the source's blob (and, for a
 * multipart source, its manifest and parts) instead of duplicating bytes. The blob janitor
 * counts those references before deleting anything.
 */
@CommandHandler(CopyObjectCommand)
export class CopyObjectHandler implements ICommandHandler<CopyObjectCommand> {
  constructor(
    private readonly writer: BucketStreamWriter,
    @Inject(MetadataStore) private readonly metadata: MetadataStore,
  ) {}

  async execute(c: CopyObjectCommand): Promise<CopyObjectResult> {
    // A same-bucket source overwritten while we copied it: read it again (its conditions too).
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.copyOnce(c);
      } catch (error) {
        if (!(error instanceof CopySourceChanged) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  private async copyOnce(c: CopyObjectCommand): Promise<CopyObjectResult> {
    const { bucket, key, principal } = c;
    const source = await loadCopySource(
      this.metadata,
      { bucket: c.sourceBucket, key: c.sourceKey, versionId: c.sourceVersionId },
      c.sourceConditions,
    );
    // Copying an older version onto its key restores it; only the current one onto itself is idle.
    if (c.sourceBucket === bucket && c.sourceKey === key && !c.replacedMetadata && c.sourceVersionId === undefined) {
      throw new S3Error('InvalidRequest', { message: SELF_COPY_MESSAGE, resource: `/${bucket}/${key}` });
    }
    if (!(await this.metadata.getBucket(bucket))) {
      throw new S3Error('NoSuchBucket', { resource: `/${bucket}`, details: { BucketName: bucket } });
    }
    if (c.condition) assertWriteCondition(c.condition, (await this.metadata.getObject(bucket, key)) ?? undefined, bucket, key);
    const tags = c.replacedTags ?? source.tags;
    const now = new Date();
    const result = await this.writer.execute({
      bucket,
      key,
      // Within one bucket the decider checks the source is still there, under the same writer.
      ...(c.sourceBucket === bucket ? { keys: [c.sourceKey], allVersions: c.sourceVersionId !== undefined } : {}),
      principal,
      now,
      decide: (state) =>
        decideObject(
          {
            type: 'CopyObject',
            data: {
              bucket,
              key,
              source: {
                bucket: source.bucket,
                key: source.key,
                objectId: source.objectId,
                size: source.size,
                etag: source.etag,
                ...(source.parts ? { parts: source.parts } : {}),
                ...(source.versionId !== undefined ? { versionId: source.versionId } : {}),
                ...(source.checksum ? { checksum: source.checksum } : {}),
              },
              contentType: c.replacedMetadata?.contentType ?? source.contentType,
              userMetadata: c.replacedMetadata?.userMetadata ?? source.userMetadata,
              ...(tags && tags.length > 0 ? { tags } : {}),
              // As the rest of the metadata: the source's (COPY), or only what the request sent (REPLACE).
              ...contentHeadersOf(c.replacedMetadata?.contentHeaders ?? source),
              owner: principal.canonicalId,
              ownerDisplayName: principal.displayName,
            },
            ...(c.condition ? { condition: c.condition } : {}),
            ...(c.lock ? { lock: c.lock } : {}),
            ...(c.acl ? { acl: c.acl } : {}),
            metadata: { now, newVersionId: newVersionId() },
          },
          state,
        ),
    });
    if (result.outcome === 'rejected') throw result.error;
    const copied = result.envelopes.find((e) => e.type === 'ObjectCopied')!.data as ObjectCopied['data'];
    return {
      etag: copied.etag,
      lastModified: new Date(copied.storedAt),
      ...(copied.versionId !== undefined ? { versionId: copied.versionId } : {}),
      ...(copied.sourceVersionId !== undefined ? { sourceVersionId: copied.sourceVersionId } : {}),
    };
  }
}
