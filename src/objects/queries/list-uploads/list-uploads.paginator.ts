import { S3Error } from '../../../errors/s3.error.js';
import { commonPrefixOf, compareUtf8 } from '../list-objects-v2/list-objects-v2.paginator.js';

/** What a listing needs of an upload; an UploadDocument fits as is. */
export interface ListedUpload {
  _id: string;
  key: string;
  initiatedAt: Date;
}

export interface ListUploadsParams {
  prefix: string;
  /** Absent (or '') means no grouping. */
  delimiter?: string;
  keyMarker: string;
  /** Only meaningful together with keyMarker; S3 ignores it otherwise. */
  uploadIdMarker: string;
  /** Already validated and clamped, see parseMaxUploads. */
  maxUploads: number;
}

export interface ListUploadsPage<T> {
  uploads: T[];
  commonPrefixes: string[];
  isTruncated: boolean;
  /** The last key (or common prefix) of the page, '' for an empty page. */
  nextKeyMarker: string;
  /** The last upload's id, '' when the page is empty or ends on a common prefix. */
  nextUploadIdMarker: string;
}

export const DEFAULT_MAX_UPLOADS = 1000;

/**
 * max-uploads as S3 reads it: absent → 1000; above 1000 → 1000; not a 32-bit integer, or
 * negative → InvalidArgument (the same messages S3 uses for max-keys, with this parameter's name).
 */
export function parseMaxUploads(raw: string | null): number {
  if (raw === null) return DEFAULT_MAX_UPLOADS;
  const value = /^[+-]?\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value > 2 ** 31 - 1 || value < -(2 ** 31)) {
    throw new S3Error('InvalidArgument', {
      message: 'Provided max-uploads not an integer or within integer range',
      details: { ArgumentName: 'max-uploads', ArgumentValue: raw },
    });
  }
  if (value < 0) {
    throw new S3Error('InvalidArgument', {
      message: 'Argument max-uploads must be an integer between 0 and 2147483647',
      details: { ArgumentName: 'max-uploads', ArgumentValue: raw },
    });
  }
  return value === 0 ? 0 : Math.min(value, DEFAULT_MAX_UPLOADS); // '-0' must not yield -0
}

/**
 * S3's order: key (UTF-8 bytes), then initiation time; the id breaks ties within a millisecond,
 * which keeps this the order of the (time-ordered) ids.
 */
export function compareUploads(a: ListedUpload, b: ListedUpload): number {
  return compareUtf8(a.key, b.key) || a.initiatedAt.getTime() - b.initiatedAt.getTime() || compareUtf8(a._id, b._id);
}

type Entry<T> = { kind: 'upload'; upload: T } | { kind: 'prefix'; prefix: string };

/**
 * One page of ListMultipartUploads over all of a bucket's uploads in progress (few: each ends on
 * complete or abort, so they are held in memory). Uploads and common prefixes both count toward
 * max-uploads, and each common prefix appears once across pages: a key-marker that is itself a
 * common prefix (a NextKeyMarker we sent) resumes after its whole group.
 */
export function pageUploads<T extends ListedUpload>(all: readonly T[], params: ListUploadsParams): ListUploadsPage<T> {
  const delimiter = params.delimiter || undefined;
  const sorted = all.filter((u) => u.key.startsWith(params.prefix)).sort(compareUploads);
  const remaining = sorted.filter(afterMarker<T>(params, delimiter));

  const entries: Entry<T>[] = [];
  let isTruncated = false;
  let group: string | undefined;
  for (const upload of remaining) {
    const common = delimiter ? commonPrefixOf(upload.key, params.prefix, delimiter) : undefined;
    if (common !== undefined && common === group) continue;
    if (entries.length >= params.maxUploads) {
      isTruncated = params.maxUploads > 0;
      break;
    }
    group = common;
    entries.push(common === undefined ? { kind: 'upload', upload } : { kind: 'prefix', prefix: common });
  }

  const last = entries.at(-1);
  return {
    uploads: entries.flatMap((e) => (e.kind === 'upload' ? [e.upload] : [])),
    commonPrefixes: entries.flatMap((e) => (e.kind === 'prefix' ? [e.prefix] : [])),
    isTruncated,
    nextKeyMarker: last === undefined ? '' : last.kind === 'upload' ? last.upload.key : last.prefix,
    nextUploadIdMarker: last?.kind === 'upload' ? last.upload._id : '',
  };
}

/**
 * Without key-marker, everything. With it: keys after it; a key-marker that is a common prefix
 * also skips its group; with upload-id-marker, also the uploads of key-marker itself whose upload
 * id is greater (S3's documented rule). Upload ids are time-ordered (timeOrderedUploadId), so that
 * is "initiated after", and it holds even when the marker's upload completed since.
 */
function afterMarker<T extends ListedUpload>(params: ListUploadsParams, delimiter: string | undefined) {
  const { keyMarker, uploadIdMarker, prefix } = params;
  if (keyMarker === '') return () => true;
  if (delimiter !== undefined && commonPrefixOf(keyMarker, prefix, delimiter) === keyMarker) {
    return (u: T) => compareUtf8(u.key, keyMarker) > 0 && !u.key.startsWith(keyMarker);
  }
  return (u: T) => {
    const order = compareUtf8(u.key, keyMarker);
    return order > 0 || (order === 0 && uploadIdMarker !== '' && compareUtf8(u._id, uploadIdMarker) > 0);
  };
}
