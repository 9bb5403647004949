import { CreateBucketCommand, ListObjectsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { startSediment, type SedimentUnderTest } from '../support/sediment-under-test.js';

/** ListObjects (v1), which s3cmd and older SDKs use: pages by Marker / NextMarker. */
describe('ListObjects (v1)', () => {
  let sediment: SedimentUnderTest;
  const bucket = 'listing-v1';
  const keys = ['a.txt', 'photos/2024/1.jpg', 'photos/2024/2.jpg', 'photos/cat.jpg', 'videos/1.mp4', 'z.txt', 'é.txt', '😀.txt'];

  beforeAll(async () => {
    sediment = await startSediment();
    await sediment.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    for (const key of keys) await sediment.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
  });

  afterAll(async () => {
    sediment.s3.destroy();
    await sediment.stop();
  });

  it('lists every key in UTF-8 order with its owner', async () => {
    const res = await sediment.s3.send(new ListObjectsCommand({ Bucket: bucket }));
    expect(res.Contents?.map((c) => c.Key)).toEqual([...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
    expect(res.IsTruncated).toBe(false);
    expect(res.Marker).toBe('');
    expect(res.Contents?.[0]?.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
    expect(res.Contents?.[0]?.ETag).toMatch(/^"[0-9a-f]{32}"$/);
  });

  it('pages with a delimiter by NextMarker, listing each common prefix once', async () => {
    const seen: string[] = [];
    let marker: string | undefined;
    for (let page = 0; page < 20; page++) {
      const res = await sediment.s3.send(new ListObjectsCommand({ Bucket: bucket, Delimiter: '/', MaxKeys: 2, Marker: marker }));
      seen.push(...(res.Contents ?? []).map((c) => c.Key!), ...(res.CommonPrefixes ?? []).map((p) => p.Prefix!));
      if (!res.IsTruncated) break;
      expect(res.NextMarker).toBeDefined();
      marker = res.NextMarker;
    }
    // Within a page S3 lists Contents before CommonPrefixes; across pages nothing repeats.
    const utf8 = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
    expect(seen).toHaveLength(6);
    expect([...seen].sort(utf8)).toEqual(['a.txt', 'photos/', 'videos/', 'z.txt', 'é.txt', '😀.txt']);
  });

  it('percent-encodes keys, common prefixes, Marker and NextMarker alike with encoding-type=url, a space as %20', async () => {
    // s3-tests' test_bucket_list_encoding_basic, then paged by NextMarker.
    const encoded = 'listing-v1-encoding';
    await sediment.s3.send(new CreateBucketCommand({ Bucket: encoded }));
    for (const key of ['foo+1/bar', 'foo/bar/xyzzy', 'quux ab/thud', 'asdf+b']) await sediment.s3.send(new PutObjectCommand({ Bucket: encoded, Key: key, Body: key }));
    const res = await sediment.s3.send(new ListObjectsCommand({ Bucket: encoded, Delimiter: '/', EncodingType: 'url' }));
    expect(res.Delimiter).toBe('/');
    expect(res.Contents?.map((c) => c.Key)).toEqual(['asdf%2Bb']);
    expect(res.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['foo%2B1/', 'foo/', 'quux%20ab/']);
    const first = await sediment.s3.send(new ListObjectsCommand({ Bucket: encoded, Delimiter: '/', MaxKeys: 3, EncodingType: 'url' }));
    expect({ truncated: first.IsTruncated, next: first.NextMarker }).toEqual({ truncated: true, next: 'foo/' });
    const second = await sediment.s3.send(new ListObjectsCommand({ Bucket: encoded, Delimiter: '/', Marker: 'foo/', EncodingType: 'url' }));
    expect({ marker: second.Marker, prefixes: second.CommonPrefixes?.map((p) => p.Prefix) }).toEqual({ marker: 'foo/', prefixes: ['quux%20ab/'] });
    const spaced = await sediment.s3.send(new ListObjectsCommand({ Bucket: encoded, Prefix: 'quux ab/', Marker: 'quux ab/a', EncodingType: 'url' }));
    expect({ prefix: spaced.Prefix, marker: spaced.Marker, keys: spaced.Contents?.map((c) => c.Key) }).toEqual({ prefix: 'quux%20ab/', marker: 'quux%20ab/a', keys: ['quux%20ab/thud'] });
  });

  it('pages without a delimiter from the last key, with no NextMarker, as S3 does', async () => {
    const first = await sediment.s3.send(new ListObjectsCommand({ Bucket: bucket, Prefix: 'photos/', MaxKeys: 2 }));
    expect(first.Contents?.map((c) => c.Key)).toEqual(['photos/2024/1.jpg', 'photos/2024/2.jpg']);
    expect(first.IsTruncated).toBe(true);
    expect(first.NextMarker).toBeUndefined();
    const second = await sediment.s3.send(
      new ListObjectsCommand({ Bucket: bucket, Prefix: 'photos/', MaxKeys: 2, Marker: first.Contents!.at(-1)!.Key }),
    );
    expect(second.Contents?.map((c) => c.Key)).toEqual(['photos/cat.jpg']);
    expect(second.IsTruncated).toBe(false);
  });
});
