import { S3Error } from '../../errors/s3.error.js';
import { parseCompleteMultipartUpload } from './complete-multipart-upload.parser.js';

describe('parseCompleteMultipartUpload', () => {
  it('reads the parts as the SDK sends them, checksums included', () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
      '<Part><ETag>&quot;a54357aff0632cce46d942af68356b38&quot;</ETag><PartNumber>1</PartNumber></Part>' +
      '<Part><ChecksumCRC32>AAAAAA==</ChecksumCRC32><ETag>"0c78aef83f66abc1fa1e8477f296d394"</ETag><PartNumber>2</PartNumber></Part>' +
      '<Part><ChecksumCRC64NVME> rosUhgp5mIg= </ChecksumCRC64NVME><ChecksumSHA1>x</ChecksumSHA1><ETag>"e"</ETag><PartNumber>3</PartNumber></Part>' +
      '</CompleteMultipartUpload>';
    expect(parseCompleteMultipartUpload(xml)).toEqual([
      { partNumber: 1, etag: '"a54357aff0632cce46d942af68356b38"' },
      { partNumber: 2, etag: '"0c78aef83f66abc1fa1e8477f296d394"', checksums: { CRC32: 'AAAAAA==' } },
      { partNumber: 3, etag: '"e"', checksums: { CRC64NVME: 'rosUhgp5mIg=', SHA1: 'x' } },
    ]);
  });

  it.each([
    ['no part', '<CompleteMultipartUpload></CompleteMultipartUpload>'],
    ['a part without ETag', '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>'],
    ['a part number that is not a number', '<CompleteMultipartUpload><Part><PartNumber>x</PartNumber><ETag>"e"</ETag></Part></CompleteMultipartUpload>'],
    ['an unknown element', '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"e"</ETag><Size>1</Size></Part></CompleteMultipartUpload>'],
    ['another root', '<Delete><Part><PartNumber>1</PartNumber><ETag>"e"</ETag></Part></Delete>'],
  ])('refuses %s with MalformedXML', (_name, xml) => {
    expect(() => parseCompleteMultipartUpload(xml)).toThrow(S3Error);
    expect(() => parseCompleteMultipartUpload(xml)).toThrow(expect.objectContaining({ code: 'MalformedXML' }));
  });
});
