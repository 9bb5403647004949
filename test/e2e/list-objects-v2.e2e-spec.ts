import {
  CreateBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type ListObjectsV2CommandInput,
  type ListObjectsV2CommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { runPythonClient } from '../support/python-client.js';
import { rawS3Request } from '../support/raw-s3-request.js';
import { md5Hex } from '../support/s3-api-assertions.js';
import { startSediment, type SedimentUnderTest } from '../support/sediment-under-test.js';

/** ListObjectsV2 through the real SDK: prefix, delimiter, max-keys, paging, start-after, key order. */
describe('S3 API: ListObjectsV2', () => {
  let sediment: SedimentUnderTest;
  let s3: S3Client;
  let seededFrom: number;
  let seededUntil: number;

  const TREE = [
    'docs/readme.md',
    'photos/2024/a.jpg',
    'photos/2024/b.jpg',
    'photos/2025/c.jpg',
    'photos/top.jpg',
    'photosynthesis.txt',
    'root.txt',
  ];
  const PAGE_KEYS = Array.from({ length: 60 }, (_, i) => `page/${String(i).padStart(3, '0')}`);
  /** Created out of order; UTF-8 byte order is 0 < Z < a < b < é < U+E000 < U+FFFD < 😀. */
  const UNICODE_KEYS = ['a', 'b', 'é', '\uFFFD', '😀', 'Z', '0', '\uE000'];

  async function putAll(bucket: string, keys: readonly string[], concurrency = 16): Promise<void> {
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < keys.length) {
          const key = keys[next++]!;
          await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `body of ${key}` }));
        }
      }),
    );
  }

  beforeAll(async () => {
    sediment = await startSediment();
    s3 = sediment.s3;
    for (const bucket of ['tree', 'paging', 'unicode']) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    seededFrom = Date.now();
    await Promise.all([putAll('tree', TREE, 4), putAll('paging', [...PAGE_KEYS, 'other/outside-the-prefix'], 8), putAll('unicode', UNICODE_KEYS, 4)]);
    seededUntil = Date.now();
  }, 30_000);
  afterAll(async () => {
    // Close the client's keep-alive sockets first, or stopping waits for them to time out.
    sediment.s3.destroy();
    await sediment.stop();
  }, 30_000);

  const list = (input: ListObjectsV2CommandInput) => s3.send(new ListObjectsV2Command(input));
  const keysOf = (out: ListObjectsV2CommandOutput) => (out.Contents ?? []).map((o) => o.Key);
  const prefixesOf = (out: ListObjectsV2CommandOutput) => (out.CommonPrefixes ?? []).map((p) => p.Prefix);

  /** Follows continuation tokens to the end, checking the bookkeeping of every page. */
  async function listAllPages(input: ListObjectsV2CommandInput): Promise<ListObjectsV2CommandOutput[]> {
    const pages: ListObjectsV2CommandOutput[] = [];
    let token: string | undefined;
    do {
      const page = await list({ ...input, ContinuationToken: token });
      expect(page.ContinuationToken).toBe(token);
      expect(page.KeyCount).toBe((page.Contents?.length ?? 0) + (page.CommonPrefixes?.length ?? 0));
      expect(page.KeyCount).toBeLessThanOrEqual(input.MaxKeys ?? 1000);
      if (page.IsTruncated) {
        expect(page.NextContinuationToken).toEqual(expect.any(String));
        expect(page.KeyCount).toBe(input.MaxKeys ?? 1000);
      } else {
        expect(page.NextContinuationToken).toBeUndefined();
      }
      pages.push(page);
      token = page.NextContinuationToken;
      if (pages.length > 200) throw new Error('paging does not end');
    } while (token !== undefined);
    return pages;
  }

  it('lists every key in order with its size, ETag, LastModified and storage class', async () => {
    const out = await list({ Bucket: 'tree' });
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect({ name: out.Name, prefix: out.Prefix, maxKeys: out.MaxKeys, keyCount: out.KeyCount, truncated: out.IsTruncated }).toEqual({
      name: 'tree',
      prefix: '',
      maxKeys: 1000,
      keyCount: TREE.length,
      truncated: false,
    });
    expect(out.NextContinuationToken).toBeUndefined();
    expect(out.CommonPrefixes).toBeUndefined();
    expect(keysOf(out)).toEqual(TREE);
    for (const object of out.Contents!) {
      const body = `body of ${object.Key}`;
      expect(object.Size).toBe(Buffer.byteLength(body));
      expect(object.ETag).toBe(`"${md5Hex(body)}"`);
      expect(object.StorageClass).toBe('STANDARD');
      expect(object.LastModified!.getTime()).toBeGreaterThanOrEqual(Math.floor(seededFrom / 1000) * 1000);
      expect(object.LastModified!.getTime()).toBeLessThanOrEqual(seededUntil);
    }
  });

  describe('prefix and delimiter', () => {
    it('prefix keeps only the keys that start with it', async () => {
      const out = await list({ Bucket: 'tree', Prefix: 'photos/' });
      expect(out.Prefix).toBe('photos/');
      expect(keysOf(out)).toEqual(['photos/2024/a.jpg', 'photos/2024/b.jpg', 'photos/2025/c.jpg', 'photos/top.jpg']);
      expect(out.KeyCount).toBe(4);
    });

    it('a prefix that matches nothing gives an empty, untruncated page', async () => {
      const out = await list({ Bucket: 'tree', Prefix: 'photos/2023/' });
      expect({ keyCount: out.KeyCount, truncated: out.IsTruncated, contents: out.Contents, prefixes: out.CommonPrefixes }).toEqual({
        keyCount: 0,
        truncated: false,
        contents: undefined,
        prefixes: undefined,
      });
    });

    it("delimiter '/' rolls keys up to the first '/' into CommonPrefixes", async () => {
      const out = await list({ Bucket: 'tree', Delimiter: '/' });
      expect(out.Delimiter).toBe('/');
      expect(prefixesOf(out)).toEqual(['docs/', 'photos/']);
      expect(keysOf(out)).toEqual(['photosynthesis.txt', 'root.txt']);
      expect(out.KeyCount).toBe(4);
      expect(out.IsTruncated).toBe(false);
    });

    it('prefix with delimiter rolls up one level below the prefix', async () => {
      const out = await list({ Bucket: 'tree', Prefix: 'photos/', Delimiter: '/' });
      expect(prefixesOf(out)).toEqual(['photos/2024/', 'photos/2025/']);
      expect(keysOf(out)).toEqual(['photos/top.jpg']);
      expect(out.KeyCount).toBe(3);
    });

    it('any string can be the delimiter, not only /', async () => {
      const out = await list({ Bucket: 'tree', Prefix: 'photos/', Delimiter: '2' });
      expect(prefixesOf(out)).toEqual(['photos/2']);
      expect(keysOf(out)).toEqual(['photos/top.jpg']);
    });

    it('common prefixes count toward max-keys and each appears on one page only', async () => {
      const pages = await listAllPages({ Bucket: 'tree', Delimiter: '/', MaxKeys: 1 });
      expect(pages.map((p) => [...prefixesOf(p), ...keysOf(p)])).toEqual([['docs/'], ['photos/'], ['photosynthesis.txt'], ['root.txt']]);
    });
  });

  describe('max-keys and continuation tokens', () => {
    it('pages through 60 keys 7 at a time, each key once, in order', async () => {
      const pages = await listAllPages({ Bucket: 'paging', Prefix: 'page/', MaxKeys: 7 });
      expect(pages).toHaveLength(9);
      expect(pages.map((p) => p.KeyCount)).toEqual([7, 7, 7, 7, 7, 7, 7, 7, 4]);
      expect(pages.map((p) => p.IsTruncated)).toEqual([true, true, true, true, true, true, true, true, false]);
      expect(pages.every((p) => p.MaxKeys === 7)).toBe(true);
      expect(pages.flatMap(keysOf)).toEqual(PAGE_KEYS);
    });

    it('stops exactly at the end when the last page is full', async () => {
      const pages = await listAllPages({ Bucket: 'paging', Prefix: 'page/', MaxKeys: 30 });
      expect(pages.map((p) => [p.KeyCount, p.IsTruncated])).toEqual([
        [30, true],
        [30, false],
      ]);
      expect(pages.flatMap(keysOf)).toEqual(PAGE_KEYS);
    });

    it('takes an empty continuation token as none and echoes it empty, as S3 does', async () => {
      const out = await list({ Bucket: 'paging', Prefix: 'page/', MaxKeys: 7, ContinuationToken: '' });
      expect(out.ContinuationToken).toBe('');
      expect(keysOf(out)).toEqual(PAGE_KEYS.slice(0, 7));
      expect(out.IsTruncated).toBe(true);
      const after = await list({ Bucket: 'paging', Prefix: 'page/', StartAfter: 'page/049', ContinuationToken: '' });
      expect({ token: after.ContinuationToken, startAfter: after.StartAfter, keys: keysOf(after) }).toEqual({ token: '', startAfter: 'page/049', keys: PAGE_KEYS.slice(50) });
      const raw = await rawS3Request(sediment.url, { method: 'GET', path: '/paging', query: { 'list-type': '2', prefix: 'page/059', 'continuation-token': '' } });
      expect(raw.status).toBe(200);
      expect(raw.body).toContain('<Prefix>page/059</Prefix><ContinuationToken></ContinuationToken><KeyCount>1</KeyCount>');
    });

    it('max-keys larger than the listing returns everything, untruncated', async () => {
      const out = await list({ Bucket: 'paging', MaxKeys: 500 });
      expect(keysOf(out)).toEqual(['other/outside-the-prefix', ...PAGE_KEYS]);
      expect(out.IsTruncated).toBe(false);
      expect(out.KeyCount).toBe(61);
    });
  });

  describe('start-after', () => {
    it('starts after the given key and echoes it', async () => {
      const out = await list({ Bucket: 'paging', Prefix: 'page/', StartAfter: 'page/049' });
      expect(out.StartAfter).toBe('page/049');
      expect(keysOf(out)).toEqual(PAGE_KEYS.slice(50));
      expect(out.KeyCount).toBe(10);
    });

    it('needs no object at the start-after key', async () => {
      expect(keysOf(await list({ Bucket: 'paging', Prefix: 'page/', StartAfter: 'page/0495' }))).toEqual(PAGE_KEYS.slice(50));
      expect(keysOf(await list({ Bucket: 'paging', StartAfter: 'a' }))).toEqual(['other/outside-the-prefix', ...PAGE_KEYS]);
      const none = await list({ Bucket: 'paging', StartAfter: 'page/059' });
      expect({ keyCount: none.KeyCount, truncated: none.IsTruncated }).toEqual({ keyCount: 0, truncated: false });
    });

    it('pages on from start-after', async () => {
      const pages = await listAllPages({ Bucket: 'paging', Prefix: 'page/', StartAfter: 'page/049', MaxKeys: 4 });
      expect(pages.map(keysOf)).toEqual([PAGE_KEYS.slice(50, 54), PAGE_KEYS.slice(54, 58), PAGE_KEYS.slice(58)]);
    });

    it('is ignored once a continuation token is given', async () => {
      const first = await list({ Bucket: 'paging', Prefix: 'page/', MaxKeys: 5 });
      const second = await list({ Bucket: 'paging', Prefix: 'page/', MaxKeys: 5, ContinuationToken: first.NextContinuationToken, StartAfter: 'page/040' });
      expect(keysOf(second)).toEqual(PAGE_KEYS.slice(5, 10));
    });
  });

  describe('encoding-type=url', () => {
    // s3-tests' test_bucket_listv2_encoding_basic; the JS SDK hands the encoded values back as they came.
    it('percent-encodes keys and common prefixes alike, a space as %20 and a + as %2B', async () => {
      await s3.send(new CreateBucketCommand({ Bucket: 'encoding' }));
      await putAll('encoding', ['foo+1/bar', 'foo/bar/xyzzy', 'quux ab/thud', 'asdf+b']);
      const out = await list({ Bucket: 'encoding', Delimiter: '/', EncodingType: 'url' });
      expect(out.EncodingType).toBe('url');
      expect(out.Delimiter).toBe('/');
      expect(keysOf(out)).toEqual(['asdf%2Bb']);
      expect(prefixesOf(out)).toEqual(['foo%2B1/', 'foo/', 'quux%20ab/']);
      const under = await list({ Bucket: 'encoding', Prefix: 'quux ab/', StartAfter: 'quux ab/a', EncodingType: 'url' });
      expect({ prefix: under.Prefix, startAfter: under.StartAfter, keys: keysOf(under) }).toEqual({ prefix: 'quux%20ab/', startAfter: 'quux%20ab/a', keys: ['quux%20ab/thud'] });
      // Decoded, each is the key or prefix stored.
      expect([...keysOf(out), ...prefixesOf(out)].map((v) => decodeURIComponent(v!))).toEqual(['asdf+b', 'foo+1/', 'foo/', 'quux ab/']);
    });
  });

  describe('a prefix holding a newline', () => {
    const NEWLINE_KEYS = ['\nlead', 'cr\r\nkey', 'line\nbreak/a', 'line\nbreak/b', 'plain'];
    const BOTO3_LIST = [
      'import json, os, sys, boto3',
      'from botocore.config import Config',
      "c = boto3.client('s3', endpoint_url=os.environ['SEDIMENT_ENDPOINT'], region_name='us-east-1', config=Config(s3={'addressing_style': 'path'}))",
      "r = c.list_objects_v2(Bucket=sys.argv[1], Prefix=sys.argv[2])",
      "print(json.dumps([r['Prefix'], [o['Key'] for o in r.get('Contents', [])]]))",
    ].join('\n');

    beforeAll(async () => {
      await s3.send(new CreateBucketCommand({ Bucket: 'newlines' }));
      await putAll('newlines', NEWLINE_KEYS);
    });

    it('echoes a prefix with a newline or a CR LF in it as sent, through the JS SDK, and lists the keys under it', async () => {
      const folder = await list({ Bucket: 'newlines', Prefix: 'line\n', Delimiter: '/' });
      expect({ prefix: folder.Prefix, prefixes: prefixesOf(folder), keys: keysOf(folder) }).toEqual({ prefix: 'line\n', prefixes: ['line\nbreak/'], keys: [] });
      const inside = await list({ Bucket: 'newlines', Prefix: 'line\nbreak/' });
      expect({ prefix: inside.Prefix, keys: keysOf(inside) }).toEqual({ prefix: 'line\nbreak/', keys: ['line\nbreak/a', 'line\nbreak/b'] });
      const crlf = await list({ Bucket: 'newlines', Prefix: 'cr\r\n' });
      expect({ prefix: crlf.Prefix, keys: keysOf(crlf) }).toEqual({ prefix: 'cr\r\n', keys: ['cr\r\nkey'] });
    });

    it('writes a prefix of a lone newline into <Prefix> as sent, URL-encoded with encoding-type=url', async () => {
      const raw = await rawS3Request(sediment.url, { method: 'GET', path: '/newlines', query: { 'list-type': '2', prefix: '\n' } });
      expect(raw.status).toBe(200);
      expect(raw.body).toContain('<Name>newlines</Name><Prefix>\n</Prefix><KeyCount>1</KeyCount>');
      expect(raw.body).toContain('<Key>\nlead</Key>');
      // The JS SDK reads any element holding only whitespace and a newline as '' (its parser's
      // rule, whatever the server writes); with encoding-type=url the value survives.
      const encoded = await list({ Bucket: 'newlines', Prefix: '\n', EncodingType: 'url' });
      expect({ prefix: encoded.Prefix, keys: keysOf(encoded) }).toEqual({ prefix: '%0A', keys: ['%0Alead'] });
      expect(decodeURIComponent(encoded.Prefix!)).toBe('\n');
      // s3-tests' test_bucket_listv2_prefix_unreadable: a newline prefix matching nothing.
      const nothing = await list({ Bucket: 'tree', Prefix: '\n' });
      expect({ keyCount: nothing.KeyCount, contents: nothing.Contents, prefixes: nothing.CommonPrefixes }).toEqual({ keyCount: 0, contents: undefined, prefixes: undefined });
    });

    it('gives boto3 the newline prefix back as sent, with the keys under it', async () => {
      const result = await runPythonClient(sediment.url, '-c', BOTO3_LIST, 'newlines', '\n');
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
      expect(JSON.parse(result.stdout)).toEqual(['\n', ['\nlead']]);
    }, 60_000);
  });

  describe('key order', () => {
    /** The order of the UTF-8 bytes, which is not JavaScript's UTF-16 order for U+E000..U+FFFF vs. emoji. */
    const UTF8_ORDER = ['0', 'Z', 'a', 'b', 'é', '\uE000', '\uFFFD', '😀'];

    it('lists keys in UTF-8 binary order', async () => {
      expect([...UNICODE_KEYS].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)))).toEqual(UTF8_ORDER);
      expect([...UNICODE_KEYS].sort()).not.toEqual(UTF8_ORDER); // the UTF-16 order differs
      expect(keysOf(await list({ Bucket: 'unicode' }))).toEqual(UTF8_ORDER);
    });

    it('keeps UTF-8 order across pages', async () => {
      const pages = await listAllPages({ Bucket: 'unicode', MaxKeys: 2 });
      expect(pages.map(keysOf)).toEqual([
        ['0', 'Z'],
        ['a', 'b'],
        ['é', '\uE000'],
        ['\uFFFD', '😀'],
      ]);
    });

    it('compares start-after in UTF-8 order', async () => {
      expect(keysOf(await list({ Bucket: 'unicode', StartAfter: '\uFFFD' }))).toEqual(['😀']);
      expect(keysOf(await list({ Bucket: 'unicode', StartAfter: 'é' }))).toEqual(['\uE000', '\uFFFD', '😀']);
    });
  });
});
