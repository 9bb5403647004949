import { S3Error } from '../../../errors/s3.error.js';
import {
  compareUtf8,
  listObjectsV2,
  parseMaxKeys,
  type FetchKeysAfter,
  type ListedObject,
  type ListObjectsV2Page,
  type ListObjectsV2Params,
} from './list-objects-v2.paginator.js';

interface Call {
  prefix: string;
  after?: string;
  limit: number;
}

/** A sorted in-memory key source that records every query it answers. */
function memorySource(keys: readonly string[], options: { maxBatch?: number } = {}) {
  const sorted = [...new Set(keys)].sort(compareUtf8).map((key) => ({ key }));
  const calls: Call[] = [];
  const fetch: FetchKeysAfter<ListedObject> = async ({ prefix, after, limit }) => {
    calls.push({ prefix, after, limit });
    const matching = sorted.filter((o) => o.key.startsWith(prefix) && (after === undefined || compareUtf8(o.key, after) > 0));
    return matching.slice(0, Math.min(limit, options.maxBatch ?? limit));
  };
  return { fetch, calls };
}

function params(overrides: Partial<ListObjectsV2Params> = {}): ListObjectsV2Params {
  return { prefix: '', maxKeys: 1000, ...overrides };
}

function keysOf(page: ListObjectsV2Page<ListedObject>): string[] {
  return page.contents.map((o) => o.key);
}

/** Follows continuation tokens to the end, checking the per-page invariants on the way. */
async function pageThrough(fetch: FetchKeysAfter<ListedObject>, base: ListObjectsV2Params) {
  const pages: ListObjectsV2Page<ListedObject>[] = [];
  let continuationToken: string | undefined;
  for (;;) {
    const page = await listObjectsV2(fetch, { ...base, continuationToken });
    pages.push(page);
    expect(page.keyCount).toBe(page.contents.length + page.commonPrefixes.length);
    expect(page.keyCount).toBeLessThanOrEqual(base.maxKeys);
    if (!page.isTruncated) {
      expect(page.nextContinuationToken).toBeUndefined();
      break;
    }
    expect(page.keyCount).toBe(base.maxKeys);
    expect(typeof page.nextContinuationToken).toBe('string');
    continuationToken = page.nextContinuationToken;
    if (pages.length > 10_000) throw new Error('listing does not terminate');
  }
  return pages;
}

/** Page entries in listing order: 'K:' + key or 'P:' + common prefix. */
function entriesOf(pages: ListObjectsV2Page<ListedObject>[]): string[] {
  return pages.flatMap((page) =>
    [...page.contents.map((o) => ['K', o.key]), ...page.commonPrefixes.map((p) => ['P', p])]
      .sort((a, b) => compareUtf8(a[1]!, b[1]!))
      .map(([kind, value]) => `${kind}:${value}`),
  );
}

/** The whole listing computed the obvious way, as the reference for paging. */
function referenceListing(keys: readonly string[], { prefix, delimiter, startAfter }: ListObjectsV2Params): string[] {
  const entries: string[] = [];
  const seen = new Set<string>();
  for (const key of [...new Set(keys)].sort(compareUtf8)) {
    if (!key.startsWith(prefix)) continue;
    if (startAfter !== undefined && compareUtf8(key, startAfter) <= 0) continue;
    const at = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
    if (at === -1) {
      entries.push(`K:${key}`);
    } else {
      const group = key.slice(0, at + delimiter!.length);
      if (!seen.has(group)) entries.push(`P:${group}`);
      seen.add(group);
    }
  }
  return entries;
}

function s3ErrorOf(fn: () => unknown): Promise<S3Error> {
  return Promise.resolve()
    .then(fn)
    .then(
      () => {
        throw new Error('expected an S3Error');
      },
      (error: unknown) => {
        if (error instanceof S3Error) return error;
        throw error;
      },
    );
}

const pad = (n: number, width = 4) => String(n).padStart(width, '0');

