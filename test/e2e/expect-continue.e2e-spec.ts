// Expect: 100-continue (issue #14): the service says "100 Continue" only once the request is
// authenticated and authorised and its operation starts reading the body, so an upload that is
// refused by IAM never crosses the network. Raw HTTP, to see the interim answer the SDKs hide.
import { randomBytes } from 'node:crypto';
import type { ClientRequest } from 'node:http';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { objectPath, openRawS3Request, responseOf, type RawResponse } from '../support/raw-s3-request.js';
import { expectRawError, md5Hex } from '../support/s3-api-assertions.js';
import { serviceWithBucket } from '../support/sediment-under-test.js';

const body = randomBytes(64 * 1024);

const service = serviceWithBucket('continue');
const { bucket } = service;

/** Sends the headers of a PUT that expects 100-continue, and the body only if the server asks for it. */
async function putExpectingContinue(key: string, credentials?: null): Promise<{ continued: boolean; res: RawResponse }> {
  const req: ClientRequest = await openRawS3Request(service.sediment.url, {
    method: 'PUT',
    path: objectPath(bucket, key),
    headers: { expect: '100-continue', 'content-length': String(body.length) },
    contentSha256: 'UNSIGNED-PAYLOAD',
    ...(credentials === null ? { credentials: null } : {}),
  });
  let continued = false;
  req.once('continue', () => {
    continued = true;
    req.end(body);
  });
  req.flushHeaders();
  const res = await responseOf(req);
  if (!continued) req.destroy();
  return { continued, res };
}

describe('Expect: 100-continue', () => {
  it('asks for the body of an authorised PUT, then stores it', async () => {
    const { continued, res } = await putExpectingContinue('allowed.bin');
    expect({ continued, status: res.status, etag: res.headers.etag }).toEqual({ continued: true, status: 200, etag: `"${md5Hex(body)}"` });
    const out = await service.sediment.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'allowed.bin' }));
    expect(Buffer.from(await out.Body!.transformToByteArray()).equals(body)).toBe(true);
  });

  it('refuses an unauthorised PUT with 403 without asking for its body, and closes the connection', async () => {
    const { continued, res } = await putExpectingContinue('anonymous.bin', null);
    expect(continued).toBe(false);
    expectRawError(res, 403, 'AccessDenied');
    expect(res.headers.connection).toBe('close');
  });
});
