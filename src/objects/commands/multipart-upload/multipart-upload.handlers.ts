import { newVersionId } from '../../../bucket-stream/object-version.js';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { BlobStore, type StoredBlob } from '../../../blobs/blob-store.port.js';
import { readBlobSequence } from '../../../blobs/multipart-blob.reader.js';
import type { Principal } from '../../../event-log/principal.js';
import { MetadataStore } from '../../../metadata/metadata.store.port.js';
import { S3Error } from '../../../errors/s3.error.js';
import { parseCopySourceRange } from './copy-source-range.js';
import { loadCopySource } from '../copy-object/copy-source.loader.js';
import { BucketStreamWriter, type WriteOutcome } from '../../../write-model/bucket-stream.writer.js';
import {
  assertPartNumber,
  decideCompletion,
  decideMultipart,
  MAX_PART_SIZE,
  type CompleteMultipartUpload,
  type CompletionDecision,
  type MultipartCommand,
} from '../../../bucket-stream/multipart.decider.js';
import { timeOrderedUploadId } from '../../../bucket-stream/upload-id.js';
import { recordBlobWrite } from '../blob-recording.js';
import { computeChecksum } from '../../../integrity/checksum-computer.js';
import { partChecksumToCompute } from '../../../bucket-stream/multipart-checksum.js';
import type { PartChecksum } from '../../../bucket-stream/multipart.events.js';
import type { ChecksumAlgorithmName, ObjectChecksum } from '../../../bucket-stream/object.events.js';
import { contentHeadersOf } from '../../../bucket-stream/content-headers.js';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  UploadPartCommand,
  UploadPartCopyCommand,
} from './multipart-upload.commands.js';

/** Decides one multipart command under the bucket's writer, with the upload it names loaded. */
function decide(
  writer: BucketStreamWriter,
  principal: Principal,
  now: Date,
  command: MultipartCommand,
): Promise<WriteOutcome> {
  const { bucket, key, uploadId } = command.data;
  return writer.execute({ bucket, key, uploadId, principal, now, decide: (state) => decideMultipart(command, state) });
}

/** Records a part whose blob is durable; a refused or failed part's blob is not left behind (recordBlobWrite). */
async function recordPart(
  writer: BucketStreamWriter,
  blobs: BlobStore,
  metadata: MetadataStore,
  c: { bucket: string; key: string; uploadId: string; partNumber: number; principal: Principal; integrityChecked?: boolean },
  blob: StoredBlob,
  checksum?: PartChecksum,
): Promise<{ etag: string; lastModified: Date }> {
  const etag = `"${blob.md5Hex}"`;
  const now = new Date();
  const command: MultipartCommand = {
    type: 'UploadPart',
    data: {
      bucket: c.bucket,
      key: c.key,
      uploadId: c.uploadId,
      partNumber: c.partNumber,
      objectId: blob.blobId,
      size: blob.size,
      etag,
      ...(checksum ? { checksum } : {}),
      ...(c.integrityChecked !== undefined ? { integrityChecked: c.integrityChecked } : {}),
    },
    metadata: { now },
  };
  await recordBlobWrite(writer, blobs, metadata, blob, {
    bucket: c.bucket,
    key: c.key,
    uploadId: c.uploadId,
    principal: c.principal,
    now,
    decide: (state) => decideMultipart(command, state),
  });
  return { etag, lastModified: now };
}

function noSuchUpload(bucket: string, key: string, uploadId: string): S3Error {
  return new S3Error('NoSuchUpload', { resource: `/${bucket}/${key}`, details: { UploadId: uploadId } });
}

@CommandHandler(CreateMultipartUploadCommand)
export class CreateMultipartUploadHandler implements ICommandHandler<CreateMultipartUploadCommand> {
  constructor(private readonly writer: BucketStreamWriter) {}

  async execute(c: CreateMultipartUploadCommand): Promise<{ uploadId: string; initiatedAt: Date }> {
    const now = new Date();
    const uploadId = timeOrderedUploadId(now);
    const result = await decide(this.writer, c.principal, now, {
      type: 'CreateMultipartUpload',
      data: {
        bucket: c.bucket,
        key: c.key,
        uploadId,
        contentType: c.contentType,
        userMetadata: c.userMetadata,
        owner: c.principal.canonicalId,
        ownerDisplayName: c.principal.displayName,
        ...(c.tags && c.tags.length > 0 ? { tags: c.tags } : {}),
        ...c.checksum,
        ...contentHeadersOf(c.contentHeaders),
      },
      ...(c.lock ? { lock: c.lock } : {}),
      ...(c.acl ? { acl: c.acl } : {}),
      metadata: { now },
    });
    if (result.outcome === 'rejected') throw result.error;
    return { uploadId, initiatedAt: now };
  }
}

/** Payload first, fact second, as PutObject: the part's blob is durable before its event. */
@CommandHandler(UploadPartCommand)
export class UploadPartHandler implements ICommandHandler<UploadPartCommand> {
  constructor(
    private readonly writer: BucketStreamWriter,
    @Inject(BlobStore) private readonly blobs: BlobStore,
    @Inject(MetadataStore) private readonly metadata: MetadataStore,
  ) {}

  async execute(c: UploadPartCommand): Promise<{ etag: string; checksum?: PartChecksum }> {
    const toCompute = await this.checkBeforeStreaming(c).catch((error: unknown) => {
      // Answered before the body was read: let it flow through its verifying stages to nowhere, so
      // the client can finish sending and read the error on a connection that survives.
      c.body.resume();
      throw error;
    });
    const computing = toCompute ? computeChecksum(c.body, toCompute) : undefined;
    const blob = await this.blobs.write(computing?.stream ?? c.body, { expectedSize: c.size, maxSize: MAX_PART_SIZE });
    const checksum = computing ? computing.computed() : c.checksum?.verified();
    const { etag } = await recordPart(this.writer, this.blobs, this.metadata, c, blob, checksum);
    return { etag, ...(checksum ? { checksum } : {}) };
  }

