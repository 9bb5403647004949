import { inMemoryBucketStream, ALICE } from '../../../../test/support/in-memory-bucket-stream.js';
import { ConfigureBucketVersioningCommand } from '../../../buckets/commands/configure-bucket-versioning/configure-bucket-versioning.command.js';
import { ConfigureBucketVersioningHandler } from '../../../buckets/commands/configure-bucket-versioning/configure-bucket-versioning.handler.js';
import { CreateBucketCommand } from '../../../buckets/commands/create-bucket/create-bucket.command.js';
import { CreateBucketHandler } from '../../../buckets/commands/create-bucket/create-bucket.handler.js';
import type { VersionDocument } from '../../../metadata/metadata.documents.js';
import { DeleteObjectCommand } from '../../commands/delete-object/delete-object.command.js';
import { DeleteObjectHandler } from '../../commands/delete-object/delete-object.handler.js';
import { ListObjectVersionsHandler } from './list-object-versions.handler.js';
import type { ListObjectVersionsPage, ListObjectVersionsParams } from './list-object-versions.paginator.js';
import { ListObjectVersionsQuery } from './list-object-versions.query.js';

const A1 = 'a'.repeat(32);
const A2 = 'b'.repeat(32);
const B1 = 'c'.repeat(32);

/**
 * Versioned bucket `docs`: a.txt has A1 then A2, photos/b.jpg has B1 then a delete marker
 * (`marker`); and a `list` that runs the handler under test.
 */
async function withVersions() {
  const stream = await inMemoryBucketStream();
  await new CreateBucketHandler(stream.writer).execute(new CreateBucketCommand('docs', 'us-east-1', ALICE));
  await new ConfigureBucketVersioningHandler(stream.writer).execute(new ConfigureBucketVersioningCommand('docs', 'Enabled', ALICE));
  await stream.putObject('docs', 'a.txt', 'o-1', A1);
  await stream.putObject('docs', 'a.txt', 'o-2', A2);
  await stream.putObject('docs', 'photos/b.jpg', 'o-3', B1);
  const { versionId: marker } = await new DeleteObjectHandler(stream.writer).execute(new DeleteObjectCommand('docs', 'photos/b.jpg', ALICE));
  const handler = new ListObjectVersionsHandler(stream.store);
  const list = (params: Partial<ListObjectVersionsParams> = {}, bucket = 'docs') =>
    handler.execute(new ListObjectVersionsQuery(bucket, { prefix: '', maxKeys: 1000, ...params }));
  return { ...stream, list, marker: marker! };
}

/** Each entry as [key, versionId, isLatest, isDeleteMarker], or the common prefix. */
function summary(page: ListObjectVersionsPage<VersionDocument>) {
  return page.entries.map((e) => (e.kind === 'prefix' ? e.prefix : [e.version.key, e.version.versionId, e.isLatest, e.version.isDeleteMarker === true]));
}

