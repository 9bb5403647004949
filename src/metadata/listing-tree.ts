import type { ObjectDocument } from './metadata.documents.js';
import { compareUtf8, rangeOf } from './id-ranges.js';

/*
 * `listing_tree`: what a listing with delimiter '/' reads (ADR 0015). The keys of a bucket seen
 * as folders: every key is a file entry at the level of its last '/', and every prefix of a key
 * that ends in '/' is a folder entry at the level of the '/' before it. An entry's `_id` is
 * `<bucket>/<level>/<name>`, the level being how many '/' come before the name's last segment,
 * in four digits (a key of 1,024 bytes holds at most 1,024 of them). So the files and folders
 * directly under a prefix are one `_id` range in S3's order (a folder sorts where its common
 * prefix does), and a page of 100 common prefixes is one range scan, not 100 seeks.
 */

/** How many '/' a string holds. */
export function slashes(text: string): number {
  let count = 0;
  for (let at = text.indexOf('/'); at !== -1; at = text.indexOf('/', at + 1)) count++;
  return count;
}

const level = (n: number): string => String(n).padStart(4, '0');

/** A key's file entry. */
export const fileEntryId = (bucket: string, key: string): string => `${bucket}/${level(slashes(key))}/${key}`;

/** A folder's entry; `folder` ends with '/'. */
export const folderEntryId = (bucket: string, folder: string): string => `${bucket}/${level(slashes(folder) - 1)}/${folder}`;

/** Every prefix of `key` that ends with '/', shortest first (a folder is its own last one). */
export function foldersOf(key: string): string[] {
  const folders: string[] = [];
  for (let at = key.indexOf('/'); at !== -1; at = key.indexOf('/', at + 1)) folders.push(key.slice(0, at + 1));
  return folders;
}

/**
 * The entries a listing with delimiter '/' under `prefix` reads: files with no '/' after the
 * prefix, and folders with exactly one, at its end. `name` makes the id of a name at that level.
 */
export function levelOf(bucket: string, prefix: string): { from: string; to: string; name: (name: string) => string } {
  const stem = `${bucket}/${level(slashes(prefix))}/`;
  return { ...rangeOf(stem + prefix), name: (name) => stem + name };
}

/** The fields a listing shows of an object (ListObjects' Contents). */
export type ListedObjectFields = Pick<ObjectDocument, 'key' | 'lastModified' | 'etag' | 'size' | 'owner' | 'ownerDisplayName' | 'storageClass'>;

/** A folder entry: a common prefix of delimiter '/' under the prefix of its level. */
export interface FolderEntry {
  key: string;
  folder: true;
}

export type ListingEntry = ListedObjectFields | FolderEntry;

export type ListingTreeDocument = (ListedObjectFields & { _id: string; folder?: undefined }) | (FolderEntry & { _id: string });

/** A file entry of an object document: only what a listing shows. */
export function fileEntryOf(doc: ObjectDocument): ListingTreeDocument {
  const { bucket, key, lastModified, etag, size, owner, ownerDisplayName, storageClass } = doc;
  return { _id: fileEntryId(bucket, key), key, lastModified, etag, size, owner, ownerDisplayName, ...(storageClass ? { storageClass } : {}) };
}

export const isFolder = (entry: ListingEntry): entry is FolderEntry => 'folder' in entry && entry.folder === true;

/** Where a listing of one level reads. */
export interface LevelSource {
  /** The first key inside `folder` after `after`, if any (a seek in `objects`). */
  firstKeyAfter(folder: string, after: string): Promise<ListedObjectFields | undefined>;
  /** The level's entries whose name starts with the prefix, after `after` (all of them when undefined), in S3's order. */
  entries(after: string | undefined, limit: number): Promise<ListingEntry[]>;
}

/**
 * The files and folders directly under `prefix` after `after`, in S3's order: what a listing
 * with delimiter '/' pages through, a folder standing for its common prefix. A cursor inside a
 * folder (a start-after key, or a page that ended there) resumes with that folder's next key,
 * so that the folder's common prefix is still listed when keys follow the cursor in it.
 */
export async function listLevel({ prefix, after, limit }: { prefix: string; after?: string; limit: number }, source: LevelSource): Promise<ListingEntry[]> {
  let from = after !== undefined && compareUtf8(after, prefix) >= 0 ? after : undefined;
  if (from !== undefined && from.startsWith(prefix)) {
    const at = from.indexOf('/', prefix.length);
    if (at !== -1) {
      const folder = from.slice(0, at + 1);
      const inside = await source.firstKeyAfter(folder, from);
      if (inside) return [inside];
      // Nothing left in the folder: resume after it.
      from = folder;
    }
  }
  return source.entries(from, limit);
}
