import { S3_ERROR_CATALOGUE, type S3ErrorCode } from './s3-error-catalogue.js';

export interface S3ErrorOptions {
  /** Overrides the catalogue's default message. */
  message?: string;
  /** The bucket or object the error is about, rendered as <Resource>. */
  resource?: string;
  /** Extra elements AWS adds for some codes (e.g. BucketName, Key, StringToSign). */
  details?: Record<string, string>;
  /** Response headers AWS sends with this error (e.g. Content-Range on 416). */
  headers?: Record<string, string>;
}

/** A client-visible S3 error. Anything thrown that is not an S3Error becomes InternalError. */
export class S3Error extends Error {
  readonly status: number;
  readonly resource?: string;
  readonly details: Record<string, string>;
  readonly headers: Record<string, string>;

  constructor(
    readonly code: S3ErrorCode,
    options: S3ErrorOptions = {},
  ) {
    super(options.message ?? S3_ERROR_CATALOGUE[code].message);
    this.name = 'S3Error';
    this.status = S3_ERROR_CATALOGUE[code].status;
    this.resource = options.resource;
    this.details = options.details ?? {};
    this.headers = options.headers ?? {};
  }
}

export function isS3Error(error: unknown): error is S3Error {
  return error instanceof S3Error;
}
