import { inMemoryBucketStream, ALICE } from '../../../../test/support/in-memory-bucket-stream.js';
import type { ObjectCopied } from '../../../bucket-stream/object.events.js';
import { ConfigureBucketVersioningCommand } from '../../../buckets/commands/configure-bucket-versioning/configure-bucket-versioning.command.js';
import { ConfigureBucketVersioningHandler } from '../../../buckets/commands/configure-bucket-versioning/configure-bucket-versioning.handler.js';
import { CreateBucketCommand } from '../../../buckets/commands/create-bucket/create-bucket.command.js';
import { CreateBucketHandler } from '../../../buckets/commands/create-bucket/create-bucket.handler.js';
import { PutObjectTaggingCommand } from '../object-tagging/object-tagging.commands.js';
import { PutObjectTaggingHandler } from '../object-tagging/object-tagging.handlers.js';
import { CopyObjectCommand, type ReplacedMetadata } from './copy-object.command.js';
import { CopyObjectHandler } from './copy-object.handler.js';

const V1 = 'a'.repeat(32);
const V2 = 'b'.repeat(32);
const TAGS = [{ key: 'stage', value: 'review' }];
const SOURCE_HEADERS = { cacheControl: 'max-age=60', contentLanguage: 'de', expires: 'Wed, 01 Dec 2094 16:00:00 GMT' };

/** Bucket `docs` holding src.txt (object o-1, tagged) and an empty bucket `archive`, versioned if asked. */
async function withSource(versioning?: 'Enabled') {
  const stream = await inMemoryBucketStream();
  for (const bucket of ['docs', 'archive']) {
    await new CreateBucketHandler(stream.writer).execute(new CreateBucketCommand(bucket, 'us-east-1', ALICE));
    if (versioning) await new ConfigureBucketVersioningHandler(stream.writer).execute(new ConfigureBucketVersioningCommand(bucket, versioning, ALICE));
  }
  await stream.putObject('docs', 'src.txt', 'o-1', V1, SOURCE_HEADERS);
  await new PutObjectTaggingHandler(stream.writer).execute(new PutObjectTaggingCommand('docs', 'src.txt', TAGS, ALICE));
  const handler = new CopyObjectHandler(stream.writer, stream.store);
  const copy = (
    to: { bucket: string; key: string },
    from: { bucket?: string; key?: string; versionId?: string; conditions?: Record<string, string>; metadata?: ReplacedMetadata; tags?: typeof TAGS; ifNoneMatch?: '*' } = {},
  ) =>
    handler.execute(
      new CopyObjectCommand(
        to.bucket,
        to.key,
        from.bucket ?? 'docs',
        from.key ?? 'src.txt',
        from.versionId,
        from.conditions ?? {},
        from.metadata,
        from.tags,
        ALICE,
        from.ifNoneMatch ? { ifNoneMatch: from.ifNoneMatch } : undefined,
      ),
    );
  const copiedEvents = () => stream.log.all().filter((r) => r.event.type === 'ObjectCopied').map((r) => r.event.data as ObjectCopied['data']);
  return { ...stream, copy, copiedEvents };
}

