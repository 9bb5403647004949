import { STANDARD_STORAGE_CLASS, type ObjectChecksum } from '../../bucket-stream/object.events.js';
import { S3Error } from '../../errors/s3.error.js';
import type { ObjectDocument } from '../../metadata/metadata.documents.js';
import { evaluatePreconditions } from '../../objects/preconditions.js';
import { S3_XML_NAMESPACE } from '../xml/s3-xml.renderers.js';
import { element, renderXml, textElement, type XmlElement } from '../xml/xml.writer.js';
import { objectToRead, writeNotModified } from './get-object.operation.js';
import { bucketOf, keyOf, sendXml, type S3OperationContext } from './s3-operation.context.js';
import { defineS3Operation } from './s3-operation.definition.js';

/** The attributes a client may ask for in x-amz-object-attributes, as S3 names them. */
const ATTRIBUTES = ['ETag', 'Checksum', 'ObjectParts', 'StorageClass', 'ObjectSize'] as const;
type Attribute = (typeof ATTRIBUTES)[number];

const DEFAULT_MAX_PARTS = 1000;

/**
 * GetObjectAttributes (GET /bucket/key?attributes): the attributes named in
 * x-amz-object-attributes, without the object's body. S3 asks for read access to the object as
 * well as for this action, and answers conditional requests as a GET does (412, 304).
 */
export const getObjectAttributes = defineS3Operation({
  action: 's3:GetObjectAttributes',
  versionAction: 's3:GetObjectVersionAttributes',
  readOnly: true,
  subresource: { name: 'attributes', on: 'object', method: 'GET' },
}, async (ctx) => {
  const wanted = attributesOf(ctx);
  const parts = partsPageOf(ctx);
  const versionId = ctx.query.get('versionId');
  const read = versionId === null ? 's3:GetObject' : 's3:GetObjectVersion';
  if (!(await ctx.req.sediment.authorize!(read, bucketOf(ctx), keyOf(ctx)))) throw new S3Error('AccessDenied');
  const object = await objectToRead(ctx);
  const precondition = evaluatePreconditions(ctx.req.headers, object);
  if (precondition === 'not-modified') return writeNotModified(ctx.res, object);
  if (precondition !== 'proceed') throw precondition;
  ctx.res.setHeader('Last-Modified', object.lastModified.toUTCString());
  if (object.versionId !== undefined) ctx.res.setHeader('x-amz-version-id', object.versionId);
  sendXml(ctx.res, 200, renderObjectAttributes(object, wanted, parts));
});

/** x-amz-object-attributes: a comma-separated list of attribute names, at least one. */
function attributesOf(ctx: S3OperationContext): ReadonlySet<Attribute> {
  const names = String(ctx.req.headers['x-amz-object-attributes'] ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (names.length === 0) {
    throw new S3Error('InvalidArgument', {
      message: 'The x-amz-object-attributes header specifying the attributes to be retrieved is either missing or empty',
      details: { ArgumentName: 'x-amz-object-attributes', ArgumentValue: '' },
    });
  }
  const unknown = names.find((name) => !(ATTRIBUTES as readonly string[]).includes(name));
  if (unknown !== undefined) {
    throw new S3Error('InvalidArgument', { message: 'Invalid attribute name specified.', details: { ArgumentName: 'x-amz-object-attributes', ArgumentValue: unknown } });
  }
  return new Set(names as Attribute[]);
}

interface PartsPage {
  maxParts: number;
  marker: number;
}

/** x-amz-max-parts and x-amz-part-number-marker: non-negative integers. */
function partsPageOf(ctx: S3OperationContext): PartsPage {
  const number = (name: string, fallback: number): number => {
    const raw = ctx.req.headers[name];
    if (raw === undefined) return fallback;
    if (typeof raw !== 'string' || !/^\d{1,9}$/.test(raw.trim())) {
      throw new S3Error('InvalidArgument', { message: `Provided ${name} not an integer or within integer range`, details: { ArgumentName: name, ArgumentValue: String(raw) } });
    }
    return Number(raw.trim());
  };
  return { maxParts: Math.min(number('x-amz-max-parts', DEFAULT_MAX_PARTS), DEFAULT_MAX_PARTS), marker: number('x-amz-part-number-marker', 0) };
}

/**
 * The response document. The ETag is given without its quotes, as S3 does here. ObjectParts is
 * only for an object completed by a multipart upload: a page of its parts' numbers and sizes
 * (part checksums are not kept per part, so none are listed).
 */
export function renderObjectAttributes(object: ObjectDocument, wanted: ReadonlySet<Attribute>, page: PartsPage): string {
  const children: XmlElement[] = [];
  if (wanted.has('ETag')) children.push(textElement('ETag', object.etag.replace(/^"(.*)"$/, '$1')));
  if (wanted.has('Checksum') && object.checksum) children.push(checksumElement(object.checksum));
  if (wanted.has('ObjectParts') && object.parts) {
    const numbered = object.parts.map((part, index) => ({ number: index + 1, size: part.size }));
    const after = numbered.filter((part) => part.number > page.marker);
    const shown = after.slice(0, page.maxParts);
    const truncated = after.length > shown.length;
    children.push(
      element('ObjectParts', [
        textElement('PartsCount', object.parts.length),
        textElement('PartNumberMarker', page.marker),
        ...(truncated ? [textElement('NextPartNumberMarker', shown[shown.length - 1]?.number ?? page.marker)] : []),
        textElement('MaxParts', page.maxParts),
        textElement('IsTruncated', truncated),
        ...shown.map((part) => element('Part', [textElement('PartNumber', part.number), textElement('Size', part.size)])),
      ]),
    );
  }
  if (wanted.has('StorageClass')) children.push(textElement('StorageClass', object.storageClass ?? STANDARD_STORAGE_CLASS));
  if (wanted.has('ObjectSize')) children.push(textElement('ObjectSize', object.size));
  return renderXml(element('GetObjectAttributesResponse', children, { xmlns: S3_XML_NAMESPACE }));
}

function checksumElement(checksum: ObjectChecksum): XmlElement {
  return element('Checksum', [textElement(`Checksum${checksum.algorithm}`, checksum.value), textElement('ChecksumType', checksum.type)]);
}
