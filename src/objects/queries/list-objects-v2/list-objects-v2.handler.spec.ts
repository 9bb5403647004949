import { jest } from '@jest/globals';
import { inMemoryBucketStream, ALICE } from '../../../../test/support/in-memory-bucket-stream.js';
import { CreateBucketCommand } from '../../../buckets/commands/create-bucket/create-bucket.command.js';
import { CreateBucketHandler } from '../../../buckets/commands/create-bucket/create-bucket.handler.js';
import { DeleteObjectCommand } from '../../commands/delete-object/delete-object.command.js';
import { DeleteObjectHandler } from '../../commands/delete-object/delete-object.handler.js';
import { ListObjectsV2Handler } from './list-objects-v2.handler.js';
import type { ListObjectsV2Params } from './list-objects-v2.paginator.js';
import { ListObjectsV2Query } from './list-objects-v2.query.js';

const KEYS = ['a.txt', 'photos/2024/jan.jpg', 'photos/2024/feb.jpg', 'photos/cover.jpg', 'photos-old/x.jpg', 'z.txt'];

/** Bucket `docs` holding KEYS, and a `list` that runs the handler under test. */
async function withKeys() {
  const stream = await inMemoryBucketStream();
  await new CreateBucketHandler(stream.writer).execute(new CreateBucketCommand('docs', 'us-east-1', ALICE));
  for (const [i, key] of KEYS.entries()) await stream.putObject('docs', key, `o-${i}`);
  const handler = new ListObjectsV2Handler(stream.store);
  const list = (params: Partial<ListObjectsV2Params> = {}, bucket = 'docs') => handler.execute(new ListObjectsV2Query(bucket, { prefix: '', maxKeys: 1000, ...params }));
  const keysOf = (page: { contents: { key: string }[] }) => page.contents.map((o) => o.key);
  return { ...stream, list, keysOf };
}

describe('ListObjectsV2Handler', () => {
  it('lists every key under the prefix in UTF-8 order, with the fields of its object', async () => {
    const { list, keysOf } = await withKeys();
    const all = await list();
    expect(keysOf(all)).toEqual(['a.txt', 'photos-old/x.jpg', 'photos/2024/feb.jpg', 'photos/2024/jan.jpg', 'photos/cover.jpg', 'z.txt']);
    expect(all).toMatchObject({ keyCount: 6, isTruncated: false, commonPrefixes: [] });
    expect(all.contents[0]).toMatchObject({ key: 'a.txt', etag: '"e"', size: 1, owner: ALICE.canonicalId });
    expect(keysOf(await list({ prefix: 'photos/' }))).toEqual(['photos/2024/feb.jpg', 'photos/2024/jan.jpg', 'photos/cover.jpg']);
  });

  it('groups keys by the / delimiter into common prefixes, one level at a time, from the listing tree', async () => {
    const { list, keysOf, store } = await withKeys();
    const level = jest.spyOn(store, 'listLevel');
    const top = await list({ delimiter: '/' });
    expect([keysOf(top), top.commonPrefixes, top.keyCount]).toEqual([['a.txt', 'z.txt'], ['photos-old/', 'photos/'], 4]);
    const photos = await list({ prefix: 'photos/', delimiter: '/' });
    expect([keysOf(photos), photos.commonPrefixes]).toEqual([['photos/cover.jpg'], ['photos/2024/']]);
    expect(level).toHaveBeenCalled();
  });

  it('groups by any other delimiter from the keys themselves', async () => {
    const { list, keysOf, store } = await withKeys();
    const level = jest.spyOn(store, 'listLevel');
    const page = await list({ delimiter: '-' });
    expect([keysOf(page), page.commonPrefixes]).toEqual([['a.txt', 'photos/2024/feb.jpg', 'photos/2024/jan.jpg', 'photos/cover.jpg', 'z.txt'], ['photos-']]);
    expect(level).not.toHaveBeenCalled();
  });

  it('pages by max-keys with a continuation token, a common prefix counting as one entry and never repeated', async () => {
    const { list, keysOf } = await withKeys();
    const first = await list({ delimiter: '/', maxKeys: 2 });
    expect([keysOf(first), first.commonPrefixes, first.isTruncated]).toEqual([['a.txt'], ['photos-old/'], true]);
    const second = await list({ delimiter: '/', maxKeys: 2, continuationToken: first.nextContinuationToken! });
    expect([keysOf(second), second.commonPrefixes, second.isTruncated]).toEqual([['z.txt'], ['photos/'], false]);
    expect(second.nextContinuationToken).toBeUndefined();
    expect(keysOf(await list({ startAfter: 'photos/2024/jan.jpg' }))).toEqual(['photos/cover.jpg', 'z.txt']);
  });

  it('leaves out a key once it is deleted', async () => {
    const { list, keysOf, writer } = await withKeys();
    await new DeleteObjectHandler(writer).execute(new DeleteObjectCommand('docs', 'a.txt', ALICE));
    expect(keysOf(await list({ delimiter: '/' }))).toEqual(['z.txt']);
  });

  it('answers NoSuchBucket for a bucket that does not exist', async () => {
    const { list } = await withKeys();
    await expect(list({}, 'missing')).rejects.toMatchObject({ code: 'NoSuchBucket', details: { BucketName: 'missing' } });
  });
});
