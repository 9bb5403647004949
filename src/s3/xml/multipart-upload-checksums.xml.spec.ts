import type { UploadDocument } from '../../metadata/metadata.documents.js';
import { renderCompleteMultipartUploadResult, listMultipartUploadsDocument, listPartsDocument } from './multipart-upload.xml.js';
import { renderXml } from './xml.writer.js';

const at = new Date('2026-11-27T10:00:00.000Z');
const upload = (extra: Partial<UploadDocument> = {}): UploadDocument => ({
  _id: 'u-1', bucket: 'docs', bucketId: 'b-1', key: 'big.bin', contentType: 'a/b', userMetadata: [], owner: 'o', ownerDisplayName: 'root',
  initiatedAt: at, partition: 0, offset: 1,
  parts: [
    { partNumber: 1, objectId: 'p-1', size: 5, etag: '"e1"', lastModified: at, checksum: { algorithm: 'CRC32C', value: '4waSgw==' } },
    { partNumber: 2, objectId: 'p-2', size: 3, etag: '"e2"', lastModified: at },
  ],
  ...extra,
});

describe('multipart upload XML checksums', () => {
  it('CompleteMultipartUploadResult names the object checksum and its type after the ETag', () => {
    const xml = renderCompleteMultipartUploadResult('/docs/big.bin', 'docs', 'big.bin', '"x-2"', { algorithm: 'SHA256', value: 'c2hh-2', type: 'COMPOSITE' });
    expect(xml).toContain('<ETag>&quot;x-2&quot;</ETag><ChecksumSHA256>c2hh-2</ChecksumSHA256><ChecksumType>COMPOSITE</ChecksumType></CompleteMultipartUploadResult>');
    expect(renderCompleteMultipartUploadResult('/docs/big.bin', 'docs', 'big.bin', '"x-2"')).not.toContain('Checksum');
  });

  it('ListPartsResult shows the upload algorithm and type, and each part checksum', () => {
    const xml = renderXml(listPartsDocument(upload({ checksumAlgorithm: 'CRC32C', checksumType: 'COMPOSITE' }), { maxParts: 1000, partNumberMarker: 0 }));
    expect(xml).toContain('<ChecksumAlgorithm>CRC32C</ChecksumAlgorithm><ChecksumType>COMPOSITE</ChecksumType>');
    expect(xml).toContain('<Size>5</Size><ChecksumCRC32C>4waSgw==</ChecksumCRC32C></Part>');
    expect(xml).toContain('<Size>3</Size></Part>');
    expect(renderXml(listPartsDocument(upload({ parts: [] }), { maxParts: 1000, partNumberMarker: 0 }))).not.toContain('Checksum');
  });

  it('ListMultipartUploadsResult shows the algorithm and type of an upload that named one', () => {
    const xml = renderXml(listMultipartUploadsDocument({
      bucket: 'docs',
      params: { prefix: '', keyMarker: '', uploadIdMarker: '', maxUploads: 1000 },
      page: {
        uploads: [upload({ checksumAlgorithm: 'CRC64NVME', checksumType: 'FULL_OBJECT' }), upload({ _id: 'u-2' })],
        commonPrefixes: [],
        isTruncated: false,
        nextKeyMarker: '',
        nextUploadIdMarker: '',
      },
    }));
    expect(xml.match(/<ChecksumAlgorithm>/g)).toHaveLength(1);
    expect(xml).toContain('<ChecksumAlgorithm>CRC64NVME</ChecksumAlgorithm><ChecksumType>FULL_OBJECT</ChecksumType></Upload>');
  });
});
