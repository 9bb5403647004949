import { Logger } from '@nestjs/common';
import type { BlobStore, StoredBlob } from '../../blobs/blob-store.port.js';
import { UnstorableEventError } from '../../event-log/storable.js';
import type { MetadataStore } from '../../metadata/metadata.store.port.js';
import type { BucketStreamWriter, WriteOutcome, WriteRequest } from '../../write-model/bucket-stream.writer.js';

const logger = new Logger('BlobRecording');

/**
 * Records the fact that references a durable blob, and makes sure no failure leaves the blob
 * behind unaccounted for (payload first, fact second: ADR 0001).
 * - Refused by the decider, or failed before any event could be appended (loading the state,
 *   deciding, or an event the read model could not store): the blob is deleted now.
 * - Failed once events may have been appended (the append itself, or the wait for the
 *   projection): the blob may be referenced, so it is handed to the janitor, which deletes it
 *   after the grace period unless an object or an upload references it by then.
 * A refusal is thrown as the decider's error; the outcome returned is always 'recorded'.
 */
export async function recordBlobWrite(
  writer: BucketStreamWriter,
  blobs: BlobStore,
  metadata: MetadataStore,
  blob: StoredBlob,
  request: WriteRequest,
): Promise<Extract<WriteOutcome, { outcome: 'recorded' }>> {
  let mayHaveAppended = false;
  let result: WriteOutcome;
  try {
    result = await writer.execute({
      ...request,
      decide: (state) => {
        const events = request.decide(state);
        mayHaveAppended = events.length > 0;
        return events;
      },
    });
  } catch (error) {
    if (!mayHaveAppended || error instanceof UnstorableEventError) await deleteQuietly(blobs, blob.blobId);
    else await suspect(metadata, blob.blobId, request);
    throw error;
  }
  if (result.outcome === 'rejected') {
    await deleteQuietly(blobs, blob.blobId);
    throw result.error;
  }
  return result;
}

/** The request's own error is what the client must see; a failed clean-up is only logged. */
async function deleteQuietly(blobs: BlobStore, blobId: string): Promise<void> {
  await blobs.delete(blobId).catch((error: unknown) => logger.warn(`could not delete unrecorded blob ${blobId}: ${(error as Error).message}`));
}

async function suspect(metadata: MetadataStore, blobId: string, request: WriteRequest): Promise<void> {
  await metadata
    .suspectBlob(blobId, request.bucket, request.key ?? '', request.now)
    .catch((error: unknown) => logger.warn(`could not hand blob ${blobId} to the janitor, it stays on disk: ${(error as Error).message}`));
}
