import { createHash } from 'node:crypto';
import type { S3ServiceException } from '@aws-sdk/client-s3';
import { xmlText, type RawResponse } from './raw-s3-request.js';

/** AWS request ids: 16 upper-case hex characters, e.g. 4442587FB7D0A2F9. */
export const REQUEST_ID = /^[0-9A-F]{16}$/;

/** RFC 9110 IMF-fixdate, the only HTTP date format a server may generate. */
export const HTTP_DATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/** The error the SDK threw for `promise`; fails the test if it resolved. */
export async function sdkError(promise: Promise<unknown>): Promise<S3ServiceException & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as S3ServiceException & Record<string, unknown>;
  }
  throw new Error('expected the request to fail, it succeeded');
}

/**
 * The SDK error of an S3 error response with a body: status, Code, and a RequestId in the XML body
 * equal to the x-amz-request-id header.
 */
export async function expectSdkError(
  promise: Promise<unknown>,
  status: number,
  code: string,
): Promise<S3ServiceException & Record<string, unknown>> {
  const error = await sdkError(promise);
  expect({ name: error.name, status: error.$metadata.httpStatusCode, code: error.Code }).toEqual({ name: code, status, code });
  expect(error.$metadata.requestId).toMatch(REQUEST_ID);
  expect(error.RequestId).toBe(error.$metadata.requestId);
  return error;
}

/** A raw S3 error response: status, XML <Error> with Code and a RequestId equal to the header. */
export function expectRawError(res: RawResponse, status: number, code: string): void {
  expect({ status: res.status, code: xmlText(res.body, 'Code') }).toEqual({ status, code });
  expect(res.headers['content-type']).toBe('application/xml');
  expect(res.body).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\s*<Error>/);
  const requestId = res.headers['x-amz-request-id'];
  expect(requestId).toMatch(REQUEST_ID);
  expect(xmlText(res.body, 'RequestId')).toBe(requestId);
}

export function md5Hex(data: Buffer | string): string {
  return createHash('md5').update(data).digest('hex');
}
