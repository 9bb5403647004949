import { unstorableStringReason } from '../../event-log/storable.js';
import { S3Error } from '../../errors/s3.error.js';
import { S3_OPERATIONS, type S3Operation } from '../operations/index.js';
import type { S3OperationDefinition, SubresourceRoute } from '../operations/s3-operation.definition.js';
import { assertKeyLength, assertStorableKey } from './object-key.js';
import { pathStyleRawPath, type S3Addressing } from './virtual-host.js';

export interface RoutedRequest {
  operation: S3Operation;
  bucket?: string;
  key?: string;
}

export interface S3RequestLine {
  /** The HTTP method exactly as received (methods are case-sensitive, RFC 9110 §9.1). */
  method: string;
  /** The path of the request target, still percent-encoded, without the query string. */
  rawPath: string;
  query: URLSearchParams;
  /** The Host header; with `S3Addressing.domain` it may name the bucket (virtual-hosted style). */
  host?: string;
  /**
   * Whether the request carries x-amz-copy-source: the one header that selects an operation
   * (PUT object is CopyObject with it, PUT of a part is UploadPartCopy).
   */
  copySource?: boolean;
  /** Whether the body is multipart/form-data: POST /bucket with it is a browser form upload (PostObject). */
  formUpload?: boolean;
}

/**
 * Query parameters that make S3 perform a different operation from the one the method and path
 * alone suggest (`GET /b?versioning` is GetBucketVersioning, not a listing; `DELETE
 * /b/k?uploadId=…` aborts a multipart upload, it does not delete the object). Acting on such a request as the plain
 * operation would silently do the wrong thing, so each one no operation serves (see
 * UNIMPLEMENTED_QUERY_PARAMS) is answered with NotImplemented. Taken from the AWS SDK's operation table; names are case-sensitive as in
 * S3, and unknown parameters (cache-busters, presigned-URL auth) are ignored as S3 ignores them.
 */
const NAMED_BY_AWS_QUERY_PARAMS = [
  // Bucket configuration sub-resources.
  'abac',
  'accelerate',
  'analytics',
  'encryption',
  'intelligent-tiering',
  'inventory',
  'lifecycle',
  'logging',
  'metadataAnnotationTable',
  'metadataConfiguration',
  'metadataInventoryTable',
  'metadataJournalTable',
  'metadataTable',
  'metrics',
  'object-lock',
  'ownershipControls',
  'policyStatus',
  'publicAccessBlock',
  'replication',
  'requestPayment',
  'website',
  // Other bucket-level operations: CreateSession.
  'session',
  // Object sub-resources.
  'annotation',
  'attributes',
  'legal-hold',
  'renameObject',
  'restore',
  'retention',
  'select',
  'select-type',
  'torrent',
];

type SubresourceTable = Readonly<Record<string, Readonly<Partial<Record<string, S3Operation>>>>>;

/**
 * The sub-resources we serve, read from the operations' own declarations: on the bucket, and on
 * an object, by method. Elsewhere they still name operations we do not have (`GET /b/k?acl` is
 * GetObjectAcl, `GET /b?tagging` is GetBucketTagging), so those combinations stay NotImplemented.
 */
function subresourceTable(on: SubresourceRoute['on']): SubresourceTable {
  const table: Record<string, Partial<Record<string, S3Operation>>> = {};
  for (const [operation, { subresource: route }] of Object.entries(S3_OPERATIONS) as [S3Operation, S3OperationDefinition][]) {
    if (route?.on !== on) continue;
    const methods = (table[route.name] ??= {});
    if (methods[route.method] !== undefined) throw new Error(`${operation} and ${methods[route.method]} both route ${route.method} ?${route.name}`);
    methods[route.method] = operation;
  }
  return table;
}

const BUCKET_SUBRESOURCE_OPERATIONS = subresourceTable('bucket');
const OBJECT_SUBRESOURCE_OPERATIONS = subresourceTable('object');
const SERVED_SUBRESOURCES = [...new Set([...Object.keys(BUCKET_SUBRESOURCE_OPERATIONS), ...Object.keys(OBJECT_SUBRESOURCE_OPERATIONS)])];

/** The sub-resources AWS has that no operation of ours serves yet. */
const UNIMPLEMENTED_QUERY_PARAMS: ReadonlySet<string> = new Set(NAMED_BY_AWS_QUERY_PARAMS.filter((name) => !SERVED_SUBRESOURCES.includes(name)));

/** Operations that act on the version a `versionId` names (they declare its action); on any other it would be ignored. */
const VERSION_ADDRESSED_OPERATIONS: ReadonlySet<S3Operation> = new Set(
  (Object.entries(S3_OPERATIONS) as [S3Operation, S3OperationDefinition][])
    .filter(([, definition]) => definition.versionAction !== undefined)
    .map(([operation]) => operation),
);

/** Methods S3 answers on some resource; anything else is MethodNotAllowed. */
const S3_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'POST', 'OPTIONS']);

interface Target {
  bucket?: string;
  key?: string;
}