describe('compareUtf8', () => {
  it('orders by UTF-8 bytes (code points), not UTF-16 code units', () => {
    // U+E000 is EE 80 80 in UTF-8, U+1F600 is F0 9F 98 80; in UTF-16, 0xE000 > 0xD83D.
    expect(compareUtf8('\uE000', '😀')).toBeLessThan(0);
    expect('\uE000' < '😀').toBe(false);
    expect(compareUtf8('\uFFFD', '𐀀')).toBeLessThan(0);
    expect(compareUtf8('a', 'a')).toBe(0);
    expect(compareUtf8('a', 'ab')).toBeLessThan(0);
    expect(compareUtf8('B', 'a')).toBeLessThan(0);
    expect(compareUtf8('z', 'é')).toBeLessThan(0);
  });
});

describe('parseMaxKeys', () => {
  it.each<[string | null, number]>([
    [null, 1000],
    ['0', 0],
    ['1', 1],
    ['999', 999],
    ['1000', 1000],
    ['1001', 1000],
    ['2147483647', 1000],
    ['007', 7],
    ['+5', 5],
    ['-0', 0],
  ])('%j → %d', (raw, expected) => {
    expect(parseMaxKeys(raw)).toBe(expected);
  });

  it.each(['-1', '-2147483648'])('%j (negative) is InvalidArgument', async (raw) => {
    const error = await s3ErrorOf(() => parseMaxKeys(raw));
    expect(error.code).toBe('InvalidArgument');
    expect(error.message).toBe('Argument maxKeys must be an integer between 0 and 2147483647');
    expect(error.details).toEqual({ ArgumentName: 'maxKeys', ArgumentValue: raw });
  });

  it.each(['', 'abc', '1.5', '1e3', ' 5', '5 ', '0x10', '2147483648', '-2147483649', '99999999999999999999'])(
    '%j (not a 32-bit integer) is InvalidArgument',
    async (raw) => {
      const error = await s3ErrorOf(() => parseMaxKeys(raw));
      expect(error.code).toBe('InvalidArgument');
      expect(error.status).toBe(400);
      expect(error.message).toBe('Provided max-keys not an integer or within integer range');
      expect(error.details).toEqual({ ArgumentName: 'max-keys', ArgumentValue: raw });
    },
  );
});

