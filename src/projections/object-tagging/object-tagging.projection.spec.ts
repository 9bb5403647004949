import { InMemoryMetadataStore } from '../../../test/support/in-memory-metadata.store.js';
import type { BucketCorsConfigured, BucketCreated } from '../../bucket-stream/bucket.events.js';
import type { SedimentEvent } from '../../bucket-stream/sediment-event.js';
import type { MultipartUploadCompleted, MultipartUploadInitiated } from '../../bucket-stream/multipart.events.js';
import type { ObjectTag } from '../../bucket-stream/object-tags.js';
import type { ObjectStored, ObjectTaggingDeleted, ObjectTaggingPut } from '../../bucket-stream/object.events.js';
import { projectBucketMetadata } from '../bucket-metadata/bucket-metadata.projection.js';

const t = '2026-11-27T10:00:00.000Z';
const blue: ObjectTag[] = [{ key: 'colour', value: 'blue' }];
const created: BucketCreated = {
  type: 'BucketCreated',
  data: { bucket: 'docs', bucketId: 'b-1', owner: 'o', ownerDisplayName: 'root', region: 'us-east-1', createdAt: t },
};
const stored = (objectId: string, tags?: ObjectTag[]): ObjectStored => ({
  type: 'ObjectStored',
  data: {
    bucket: 'docs', bucketId: 'b-1', key: 'a.txt', objectId, size: 1, etag: '"0cc175b9c0f1b6a831c399e269772661"', contentType: 'text/plain',
    userMetadata: [], owner: 'o', ownerDisplayName: 'root', storedAt: t, storageClass: 'STANDARD', ...(tags ? { tags } : {}),
  },
});
const tagged = (objectId: string, tags: ObjectTag[]): ObjectTaggingPut => ({
  type: 'ObjectTaggingPut',
  data: { bucket: 'docs', bucketId: 'b-1', key: 'a.txt', objectId, tags, taggedAt: t },
});
const untagged = (objectId: string): ObjectTaggingDeleted => ({
  type: 'ObjectTaggingDeleted',
  data: { bucket: 'docs', bucketId: 'b-1', key: 'a.txt', objectId, deletedAt: t },
});

/** given(events at offsets 0, 1, …).then(read model); `[event, offset]` replays at an explicit offset. */
async function project(...events: (SedimentEvent | [SedimentEvent, number])[]): Promise<InMemoryMetadataStore> {
  const store = new InMemoryMetadataStore();
  let next = 0;
  for (const entry of events) {
    const [event, offset] = Array.isArray(entry) ? entry : [entry, next];
    next = offset + 1;
    for (const m of projectBucketMetadata(event, { partition: 0, offset })) await store.applyMutation(m);
  }
  return store;
}

const object = (store: InMemoryMetadataStore) => store.objects.get('docs/a.txt');

describe('object tags in the read model', () => {
  it('keeps the tags an object was stored with', async () => {
    expect(object(await project(created, stored('o-1', blue)))?.tags).toEqual(blue);
    expect(object(await project(created, stored('o-1')))).not.toHaveProperty('tags');
  });

  it('sets, replaces and removes the tags of the object they were put on, stamping the document', async () => {
    const store = await project(created, stored('o-1'), tagged('o-1', blue));
    expect(object(store)).toMatchObject({ tags: blue, offset: 2 });
    const red = [{ key: 'colour', value: 'red' }];
    expect(object(await project(created, stored('o-1'), tagged('o-1', blue), tagged('o-1', red)))?.tags).toEqual(red);
    expect(object(await project(created, stored('o-1'), tagged('o-1', blue), untagged('o-1')))).not.toHaveProperty('tags');
    expect(object(await project(created, stored('o-1'), tagged('o-1', blue), tagged('o-1', [])))).not.toHaveProperty('tags');
  });

  it('never lands a tagging fact on a newer object under the key', async () => {
    // A consumer applying a tagging of o-1 after o-2 replaced it (e.g. o-2 was projected from a later batch first).
    const store = await project(created, stored('o-1'), [stored('o-2'), 5], [tagged('o-1', blue), 3]);
    expect(object(store)).toMatchObject({ objectId: 'o-2', offset: 5 });
    expect(object(store)).not.toHaveProperty('tags');
    const later = await project(created, stored('o-1'), stored('o-2'), tagged('o-1', blue));
    expect(object(later)).not.toHaveProperty('tags');
    const untagging = await project(created, stored('o-1', blue), stored('o-2', blue), untagged('o-1'));
    expect(object(untagging)?.tags).toEqual(blue);
  });

  it('ignores a redelivered older tagging and never creates a document', async () => {
    const store = await project(created, stored('o-1'), [tagged('o-1', blue), 4], [untagged('o-1'), 3]);
    expect(object(store)?.tags).toEqual(blue);
    expect((await project(created, tagged('o-1', blue))).objects.size).toBe(0);
  });

  it('carries the tags of a multipart upload to the object it completes', async () => {
    const initiated: MultipartUploadInitiated = {
      type: 'MultipartUploadInitiated',
      data: { bucket: 'docs', bucketId: 'b-1', key: 'a.txt', uploadId: 'u-1', contentType: 'text/plain', userMetadata: [], owner: 'o', ownerDisplayName: 'root', initiatedAt: t, tags: blue },
    };
    const completed: MultipartUploadCompleted = {
      type: 'MultipartUploadCompleted',
      data: {
        bucket: 'docs', bucketId: 'b-1', key: 'a.txt', uploadId: 'u-1', objectId: 'm-1', size: 1, etag: '"0cc175b9c0f1b6a831c399e269772661-1"',
        parts: [{ partNumber: 1, objectId: 'p-1', size: 1, etag: '"0cc175b9c0f1b6a831c399e269772661"' }], contentType: 'text/plain',
        userMetadata: [], owner: 'o', ownerDisplayName: 'root', storageClass: 'STANDARD', storedAt: t, discardedObjectIds: [], tags: blue,
      },
    };
    expect((await project(created, initiated)).uploads.get('u-1')?.tags).toEqual(blue);
    expect(object(await project(created, initiated, completed))).toMatchObject({ objectId: 'm-1', tags: blue });
  });
});

describe('bucket CORS in the read model', () => {
  const cors = { rules: [{ allowedMethods: ['GET'], allowedOrigins: ['*'], allowedHeaders: [], exposeHeaders: [] }] };
  const configured = (configuration: typeof cors | null): BucketCorsConfigured => ({
    type: 'BucketCorsConfigured',
    data: { bucket: 'docs', bucketId: 'b-1', configuration, configuredAt: t },
  });

  it('sets and removes the configuration on the bucket document, stamping it', async () => {
    expect((await project(created, configured(cors))).buckets.get('docs')).toMatchObject({ cors, offset: 1 });
    const removed = (await project(created, configured(cors), configured(null))).buckets.get('docs');
    expect(removed).toMatchObject({ offset: 2 });
    expect(removed).not.toHaveProperty('cors');
  });

  it('ignores a redelivered older configuration and never creates a bucket document', async () => {
    expect((await project(created, [configured(null), 5], [configured(cors), 3])).buckets.get('docs')).not.toHaveProperty('cors');
    expect((await project(configured(cors))).buckets.size).toBe(0);
  });
});
