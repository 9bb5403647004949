import { S3Error } from '../errors/s3.error.js';

/**
 * AWS general purpose bucket naming rules
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html).
 * Names end up in DNS labels and virtual-hosted URLs, hence the lowercase DNS-like alphabet.
 */
const MIN_LENGTH = 3;
const MAX_LENGTH = 63;

/** Lowercase letters, digits, dots and hyphens; first and last character a letter or digit. */
const SHAPE = /^[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?$/;

/** "Formatted as an IP address (for example, 192.168.5.4)": four dot-separated decimal groups. */
const IPV4_LIKE = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/** Reserved for punycode (xn--), S3 internals and AWS documentation examples. */
const RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];

/** Reserved for access point aliases, Object Lambda, Multi-Region Access Points, directory and table buckets. */
const RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

export function isValidBucketName(name: string): boolean {
  return (
    name.length >= MIN_LENGTH &&
    name.length <= MAX_LENGTH &&
    SHAPE.test(name) &&
    !name.includes('..') &&
    // Each dot-separated label starts and ends with a letter or digit (a DNS label).
    !name.includes('.-') &&
    !name.includes('-.') &&
    !IPV4_LIKE.test(name) &&
    !RESERVED_PREFIXES.some((prefix) => name.startsWith(prefix)) &&
    !RESERVED_SUFFIXES.some((suffix) => name.endsWith(suffix))
  );
}

/** Throws InvalidBucketName (with the BucketName detail AWS returns) unless `name` is allowed. */
export function assertValidBucketName(name: string): void {
  if (!isValidBucketName(name)) {
    throw new S3Error('InvalidBucketName', { details: { BucketName: name } });
  }
}