/**
 * Maps an S3 request to the operation it names, or throws the S3Error AWS would answer with.
 * Pure: looks only at the method, the raw path, the query and (for virtual-hosted style, when
 * `addressing.domain` is set) the Host, and whether x-amz-copy-source is present (CopyObject,
 * UploadPartCopy).
 */
export function routeS3Request(input: S3RequestLine, addressing: S3Addressing = {}): RoutedRequest {
  const target = parsePathStyle(pathStyleRawPath(input.rawPath, input.host, addressing.domain));
  if (!S3_METHODS.has(input.method)) throw methodNotAllowed(input.method, target);
  // A preflight asks about the request it precedes, query string and all (a version, the SDK's
  // x-id), so no parameter changes what OPTIONS is.
  if (input.method === 'OPTIONS') {
    if (target.bucket === undefined) throw new S3Error('NotImplemented');
    return { operation: 'CorsPreflight', ...target };
  }
  rejectUnimplementedQueryParams(input.query);
  rejectUnstorableQueryValues(input.query);
  rejectMisplacedDelete(input.method, target, input.query);
  const operation = operationFor(input.method, target, input.query, input.copySource === true, input.formUpload === true);
  rejectMismatchedOperationHint(input.query, operation);
  // A preflight asks about another request, whatever that names; it addresses no version itself.
  if (input.query.has('versionId') && operation !== 'CorsPreflight' && !VERSION_ADDRESSED_OPERATIONS.has(operation)) throw new S3Error('NotImplemented');
  return { operation, ...target };
}

/**
 * `/bucket/key…`: the bucket is the first segment, the key is everything after the slash that
 * ends it, byte for byte. Keys are never normalized ('//', '..', '\\' are legal key characters),
 * and segments are split before decoding so an encoded '/' (%2F) stays inside the key.
 */
function parsePathStyle(rawPath: string): Target {
  if (!rawPath.startsWith('/')) throw invalidUri(rawPath);
  const rest = rawPath.slice(1);
  if (rest === '') return {};
  const slash = rest.indexOf('/');
  const bucket = percentDecode(slash === -1 ? rest : rest.slice(0, slash), rawPath);
  // "//key" names no bucket at all: nothing sensible to route it to.
  if (bucket === '') throw invalidUri(rawPath);
  if (!COULD_BE_A_BUCKET.test(bucket)) throw new S3Error('InvalidBucketName', { details: { BucketName: bucket } });
  const key = slash === -1 ? '' : percentDecode(rest.slice(slash + 1), rawPath);
  if (key === '') return { bucket };
  assertKeyLength(key);
  assertStorableKey(key);
  return { bucket, key };
}

/**
 * Every name a bucket could ever have had, including S3's legacy us-east-1 names (up to 255
 * letters, digits, '.', '-' and '_'). CreateBucket applies today's stricter rules; a name outside
 * even these is refused here, before it reaches a query.
 */
const COULD_BE_A_BUCKET = /^[A-Za-z0-9._-]{1,255}$/;

/** Query values reach queries (prefix, markers) and headers (response-*): none may hold U+0000. */
function rejectUnstorableQueryValues(query: URLSearchParams): void {
  for (const [name, value] of query) {
    const reason = unstorableStringReason(name) ?? unstorableStringReason(value);
    if (reason !== undefined) {
      throw new S3Error('InvalidArgument', { message: `Query parameter ${reason}.`, details: { ArgumentName: unstorableStringReason(name) ? '' : name } });
    }
  }
}

function percentDecode(segment: string, rawPath: string): string {
  try {
    return decodeURIComponent(segment);
  } catch (error) {
    // URIError: a '%' not followed by two hex digits, or escapes that are not valid UTF-8.
    if (error instanceof URIError) throw invalidUri(rawPath);
    throw error;
  }
}

function rejectUnimplementedQueryParams(query: URLSearchParams): void {
  for (const name of query.keys()) {
    if (UNIMPLEMENTED_QUERY_PARAMS.has(name)) throw new S3Error('NotImplemented');
  }
}

/** `?delete` is DeleteObjects on POST /bucket; anywhere else it names nothing we have. */
function rejectMisplacedDelete(method: string, target: Target, query: URLSearchParams): void {
  if (!query.has('delete')) return;
  if (method !== 'POST' || target.bucket === undefined || target.key !== undefined) throw new S3Error('NotImplemented');
}

function operationFor(method: string, target: Target, query: URLSearchParams, copySource: boolean, formUpload: boolean): S3Operation {
  const multipart = multipartOperation(method, target, query, copySource);
  if (multipart !== undefined) return multipart;
  const subresource = servedSubresource(query);
  if (subresource !== undefined) return subresourceOperation(method, target, subresource);
  if (target.bucket === undefined) return serviceOperation(method, target);
  if (target.key === undefined) return bucketOperation(method, query, formUpload);
  return objectOperation(method, target, copySource);
}

