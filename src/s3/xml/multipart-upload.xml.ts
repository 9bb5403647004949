import type { UploadDocument } from '../../metadata/metadata.documents.js';
import { STANDARD_STORAGE_CLASS, type ObjectChecksum } from '../../bucket-stream/object.events.js';
import { keyEncoding, quoteEtag, s3Timestamp, S3_XML_NAMESPACE } from './s3-xml.renderers.js';
import { element, renderXml, textElement, type XmlElement } from './xml.writer.js';

export function renderInitiateMultipartUploadResult(bucket: string, key: string, uploadId: string): string {
  return renderXml(
    element(
      'InitiateMultipartUploadResult',
      [textElement('Bucket', bucket), textElement('Key', key), textElement('UploadId', uploadId)],
      { xmlns: S3_XML_NAMESPACE },
    ),
  );
}

export function renderCompleteMultipartUploadResult(location: string, bucket: string, key: string, etag: string, checksum?: ObjectChecksum): string {
  return renderXml(
    element(
      'CompleteMultipartUploadResult',
      [
        textElement('Location', location),
        textElement('Bucket', bucket),
        textElement('Key', key),
        textElement('ETag', quoteEtag(etag)),
        ...(checksum ? [textElement(`Checksum${checksum.algorithm}`, checksum.value), textElement('ChecksumType', checksum.type)] : []),
      ],
      { xmlns: S3_XML_NAMESPACE },
    ),
  );
}

/** <ChecksumAlgorithm> and <ChecksumType> of an upload that named an algorithm. */
function uploadChecksumElements(upload: UploadDocument) {
  return upload.checksumAlgorithm
    ? [textElement('ChecksumAlgorithm', upload.checksumAlgorithm), ...(upload.checksumType ? [textElement('ChecksumType', upload.checksumType)] : [])]
    : [];
}

export interface ListPartsPage {
  partNumberMarker: number;
  maxParts: number;
}

/** One page of an upload's parts: those above the marker, at most maxParts. */
export function listPartsDocument(upload: UploadDocument, page: ListPartsPage): XmlElement {
  const after = upload.parts.filter((p) => p.partNumber > page.partNumberMarker);
  const parts = after.slice(0, page.maxParts);
  const truncated = after.length > parts.length;
  const owner = [textElement('ID', upload.owner), textElement('DisplayName', upload.ownerDisplayName)];
  return element(
    'ListPartsResult',
    [
      textElement('Bucket', upload.bucket),
      textElement('Key', upload.key),
      textElement('UploadId', upload._id),
      element('Initiator', owner),
      element('Owner', owner),
      textElement('StorageClass', STANDARD_STORAGE_CLASS),
      ...uploadChecksumElements(upload),
      textElement('PartNumberMarker', page.partNumberMarker),
      textElement('NextPartNumberMarker', parts.length > 0 ? parts[parts.length - 1]!.partNumber : page.partNumberMarker),
      textElement('MaxParts', page.maxParts),
      textElement('IsTruncated', truncated),
      ...parts.map((p) =>
        element('Part', [
          textElement('PartNumber', p.partNumber),
          textElement('LastModified', s3Timestamp(p.lastModified)),
          textElement('ETag', quoteEtag(p.etag)),
          textElement('Size', p.size),
          ...(p.checksum ? [textElement(`Checksum${p.checksum.algorithm}`, p.checksum.value)] : []),
        ]),
      ),
    ],
    { xmlns: S3_XML_NAMESPACE },
  );
}

export interface ListMultipartUploadsXml {
  bucket: string;
  params: { prefix: string; delimiter?: string; keyMarker: string; uploadIdMarker: string; maxUploads: number };
  page: {
    uploads: readonly UploadDocument[];
    commonPrefixes: readonly string[];
    isTruncated: boolean;
    nextKeyMarker: string;
    nextUploadIdMarker: string;
  };
  /** With 'url': KeyMarker, NextKeyMarker, Delimiter, Prefix, Key and CommonPrefixes URL-encoded. */
  encodingType?: 'url';
}

/**
 * ListMultipartUploadsResult in the order of AWS's documented responses: Bucket, KeyMarker,
 * UploadIdMarker, NextKeyMarker, NextUploadIdMarker, Delimiter, Prefix, MaxUploads,
 * IsTruncated, Upload…, CommonPrefixes…, EncodingType. S3 sends the Next markers on every
 * page (the last entry's), not only on truncated ones.
 */
export function listMultipartUploadsDocument({ bucket, params, page, encodingType }: ListMultipartUploadsXml): XmlElement {
  const { encode } = keyEncoding(encodingType);
  return element(
    'ListMultipartUploadsResult',
    [
      textElement('Bucket', bucket),
      textElement('KeyMarker', encode(params.keyMarker)),
      textElement('UploadIdMarker', params.uploadIdMarker),
      textElement('NextKeyMarker', encode(page.nextKeyMarker)),
      textElement('NextUploadIdMarker', page.nextUploadIdMarker),
      ...(params.delimiter ? [textElement('Delimiter', encode(params.delimiter))] : []),
      textElement('Prefix', encode(params.prefix)),
      textElement('MaxUploads', params.maxUploads),
      textElement('IsTruncated', page.isTruncated),
      ...page.uploads.map((u) => {
        const owner = [textElement('ID', u.owner), textElement('DisplayName', u.ownerDisplayName)];
        return element('Upload', [
          textElement('Key', encode(u.key)),
          textElement('UploadId', u._id),
          element('Initiator', owner),
          element('Owner', owner),
          textElement('StorageClass', STANDARD_STORAGE_CLASS),
          textElement('Initiated', s3Timestamp(u.initiatedAt)),
          ...uploadChecksumElements(u),
        ]);
      }),
      ...page.commonPrefixes.map((prefix) => element('CommonPrefixes', [textElement('Prefix', encode(prefix))])),
      ...(encodingType ? [textElement('EncodingType', encodingType)] : []),
    ],
    { xmlns: S3_XML_NAMESPACE },
  );
}
