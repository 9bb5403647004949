import { quoteEtag, s3Timestamp, S3_XML_NAMESPACE } from './s3-xml.renderers.js';
import { element, renderXml, textElement } from './xml.writer.js';

/** CopyObject's body: `<CopyObjectResult>` with the new object's ETag and LastModified. */
export function renderCopyObjectResult(etag: string, lastModified: Date): string {
  return renderCopyResult('CopyObjectResult', etag, lastModified);
}

/** UploadPartCopy's body: `<CopyPartResult>` with the new part's ETag and LastModified. */
export function renderCopyPartResult(etag: string, lastModified: Date): string {
  return renderCopyResult('CopyPartResult', etag, lastModified);
}

function renderCopyResult(root: string, etag: string, lastModified: Date): string {
  return renderXml(
    element(root, [textElement('ETag', quoteEtag(etag)), textElement('LastModified', s3Timestamp(lastModified))], {
      xmlns: S3_XML_NAMESPACE,
    }),
  );
}