/**
 * `?uploads`, `?uploadId` and `?partNumber` name multipart operations, on an object only.
 * ListMultipartUploads is GET /b?uploads. ?partNumber alone on GET/HEAD is GetObject/HeadObject
 * of one part; any mix with another sub-resource is an operation we do not have.
 */
function multipartOperation(method: string, target: Target, query: URLSearchParams, copySource: boolean): S3Operation | undefined {
  const uploads = query.has('uploads');
  const uploadId = query.has('uploadId');
  const partNumber = query.has('partNumber');
  if (!uploads && !uploadId && !partNumber) return undefined;
  const mixed = SERVED_SUBRESOURCES.some((name) => query.has(name)) || query.has('delete');
  if (mixed) throw new S3Error('NotImplemented');
  if (target.key === undefined) {
    if (target.bucket !== undefined && method === 'GET' && uploads && !uploadId && !partNumber) return 'ListMultipartUploads';
    throw new S3Error('NotImplemented');
  }
  if (uploads) {
    if (method === 'POST' && !uploadId && !partNumber) return 'CreateMultipartUpload';
    throw new S3Error('NotImplemented');
  }
  if (!uploadId) {
    if (method === 'GET') return 'GetObject';
    if (method === 'HEAD') return 'HeadObject';
    throw new S3Error('NotImplemented');
  }
  if (partNumber) {
    if (method === 'PUT') return copySource ? 'UploadPartCopy' : 'UploadPart';
    throw new S3Error('NotImplemented');
  }
  const operation = ({ POST: 'CompleteMultipartUpload', DELETE: 'AbortMultipartUpload', GET: 'ListParts' } as const)[
    method as 'POST' | 'DELETE' | 'GET'
  ];
  if (operation === undefined) throw new S3Error('NotImplemented');
  return operation;
}

/** The one served sub-resource the query names, if any. */
function servedSubresource(query: URLSearchParams): string | undefined {
  const named = SERVED_SUBRESOURCES.filter((name) => query.has(name));
  // S3 resolves `?acl&policy` by a precedence it does not document; guessing could act wrongly.
  if (named.length > 1) throw new S3Error('NotImplemented');
  return named[0];
}

function subresourceOperation(method: string, target: Target, subresource: string): S3Operation {
  if (target.bucket === undefined) throw new S3Error('NotImplemented');
  const table = target.key === undefined ? BUCKET_SUBRESOURCE_OPERATIONS : OBJECT_SUBRESOURCE_OPERATIONS;
  const operation = table[subresource]?.[method];
  if (operation === undefined) throw new S3Error('NotImplemented');
  return operation;
}

function serviceOperation(method: string, target: Target): S3Operation {
  if (method === 'GET') return 'ListBuckets';
  throw methodNotAllowed(method, target);
}

function bucketOperation(method: string, query: URLSearchParams, formUpload: boolean): S3Operation {
  switch (method) {
    case 'PUT':
      return 'CreateBucket';
    case 'HEAD':
      return 'HeadBucket';
    case 'DELETE':
      return 'DeleteBucket';
    case 'GET':
      if (query.get('list-type') === '2') return 'ListObjectsV2';
      // Without list-type this is ListObjects (v1); another list-type is none we know.
      if (!query.has('list-type')) return 'ListObjects';
      throw new S3Error('NotImplemented');
    case 'POST':
      if (query.has('delete')) return 'DeleteObjects';
      // POST /bucket with a form: a browser upload (PostObject).
      if (formUpload) return 'PostObject';
      throw new S3Error('NotImplemented');
    default:
      throw new S3Error('NotImplemented');
  }
}

function objectOperation(method: string, target: Target, copySource: boolean): S3Operation {
  switch (method) {
    case 'PUT':
      return copySource ? 'CopyObject' : 'PutObject';
    case 'GET':
      return 'GetObject';
    case 'HEAD':
      return 'HeadObject';
    case 'DELETE':
      return 'DeleteObject';
    default:
      // POST on an object only exists with a sub-resource (uploads, uploadId, restore, select),
      // all rejected earlier.
      throw methodNotAllowed(method, target);
  }
}

/**
 * The JS SDK v3 names the operation it means in `x-id` (e.g. `PUT /b/k?x-id=CopyObject`, which
 * is otherwise indistinguishable from PutObject without looking at headers). When the hint
 * disagrees with our routing, the client wants an operation we do not have.
 */
function rejectMismatchedOperationHint(query: URLSearchParams, operation: S3Operation): void {
  const hint = query.get('x-id');
  if (hint !== null && hint !== operation) throw new S3Error('NotImplemented');
}

function invalidUri(rawPath: string): S3Error {
  return new S3Error('InvalidURI', { details: { URI: rawPath } });
}

function methodNotAllowed(method: string, target: Target): S3Error {
  const details: Record<string, string> = { Method: method };
  if (target.key !== undefined) details.ResourceType = 'OBJECT';
  else if (target.bucket !== undefined) details.ResourceType = 'BUCKET';
  return new S3Error('MethodNotAllowed', { details });
}
