import fc from 'fast-check';
import { fileEntryId, folderEntryId, foldersOf, levelOf, listLevel, slashes, type ListingEntry } from './listing-tree.js';
import { listObjectsV2 } from '../objects/queries/list-objects-v2/list-objects-v2.paginator.js';

const byUtf8 = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

describe('listing tree ids', () => {
  it('puts a key at the level of its last slash and a folder at the level of the slash before its own', () => {
    expect(slashes('a/b/c')).toBe(2);
    expect(fileEntryId('b', 'top.txt')).toBe('b/0000/top.txt');
    expect(fileEntryId('b', 'a/b/c')).toBe('b/0002/a/b/c');
    expect(folderEntryId('b', 'a/')).toBe('b/0000/a/');
    expect(folderEntryId('b', 'a/b/')).toBe('b/0001/a/b/');
    expect(foldersOf('a/b/c')).toEqual(['a/', 'a/b/']);
    expect(foldersOf('a//')).toEqual(['a/', 'a//']);
    expect(foldersOf('top')).toEqual([]);
  });

  it('makes the entries directly under a prefix one id range, and nothing else in it', () => {
    const key = fc.array(fc.constantFrom('a', 'b', '/', 'é', '😀', '\uFFFD'), { minLength: 1, maxLength: 6 }).map((c) => c.join(''));
    fc.assert(
      fc.property(fc.uniqueArray(key, { maxLength: 20 }), key, (keys, prefix) => {
        const ids = new Map<string, string>();
        for (const k of keys) {
          ids.set(fileEntryId('b', k), k);
          for (const f of foldersOf(k)) ids.set(folderEntryId('b', f), f);
        }
        const { from, to } = levelOf('b', prefix);
        const inRange = [...ids].filter(([id]) => byUtf8(id, from) >= 0 && byUtf8(id, to) < 0).map(([, name]) => name);
        // What S3 lists under the prefix with delimiter '/': keys with no '/' after it, and common prefixes.
        const expected = new Set(keys.filter((k) => k.startsWith(prefix)).map((k) => (k.indexOf('/', prefix.length) === -1 ? k : k.slice(0, k.indexOf('/', prefix.length) + 1))));
        expect(inRange.sort(byUtf8)).toEqual([...expected].sort(byUtf8));
        // In id order, the entries come in S3's order of their names.
        const idOrder = [...ids].filter(([id]) => byUtf8(id, from) >= 0 && byUtf8(id, to) < 0).sort(([a], [b]) => byUtf8(a, b)).map(([, n]) => n);
        expect(idOrder).toEqual([...idOrder].sort(byUtf8));
      }),
    );
  });
});

describe('listLevel', () => {
  /** A level source computed from a plain sorted key list. */
  const sourceOver = (keys: string[], prefix: string) => ({
    firstKeyAfter: async (folder: string, after: string) => {
      const key = keys.find((k) => k.startsWith(folder) && byUtf8(k, after) > 0);
      return key === undefined ? undefined : { key, size: 0, etag: '', lastModified: new Date(0), owner: '', ownerDisplayName: '' };
    },
    entries: async (after: string | undefined, limit: number) => {
      const names = new Map<string, ListingEntry>();
      for (const k of keys.filter((key) => key.startsWith(prefix))) {
        const at = k.indexOf('/', prefix.length);
        const name = at === -1 ? k : k.slice(0, at + 1);
        names.set(name, at === -1 ? { key: k, size: 0, etag: '', lastModified: new Date(0), owner: '', ownerDisplayName: '' } : { key: name, folder: true });
      }
      return [...names.values()].filter((e) => after === undefined || byUtf8(e.key, after) > 0).sort((a, b) => byUtf8(a.key, b.key)).slice(0, limit);
    },
  });

  it('pages a listing with delimiter / exactly as seeking through the keys does, for any prefix, start and page size', async () => {
    const key = fc.array(fc.constantFrom('a', 'b', '/', 'é', '😀'), { minLength: 1, maxLength: 6 }).map((c) => c.join(''));
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(key, { maxLength: 25 }), key, fc.option(key, { nil: undefined }), fc.integer({ min: 1, max: 5 }), async (unsorted, prefix, startAfter, maxKeys) => {
        const keys = [...unsorted].sort(byUtf8);
        const objects = async (q: { prefix: string; after?: string; limit: number }) =>
          keys.filter((k) => k.startsWith(q.prefix) && (q.after === undefined || byUtf8(k, q.after) > 0)).slice(0, q.limit).map((k) => ({ key: k }));
        const params = { prefix, delimiter: '/', maxKeys, startAfter };
        const walk = async (fetch: Parameters<typeof listObjectsV2>[0]) => {
          const seen: string[][] = [];
          let token: string | undefined;
          do {
            const page = await listObjectsV2(fetch, { ...params, ...(token ? { continuationToken: token } : {}) });
            seen.push([...page.contents.map((o) => o.key), ...page.commonPrefixes.map((p) => `${p} (prefix)`)]);
            token = page.nextContinuationToken;
          } while (token);
          return seen;
        };
        expect(await walk((q) => listLevel(q, sourceOver(keys, q.prefix)))).toEqual(await walk(objects));
      }),
    );
  });
});
