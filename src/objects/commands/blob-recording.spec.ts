import type { BlobStore, StoredBlob } from '../../blobs/blob-store.port.js';
import type { BucketStreamState } from '../../bucket-stream/bucket-stream.state.js';
import { UnstorableEventError } from '../../event-log/storable.js';
import type { SedimentEvent } from '../../bucket-stream/sediment-event.js';
import { S3Error } from '../../errors/s3.error.js';
import type { BucketStreamWriter, WriteOutcome, WriteRequest } from '../../write-model/bucket-stream.writer.js';
import { InMemoryMetadataStore } from '../../../test/support/in-memory-metadata.store.js';
import { recordBlobWrite } from './blob-recording.js';

const blob: StoredBlob = { blobId: '6f1c2c3e-1111-4222-8333-444455556666', size: 3, md5Hex: 'abc' };
const now = new Date('2026-12-01T00:00:00.000Z');
const stored = { type: 'ObjectStored', data: {} } as SedimentEvent;

/** A writer that runs the decision on an empty state, then does what the case says. */
function writer(after: 'append' | 'fail-append' | 'throw-unstorable', loadFails = false): BucketStreamWriter {
  return {
    async execute(request: WriteRequest): Promise<WriteOutcome> {
      if (loadFails) throw new Error('read model unreachable');
      try {
        request.decide({} as BucketStreamState);
      } catch (error) {
        if (error instanceof S3Error) return { outcome: 'rejected', error };
        throw error;
      }
      if (after === 'throw-unstorable') throw new UnstorableEventError('ObjectStored', { path: 'data.key', reason: 'contains U+0000 (NUL)' });
      if (after === 'fail-append') throw new Error('the broker did not answer');
      return { outcome: 'recorded', envelopes: [], positions: [] };
    },
  } as unknown as BucketStreamWriter;
}

function given(run: BucketStreamWriter, decide: WriteRequest['decide']) {
  const deleted: string[] = [];
  const blobs = { delete: async (id: string) => void deleted.push(id) } as unknown as BlobStore;
  const metadata = new InMemoryMetadataStore();
  const request: WriteRequest = { bucket: 'b', key: 'k', principal: { accessKeyId: 'A', arn: 'arn' }, now, decide };
  return { deleted, metadata, attempt: () => recordBlobWrite(run, blobs, metadata, blob, request) };
}

describe('recordBlobWrite', () => {
  it('keeps the blob when its event is recorded', async () => {
    const { deleted, metadata, attempt } = given(writer('append'), () => [stored]);
    await expect(attempt()).resolves.toMatchObject({ outcome: 'recorded' });
    expect(deleted).toEqual([]);
    expect(metadata.releasedBlobs.size).toBe(0);
  });

  it('deletes the blob when the decider refuses, and throws its error', async () => {
    const { deleted, attempt } = given(writer('append'), () => {
      throw new S3Error('NoSuchBucket');
    });
    await expect(attempt()).rejects.toMatchObject({ code: 'NoSuchBucket' });
    expect(deleted).toEqual([blob.blobId]);
  });

  it('deletes the blob when the state cannot even be loaded (nothing was appended)', async () => {
    const { deleted, metadata, attempt } = given(writer('append', true), () => [stored]);
    await expect(attempt()).rejects.toThrow('read model unreachable');
    expect(deleted).toEqual([blob.blobId]);
    expect(metadata.releasedBlobs.size).toBe(0);
  });

  it('deletes the blob when the event was refused as unstorable before the append', async () => {
    const { deleted, attempt } = given(writer('throw-unstorable'), () => [stored]);
    await expect(attempt()).rejects.toBeInstanceOf(UnstorableEventError);
    expect(deleted).toEqual([blob.blobId]);
  });

  it('hands the blob to the janitor when its event may have been appended', async () => {
    const { deleted, metadata, attempt } = given(writer('fail-append'), () => [stored]);
    await expect(attempt()).rejects.toThrow('the broker did not answer');
    expect(deleted).toEqual([]);
    expect(metadata.releasedBlobs.get(blob.blobId)).toMatchObject({ bucket: 'b', key: 'k', releasedAt: now });
  });
});
