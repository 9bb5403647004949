import { S3Error } from '../../src/errors/s3.error.js';

/** The S3Error `run` throws; fails the test if it throws something else or nothing. */
export function s3ErrorOf(run: () => unknown): S3Error {
  try {
    run();
  } catch (error) {
    if (error instanceof S3Error) return error;
    throw error;
  }
  throw new Error('expected an S3Error');
}
