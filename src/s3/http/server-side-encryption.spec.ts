import { S3Error } from '../../errors/s3.error.js';
import { assertNoServerSideEncryption } from './server-side-encryption.js';

function refusal(names: string[]): S3Error | undefined {
  try {
    assertNoServerSideEncryption(names);
    return undefined;
  } catch (error) {
    return error as S3Error;
  }
}

describe('assertNoServerSideEncryption', () => {
  it.each([
    'x-amz-server-side-encryption',
    'x-amz-server-side-encryption-aws-kms-key-id',
    'x-amz-server-side-encryption-context',
    'x-amz-server-side-encryption-bucket-key-enabled',
    'x-amz-server-side-encryption-customer-algorithm',
    'x-amz-server-side-encryption-customer-key',
    'x-amz-server-side-encryption-customer-key-md5',
    'x-amz-copy-source-server-side-encryption-customer-algorithm',
    'x-amz-copy-source-server-side-encryption-customer-key',
    'x-amz-copy-source-server-side-encryption-customer-key-md5',
  ])('refuses %s with 501 NotImplemented naming it', (name) => {
    const error = refusal(['content-type', name]);
    expect([error?.code, error?.status, error?.details]).toEqual(['NotImplemented', 501, { Header: name }]);
  });
  it('lets a request without them through', () => {
    expect(refusal(['content-type', 'x-amz-meta-server-side-encryption', 'x-amz-checksum-sha256', 'x-amz-copy-source'])).toBeUndefined();
  });
});
