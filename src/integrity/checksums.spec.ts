import { createHash } from 'node:crypto';
import { S3Error } from '../errors/s3.error.js';
import { assertChecksum, assertObjectChecksumForm } from './checksums.js';

const sha256 = createHash('sha256').update('abc').digest();
const invalid = new S3Error('InvalidRequest', { message: 'Value for x-amz-checksum-sha256 header is invalid.' });

describe('assertChecksum', () => {
  it('is InvalidRequest for a value that is no digest of the algorithm, BadDigest for a digest that does not match', () => {
    expect(() => assertChecksum('x-amz-checksum-sha256', 'bad', sha256, 'header')).toThrow(invalid);
    expect(() => assertChecksum('x-amz-checksum-sha256', Buffer.alloc(32).toString('base64'), sha256, 'header')).toThrow(
      new S3Error('BadDigest', { message: 'The SHA256 you specified did not match the calculated checksum.' }),
    );
    expect(() => assertChecksum('x-amz-checksum-sha256', sha256.toString('base64'), sha256, 'header')).not.toThrow();
  });
});

describe('assertObjectChecksumForm (CompleteMultipartUpload)', () => {
  it.each([sha256.toString('base64'), `${sha256.toString('base64')}-1`, `${sha256.toString('base64')}-10000`])('takes %s', (value) => {
    expect(() => assertObjectChecksumForm('x-amz-checksum-sha256', value)).not.toThrow();
  });
  it.each(['bad', '', `${sha256.toString('base64')}-`, `${sha256.toString('base64')}-0`, `${sha256.toString('base64')}-1-1`, 'AAAAAA==-1'])(
    'refuses %j with InvalidRequest',
    (value) => {
      expect(() => assertObjectChecksumForm('x-amz-checksum-sha256', value)).toThrow(invalid);
    },
  );
});