  /**
   * Fails fast before streaming a part nobody can complete (the decision is still the authority);
   * returns the checksum to compute: a FULL_OBJECT upload's is combined from every part's.
   */
  private async checkBeforeStreaming(c: UploadPartCommand): Promise<ChecksumAlgorithmName | undefined> {
    assertPartNumber(c.partNumber);
    const upload = await this.metadata.getUpload(c.uploadId);
    if (!upload || upload.bucket !== c.bucket || upload.key !== c.key) throw noSuchUpload(c.bucket, c.key, c.uploadId);
    return partChecksumToCompute(upload, c.checksum?.algorithm);
  }
}

/**
 * A part is new data (a range of the source becomes a blob of its own, so completing the upload
 * stays metadata-only): the source's bytes are streamed into a new part blob, then recorded
 * exactly like UploadPart. Multipart sources are read across their part blobs.
 */
@CommandHandler(UploadPartCopyCommand)
export class UploadPartCopyHandler implements ICommandHandler<UploadPartCopyCommand> {
  constructor(
    private readonly writer: BucketStreamWriter,
    @Inject(BlobStore) private readonly blobs: BlobStore,
    @Inject(MetadataStore) private readonly metadata: MetadataStore,
  ) {}

  async execute(c: UploadPartCopyCommand): Promise<{ etag: string; lastModified: Date; checksum?: PartChecksum }> {
    assertPartNumber(c.partNumber);
    const upload = await this.metadata.getUpload(c.uploadId);
    if (!upload || upload.bucket !== c.bucket || upload.key !== c.key) throw noSuchUpload(c.bucket, c.key, c.uploadId);
    const source = await loadCopySource(this.metadata, c.source, c.sourceConditions);
    const range = parseCopySourceRange(c.range, source.size);
    const length = range ? range.end - range.start + 1 : source.size;
    if (length > MAX_PART_SIZE) {
      throw new S3Error('InvalidRequest', {
        message: `The specified copy source is larger than the maximum allowable size for a copy source: ${MAX_PART_SIZE}`,
      });
    }
    const body = source.parts ? readBlobSequence(this.blobs, source.parts, range) : this.blobs.read(source.objectId, range);
    // An upload that names a checksum algorithm needs every part's checksum: S3 computes a
    // copied part's itself, as the bytes pass.
    const computing = upload.checksumAlgorithm ? computeChecksum(body, upload.checksumAlgorithm) : undefined;
    let blob: StoredBlob;
    try {
      blob = await this.blobs.write(computing?.stream ?? body, { expectedSize: length, maxSize: MAX_PART_SIZE });
    } finally {
      body.destroy();
    }
    const checksum = computing?.computed();
    const recorded = await recordPart(this.writer, this.blobs, this.metadata, c, blob, checksum);
    return { ...recorded, ...(checksum ? { checksum } : {}) };
  }
}

/**
 * O(parts) metadata work: the object becomes a manifest of the part blobs, nothing is copied. The
 * same request sent again is answered from the record of the completion, recording nothing.
 */
@CommandHandler(CompleteMultipartUploadCommand)
export class CompleteMultipartUploadHandler implements ICommandHandler<CompleteMultipartUploadCommand> {
  constructor(private readonly writer: BucketStreamWriter) {}

  async execute(c: CompleteMultipartUploadCommand): Promise<{ etag: string; versionId?: string; checksum?: ObjectChecksum }> {
    const now = new Date();
    const command: CompleteMultipartUpload = {
      type: 'CompleteMultipartUpload',
      data: { bucket: c.bucket, key: c.key, uploadId: c.uploadId, objectId: randomUUID(), parts: c.parts, ...c.checksumHeaders },
      ...(c.condition ? { condition: c.condition } : {}),
      metadata: { now, newVersionId: newVersionId() },
    };
    let decision: CompletionDecision | undefined;
    const result = await this.writer.execute({
      bucket: c.bucket,
      key: c.key,
      uploadId: c.uploadId,
      principal: c.principal,
      now,
      decide: (state) => {
        decision = decideCompletion(command, state);
        return decision.outcome === 'completed' ? decision.events : [];
      },
    });
    if (result.outcome === 'rejected') throw result.error;
    const answer = decision!.outcome === 'completed' ? decision!.event.data : decision!.completion;
    return {
      etag: answer.etag,
      ...(answer.versionId !== undefined ? { versionId: answer.versionId } : {}),
      ...(answer.checksum ? { checksum: answer.checksum } : {}),
    };
  }
}

@CommandHandler(AbortMultipartUploadCommand)
export class AbortMultipartUploadHandler implements ICommandHandler<AbortMultipartUploadCommand> {
  constructor(private readonly writer: BucketStreamWriter) {}

  async execute(c: AbortMultipartUploadCommand): Promise<void> {
    const now = new Date();
    const result = await decide(this.writer, c.principal, now, {
      type: 'AbortMultipartUpload',
      data: { bucket: c.bucket, key: c.key, uploadId: c.uploadId },
      metadata: { now },
    });
    if (result.outcome === 'rejected') throw result.error;
  }
}

export const MULTIPART_UPLOAD_HANDLERS = [
  CreateMultipartUploadHandler,
  UploadPartHandler,
  UploadPartCopyHandler,
  CompleteMultipartUploadHandler,
  AbortMultipartUploadHandler,
];
