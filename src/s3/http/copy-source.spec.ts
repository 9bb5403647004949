import { parseCopySource, parseDirective } from './copy-source.js';
import { s3ErrorOf } from '../../../test/support/s3-error-of.js';

describe('parseCopySource (x-amz-copy-source)', () => {
  it.each([
    ['awsexamplebucket/reports/january.pdf', { bucket: 'awsexamplebucket', key: 'reports/january.pdf' }],
    ['/awsexamplebucket/reports/january.pdf', { bucket: 'awsexamplebucket', key: 'reports/january.pdf' }],
    ['/b/caf%C3%A9%20au%20lait%3F.txt', { bucket: 'b', key: 'café au lait?.txt' }],
    ['/b/a%2Fb', { bucket: 'b', key: 'a/b' }],
    ['/b/k?versionId=null', { bucket: 'b', key: 'k', versionId: 'null' }],
    ['b/k?versionId=QUpfdndhfd8438MNFDN93jdnJFkdmqnh893', { bucket: 'b', key: 'k', versionId: 'QUpfdndhfd8438MNFDN93jdnJFkdmqnh893' }],
  ])('%s', (header, expected) => {
    expect(parseCopySource(header)).toEqual(expected);
  });

  it.each(['', 'bucket', '/bucket', '/bucket/', '//key', '/b/%E0%A4%A', '/b/k?acl', '/b/k?versionId=v&x=1', '/b/x%00y', '/b%00/k'])(
    '%j is 400 InvalidArgument',
    (header) => {
      const error = s3ErrorOf(() => parseCopySource(header));
      expect([error.code, error.status, error.details.ArgumentName]).toEqual(['InvalidArgument', 400, 'x-amz-copy-source']);
    },
  );

  it.each(['/b/k?versionId=%00', '/b/k?versionId=', '/b/k?versionId=a%00b'])('%j names a version id no version can have: InvalidArgument', (header) => {
    const error = s3ErrorOf(() => parseCopySource(header));
    expect([error.code, error.message, error.details.ArgumentName]).toEqual(['InvalidArgument', 'Invalid version id specified', 'versionId']);
  });

  it('is InvalidArgument when the header is missing altogether', () => {
    expect(s3ErrorOf(() => parseCopySource(undefined)).code).toBe('InvalidArgument');
  });
});

describe('parseDirective', () => {
  it('defaults to COPY and takes COPY or REPLACE', () => {
    expect(parseDirective(undefined, 'metadata')).toBe('COPY');
    expect(parseDirective('COPY', 'tagging')).toBe('COPY');
    expect(parseDirective('REPLACE', 'metadata')).toBe('REPLACE');
  });

  it.each(['replace', 'MOVE', ''])('%j is InvalidArgument naming the header', (value) => {
    const error = s3ErrorOf(() => parseDirective(value, 'tagging'));
    expect([error.code, error.message, error.details.ArgumentName]).toEqual(['InvalidArgument', 'Unknown tagging directive.', 'x-amz-tagging-directive']);
  });
});
