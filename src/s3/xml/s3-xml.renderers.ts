import type { VersionDocument } from '../../metadata/metadata.documents.js';
import type { ListObjectVersionsPage, ListObjectVersionsParams } from '../../objects/queries/list-object-versions/list-object-versions.paginator.js';
import { deferredText, element, renderXml, textElement, type DeferredText, type XmlElement } from './xml.writer.js';

// The parser lives in its own file; re-exported so all S3 XML bodies come from one module.
export {
  parseCreateBucketConfiguration,
  type CreateBucketConfiguration,
} from './create-bucket-configuration.parser.js';
export {
  parseDeleteObjects,
  DELETE_OBJECTS_DOCUMENT,
  MAX_DELETE_OBJECTS_BODY_BYTES,
  type DeleteObjectsEntry,
  type DeleteObjectsRequestBody,
} from './delete-objects.parser.js';

/** S3's XML namespace: on every result document, but not on <Error>. */
export const S3_XML_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

export interface S3Owner {
  id: string;
  displayName: string;
}

export interface ErrorXml {
  code: string;
  message: string;
  resource?: string;
  requestId: string;
  /** x-amz-id-2; AWS always sends it, we only when we have one. */
  hostId?: string;
  /** Code-specific elements (BucketName, Key, ArgumentName…), written after Message. */
  details?: Readonly<Record<string, string>>;
}

/** Elements renderError writes itself; a detail with one of these names would duplicate it. */
const FIXED_ERROR_ELEMENTS = new Set(['Code', 'Message', 'Resource', 'RequestId', 'HostId']);

/** `<Error><Code/><Message/>[details]<Resource/><RequestId/><HostId/></Error>`, AWS's order. */
export function renderError(error: ErrorXml): string {
  const details = Object.entries(error.details ?? {})
    .filter(([name]) => !FIXED_ERROR_ELEMENTS.has(name))
    .map(([name, value]) => textElement(name, value));
  return renderXml(
    element('Error', [
      textElement('Code', error.code),
      textElement('Message', error.message),
      ...details,
      ...optional('Resource', error.resource),
      textElement('RequestId', error.requestId),
      ...optional('HostId', error.hostId),
    ]),
  );
}

export interface ListAllMyBucketsXml {
  owner: S3Owner;
  buckets: readonly { name: string; creationDate: Date; region?: string }[];
  /** Set when more buckets follow (max-buckets). */
  continuationToken?: string;
  /** The prefix asked for, echoed. */
  prefix?: string;
}

export function renderListAllMyBuckets(result: ListAllMyBucketsXml): string {
  return renderXml(
    element(
      'ListAllMyBucketsResult',
      [
        ownerElement(result.owner),
        element(
          'Buckets',
          result.buckets.map((bucket) =>
            element('Bucket', [
              textElement('Name', bucket.name),
              textElement('CreationDate', s3Timestamp(bucket.creationDate)),
              ...(bucket.region !== undefined ? [textElement('BucketRegion', bucket.region)] : []),
            ]),
          ),
        ),
        ...(result.continuationToken !== undefined ? [textElement('ContinuationToken', result.continuationToken)] : []),
        ...(result.prefix !== undefined ? [textElement('Prefix', result.prefix)] : []),
      ],
      { xmlns: S3_XML_NAMESPACE },
    ),
  );
}

/** One object of a listing; an ObjectDocument of the read model fits as is. */
export interface ListObjectsV2Entry {
  key: string;
  lastModified: Date;
  /** Hex digest (or multipart "hex-N"); quoted here unless already quoted. */
  etag: string;
  size: number;
  /** The object's class (ObjectStored v2); absent (a read model from before v2) renders STANDARD. */
  storageClass?: string;
  /** Canonical user id, rendered only with fetch-owner=true. */
  owner?: string;
  ownerDisplayName?: string;
}

/**
 * What the request asked for and the page the paginator produced; shaped like
 * ListObjectsV2Params / ListObjectsV2Page (structurally, so this module depends on neither).
 */
