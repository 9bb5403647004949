import { compareUtf8 } from '../../../metadata/id-ranges.js';
import { S3Error } from '../../../errors/s3.error.js';

export interface ListedObject {
  key: string;
}

/**
 * Returns objects whose key starts with `prefix` and is strictly greater than `after` (UTF-8 byte
 * order), sorted in UTF-8 byte order, at most `limit`. Returning fewer than `limit` is allowed
 * (e.g. after filtering); only an empty result is taken to mean "nothing more".
 */
export type FetchKeysAfter<T extends ListedObject> = (q: {
  prefix: string;
  after?: string;
  limit: number;
}) => Promise<T[]>;

export interface ListObjectsV2Params {
  prefix: string;
  /** '' is treated as no delimiter. */
  delimiter?: string;
  /** Already validated and clamped, see parseMaxKeys. */
  maxKeys: number;
  startAfter?: string;
  continuationToken?: string;
  /** ListObjects (v1): resume after this key or common prefix. */
  marker?: string;
}

export interface ListObjectsV2Page<T> {
  contents: T[];
  commonPrefixes: string[];
  keyCount: number;
  isTruncated: boolean;
  nextContinuationToken?: string;
  /** ListObjects (v1): the last key or common prefix of a truncated page. */
  nextMarker?: string;
}

export const DEFAULT_MAX_KEYS = 1000;

/** S3 never returns more than this many keys + common prefixes per page, whatever max-keys says. */
export const MAX_KEYS_LIMIT = 1000;

/**
 * The highest code point: P + U+10FFFF sorts after every key that starts with P, except keys
 * that themselves continue P with U+10FFFF (which the listing tolerates and skips).
 */
export const GROUP_END = '\u{10FFFF}';

export { compareUtf8 };

/**
 * max-keys as S3 reads it: absent → 1000; above 1000 → 1000 (S3's page size limit);
 * not a 32-bit integer, or negative → InvalidArgument with AWS's messages.
 */
export function parseMaxKeys(raw: string | null): number {
  if (raw === null) return DEFAULT_MAX_KEYS;
  const value = /^[+-]?\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value > 2 ** 31 - 1 || value < -(2 ** 31)) {
    throw new S3Error('InvalidArgument', {
      message: 'Provided max-keys not an integer or within integer range',
      details: { ArgumentName: 'max-keys', ArgumentValue: raw },
    });
  }
  if (value < 0) {
    throw new S3Error('InvalidArgument', {
      message: 'Argument maxKeys must be an integer between 0 and 2147483647',
      details: { ArgumentName: 'maxKeys', ArgumentValue: raw },
    });
  }
  return value === 0 ? 0 : Math.min(value, MAX_KEYS_LIMIT); // '-0' must not yield -0
}

/** One entry of a page: an object, or a common prefix standing for a whole group of keys. */
type Entry<T> = { kind: 'key'; object: T } | { kind: 'prefix'; prefix: string };

/**
 * Where a listing resumes: strictly after `after`, and never again inside the group of the
 * common prefix `group` (already emitted, on this page or the previous one).
 */
interface Cursor {
  after?: string;
  group?: string;
}

/**
 * ListObjectsV2 over a sorted key source. Keys and common prefixes both count toward max-keys;
 * each common prefix appears once across all pages, since continuation tokens remember it.
 */
export async function listObjectsV2<T extends ListedObject>(
  fetch: FetchKeysAfter<T>,
  params: ListObjectsV2Params,
): Promise<ListObjectsV2Page<T>> {
  // Decode first: a bad token is an error even when max-keys=0.
  const start: Cursor =
    params.continuationToken !== undefined
      ? decodeContinuationToken(params.continuationToken)
      : params.marker !== undefined
        ? markerCursor(params.marker, params)
        : { after: params.startAfter };
  if (params.maxKeys <= 0) return toPage<T>([], false);

  // One entry beyond max-keys tells whether the listing is truncated.
  const entries = await collectEntries(fetch, params, start, params.maxKeys + 1);
  const isTruncated = entries.length > params.maxKeys;
  return toPage(entries.slice(0, params.maxKeys), isTruncated);
}

