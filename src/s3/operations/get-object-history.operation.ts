import type { RecordedEvent } from '../../event-log/event-envelope.js';
import { S3Error } from '../../errors/s3.error.js';
import { GetBucketAsOfQuery, type AsOf } from '../../buckets/queries/get-bucket-as-of/get-bucket-as-of.query.js';
import { GetObjectHistoryQuery } from '../../objects/queries/get-object-history/get-object-history.query.js';
import { S3_XML_NAMESPACE } from '../xml/s3-xml.renderers.js';
import { element, textElement, type XmlElement } from '../xml/xml.writer.js';
import { bucketOf, keyOf, sendXmlDocument, type S3OperationContext } from './s3-operation.context.js';
import { defineS3Operation } from './s3-operation.definition.js';

/**
 * GET /bucket/key?sediment-history[&before-offset=N]: a Sediment extension, not an AWS operation
 * (ADR 0029). The key's events read back from the log, newest first, each with its partition and
 * offset, who caused it and when; a page ends with `NextBeforeOffset` while older records remain.
 * It shows every version's metadata, so it needs what reading a version needs: s3:GetObjectVersion.
 */
export const getObjectHistory = defineS3Operation({
  action: 's3:GetObjectVersion',
  readOnly: true,
  subresource: { name: 'sediment-history', on: 'object', method: 'GET' },
}, (ctx) => sendHistory(ctx, 'ObjectHistory', keyOf(ctx)));

/**
 * GET /bucket?sediment-history[&before-offset=N]: every event of the bucket (its settings and all
 * its keys), as GetObjectHistory gives one key's. It shows every key's versions, so it needs what
 * listing them needs: s3:ListBucketVersions.
 */
export const getBucketHistory = defineS3Operation({
  action: 's3:ListBucketVersions',
  readOnly: true,
  subresource: { name: 'sediment-history', on: 'bucket', method: 'GET' },
}, (ctx) => sendHistory(ctx, 'BucketHistory', undefined));

/**
 * GET /bucket?sediment-as-of=<ISO time | offset>: the bucket's objects as they were then (each
 * key's current version and ETag), folded from its events on the log; read-only, like a
 * point-in-time rebuild of the one bucket. Needs s3:ListBucketVersions, as it shows versions.
 */
export const getBucketAsOf = defineS3Operation({
  action: 's3:ListBucketVersions',
  readOnly: true,
  subresource: { name: 'sediment-as-of', on: 'bucket', method: 'GET' },
}, async (ctx) => {
  const asOf = asOfOf(ctx.query.get('sediment-as-of') ?? '');
  const view = await ctx.queries.execute(new GetBucketAsOfQuery(bucketOf(ctx), asOf));
  await sendXmlDocument(ctx.res, 200, element('BucketAsOf', [
    textElement('Bucket', bucketOf(ctx)),
    textElement('Partition', view.partition),
    ...(view.offset !== undefined ? [textElement('Offset', view.offset)] : []),
    textElement('Exists', view.exists),
    ...view.objects.map((o) => element('Contents', [textElement('Key', o.key), textElement('VersionId', o.versionId), textElement('ETag', o.etag)])),
  ], { xmlns: S3_XML_NAMESPACE }));
});

function asOfOf(raw: string): AsOf {
  if (/^\d{1,15}$/.test(raw)) return { offset: Number(raw) };
  const time = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(raw) ? new Date(raw) : undefined;
  if (time === undefined || Number.isNaN(time.getTime())) {
    throw new S3Error('InvalidArgument', {
      message: 'sediment-as-of must be an ISO 8601 time with its zone (2026-12-08T10:00:00Z) or a log offset',
      details: { ArgumentName: 'sediment-as-of', ArgumentValue: raw },
    });
  }
  return { time };
}

async function sendHistory(ctx: S3OperationContext, root: string, key: string | undefined): Promise<void> {
  const before = beforeOffsetOf(ctx.query.get('before-offset'));
  const page = await ctx.queries.execute(new GetObjectHistoryQuery(bucketOf(ctx), key, before));
  await sendXmlDocument(ctx.res, 200, element(root, [
    textElement('Bucket', bucketOf(ctx)),
    ...(key !== undefined ? [textElement('Key', key)] : []),
    textElement('Partition', page.partition),
    ...page.events.map(renderEvent),
    textElement('IsTruncated', page.nextBefore !== undefined),
    ...(page.nextBefore !== undefined ? [textElement('NextBeforeOffset', page.nextBefore)] : []),
  ], { xmlns: S3_XML_NAMESPACE }));
}

function beforeOffsetOf(raw: string | null): number | undefined {
  if (raw === null) return undefined;
  if (!/^\d{1,15}$/.test(raw)) {
    throw new S3Error('InvalidArgument', { message: 'before-offset must be a log offset (a whole number)', details: { ArgumentName: 'before-offset', ArgumentValue: raw } });
  }
  return Number(raw);
}

/** The envelope, and of its data what a reader of the history wants: never blob ids. */
function renderEvent({ envelope, position }: RecordedEvent): XmlElement {
  const data = envelope.data as { key?: string; versionId?: string; size?: number; etag?: string; tags?: { key: string; value: string }[] | null };
  return element('Event', [
    textElement('Partition', position.partition),
    textElement('Offset', position.offset),
    textElement('EventId', envelope.id),
    textElement('Type', envelope.type),
    textElement('Time', envelope.time),
    element('Principal', [textElement('AccessKeyId', envelope.principal.accessKeyId), textElement('Arn', envelope.principal.arn)]),
    ...(typeof data.key === 'string' ? [textElement('Key', data.key)] : []),
    ...(data.versionId !== undefined ? [textElement('VersionId', data.versionId)] : []),
    ...(typeof data.size === 'number' ? [textElement('Size', data.size)] : []),
    ...(typeof data.etag === 'string' ? [textElement('ETag', data.etag)] : []),
    ...(Array.isArray(data.tags)
      ? [element('TagSet', data.tags.map((t) => element('Tag', [textElement('Key', t.key), textElement('Value', t.value)])))]
      : []),
  ]);
}
