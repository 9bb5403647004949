import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '../../objects/commands/multipart-upload/multipart-upload.commands.js';
import { assertPartNumber } from '../../bucket-stream/multipart.decider.js';
import { GetUploadQuery } from '../../objects/queries/get-upload/get-upload.query.js';
import { CompletableUploadQuery } from '../../objects/queries/get-upload/completable-upload.query.js';
import { parseMaxUploads } from '../../objects/queries/list-uploads/list-uploads.paginator.js';
import { ListUploadsQuery } from '../../objects/queries/list-uploads/list-uploads.query.js';
import { uploadChecksumOf } from '../../bucket-stream/multipart-checksum.js';
import type { ChecksumType } from '../../bucket-stream/object.events.js';
import { objectAclHeaders } from './object-acl.operation.js';
import { objectLockHeadersOf } from '../http/object-lock-headers.js';
import { S3Error } from '../../errors/s3.error.js';
import { setChecksumHeaders } from '../http/checksum-headers.js';
import { assertObjectChecksumForm, CHECKSUMS } from '../../integrity/checksums.js';
import { hasIntegrityHeader, payloadStream } from '../http/request-body.js';
import { COMPLETE_MULTIPART_UPLOAD_DOCUMENT } from '../xml/complete-multipart-upload.parser.js';
import {
  renderCompleteMultipartUploadResult,
  renderInitiateMultipartUploadResult,
  listMultipartUploadsDocument,
  listPartsDocument,
} from '../xml/multipart-upload.xml.js';
import { renderCopyPartResult } from '../xml/copy-object.xml.js';
import { authorizedCopySource, copySourceConditionsOf } from './copy-object.operation.js';
import { encodingTypeOf } from './list-objects-v2.operation.js';
import { DEFAULT_CONTENT_TYPE, taggingHeaderOf, userMetadataOf, writeConditionOf } from './put-object.operation.js';
import { contentHeadersOfRequest } from '../http/content-headers.js';
import { bucketOf, keyOf, lifecycleOf, sendEmpty, sendXml, sendXmlDocument, type S3OperationContext } from './s3-operation.context.js';
import { uploadAbortAt } from '../../bucket-stream/lifecycle-configuration.js';
import { headerSafeRuleId } from '../http/expiration-header.js';
import { defineS3Operation } from './s3-operation.definition.js';
import { setWrittenVersionHeader } from '../http/written-version-header.js';

const MAX_LIST_PARTS = 1000;

function uploadIdOf(ctx: S3OperationContext): string {
  return ctx.query.get('uploadId') ?? '';
}

/** A query parameter that must be a non-negative integer when present (partNumber, max-parts…). */
function integerParam(ctx: S3OperationContext, name: string, fallback: number): number {
  const raw = ctx.query.get(name);
  if (raw === null) return fallback;
  if (!/^\d{1,9}$/.test(raw)) {
    throw new S3Error('InvalidArgument', { details: { ArgumentName: name, ArgumentValue: raw } });
  }
  return Number(raw);
}

export const createMultipartUpload = defineS3Operation({
  action: 's3:PutObject',
  storesTaggingHeader: true,
  storesLockHeaders: true,
  storesAclHeaders: true,
  readOnly: false,
}, async (ctx) => {
  // The upload carries its own lock to the version its completion creates.
  const lock = objectLockHeadersOf(ctx.req);
  const acl = objectAclHeaders(ctx);
  const contentType = ctx.req.headers['content-type'] || DEFAULT_CONTENT_TYPE;
  const { 'x-amz-checksum-algorithm': algorithm, 'x-amz-checksum-type': type } = ctx.req.headers as Record<string, string | undefined>;
  const checksum = uploadChecksumOf(algorithm, type);
  const { uploadId, initiatedAt } = await ctx.commands.execute(
    new CreateMultipartUploadCommand(
      bucketOf(ctx),
      keyOf(ctx),
      contentType,
      userMetadataOf(ctx.req),
      ctx.principal,
      taggingHeaderOf(ctx.req, ctx.query),
      checksum,
      lock,
      acl,
      contentHeadersOfRequest(ctx.req),
    ),
  );
  if (checksum) {
    ctx.res.setHeader('x-amz-checksum-algorithm', checksum.checksumAlgorithm);
    ctx.res.setHeader('x-amz-checksum-type', checksum.checksumType);
  }
  // When an AbortIncompleteMultipartUpload rule will abort the upload, as S3 says it.
  const abort = uploadAbortAt(await lifecycleOf(ctx), { key: keyOf(ctx), initiatedAt }, ctx.config.SEDIMENT_LIFECYCLE_DAY_SECONDS * 1000);
  if (abort) {
    ctx.res.setHeader('x-amz-abort-date', abort.at.toUTCString());
    ctx.res.setHeader('x-amz-abort-rule-id', headerSafeRuleId(abort.ruleId));
  }
  sendXml(ctx.res, 200, renderInitiateMultipartUploadResult(bucketOf(ctx), keyOf(ctx), uploadId));
});

/** ?partNumber of UploadPart, UploadPartCopy and a part's GET/HEAD: an integer from 1 to 10000. */
export function partNumberOf(ctx: S3OperationContext): number {
  const raw = ctx.query.get('partNumber') ?? '';
  const partNumber = /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
  if (Number.isNaN(partNumber)) {
    throw new S3Error('InvalidArgument', {
      message: 'Part number must be an integer between 1 and 10000, inclusive',
      details: { ArgumentName: 'partNumber', ArgumentValue: raw },
    });
  }
  assertPartNumber(partNumber);
  return partNumber;
}

