import { S3Error } from '../errors/s3.error.js';
import { assertValidBucketName, isValidBucketName } from './bucket-name.js';

describe('assertValidBucketName', () => {
  // The "Example general purpose bucket names" of the AWS naming rules page, plus boundaries.
  it.each([
    'docexamplebucket1',
    'log-delivery-march-2020',
    'my-hosted-content',
    'docexamplewebsite.com',
    'www.docexamplewebsite.com',
    'my.example.s3.bucket',
    'abc',
    '123',
    'a'.repeat(63),
    'a-b',
    'a.b',
    '1.2.3', // three groups: not an IP address
    '1.2.3.4.5',
    '192.168.5.4a',
    'sthree', // only the "sthree-" prefix is reserved
    'xn-ok',
    'bucket-s3alias-not-at-end',
    'bucket--x-s3x',
    'amzn-s3-demo', // the reserved prefix needs its trailing hyphen
    'mrap.bucket',
  ])('accepts %j', (name) => {
    expect(() => assertValidBucketName(name)).not.toThrow();
    expect(isValidBucketName(name)).toBe(true);
  });

  it.each([
    ['doc_example_bucket', 'underscore'],
    ['DocExampleBucket', 'uppercase'],
    ['doc-example-bucket-', 'ends with a hyphen'],
    ['-doc-example-bucket', 'begins with a hyphen'],
    ['.bucket', 'begins with a period'],
    ['bucket.', 'ends with a period'],
    ['my..bucket', 'two adjacent periods'],
    ['sec-ab.-cd', 'a label starting with a hyphen'],
    ['my.-bucket', 'a label starting with a hyphen'],
    ['a-.b', 'a label ending with a hyphen'],
    ['ab', 'too short'],
    ['', 'empty'],
    ['a'.repeat(64), 'too long'],
    ['192.168.5.4', 'IP address'],
    ['10.0.0.1', 'IP address'],
    ['999.999.999.999', 'formatted as an IP address'],
    ['xn--bucket', 'xn-- prefix'],
    ['sthree-bucket', 'sthree- prefix'],
    ['sthree-configurator', 'sthree- prefix'],
    ['amzn-s3-demo-bucket', 'amzn-s3-demo- prefix'],
    ['bucket-s3alias', '-s3alias suffix'],
    ['bucket--ol-s3', '--ol-s3 suffix'],
    ['bucket.mrap', '.mrap suffix'],
    ['bucket--usw2-az1--x-s3', '--x-s3 suffix'],
    ['bucket--table-s3', '--table-s3 suffix'],
    ['buck et', 'space'],
    ['bucket/key', 'slash'],
    ['bücket', 'non-ASCII'],
    ['bucket\n', 'trailing newline'],
  ])('rejects %j (%s) with InvalidBucketName', (name, _why) => {
    let thrown: unknown;
    try {
      assertValidBucketName(name);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(S3Error);
    const error = thrown as S3Error;
    expect(error.code).toBe('InvalidBucketName');
    expect(error.status).toBe(400);
    expect(error.details).toEqual({ BucketName: name });
    expect(isValidBucketName(name)).toBe(false);
  });
});