describe('listObjectsV2', () => {
  describe('the AWS documentation examples', () => {
    const keys = [
      'sample.jpg',
      'photos/2006/January/sample.jpg',
      'photos/2006/February/sample2.jpg',
      'photos/2006/February/sample3.jpg',
      'photos/2006/February/sample4.jpg',
    ];

    it('rolls keys sharing prefix + delimiter into one common prefix', async () => {
      const page = await listObjectsV2(memorySource(keys).fetch, params({ delimiter: '/' }));
      expect(keysOf(page)).toEqual(['sample.jpg']);
      expect(page.commonPrefixes).toEqual(['photos/']);
      expect(page.keyCount).toBe(2);
      expect(page.isTruncated).toBe(false);
    });

    it('lists the sub-folders of a prefix', async () => {
      const page = await listObjectsV2(memorySource(keys).fetch, params({ prefix: 'photos/2006/', delimiter: '/' }));
      expect(keysOf(page)).toEqual([]);
      expect(page.commonPrefixes).toEqual(['photos/2006/February/', 'photos/2006/January/']);
    });

    it('starts after start-after and stops at max-keys', async () => {
      const source = memorySource(['ExampleGuide.pdf', 'ExampleObject.txt', 'Example1.txt', 'Example2.txt', 'F.txt']);
      const page = await listObjectsV2(source.fetch, params({ prefix: 'E', startAfter: 'ExampleGuide.pdf', maxKeys: 3 }));
      expect(keysOf(page)).toEqual(['ExampleObject.txt']);
      expect(page.isTruncated).toBe(false);
    });
  });

  it('pages through 2500 keys 1000 at a time', async () => {
    const keys = Array.from({ length: 2500 }, (_, i) => `key-${pad(i)}`);
    const pages = await pageThrough(memorySource(keys).fetch, params({ maxKeys: 1000 }));
    expect(pages.map((p) => p.keyCount)).toEqual([1000, 1000, 500]);
    expect(pages.map((p) => p.isTruncated)).toEqual([true, true, false]);
    expect(pages.flatMap(keysOf)).toEqual(keys);
    expect(keysOf(pages[1]!)[0]).toBe('key-1000');
  });

  it('pages through a bucket of folders, each common prefix once', async () => {
    const keys = [
      ...Array.from({ length: 25 * 100 }, (_, i) => `dir-${pad(Math.floor(i / 100), 2)}/file-${pad(i % 100, 3)}`),
      ...Array.from({ length: 50 }, (_, i) => `top-${pad(i, 2)}`),
    ];
    const pages = await pageThrough(memorySource(keys).fetch, params({ delimiter: '/', maxKeys: 10 }));
    expect(pages).toHaveLength(8);
    expect(pages.flatMap((p) => p.commonPrefixes)).toEqual(Array.from({ length: 25 }, (_, i) => `dir-${pad(i, 2)}/`));
    expect(pages.flatMap(keysOf)).toEqual(keys.slice(2500));
    // Page 3 mixes the last 5 folders and the first 5 files.
    expect(pages[2]!.commonPrefixes).toHaveLength(5);
    expect(pages[2]!.contents).toHaveLength(5);
  });

  it('seeks past large groups: 100 common prefixes of 1,000 keys each cost a few keys per group, not every key', async () => {
    const keys = Array.from({ length: 100 * 1000 }, (_, i) => `dir-${pad(Math.floor(i / 1000), 3)}/file-${pad(i % 1000)}`);
    const { fetch, calls } = memorySource(keys);
    const page = await listObjectsV2(fetch, params({ delimiter: '/' }));
    expect(page.commonPrefixes).toHaveLength(100);
    const read = calls.reduce((sum, call) => sum + call.limit, 0);
    // The first batch is a full page (1,001 keys); after it, about a seek per group.
    expect(calls.length).toBeLessThanOrEqual(101);
    expect(read - 1001).toBeLessThanOrEqual(3 * 100);
  });

  it('still reads a page of plain keys in one batch', async () => {
    const { fetch, calls } = memorySource(Array.from({ length: 3000 }, (_, i) => `k-${pad(i)}`));
    await listObjectsV2(fetch, params({ delimiter: '/' }));
    expect(calls.map((c) => c.limit)).toEqual([1001]);
  });

  it('counts common prefixes toward max-keys and resumes after a prefix without repeating it', async () => {
    const source = memorySource(['a/1', 'a/2', 'a/3', 'b/1', 'c', 'd/1']);
    const pages = await pageThrough(source.fetch, params({ delimiter: '/', maxKeys: 1 }));
    expect(entriesOf(pages)).toEqual(['P:a/', 'P:b/', 'K:c', 'P:d/']);
    expect(pages.map((p) => p.isTruncated)).toEqual([true, true, true, false]);
  });

  it('handles nested prefixes with prefix + delimiter', async () => {
    const keys = ['a/b/c/d', 'a/b/c/e', 'a/b/f', 'a/b/g/h', 'a/b', 'a/b/', 'a/bz/x', 'a/c'];
    const page = await listObjectsV2(memorySource(keys).fetch, params({ prefix: 'a/b/', delimiter: '/' }));
    // A key equal to the prefix has no delimiter after the prefix: it is a plain key.
    expect(keysOf(page)).toEqual(['a/b/', 'a/b/f']);
    expect(page.commonPrefixes).toEqual(['a/b/c/', 'a/b/g/']);
    const noSlash = await listObjectsV2(memorySource(keys).fetch, params({ prefix: 'a/b', delimiter: '/' }));
    expect(keysOf(noSlash)).toEqual(['a/b']);
    expect(noSlash.commonPrefixes).toEqual(['a/b/', 'a/bz/']);
  });

  it('supports multi-character delimiters', async () => {
    const page = await listObjectsV2(memorySource(['x--y--z', 'x--w', 'x-y', 'xy']).fetch, params({ delimiter: '--' }));
    expect(keysOf(page)).toEqual(['x-y', 'xy']);
    expect(page.commonPrefixes).toEqual(['x--']);
  });

  it('treats an empty delimiter as none', async () => {
    const page = await listObjectsV2(memorySource(['a/1', 'b']).fetch, params({ delimiter: '' }));
    expect(keysOf(page)).toEqual(['a/1', 'b']);
    expect(page.commonPrefixes).toEqual([]);
  });

  it('lists a group again after start-after inside it, but only once', async () => {
    const source = memorySource(['photos/a', 'photos/b', 'photos/c', 'z']);
    const page = await listObjectsV2(source.fetch, params({ delimiter: '/', startAfter: 'photos/a' }));
    expect(page.commonPrefixes).toEqual(['photos/']);
    expect(keysOf(page)).toEqual(['z']);
    const past = await listObjectsV2(source.fetch, params({ delimiter: '/', startAfter: 'photos/c' }));
    expect(past.commonPrefixes).toEqual([]);
  });

  it('lets the continuation token take precedence over start-after', async () => {
    const source = memorySource(['a', 'b', 'c', 'd']);
    const first = await listObjectsV2(source.fetch, params({ maxKeys: 2 }));
    expect(keysOf(first)).toEqual(['a', 'b']);
    const second = await listObjectsV2(
      source.fetch,
      params({ maxKeys: 2, startAfter: 'c', continuationToken: first.nextContinuationToken }),
    );
    expect(keysOf(second)).toEqual(['c', 'd']);
    expect(second.isTruncated).toBe(false);
  });

  it('is not truncated when the last page is exactly full', async () => {
    const page = await listObjectsV2(memorySource(['a', 'b']).fetch, params({ maxKeys: 2 }));
    expect(page.isTruncated).toBe(false);
    expect(page.nextContinuationToken).toBeUndefined();
  });

  it('returns nothing, not truncated, for max-keys=0', async () => {
    const source = memorySource(['a', 'b']);
    const page = await listObjectsV2(source.fetch, params({ maxKeys: 0 }));
    expect(page).toEqual({ contents: [], commonPrefixes: [], keyCount: 0, isTruncated: false });
    expect(source.calls).toEqual([]);
  });

  it('returns an empty page for an empty bucket or an unmatched prefix', async () => {
    const empty = await listObjectsV2(memorySource([]).fetch, params({ delimiter: '/' }));
    expect(empty).toEqual({ contents: [], commonPrefixes: [], keyCount: 0, isTruncated: false });
    const unmatched = await listObjectsV2(memorySource(['a']).fetch, params({ prefix: 'b' }));
    expect(unmatched.keyCount).toBe(0);
  });

  it('returns the source objects themselves', async () => {
    const objects = [{ key: 'a', size: 1 }, { key: 'b', size: 2 }];
    const fetch: FetchKeysAfter<(typeof objects)[number]> = async ({ after }) =>
      objects.filter((o) => after === undefined || compareUtf8(o.key, after) > 0);
    const page = await listObjectsV2(fetch, params({ maxKeys: 5 }));
    expect(page.contents).toEqual(objects);
    expect(page.contents[1]).toBe(objects[1]);
  });

  describe('UTF-8 byte order', () => {
    // In UTF-16 order the astral keys would sort before U+E000..U+FFFD; in UTF-8 order after.
    const keys = ['a', '\uE000', '\uE000/x', '\uFFFD', '😀', '😀/y', '𐀀', 'z', 'é', '\u{10FFFF}'];

    it('pages one key at a time without skipping or repeating keys around U+E000..U+FFFF', async () => {
      const pages = await pageThrough(memorySource(keys).fetch, params({ maxKeys: 1 }));
      expect(pages.flatMap(keysOf)).toEqual([...keys].sort(compareUtf8));
      expect(pages.flatMap(keysOf)).toEqual(['a', 'z', 'é', '\uE000', '\uE000/x', '\uFFFD', '𐀀', '😀', '😀/y', '\u{10FFFF}']);
    });

    it('groups and resumes correctly with such keys', async () => {
      const pages = await pageThrough(memorySource(keys).fetch, params({ delimiter: '/', maxKeys: 2 }));
      expect(entriesOf(pages)).toEqual(['K:a', 'K:z', 'K:é', 'K:\uE000', 'P:\uE000/', 'K:\uFFFD', 'K:𐀀', 'K:😀', 'P:😀/', 'K:\u{10FFFF}']);
    });

    it('starts after a start-after that JS would misplace', async () => {
      const page = await listObjectsV2(memorySource(keys).fetch, params({ startAfter: '\uFFFD' }));
      expect(keysOf(page)).toEqual(['𐀀', '😀', '😀/y', '\u{10FFFF}']);
    });
  });

  describe('skipping common-prefix groups', () => {
    it('jumps over a large group in one fetch instead of reading all of it', async () => {
      const keys = [...Array.from({ length: 5000 }, (_, i) => `big/${pad(i)}`), 'next', 'zz/1'];
      const source = memorySource(keys);
      const page = await listObjectsV2(source.fetch, params({ delimiter: '/', maxKeys: 1000 }));
      expect(page.commonPrefixes).toEqual(['big/', 'zz/']);
      expect(keysOf(page)).toEqual(['next']);
      expect(source.calls.map((c) => c.after)).toEqual([undefined, 'big/\u{10FFFF}', 'zz/\u{10FFFF}']);
      expect(source.calls[0]!.limit).toBe(1001);
    });

    it('tolerates group members that sort after P + U+10FFFF', async () => {
      const keys = ['a/1', 'a/\u{10FFFF}', 'a/\u{10FFFF}x', 'a/\u{10FFFF}\u{10FFFF}', 'a/\u{10FFFF}\u{10FFFF}/z', 'b', 'c/1'];
      const all = await listObjectsV2(memorySource(keys).fetch, params({ delimiter: '/' }));
      expect(all.commonPrefixes).toEqual(['a/', 'c/']);
      expect(keysOf(all)).toEqual(['b']);
      // Also across page boundaries, and when the source hands out tiny batches.
      for (const maxBatch of [1, 2, 1000]) {
        const pages = await pageThrough(memorySource(keys, { maxBatch }).fetch, params({ delimiter: '/', maxKeys: 1 }));
        expect(entriesOf(pages)).toEqual(['P:a/', 'K:b', 'P:c/']);
      }
    });

    it('handles keys made of U+10FFFF under a prefix', async () => {
      const keys = ['p\u{10FFFF}', 'p\u{10FFFF}/a', 'p\u{10FFFF}\u{10FFFF}/b', 'q'];
      const pages = await pageThrough(memorySource(keys).fetch, params({ delimiter: '/', maxKeys: 1 }));
      expect(entriesOf(pages)).toEqual(['K:p\u{10FFFF}', 'P:p\u{10FFFF}/', 'P:p\u{10FFFF}\u{10FFFF}/', 'K:q']);
    });
  });

  describe('continuation tokens', () => {
    it('are opaque URL-safe strings', async () => {
      const page = await listObjectsV2(memorySource(['a/b c+d?', 'z']).fetch, params({ maxKeys: 1 }));
      expect(page.nextContinuationToken).toMatch(/^[A-Za-z0-9_-]+$/);
    });

    it.each([
      ['empty', ''],
      ['not base64url', 'abc$def'],
      ['standard base64 padding', 'S2E='],
      ['non-canonical trailing bits', 'S2F'],
      ['unknown tag', Buffer.from('Xkey').toString('base64url')],
      ['tag without value', Buffer.from('K').toString('base64url')],
      ['not UTF-8', Buffer.from([0x4b, 0xff, 0xfe]).toString('base64url')],
      ['longer than any key', Buffer.from(`K${'k'.repeat(1025)}`).toString('base64url')],
      ['an AWS-looking token', '1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM='],
    ])('rejects a token that is %s with InvalidArgument', async (_why, token) => {
      for (const maxKeys of [0, 1000]) {
        const error = await s3ErrorOf(() => listObjectsV2(memorySource(['a']).fetch, params({ maxKeys, continuationToken: token })));
        expect(error.code).toBe('InvalidArgument');
        expect(error.status).toBe(400);
        expect(error.message).toBe('The continuation token provided is incorrect');
        expect(error.details.ArgumentName).toBe('continuation-token');
      }
    });
  });

  describe('agrees with the one-shot reference listing', () => {
    const keys = [
      'a', 'a/', 'a/b', 'a/b/c', 'a/b/d', 'a/c', 'a//x', 'a/\u{10FFFF}', 'a\u{10FFFF}b', 'ab', 'abb',
      'b/1', 'b/2', 'b/3', 'b/4', 'b/5', 'c--d--e', 'c--f', 'c-', 'sample.jpg',
      'photos/2006/January/sample.jpg', 'photos/2006/February/sample2.jpg', 'photos/2006/February/sample3.jpg',
      'photos/2007/x', 'photos/index.html', '\uE000', '\uE000/x', '😀', '😀/y', '\uFFFD', 'z', 'with space/ and+plus',
    ];
    const prefixes = ['', 'a', 'a/', 'photos/', 'photos/2006/', '😀', 'nope'];
    const delimiters = [undefined, '/', '--', 'b'];
    const startAfters = [undefined, 'a/b', 'photos/2006/February/sample2.jpg', '\uE000', 'zz'];
    const maxKeysValues = [1, 2, 3, 1000];

    it.each(prefixes.flatMap((prefix) => delimiters.map((delimiter) => [prefix, delimiter] as const)))(
      'prefix %j, delimiter %j',
      async (prefix, delimiter) => {
        for (const startAfter of startAfters) {
          const expected = referenceListing(keys, { prefix, delimiter, startAfter, maxKeys: 0 });
          for (const maxKeys of maxKeysValues) {
            for (const maxBatch of [undefined, 1]) {
              const pages = await pageThrough(memorySource(keys, { maxBatch }).fetch, { prefix, delimiter, startAfter, maxKeys });
              expect(entriesOf(pages)).toEqual(expected);
              expect(pages).toHaveLength(Math.max(1, Math.ceil(expected.length / maxKeys)));
            }
          }
        }
      },
    );
  });

  it('fails loudly instead of looping when the source ignores `after`', async () => {
    const broken: FetchKeysAfter<ListedObject> = async () => [{ key: 'a' }];
    await expect(listObjectsV2(broken, params({ maxKeys: 5 }))).rejects.toThrow('FetchKeysAfter');
  });
});

