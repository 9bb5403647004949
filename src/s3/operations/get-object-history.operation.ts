import type { RecordedEvent } from '../../event-log/event-envelope.js';
import { S3Error } from '../../errors/s3.error.js';
import { GetObjectHistoryQuery } from '../../objects/queries/get-object-history/get-object-history.query.js';
import { S3_XML_NAMESPACE } from '../xml/s3-xml.renderers.js';
import { element, textElement, type XmlElement } from '../xml/xml.writer.js';
import { bucketOf, keyOf, sendXmlDocument, type S3OperationContext } from './s3-operation.context.js';
import { defineS3Operation } from './s3-operation.definition.js';

/**
 * GET /bucket/key?sediment-history[&before-offset=N]: a Sediment extension, not an AWS operation
 * (ADR 0027). The key's events read back from the log, newest first, each with its partition and
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
