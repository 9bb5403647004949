import { FROM_NEWEST_VERSION, type VersionCursor } from '../../../metadata/metadata.store.port.js';
import { commonPrefixOf, GROUP_END } from '../list-objects-v2/list-objects-v2.paginator.js';

export interface ListedVersion {
  key: string;
  versionId: string;
  /** Orders a key's versions: higher is newer. */
  seq: number;
}

/** Versions after `after` (keys ascending in UTF-8 byte order, newest version first), at most `limit`. */
export type FetchVersionsAfter<T extends ListedVersion> = (q: { prefix: string; after?: VersionCursor; limit: number }) => Promise<T[]>;

export interface ListObjectVersionsParams {
  prefix: string;
  delimiter?: string;
  /** Already validated and clamped (parseMaxKeys). */
  maxKeys: number;
  keyMarker?: string;
  versionIdMarker?: string;
}

export type VersionsPageEntry<T> = { kind: 'version'; version: T; isLatest: boolean } | { kind: 'prefix'; prefix: string };

export interface ListObjectVersionsPage<T> {
  entries: VersionsPageEntry<T>[];
  isTruncated: boolean;
  nextKeyMarker?: string;
  nextVersionIdMarker?: string;
}

/**
 * ListObjectVersions over a sorted version source. Versions and common prefixes both count
 * toward max-keys. A key's first version in this order is its newest, hence IsLatest; a page
 * resuming inside a key (key-marker + version-id-marker, whose seq the caller resolved) starts
 * below the marker's seq, or at the key's newest version when the caller found no marker version
 * (FROM_NEWEST_VERSION). A key-marker that is a common prefix resumes after its whole group.
 */
export async function listObjectVersions<T extends ListedVersion>(
  fetch: FetchVersionsAfter<T>,
  params: ListObjectVersionsParams,
  markerSeq: number | undefined,
): Promise<ListObjectVersionsPage<T>> {
  if (params.maxKeys <= 0) return { entries: [], isTruncated: false };
  const { prefix, delimiter, keyMarker } = params;
  let cursor: VersionCursor | undefined;
  let previousKey: string | undefined;
  if (keyMarker !== undefined) {
    if (markerSeq !== undefined) {
      cursor = { key: keyMarker, seq: markerSeq };
      // Below the marker, no version of its key is the newest; from the newest, the first is.
      if (markerSeq !== FROM_NEWEST_VERSION) previousKey = keyMarker;
    } else {
      const isGroup = delimiter !== undefined && commonPrefixOf(keyMarker, prefix, delimiter) === keyMarker;
      cursor = { key: isGroup ? keyMarker + GROUP_END : keyMarker };
    }
  }

  const wanted = params.maxKeys + 1;
  const entries: VersionsPageEntry<T>[] = [];
  // As in ListObjectsV2: a group is skipped in one seek, and a batch spent mostly inside one makes
  // the next batch small (see collectEntries there).
  let limit = wanted;
  while (entries.length < wanted) {
    const batch = await fetch({ prefix, after: cursor, limit: Math.min(limit, wanted - entries.length) });
    if (batch.length === 0) break;
    const had = entries.length;
    let skipping: string | undefined;
    for (const version of batch) {
      if (entries.length >= wanted) break;
      if (skipping !== undefined && version.key.startsWith(skipping)) continue;
      const group = delimiter ? commonPrefixOf(version.key, prefix, delimiter) : undefined;
      if (group !== undefined) {
        entries.push({ kind: 'prefix', prefix: group });
        skipping = group;
        cursor = { key: group + GROUP_END };
        continue;
      }
      skipping = undefined;
      entries.push({ kind: 'version', version, isLatest: version.key !== previousKey });
      previousKey = version.key;
      cursor = { key: version.key, seq: version.seq };
    }
    limit = Math.max(1, 2 * (entries.length - had) + 1);
  }

  const isTruncated = entries.length > params.maxKeys;
  const page = entries.slice(0, params.maxKeys);
  const last = page.at(-1);
  if (!isTruncated || last === undefined) return { entries: page, isTruncated };
  return last.kind === 'version'
    ? { entries: page, isTruncated, nextKeyMarker: last.version.key, nextVersionIdMarker: last.version.versionId }
    : { entries: page, isTruncated, nextKeyMarker: last.prefix };
}
