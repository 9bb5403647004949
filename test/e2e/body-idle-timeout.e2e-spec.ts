// A client that declares a body and stops sending it must not hold its connection and a temp file
// for long: after SEDIMENT_BODY_IDLE_TIMEOUT_MS without a byte it gets S3's 400 RequestTimeout and
// the connection is closed, leaving nothing behind. Raw signed HTTP, so the test decides exactly
// what is sent; each signing mode is tried.
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CreateBucketCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { jest } from '@jest/globals';
import { filesUnder, outcomeOf } from '../support/concurrency-helpers.js';
import {
  awsChunkedCrc32Headers,
  openRawS3Request,
  responseOf,
  sha256Hex,
  STREAMING_UNSIGNED_PAYLOAD_TRAILER,
  xmlText,
} from '../support/raw-s3-request.js';
import { REQUEST_ID } from '../support/s3-api-assertions.js';
import { startSediment, type SedimentUnderTest } from '../support/sediment-under-test.js';

jest.setTimeout(60_000);

const DECLARED = 100_000;
const SENT = 24;
const REQUEST_TIMEOUT_MESSAGE =
  'Your socket connection to the server was not read from or written to within the timeout period. Idle connections will be closed.';

const raw = Buffer.alloc(SENT, 'x');
const MODES = [
  { name: 'UNSIGNED-PAYLOAD', contentSha256: 'UNSIGNED-PAYLOAD', headers: { 'content-length': String(DECLARED) }, sent: raw },
  {
    name: 'signed sha256 payload',
    contentSha256: sha256Hex(randomBytes(DECLARED)),
    headers: { 'content-length': String(DECLARED) },
    sent: raw,
  },
  {
    // A well-formed start: the header of one 100,000-byte chunk and its first bytes.
    name: 'aws-chunked STREAMING-UNSIGNED-PAYLOAD-TRAILER',
    contentSha256: STREAMING_UNSIGNED_PAYLOAD_TRAILER,
    headers: { ...awsChunkedCrc32Headers(DECLARED), 'content-length': String(DECLARED + 100) },
    sent: Buffer.concat([Buffer.from(`${DECLARED.toString(16)}\r\n`), raw]).subarray(0, SENT),
  },
];

describe('a request body that stalls (SEDIMENT_BODY_IDLE_TIMEOUT_MS)', () => {
  let sediment: SedimentUnderTest;
  const bucket = `idle-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    // Short, so the test does not wait S3's 20 s; a stalled client waits forever either way.
    sediment = await startSediment({ SEDIMENT_BODY_IDLE_TIMEOUT_MS: '1000' });
    await sediment.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });
  afterAll(async () => {
    sediment.s3.destroy();
    await sediment.stop();
  });

  it.each(MODES)('$name: 24 of 100,000 bytes, then nothing → 400 RequestTimeout, connection closed, no temp file or blob', async (mode) => {
    const key = `stalled/${mode.name.replace(/\W+/g, '-')}`;
    const blobDir = sediment.config.SEDIMENT_BLOB_DIR;
    const blobsBefore = await filesUnder(join(blobDir, 'objects'));

    const req = await openRawS3Request(sediment.url, { method: 'PUT', path: `/${bucket}/${key}`, contentSha256: mode.contentSha256, headers: mode.headers });
    req.on('error', () => undefined); // the server closing the socket under a request still being written
    const closed = new Promise<void>((resolve) => req.once('socket', (socket) => socket.once('close', () => resolve())));
    const response = responseOf(req);
    req.write(mode.sent);

    const res = await response;
    expect({ status: res.status, code: xmlText(res.body, 'Code'), message: xmlText(res.body, 'Message') }).toEqual({
      status: 400,
      code: 'RequestTimeout',
      message: REQUEST_TIMEOUT_MESSAGE,
    });
    expect(res.headers['x-amz-request-id']).toMatch(REQUEST_ID);
    expect(xmlText(res.body, 'RequestId')).toBe(res.headers['x-amz-request-id']);
    expect(res.headers['connection']).toBe('close');
    await closed; // by the server: the client never ends its request

    expect(await readdir(join(blobDir, 'tmp'))).toEqual([]);
    expect(await filesUnder(join(blobDir, 'objects'))).toEqual(blobsBefore);
    expect((await outcomeOf(sediment.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })))).status).toBe(404);
  });
});

