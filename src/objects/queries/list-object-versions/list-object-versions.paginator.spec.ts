import { listObjectVersions, type ListedVersion, type ListObjectVersionsParams } from './list-object-versions.paginator.js';
import { compareUtf8 } from '../list-objects-v2/list-objects-v2.paginator.js';
import { FROM_NEWEST_VERSION, type VersionCursor } from '../../../metadata/metadata.store.port.js';

/** A sorted in-memory source: keys ascending, each key's versions newest (highest seq) first. */
function source(versions: ListedVersion[]) {
  const sorted = [...versions].sort((a, b) => compareUtf8(a.key, b.key) || b.seq - a.seq);
  const calls: number[] = [];
  const fetch = async ({ prefix, after, limit }: { prefix: string; after?: VersionCursor; limit: number }) => {
    calls.push(limit);
    return sorted
      .filter((v) => v.key.startsWith(prefix))
      .filter((v) => {
        if (!after) return true;
        const byKey = compareUtf8(v.key, after.key);
        return byKey > 0 || (byKey === 0 && after.seq !== undefined && v.seq < after.seq);
      })
      .slice(0, limit);
  };
  return { fetch, calls };
}

const v = (key: string, seq: number): ListedVersion => ({ key, versionId: `${key}@${seq}`, seq });
const params = (p: Partial<ListObjectVersionsParams> = {}): ListObjectVersionsParams => ({ prefix: '', maxKeys: 1000, ...p });
const ids = (page: Awaited<ReturnType<typeof listObjectVersions>>) =>
  page.entries.map((e) => (e.kind === 'version' ? `${e.version.versionId}${e.isLatest ? '*' : ''}` : `[${e.prefix}]`));

describe('listObjectVersions', () => {
  const versions = [v('a', 1), v('a', 5), v('b', 2), v('dir/x', 3), v('dir/y', 4), v('dir/y', 6), v('z', 7)];

  it('lists keys in order, newest version first, the first of each key latest', async () => {
    const page = await listObjectVersions(source(versions).fetch, params(), undefined);
    expect(ids(page)).toEqual(['a@5*', 'a@1', 'b@2*', 'dir/x@3*', 'dir/y@6*', 'dir/y@4', 'z@7*']);
    expect(page.isTruncated).toBe(false);
    expect(page.nextKeyMarker).toBeUndefined();
  });

  it('truncates at max-keys and names the last version as the next markers', async () => {
    const page = await listObjectVersions(source(versions).fetch, params({ maxKeys: 2 }), undefined);
    expect(ids(page)).toEqual(['a@5*', 'a@1']);
    expect(page).toEqual(expect.objectContaining({ isTruncated: true, nextKeyMarker: 'a', nextVersionIdMarker: 'a@1' }));
  });

  it('resumes inside a key from a version-id marker, where no version is the latest', async () => {
    const page = await listObjectVersions(source(versions).fetch, params({ keyMarker: 'dir/y', versionIdMarker: 'dir/y@6' }), 6);
    expect(ids(page)).toEqual(['dir/y@4', 'z@7*']);
  });

  it('resumes at the newest version of the key-marker, the latest, when the marker version is gone', async () => {
    const page = await listObjectVersions(source(versions).fetch, params({ keyMarker: 'dir/y', versionIdMarker: 'dir/y@9' }), FROM_NEWEST_VERSION);
    expect(ids(page)).toEqual(['dir/y@6*', 'dir/y@4', 'z@7*']);
  });

  it('resumes after every version of a key-marker given alone', async () => {
    const page = await listObjectVersions(source(versions).fetch, params({ keyMarker: 'b' }), undefined);
    expect(ids(page)).toEqual(['dir/x@3*', 'dir/y@6*', 'dir/y@4', 'z@7*']);
  });

  it('seeks past large groups: 100 common prefixes of 200 versions each cost a few versions per group', async () => {
    const versions = Array.from({ length: 100 * 200 }, (_, i) => v(`dir-${String(Math.floor(i / 200)).padStart(3, '0')}/k-${i % 50}`, i));
    const { fetch, calls } = source(versions);
    const page = await listObjectVersions(fetch, params({ delimiter: '/' }), undefined);
    expect(page.entries.filter((e) => e.kind === 'prefix')).toHaveLength(100);
    expect(calls.length).toBeLessThanOrEqual(101);
    expect(calls.reduce((sum, limit) => sum + limit, 0) - 1001).toBeLessThanOrEqual(3 * 100);
  });

  it('groups keys by delimiter into common prefixes counted once toward max-keys', async () => {
    const page = await listObjectVersions(source(versions).fetch, params({ delimiter: '/', maxKeys: 4 }), undefined);
    expect(ids(page)).toEqual(['a@5*', 'a@1', 'b@2*', '[dir/]']);
    expect(page).toEqual(expect.objectContaining({ isTruncated: true, nextKeyMarker: 'dir/' }));
    expect(page.nextVersionIdMarker).toBeUndefined();
    const next = await listObjectVersions(source(versions).fetch, params({ delimiter: '/', keyMarker: 'dir/' }), undefined);
    expect(ids(next)).toEqual(['z@7*']);
  });

  it('lists only keys under the prefix', async () => {
    const page = await listObjectVersions(source(versions).fetch, params({ prefix: 'dir/' }), undefined);
    expect(ids(page)).toEqual(['dir/x@3*', 'dir/y@6*', 'dir/y@4']);
  });

  it('answers max-keys 0 with an empty, untruncated page without reading', async () => {
    const src = source(versions);
    const page = await listObjectVersions(src.fetch, params({ maxKeys: 0 }), undefined);
    expect(page).toEqual({ entries: [], isTruncated: false });
    expect(src.calls).toEqual([]);
  });

  it('keeps IsLatest right when a key spans two fetches', async () => {
    const many = [v('k', 1), v('k', 2), v('k', 3), v('l', 4)];
    let first = true;
    const src = source(many);
    const oneAtATime = (q: Parameters<typeof src.fetch>[0]) => src.fetch({ ...q, limit: first ? ((first = false), 1) : 1 });
    const page = await listObjectVersions(oneAtATime, params(), undefined);
    expect(ids(page)).toEqual(['k@3*', 'k@2', 'k@1', 'l@4*']);
  });
});