describe('ListObjectVersionsHandler', () => {
  it('lists every version of every key, newest first, the newest marked latest, delete markers included', async () => {
    const { list, marker } = await withVersions();
    const page = await list();
    expect(summary(page)).toEqual([
      ['a.txt', A2, true, false],
      ['a.txt', A1, false, false],
      ['photos/b.jpg', marker, true, true],
      ['photos/b.jpg', B1, false, false],
    ]);
    expect(page.isTruncated).toBe(false);
    const [newest] = page.entries;
    expect(newest?.kind === 'version' && newest.version).toMatchObject({ objectId: 'o-2', etag: '"e"', size: 1 });
  });

  it('groups keys by the delimiter and keeps to the prefix', async () => {
    const { list, marker } = await withVersions();
    expect(summary(await list({ delimiter: '/' }))).toEqual([['a.txt', A2, true, false], ['a.txt', A1, false, false], 'photos/']);
    expect(summary(await list({ prefix: 'photos/' }))).toEqual([
      ['photos/b.jpg', marker, true, true],
      ['photos/b.jpg', B1, false, false],
    ]);
  });

  it('pages by max-keys, resuming inside a key at the version after the markers', async () => {
    const { list, marker } = await withVersions();
    const first = await list({ maxKeys: 3 });
    expect(first).toMatchObject({ isTruncated: true, nextKeyMarker: 'photos/b.jpg', nextVersionIdMarker: marker });
    const rest = await list({ maxKeys: 3, keyMarker: first.nextKeyMarker!, versionIdMarker: first.nextVersionIdMarker! });
    expect(summary(rest)).toEqual([['photos/b.jpg', B1, false, false]]);
    expect(rest.isTruncated).toBe(false);
    expect(summary(await list({ keyMarker: 'a.txt' }))).toEqual([
      ['photos/b.jpg', marker, true, true],
      ['photos/b.jpg', B1, false, false],
    ]);
  });

  it('refuses a version-id marker without a key marker, or malformed, with InvalidArgument', async () => {
    const { list } = await withVersions();
    await expect(list({ versionIdMarker: A1 })).rejects.toMatchObject({
      code: 'InvalidArgument',
      message: 'A version-id marker cannot be specified without a key marker.',
      details: { ArgumentName: 'version-id-marker', ArgumentValue: A1 },
    });
    await expect(list({ keyMarker: 'a.txt', versionIdMarker: 'short' })).rejects.toMatchObject({
      code: 'InvalidArgument',
      message: 'Invalid version id specified',
      details: { ArgumentName: 'version-id-marker', ArgumentValue: 'short' },
    });
    await expect(list({ versionIdMarker: 'null' })).rejects.toMatchObject({ code: 'InvalidArgument', message: 'A version-id marker cannot be specified without a key marker.' });
  });

  it('resumes after a marker version a cleanup tool has just deleted: from the newest version the key has left', async () => {
    const { list, marker, writer } = await withVersions();
    const first = await list({ maxKeys: 1 });
    expect(first).toMatchObject({ isTruncated: true, nextKeyMarker: 'a.txt', nextVersionIdMarker: A2 });
    // The tool deletes the page before asking for the next one.
    await new DeleteObjectHandler(writer).execute(new DeleteObjectCommand('docs', 'a.txt', ALICE, A2));
    const next = await list({ maxKeys: 1, keyMarker: 'a.txt', versionIdMarker: A2 });
    // A1 is the key's newest version now, so the latest.
    expect(summary(next)).toEqual([['a.txt', A1, true, false]]);
    expect(next).toMatchObject({ isTruncated: true, nextKeyMarker: 'a.txt', nextVersionIdMarker: A1 });
    await new DeleteObjectHandler(writer).execute(new DeleteObjectCommand('docs', 'a.txt', ALICE, A1));
    // The key has no version left: the listing goes on with the next key.
    expect(summary(await list({ keyMarker: 'a.txt', versionIdMarker: A1 }))).toEqual([
      ['photos/b.jpg', marker, true, true],
      ['photos/b.jpg', B1, false, false],
    ]);
    // A well-formed id that never named a version of the key resumes the same way.
    expect(summary(await list({ keyMarker: 'photos/b.jpg', versionIdMarker: A2 }))).toEqual([
      ['photos/b.jpg', marker, true, true],
      ['photos/b.jpg', B1, false, false],
    ]);
  });

  it('resumes after the null version wherever it sits among the key\'s versions, and after it once it is gone', async () => {
    const stream = await inMemoryBucketStream();
    await new CreateBucketHandler(stream.writer).execute(new CreateBucketCommand('mixed', 'us-east-1', ALICE));
    const versioning = (status: 'Enabled' | 'Suspended') =>
      new ConfigureBucketVersioningHandler(stream.writer).execute(new ConfigureBucketVersioningCommand('mixed', status, ALICE));
    await stream.putObject('mixed', 'k', 'o-0'); // before versioning: the null version
    await stream.putObject('mixed', 'plain', 'o-p');
    await versioning('Enabled');
    await stream.putObject('mixed', 'k', 'o-1', A1);
    await versioning('Suspended');
    await stream.putObject('mixed', 'k', 'o-2', 'null'); // replaces the first null version, newest now
    await versioning('Enabled');
    await stream.putObject('mixed', 'k', 'o-3', A2);
    const handler = new ListObjectVersionsHandler(stream.store);
    const list = (params: Partial<ListObjectVersionsParams>) => handler.execute(new ListObjectVersionsQuery('mixed', { prefix: '', maxKeys: 1000, ...params }));
    expect(summary(await list({}))).toEqual([
      ['k', A2, true, false],
      ['k', 'null', false, false],
      ['k', A1, false, false],
      ['plain', 'null', true, false],
    ]);
    expect(summary(await list({ keyMarker: 'k', versionIdMarker: 'null' }))).toEqual([
      ['k', A1, false, false],
      ['plain', 'null', true, false],
    ]);
    expect(summary(await list({ keyMarker: 'plain', versionIdMarker: 'null' }))).toEqual([]);
    await new DeleteObjectHandler(stream.writer).execute(new DeleteObjectCommand('mixed', 'k', ALICE, A2));
    await new DeleteObjectHandler(stream.writer).execute(new DeleteObjectCommand('mixed', 'k', ALICE, 'null'));
    expect(summary(await list({ keyMarker: 'k', versionIdMarker: 'null' }))).toEqual([
      ['k', A1, true, false],
      ['plain', 'null', true, false],
    ]);
  });

  it('answers NoSuchBucket for a bucket that does not exist', async () => {
    const { list } = await withVersions();
    await expect(list({}, 'missing')).rejects.toMatchObject({ code: 'NoSuchBucket', details: { BucketName: 'missing' } });
  });
});
