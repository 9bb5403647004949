import { quoteEtag, s3Timestamp, S3_XML_NAMESPACE } from './s3-xml.renderers.js';
import { element, renderXml, textElement } from './xml.writer.js';

/** CopyObject's body: `<CopyObjectResult>` with the new object's ETag and LastModified. */
export function renderCopyObjectResult(etag: string, lastModified: Date): string {
  return renderCopyResult('CopyObjectResult', etag, lastModified);
}

/**
 * UploadPartCopy's body: `<CopyPartResult>` with the new part's ETag and LastModified, and its
 * `<Checksum…>` when the upload names a checksum algorithm (the client lists it at completion).
 */
export function renderCopyPartResult(etag: string, lastModified: Date, checksum?: { algorithm: string; value: string }): string {
  return renderCopyResult('CopyPartResult', etag, lastModified, checksum);
}

function renderCopyResult(root: string, etag: string, lastModified: Date, checksum?: { algorithm: string; value: string }): string {
  return renderXml(
    element(
      root,
      [
        textElement('ETag', quoteEtag(etag)),
        textElement('LastModified', s3Timestamp(lastModified)),
        ...(checksum ? [textElement(`Checksum${checksum.algorithm}`, checksum.value)] : []),
      ],
      { xmlns: S3_XML_NAMESPACE },
    ),
  );
}
