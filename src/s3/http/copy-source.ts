import { unstorableStringReason } from '../../event-log/storable.js';
import { S3Error } from '../../errors/s3.error.js';

export interface CopySource {
  bucket: string;
  key: string;
  /** `?versionId=` of the header, if any (versioning is not wired yet: only `null` is served). */
  versionId?: string;
}

export type Directive = 'COPY' | 'REPLACE';

function invalidCopySource(message: string): S3Error {
  return new S3Error('InvalidArgument', { message, details: { ArgumentName: 'x-amz-copy-source' } });
}

/**
 * x-amz-copy-source: `bucket/key` or `/bucket/key`, URL-encoded, with an optional
 * `?versionId=…`. The '?' is looked for before decoding, so an encoded %3F stays in the key.
 */
export function parseCopySource(header: string | string[] | undefined): CopySource {
  const raw = (Array.isArray(header) ? header[0] : header)?.trim() ?? '';
  const question = raw.indexOf('?');
  const path = question === -1 ? raw : raw.slice(0, question);
  let versionId: string | undefined;
  if (question !== -1) {
    const params = new URLSearchParams(raw.slice(question + 1));
    versionId = params.get('versionId') ?? undefined;
    if (versionId === undefined || [...params.keys()].some((name) => name !== 'versionId')) {
      throw invalidCopySource('Invalid copy source encoding.');
    }
    // It reaches a lookup (an unknown one is NoSuchVersion there): never with what no id can hold
    // (fuzzing found that %00 did).
    if (versionId === '' || unstorableStringReason(versionId) !== undefined) {
      throw new S3Error('InvalidArgument', { message: 'Invalid version id specified', details: { ArgumentName: 'versionId', ArgumentValue: versionId } });
    }
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(path.startsWith('/') ? path.slice(1) : path);
  } catch {
    throw invalidCopySource('Invalid copy source encoding.');
  }
  const slash = decoded.indexOf('/');
  if (slash <= 0 || slash === decoded.length - 1) {
    throw invalidCopySource('Copy Source must mention the source bucket and key: sourcebucket/sourcekey.');
  }
  // No key holding one was ever stored: refused before it reaches a lookup.
  if (unstorableStringReason(decoded) !== undefined) throw invalidCopySource('Invalid copy source encoding.');
  return { bucket: decoded.slice(0, slash), key: decoded.slice(slash + 1), ...(versionId !== undefined ? { versionId } : {}) };
}

/**
 * x-amz-metadata-directive / x-amz-tagging-directive: COPY (the default) or REPLACE; AWS
 * compares them case-sensitively.
 */
export function parseDirective(header: string | string[] | undefined, name: 'metadata' | 'tagging'): Directive {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return 'COPY';
  if (value === 'COPY' || value === 'REPLACE') return value;
  throw new S3Error('InvalidArgument', {
    message: `Unknown ${name} directive.`,
    details: { ArgumentName: `x-amz-${name}-directive`, ArgumentValue: value },
  });
}