export interface ListObjectsV2Xml {
  bucket: string;
  params: {
    prefix: string;
    /** Rendered only when the request carried one. */
    delimiter?: string;
    maxKeys: number;
    startAfter?: string;
    continuationToken?: string;
  };
  page: {
    contents: readonly ListObjectsV2Entry[];
    commonPrefixes: readonly string[];
    keyCount: number;
    isTruncated: boolean;
    nextContinuationToken?: string;
  };
  /** With 'url', Key, Prefix, Delimiter, StartAfter and CommonPrefixes are URL-encoded, as S3 does. */
  encodingType?: 'url';
  /** S3 omits Owner from Contents unless the request had fetch-owner=true. */
  fetchOwner?: boolean;
}

/**
 * ListBucketResult in the order S3 sends it on the wire (which is not the alphabetical order of
 * the API reference's "Response Syntax" block): Name, Prefix, StartAfter, ContinuationToken,
 * NextContinuationToken, KeyCount, MaxKeys, Delimiter, IsTruncated, Contents…,
 * CommonPrefixes…, EncodingType.
 */
export function listObjectsV2Document({ bucket, params, page, encodingType, fetchOwner }: ListObjectsV2Xml): XmlElement {
  const { encode, maybeEncoded } = keyEncoding(encodingType);
  return element(
    'ListBucketResult',
    [
      textElement('Name', bucket),
      textElement('Prefix', encode(params.prefix)),
      ...optional('StartAfter', maybeEncoded(params.startAfter)),
      ...optional('ContinuationToken', params.continuationToken),
      ...optional('NextContinuationToken', page.nextContinuationToken),
      textElement('KeyCount', page.keyCount),
      textElement('MaxKeys', params.maxKeys),
      ...optional('Delimiter', maybeEncoded(params.delimiter)),
      textElement('IsTruncated', page.isTruncated),
      ...page.contents.map((entry) => contentsElement(entry, encode, fetchOwner === true)),
      ...page.commonPrefixes.map((prefix) => element('CommonPrefixes', [textElement('Prefix', encode(prefix))])),
      ...optional('EncodingType', encodingType),
    ],
    { xmlns: S3_XML_NAMESPACE },
  );
}

export interface ListObjectsV1Xml {
  bucket: string;
  params: { prefix: string; delimiter?: string; maxKeys: number; marker?: string };
  page: ListObjectsV2Xml['page'] & { nextMarker?: string };
  encodingType?: 'url';
}

/** ListObjects (v1): Marker/NextMarker instead of tokens, and Owner always in Contents. */
export function listObjectsV1Document({ bucket, params, page, encodingType }: ListObjectsV1Xml): XmlElement {
  const { encode, maybeEncoded } = keyEncoding(encodingType);
  return element(
    'ListBucketResult',
    [
      textElement('Name', bucket),
      textElement('Prefix', encode(params.prefix)),
      textElement('Marker', encode(params.marker ?? '')),
      // S3 sends NextMarker only with a delimiter; without one, clients resume from the last Key.
      ...optional('NextMarker', params.delimiter ? maybeEncoded(page.nextMarker) : undefined),
      textElement('MaxKeys', params.maxKeys),
      ...optional('Delimiter', maybeEncoded(params.delimiter)),
      textElement('IsTruncated', page.isTruncated),
      ...page.contents.map((entry) => contentsElement(entry, encode, true)),
      ...page.commonPrefixes.map((prefix) => element('CommonPrefixes', [textElement('Prefix', encode(prefix))])),
      ...optional('EncodingType', encodingType),
    ],
    { xmlns: S3_XML_NAMESPACE },
  );
}

function contentsElement(entry: ListObjectsV2Entry, encode: KeyEncoder, withOwner: boolean): XmlElement {
  return element('Contents', [
    textElement('Key', encode(entry.key)),
    textElement('LastModified', s3Timestamp(entry.lastModified)),
    textElement('ETag', quoteEtag(entry.etag)),
    textElement('Size', entry.size),
    ...(withOwner ? [ownerElement({ id: entry.owner ?? '', displayName: entry.ownerDisplayName ?? '' })] : []),
    textElement('StorageClass', entry.storageClass ?? 'STANDARD'),
  ]);
}