describe('listObjectsV2 with a v1 marker', () => {
  const keys = ['a.txt', 'photos/1.jpg', 'photos/2.jpg', 'photos/3.jpg', 'videos/1.mp4', 'z.txt'];
  const fetch: FetchKeysAfter<ListedObject> = async ({ prefix, after, limit }) =>
    keys
      .filter((key) => key.startsWith(prefix) && (after === undefined || compareUtf8(key, after) > 0))
      .slice(0, limit)
      .map((key) => ({ key }));

  it('pages by NextMarker through keys and common prefixes, each once', async () => {
    const seen: string[] = [];
    let marker: string | undefined;
    for (let page = 0; page < 10; page++) {
      const result = await listObjectsV2(fetch, { prefix: '', delimiter: '/', maxKeys: 1, marker });
      seen.push(...result.contents.map((o) => o.key), ...result.commonPrefixes);
      if (!result.isTruncated) break;
      marker = result.nextMarker;
    }
    expect(seen).toEqual(['a.txt', 'photos/', 'videos/', 'z.txt']);
  });

  it('resumes after a plain key marker without skipping its neighbours', async () => {
    const result = await listObjectsV2(fetch, { prefix: 'photos/', maxKeys: 10, marker: 'photos/1.jpg' });
    expect(result.contents.map((o) => o.key)).toEqual(['photos/2.jpg', 'photos/3.jpg']);
    expect(result.nextMarker).toBeUndefined();
  });
});