async function collectEntries<T extends ListedObject>(
  fetch: FetchKeysAfter<T>,
  { prefix, delimiter }: ListObjectsV2Params,
  start: Cursor,
  wanted: number,
): Promise<Entry<T>[]> {
  const entries: Entry<T>[] = [];
  let cursor: Cursor =
    start.group === undefined ? start : { after: maxUtf8(start.after, start.group + GROUP_END), group: start.group };

  // Each common prefix is a seek past its group: after a batch that was mostly group members
  // skipped, the next reads only a few keys, so a group of 10,000 keys costs a seek, not 10,000
  // reads; a batch of mostly entries lets the next one grow again.
  let limit = wanted;
  while (entries.length < wanted) {
    const batch = await fetch({ prefix, after: cursor.after, limit: Math.min(limit, wanted - entries.length) });
    if (batch.length === 0) break;
    const before = cursor.after;
    const had = entries.length;
    for (const object of batch) {
      if (entries.length >= wanted) break;
      // Defensive against a source that breaks its contract (and would make us loop forever).
      if (!object.key.startsWith(prefix) || !isAfter(object.key, cursor.after)) continue;
      cursor = { ...cursor, after: object.key };
      // A key inside a group already emitted: seen again past P + U+10FFFF, or in the same batch.
      if (cursor.group !== undefined && object.key.startsWith(cursor.group)) continue;
      const group = delimiter ? commonPrefixOf(object.key, prefix, delimiter) : undefined;
      if (group === undefined) {
        entries.push({ kind: 'key', object });
      } else {
        entries.push({ kind: 'prefix', prefix: group });
        // Skip the rest of the group in one step rather than reading every member.
        cursor = { after: maxUtf8(object.key, group + GROUP_END), group };
      }
    }
    if (cursor.after === before) throw new Error('FetchKeysAfter returned no key after the cursor');
    limit = Math.max(1, 2 * (entries.length - had) + 1);
  }
  return entries;
}

/**
 * ListObjects (v1) resumes from a marker: the NextMarker of the previous page, which is either a
 * key or a common prefix. Resuming after a common prefix skips its whole group, as a
 * continuation token does; otherwise clients paging by NextMarker would see the group forever.
 */
function markerCursor(marker: string, { prefix, delimiter }: ListObjectsV2Params): Cursor {
  const isGroup = delimiter !== undefined && delimiter !== '' && commonPrefixOf(marker, prefix, delimiter) === marker;
  return isGroup ? { after: marker, group: marker } : { after: marker };
}

/** prefix + everything up to and including the first delimiter after the prefix, if any. */
export function commonPrefixOf(key: string, prefix: string, delimiter: string): string | undefined {
  const at = key.indexOf(delimiter, prefix.length);
  return at === -1 ? undefined : key.slice(0, at + delimiter.length);
}

function toPage<T extends ListedObject>(entries: Entry<T>[], isTruncated: boolean): ListObjectsV2Page<T> {
  const contents: T[] = [];
  const commonPrefixes: string[] = [];
  for (const entry of entries) {
    if (entry.kind === 'key') contents.push(entry.object);
    else commonPrefixes.push(entry.prefix);
  }
  const last = entries.at(-1);
  return {
    contents,
    commonPrefixes,
    keyCount: entries.length,
    isTruncated,
    ...(isTruncated && last !== undefined
      ? {
          nextContinuationToken: encodeContinuationToken(last),
          nextMarker: last.kind === 'key' ? last.object.key : last.prefix,
        }
      : {}),
  };
}

function isAfter(key: string, after: string | undefined): boolean {
  return after === undefined || compareUtf8(key, after) > 0;
}

function maxUtf8(a: string | undefined, b: string): string {
  return a !== undefined && compareUtf8(a, b) > 0 ? a : b;
}

/*
 * Continuation tokens are opaque to clients: base64url of a one-letter tag and the last entry
 * of the page, 'K' + key or 'P' + common prefix. The tag matters: resuming after a common
 * prefix must skip its whole group and never list it again, resuming after a key must not.
 */
const KEY_TAG = 'K';
const PREFIX_TAG = 'P';
const MAX_TOKEN_VALUE_BYTES = 1024; // keys (hence common prefixes) are at most 1024 bytes

function encodeContinuationToken(entry: Entry<ListedObject>): string {
  const payload = entry.kind === 'key' ? KEY_TAG + entry.object.key : PREFIX_TAG + entry.prefix;
  return Buffer.from(payload, 'utf8').toString('base64url');
}

function decodeContinuationToken(token: string): Cursor {
  const bytes = /^[A-Za-z0-9_-]+$/.test(token) ? Buffer.from(token, 'base64url') : undefined;
  // Canonical form only: Node's decoder silently ignores trailing garbage bits.
  if (bytes === undefined || bytes.toString('base64url') !== token) throw invalidToken(token);
  let payload: string;
  try {
    payload = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw invalidToken(token);
  }
  const value = payload.slice(1);
  if (value === '' || Buffer.byteLength(value, 'utf8') > MAX_TOKEN_VALUE_BYTES) throw invalidToken(token);
  if (payload.startsWith(KEY_TAG)) return { after: value };
  if (payload.startsWith(PREFIX_TAG)) return { after: value, group: value };
  throw invalidToken(token);
}

function invalidToken(token: string): S3Error {
  return new S3Error('InvalidArgument', {
    message: 'The continuation token provided is incorrect',
    details: { ArgumentName: 'continuation-token', ArgumentValue: token },
  });
}