function ownerElement(owner: S3Owner): XmlElement {
  return element('Owner', [textElement('ID', owner.id), textElement('DisplayName', owner.displayName)]);
}

export interface ListVersionsXml {
  bucket: string;
  params: ListObjectVersionsParams;
  page: ListObjectVersionsPage<VersionDocument>;
  encodingType?: 'url';
}

/** `<ListVersionsResult>`: versions and delete markers in listing order, then common prefixes. */
export function listVersionsDocument({ bucket, params, page, encodingType }: ListVersionsXml): XmlElement {
  const { encode, maybeEncoded } = keyEncoding(encodingType);
  const versionElements = page.entries.flatMap((entry) => {
    if (entry.kind !== 'version') return [];
    const v = entry.version;
    const head = [textElement('Key', encode(v.key)), textElement('VersionId', v.versionId), textElement('IsLatest', entry.isLatest), textElement('LastModified', s3Timestamp(v.lastModified))];
    const owner = ownerElement({ id: v.owner, displayName: v.ownerDisplayName });
    return v.isDeleteMarker
      ? [element('DeleteMarker', [...head, owner])]
      : [element('Version', [...head, textElement('ETag', quoteEtag(v.etag)), textElement('Size', v.size), textElement('StorageClass', v.storageClass ?? 'STANDARD'), owner])];
  });
  return element(
    'ListVersionsResult',
    [
      textElement('Name', bucket),
      textElement('Prefix', encode(params.prefix)),
      textElement('KeyMarker', encode(params.keyMarker ?? '')),
      textElement('VersionIdMarker', params.versionIdMarker ?? ''),
      ...optional('NextKeyMarker', maybeEncoded(page.nextKeyMarker)),
      ...optional('NextVersionIdMarker', page.nextVersionIdMarker),
      textElement('MaxKeys', params.maxKeys),
      ...optional('Delimiter', maybeEncoded(params.delimiter)),
      textElement('IsTruncated', page.isTruncated),
      ...versionElements,
      ...page.entries.flatMap((e) => (e.kind === 'prefix' ? [element('CommonPrefixes', [textElement('Prefix', encode(e.prefix))])] : [])),
      ...optional('EncodingType', encodingType),
    ],
    { xmlns: S3_XML_NAMESPACE },
  );
}

/** One entry of a DeleteResult: a key S3 reports deleted, or one it failed to delete. */
export type DeleteResultEntry =
  | { kind: 'deleted'; key: string; versionId?: string; deleteMarker?: boolean; deleteMarkerVersionId?: string }
  | { kind: 'error'; key: string; versionId?: string; code: string; message: string };

/**
 * `<DeleteResult>` with `<Deleted><Key/></Deleted>` and `<Error><Key/><Code/><Message/></Error>`
 * entries in the order given; the caller leaves out Deleted entries in quiet mode.
 */
export function deleteResultDocument(entries: readonly DeleteResultEntry[]): XmlElement {
  return element(
    'DeleteResult',
    entries.map((entry) =>
      entry.kind === 'deleted'
        ? element('Deleted', [
            textElement('Key', entry.key),
            ...optional('VersionId', entry.versionId),
            ...(entry.deleteMarker ? [textElement('DeleteMarker', true)] : []),
            ...optional('DeleteMarkerVersionId', entry.deleteMarkerVersionId),
          ])
        : element('Error', [
            textElement('Key', entry.key),
            ...optional('VersionId', entry.versionId),
            textElement('Code', entry.code),
            textElement('Message', entry.message),
          ]),
    ),
    { xmlns: S3_XML_NAMESPACE },
  );
}

/** Grantees name their kind with xsi:type, in the XML Schema instance namespace. */
export const XSI_NAMESPACE = 'http://www.w3.org/2001/XMLSchema-instance';

/** One grant of an ACL; an AclGrant of the canned-ACL model fits as is. */
export interface AccessControlGrantXml {
  grantee: { type: 'CanonicalUser'; id: string; displayName: string } | { type: 'Group'; uri: string };
  permission: string;
}