export const uploadPart = defineS3Operation({
  action: 's3:PutObject',
  readOnly: false,
}, async (ctx) => {
  const partNumber = partNumberOf(ctx);
  const { stream, size, checksum } = payloadStream(ctx.req);
  const result = await ctx.commands.execute(
    new UploadPartCommand(bucketOf(ctx), keyOf(ctx), uploadIdOf(ctx), partNumber, stream, size, ctx.principal, checksum, hasIntegrityHeader(ctx.req)),
  );
  ctx.res.setHeader('ETag', result.etag);
  setChecksumHeaders(ctx.res, result.checksum);
  sendEmpty(ctx.res, 200);
});

export const uploadPartCopy = defineS3Operation({
  action: 's3:PutObject',
  readOnly: false,
}, async (ctx) => {
  const partNumber = partNumberOf(ctx);
  const source = await authorizedCopySource(ctx);
  const rangeHeader = ctx.req.headers['x-amz-copy-source-range'];
  const { etag, lastModified, checksum } = await ctx.commands.execute(
    new UploadPartCopyCommand(
      bucketOf(ctx),
      keyOf(ctx),
      uploadIdOf(ctx),
      partNumber,
      source,
      copySourceConditionsOf(ctx),
      Array.isArray(rangeHeader) ? rangeHeader[0] : rangeHeader,
      ctx.principal,
    ),
  );
  sendXml(ctx.res, 200, renderCopyPartResult(etag, lastModified, checksum));
});

export const completeMultipartUpload = defineS3Operation({
  action: 's3:PutObject',
  readOnly: false,
}, async (ctx) => {
  const bucket = bucketOf(ctx);
  const key = keyOf(ctx);
  // Before a byte of a body that may be megabytes: an upload that is not there costs one lookup.
  // One already completed passes: the same Complete sent again is answered (ADR 0020).
  await ctx.queries.execute(new CompletableUploadQuery(bucket, key, uploadIdOf(ctx)));
  // Here x-amz-checksum-* headers describe the object being completed, not this XML body.
  const checksumHeaders = completionChecksumHeaders(ctx);
  const parts = await COMPLETE_MULTIPART_UPLOAD_DOCUMENT.read(ctx.req, { objectChecksumHeaders: true });
  const condition = writeConditionOf(ctx.req);
  const { etag, versionId, checksum } = await ctx.commands.execute(
    new CompleteMultipartUploadCommand(bucket, key, uploadIdOf(ctx), parts, ctx.principal, condition, checksumHeaders),
  );
  setWrittenVersionHeader(ctx.res, versionId);
  const location = `/${encodeURIComponent(bucket)}/${key.split('/').map(encodeURIComponent).join('/')}`;
  sendXml(ctx.res, 200, renderCompleteMultipartUploadResult(location, bucket, key, etag, checksum));
});

/** CompleteMultipartUpload's x-amz-checksum-type and whole-object x-amz-checksum-<algorithm>. */
function completionChecksumHeaders(ctx: S3OperationContext): CompleteMultipartUploadCommand['checksumHeaders'] {
  const type = ctx.req.headers['x-amz-checksum-type'];
  let checksumType: ChecksumType | undefined;
  if (type !== undefined) {
    if (type !== 'COMPOSITE' && type !== 'FULL_OBJECT') throw new S3Error('InvalidRequest', { message: 'Value for x-amz-checksum-type header is invalid.' });
    checksumType = type;
  }
  const [header, value] = Object.entries(ctx.req.headers).find(([name]) => CHECKSUMS[name]) ?? [];
  if (header) assertObjectChecksumForm(header, String(value));
  const expectedChecksum = header ? { algorithm: CHECKSUMS[header]!.label, value: String(value) } : undefined;
  return { ...(checksumType ? { checksumType } : {}), ...(expectedChecksum ? { expectedChecksum } : {}) };
}

export const abortMultipartUpload = defineS3Operation({
  action: 's3:AbortMultipartUpload',
  readOnly: false,
}, async (ctx) => {
  await ctx.commands.execute(new AbortMultipartUploadCommand(bucketOf(ctx), keyOf(ctx), uploadIdOf(ctx), ctx.principal));
  sendEmpty(ctx.res, 204);
});

export const listParts = defineS3Operation({
  action: 's3:ListMultipartUploadParts',
  readOnly: true,
}, async (ctx) => {
  const maxParts = Math.min(integerParam(ctx, 'max-parts', MAX_LIST_PARTS), MAX_LIST_PARTS);
  const partNumberMarker = integerParam(ctx, 'part-number-marker', 0);
  const upload = await ctx.queries.execute(new GetUploadQuery(bucketOf(ctx), keyOf(ctx), uploadIdOf(ctx)));
  await sendXmlDocument(ctx.res, 200, listPartsDocument(upload, { maxParts, partNumberMarker }));
});

export const listMultipartUploads = defineS3Operation({
  action: 's3:ListBucketMultipartUploads',
  readOnly: true,
}, async (ctx) => {
  const q = ctx.query;
  const encodingType = encodingTypeOf(q);
  const bucket = bucketOf(ctx);
  const params = {
    prefix: q.get('prefix') ?? '',
    delimiter: q.get('delimiter') || undefined,
    keyMarker: q.get('key-marker') ?? '',
    uploadIdMarker: q.get('upload-id-marker') ?? '',
    maxUploads: parseMaxUploads(q.get('max-uploads')),
  };
  const page = await ctx.queries.execute(new ListUploadsQuery(bucket, params));
  await sendXmlDocument(ctx.res, 200, listMultipartUploadsDocument({ bucket, params, page, encodingType }));
});