describe('CopyObjectHandler', () => {
  it('records ObjectCopied sharing the source blob, and the copy reads with the source metadata and tags', async () => {
    const { copy, copiedEvents, store } = await withSource();
    const result = await copy({ bucket: 'archive', key: 'dst.txt' });
    expect(result).toEqual({ etag: '"e"', lastModified: expect.any(Date) });
    expect(copiedEvents()).toEqual([
      expect.objectContaining({ bucket: 'archive', key: 'dst.txt', objectId: 'o-1', size: 1, etag: '"e"', sourceBucket: 'docs', sourceKey: 'src.txt', tags: TAGS }),
    ]);
    expect(result.lastModified.toISOString()).toBe(copiedEvents()[0]?.storedAt);
    expect(store.objects.get('archive/dst.txt')).toMatchObject({ objectId: 'o-1', etag: '"e"', contentType: 't', tags: TAGS, lastModified: result.lastModified });
    expect(store.objects.get('docs/src.txt')?.objectId).toBe('o-1');
  });

  it('uses the metadata and tags of the request under the REPLACE directives', async () => {
    const { copy, store } = await withSource();
    const metadata = { contentType: 'application/json', userMetadata: [{ name: 'team', value: 'ops' }], contentHeaders: { contentDisposition: 'attachment' } };
    await copy({ bucket: 'docs', key: 'dst.txt' }, { metadata, tags: [] });
    const copied = store.objects.get('docs/dst.txt');
    expect(copied).toMatchObject({ objectId: 'o-1', contentType: 'application/json', userMetadata: metadata.userMetadata, contentDisposition: 'attachment' });
    expect(copied?.tags).toBeUndefined();
    // REPLACE takes only what the request sent: none of the source's content headers stays.
    expect(copied).not.toHaveProperty('cacheControl');
    expect(copied).not.toHaveProperty('contentLanguage');
    expect(copied).not.toHaveProperty('expires');
  });

  it('keeps the content headers of the source under the COPY directive, on the event and in the read model', async () => {
    const { copy, copiedEvents, store } = await withSource();
    await copy({ bucket: 'archive', key: 'dst.txt' });
    expect(copiedEvents()[0]).toMatchObject(SOURCE_HEADERS);
    expect(store.objects.get('archive/dst.txt')).toMatchObject(SOURCE_HEADERS);
    expect(store.objects.get('archive/dst.txt')).not.toHaveProperty('contentDisposition');
  });

  it('answers the version it created and the source version it copied in versioned buckets', async () => {
    const { copy, copiedEvents, putObject, store } = await withSource('Enabled');
    await putObject('docs', 'src.txt', 'o-2', V2);
    const result = await copy({ bucket: 'archive', key: 'dst.txt' }, { versionId: V1 });
    expect(result.sourceVersionId).toBe(V1);
    expect(result.versionId).toBe(copiedEvents()[0]?.versionId);
    expect(result.versionId).toMatch(/^.{32}$/);
    expect(store.objects.get('archive/dst.txt')).toMatchObject({ objectId: 'o-1', versionId: result.versionId });
  });

  it('refuses to copy the current object onto itself unchanged, but restores an older version onto its key', async () => {
    const { copy, putObject, store, eventTypes } = await withSource('Enabled');
    await putObject('docs', 'src.txt', 'o-2', V2);
    await expect(copy({ bucket: 'docs', key: 'src.txt' })).rejects.toMatchObject({ code: 'InvalidRequest', message: expect.stringContaining('copy an object to itself') });
    expect(eventTypes().at(-1)).toBe('ObjectStored');
    await copy({ bucket: 'docs', key: 'src.txt' }, { versionId: V1 });
    expect(store.objects.get('docs/src.txt')?.objectId).toBe('o-1');
  });

  it('answers a missing source bucket, key or version, or a missing destination bucket, as S3 does, appending nothing', async () => {
    const { copy, eventTypes } = await withSource('Enabled');
    const before = eventTypes();
    await expect(copy({ bucket: 'archive', key: 'dst' }, { bucket: 'nope' })).rejects.toMatchObject({ code: 'NoSuchBucket', details: { BucketName: 'nope' } });
    await expect(copy({ bucket: 'archive', key: 'dst' }, { key: 'missing' })).rejects.toMatchObject({ code: 'NoSuchKey', details: { Key: 'missing' } });
    await expect(copy({ bucket: 'archive', key: 'dst' }, { versionId: 'c'.repeat(32) })).rejects.toMatchObject({ code: 'NoSuchVersion' });
    await expect(copy({ bucket: 'nope', key: 'dst' })).rejects.toMatchObject({ code: 'NoSuchBucket', details: { BucketName: 'nope' } });
    expect(eventTypes()).toEqual(before);
  });

  it('answers PreconditionFailed when a copy-source condition or the destination condition does not hold, appending nothing', async () => {
    const { copy, eventTypes } = await withSource();
    await copy({ bucket: 'archive', key: 'dst.txt' }, { conditions: { 'x-amz-copy-source-if-match': '"e"' } });
    const before = eventTypes();
    await expect(copy({ bucket: 'archive', key: 'other.txt' }, { conditions: { 'x-amz-copy-source-if-match': '"f"' } })).rejects.toMatchObject({
      code: 'PreconditionFailed',
      details: { Condition: 'x-amz-copy-source-If-Match' },
    });
    await expect(copy({ bucket: 'archive', key: 'dst.txt' }, { ifNoneMatch: '*' })).rejects.toMatchObject({ code: 'PreconditionFailed', details: { Condition: 'If-None-Match' } });
    expect(eventTypes()).toEqual(before);
  });
});