/** GetBucketAcl's body: the owner, then each grant with its grantee typed by xsi:type. */
export function renderAccessControlPolicy(owner: S3Owner, grants: readonly AccessControlGrantXml[]): string {
  return renderXml(
    element(
      'AccessControlPolicy',
      [
        ownerElement(owner),
        element(
          'AccessControlList',
          grants.map((grant) => element('Grant', [granteeElement(grant.grantee), textElement('Permission', grant.permission)])),
        ),
      ],
      { xmlns: S3_XML_NAMESPACE },
    ),
  );
}

function granteeElement(grantee: AccessControlGrantXml['grantee']): XmlElement {
  const children =
    grantee.type === 'Group'
      ? [textElement('URI', grantee.uri)]
      : [textElement('ID', grantee.id), textElement('DisplayName', grantee.displayName)];
  return element('Grantee', children, { 'xmlns:xsi': XSI_NAMESPACE, 'xsi:type': grantee.type });
}

/**
 * GetBucketLocation's body: the bucket's region, except that S3 answers us-east-1 (its historic
 * "US Standard" default) with an empty LocationConstraint, and SDKs read empty as us-east-1.
 */
export function renderLocationConstraint(region: string): string {
  return renderXml(element('LocationConstraint', region === 'us-east-1' ? [] : [region], { xmlns: S3_XML_NAMESPACE }));
}

/** How a listing writes keys and prefixes: as they are, or URL-encoded for `encoding-type=url`. */
export function keyEncoding(encodingType: 'url' | undefined): { encode: KeyEncoder; maybeEncoded: (value: string | undefined) => XmlText | undefined } {
  // Encoded when written, so renderXmlInSlices spreads the encoding of a large page.
  const encode: KeyEncoder = encodingType === 'url' ? (value) => deferredText(() => s3UrlEncode(value)) : (value) => value;
  return { encode, maybeEncoded: (value) => (value === undefined ? undefined : encode(value)) };
}

type XmlText = string | DeferredText;
type KeyEncoder = (value: string) => XmlText;

function optional(name: string, value: XmlText | undefined): XmlElement[] {
  return value === undefined ? [] : [textElement(name, value)];
}

/** ISO 8601 in UTC with milliseconds, e.g. 2019-10-12T17:50:30.000Z, as S3 writes timestamps in XML. */
export function s3Timestamp(date: Date): string {
  return date.toISOString();
}

/** S3 always shows the ETag as a quoted string. */
export function quoteEtag(etag: string): string {
  return etag.length >= 2 && etag.startsWith('"') && etag.endsWith('"') ? etag : `"${etag}"`;
}

const URL_SAFE_BYTE = /^[A-Za-z0-9\-_./*]$/;

/**
 * S3's encoding-type=url encoding: UTF-8 bytes percent-encoded (uppercase hex) except
 * A-Z a-z 0-9 - _ . / *. A space is %20, as in a path (s3-tests' encoding_basic: the common
 * prefix `quux ab/` is `quux%20ab/`): a client decoding with a plain percent-decoder (the JS
 * SDK's callers, decodeURIComponent) gets the key back, and botocore's unquote_plus does too.
 */
export function s3UrlEncode(value: string): string {
  // A key of only safe characters (the common case) is its own encoding.
  if (ALL_URL_SAFE.test(value)) return value;
  // The native encoder differs from S3's only on these: 1,000 keys of 1 KB took 200 ms byte by byte.
  try {
    return encodeURIComponent(value).replace(/%2F|[!~'()]/g, (m) => NATIVE_TO_S3[m]!);
  } catch {
    // A lone surrogate (never in a stored key) throws URIError: encode its UTF-8 replacement bytes.
    return s3UrlEncodeBytewise(value);
  }
}

/** The encoding spelled out byte by byte: the definition `s3UrlEncode` must agree with. */
export function s3UrlEncodeBytewise(value: string): string {
  let encoded = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    if (URL_SAFE_BYTE.test(String.fromCharCode(byte))) encoded += String.fromCharCode(byte);
    else encoded += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
}

const ALL_URL_SAFE = /^[A-Za-z0-9\-_./*]*$/;
const NATIVE_TO_S3: Readonly<Record<string, string>> = { '%2F': '/', '!': '%21', '~': '%7E', "'": '%27', '(': '%28', ')': '%29' };
