import type { UploadDocument } from '../../metadata/metadata.documents.js';
import { listMultipartUploadsDocument } from './multipart-upload.xml.js';
import { renderXml } from './xml.writer.js';

const upload = (key: string, id: string): UploadDocument => ({
  _id: id,
  bucket: 'b',
  bucketId: 'b-id',
  key,
  contentType: 'binary/octet-stream',
  userMetadata: [],
  owner: 'owner-id',
  ownerDisplayName: 'root',
  initiatedAt: new Date('2026-11-27T10:00:00.000Z'),
  parts: [],
  partition: 0,
  offset: 1,
});

/** The element names directly under the root, in order. */
const topLevel = (xml: string) => [...xml.replace(/<(Upload|CommonPrefixes)>.*?<\/\1>/g, '<$1/>').matchAll(/<([A-Za-z]+)[ />]/g)].map((m) => m[1]);

describe('listMultipartUploadsDocument', () => {
  const page = {
    uploads: [upload('a b/é+.txt', 'u1')],
    commonPrefixes: ['dir x/'],
    isTruncated: true,
    nextKeyMarker: 'dir x/',
    nextUploadIdMarker: '',
  };

  it('sends the elements in AWS’s order, with Next markers and Delimiter', () => {
    const xml = renderXml(listMultipartUploadsDocument({
      bucket: 'b',
      params: { prefix: '', delimiter: '/', keyMarker: 'a', uploadIdMarker: 'u0', maxUploads: 2 },
      page,
    }));
    expect(topLevel(xml)).toEqual([
      'ListMultipartUploadsResult',
      'Bucket',
      'KeyMarker',
      'UploadIdMarker',
      'NextKeyMarker',
      'NextUploadIdMarker',
      'Delimiter',
      'Prefix',
      'MaxUploads',
      'IsTruncated',
      'Upload',
      'CommonPrefixes',
    ]);
    expect(xml).toContain('<NextKeyMarker>dir x/</NextKeyMarker><NextUploadIdMarker></NextUploadIdMarker><Delimiter>/</Delimiter>');
    expect(xml).toContain('<CommonPrefixes><Prefix>dir x/</Prefix></CommonPrefixes>');
    expect(xml).toContain('<Key>a b/é+.txt</Key><UploadId>u1</UploadId>');
  });

  it('leaves Delimiter and EncodingType out when the request had none', () => {
    const xml = renderXml(listMultipartUploadsDocument({ bucket: 'b', params: { prefix: '', keyMarker: '', uploadIdMarker: '', maxUploads: 1000 }, page }));
    expect(xml).not.toContain('<Delimiter>');
    expect(xml).not.toContain('<EncodingType>');
  });

  it('URL-encodes keys, markers, prefixes and the delimiter with encoding-type=url, and says so last', () => {
    const xml = renderXml(listMultipartUploadsDocument({
      bucket: 'b',
      params: { prefix: 'a b', delimiter: '/', keyMarker: 'k é', uploadIdMarker: 'u0', maxUploads: 2 },
      page,
      encodingType: 'url',
    }));
    expect(xml).toContain('<KeyMarker>k%20%C3%A9</KeyMarker><UploadIdMarker>u0</UploadIdMarker><NextKeyMarker>dir%20x/</NextKeyMarker>');
    expect(xml).toContain('<Prefix>a%20b</Prefix>');
    expect(xml).toContain('<Key>a%20b/%C3%A9%2B.txt</Key>');
    expect(xml).toContain('<CommonPrefixes><Prefix>dir%20x/</Prefix></CommonPrefixes><EncodingType>url</EncodingType></ListMultipartUploadsResult>');
  });
});
