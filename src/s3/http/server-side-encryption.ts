import { S3Error } from '../../errors/s3.error.js';

/**
 * x-amz-server-side-encryption (SSE-S3, SSE-KMS and its key id, context and bucket key),
 * x-amz-server-side-encryption-customer-* (SSE-C) and x-amz-copy-source-server-side-encryption-
 * customer-* (a copy's SSE-C source). Sediment encrypts nothing: a request naming any of them
 * would store or read plaintext while its client believes otherwise, so it is refused whole.
 */
const SSE_PREFIXES = ['x-amz-server-side-encryption', 'x-amz-copy-source-server-side-encryption'] as const;

/** The first SSE header (or POST form field) among lower-cased names, if any. */
export function serverSideEncryptionHeader(names: Iterable<string>): string | undefined {
  for (const name of names) if (SSE_PREFIXES.some((prefix) => name.startsWith(prefix))) return name;
  return undefined;
}

/** 501 NotImplemented, S3's answer to a header that implies a feature it lacks, naming that header. */
export function assertNoServerSideEncryption(names: Iterable<string>): void {
  const header = serverSideEncryptionHeader(names);
  if (header === undefined) return;
  throw new S3Error('NotImplemented', {
    message: `Server-side encryption is not implemented: Sediment stores objects unencrypted, so it refuses ${header}.`,
    details: { Header: header },
  });
}
