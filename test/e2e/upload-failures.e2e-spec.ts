// A client that goes away in the middle of a PutObject body must leave no trace: no object, no
// ObjectStored fact, no temp file and no blob (ADR 0001 §5: payload before fact). The requests
// are raw HTTP, SigV4-signed with @smithy/signature-v4, so the test controls exactly how many
// body bytes are sent before the socket is destroyed. Each signing mode is also uploaded whole
// with the same code, proving the server accepts the request as built.
import { createHash, randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { filesUnder, outcomeOf, pollUntil } from '../support/concurrency-helpers.js';
import { openSignedRequest, responseOf } from '../support/raw-signed-request.js';
import { startSediment, type SedimentUnderTest } from '../support/sediment-under-test.js';
import { bucketStream, readTopicRecords } from '../support/topic-records.js';

const TIMEOUT_MS = 60_000;
const SIZE = 1024 * 1024;

interface Mode {
  name: string;
  /** Signed headers for a payload of SIZE bytes. */
  headers(payload: Buffer): Record<string, string>;
  /** The bytes on the wire for the payload. */
  wire(payload: Buffer): Buffer;
}

const sha256Hex = (data: Buffer) => createHash('sha256').update(data).digest('hex');

function awsChunked(payload: Buffer): Buffer {
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32BE(crc32(payload) >>> 0);
  return Buffer.concat([
    Buffer.from(`${payload.length.toString(16)}\r\n`),
    payload,
    Buffer.from(`\r\n0\r\nx-amz-checksum-crc32:${checksum.toString('base64')}\r\n\r\n`),
  ]);
}

const MODES: Mode[] = [
  {
    name: 'UNSIGNED-PAYLOAD',
    headers: () => ({ 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'content-length': String(SIZE) }),
    wire: (payload) => payload,
  },
  {
    name: 'signed sha256 payload',
    headers: (payload) => ({ 'x-amz-content-sha256': sha256Hex(payload), 'content-length': String(SIZE) }),
    wire: (payload) => payload,
  },
  {
    name: 'aws-chunked STREAMING-UNSIGNED-PAYLOAD-TRAILER',
    headers: (payload) => ({
      'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      'content-encoding': 'aws-chunked',
      'x-amz-decoded-content-length': String(SIZE),
      'x-amz-trailer': 'x-amz-checksum-crc32',
      'content-length': String(awsChunked(payload).length),
    }),
    wire: awsChunked,
  },
];

describe('PutObject whose client disconnects mid-body (e2e, raw signed HTTP)', () => {
  let sediment: SedimentUnderTest;
  let bucket: string;
  let tmpDir: string;
  let objectsDir: string;

  beforeAll(async () => {
    sediment = await startSediment();
    bucket = `upload-failures-${randomBytes(4).toString('hex')}`;
    await sediment.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    tmpDir = join(sediment.config.SEDIMENT_BLOB_DIR, 'tmp');
    objectsDir = join(sediment.config.SEDIMENT_BLOB_DIR, 'objects');
  }, TIMEOUT_MS);
  afterAll(async () => {
    await sediment?.stop();
  }, TIMEOUT_MS);

  describe.each(MODES)('$name', (mode) => {
    it(
      'half a 1 MiB body, then a destroyed socket: no object, no ObjectStored, no temp file, no blob',
      async () => {
        const key = `torn/${mode.name.replace(/\W+/g, '-')}`;
        const payload = randomBytes(SIZE);
        const wire = mode.wire(payload);
        const blobsBefore = await filesUnder(objectsDir);
        expect(await readdir(tmpDir)).toEqual([]);

        const req = await openSignedRequest({ method: 'PUT', url: sediment.url, path: `/${bucket}/${key}`, headers: mode.headers(payload) });
        const clientErrors: Error[] = [];
        req.on('error', (error) => clientErrors.push(error));
        let answered: number | undefined;
        req.on('response', (res) => {
          answered = res.statusCode;
          res.resume();
        });
        req.flushHeaders();
        req.write(wire.subarray(0, wire.length / 2));

        // The server accepted the signature and is streaming the body to a temp file…
        const started = await pollUntil(async () => (await readdir(tmpDir)).some((name) => name.endsWith('.tmp')), 10_000);
        expect({ tempFileWhileReceiving: started, answered }).toEqual({ tempFileWhileReceiving: true, answered: undefined });
        // …when the client goes away.
        req.destroy();

        // The server notices the disconnect and removes the temp file.
        const cleaned = await pollUntil(async () => (await readdir(tmpDir)).length === 0, 5_000);
        expect({ tmpFiles: cleaned ? [] : await readdir(tmpDir) }).toEqual({ tmpFiles: [] });
        expect(await filesUnder(objectsDir)).toEqual(blobsBefore);

        const head = await outcomeOf(sediment.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })));
        expect(head.status).toBe(404);
        expect(await sediment.db.collection('objects').countDocuments({ bucket, key })).toBe(0);
        const stream = bucketStream(await readTopicRecords(sediment.config.SEDIMENT_BUCKET_TOPIC), bucket);
        const stored = stream.filter((r) => r.envelope.type === 'ObjectStored' && (r.envelope.data as { key: string }).key === key);
        expect(stored).toEqual([]);
      },
      TIMEOUT_MS,
    );

    it(
      'control: the same signed request with the whole body stores the object',
      async () => {
        const key = `whole/${mode.name.replace(/\W+/g, '-')}`;
        const payload = randomBytes(SIZE);
        const req = await openSignedRequest({ method: 'PUT', url: sediment.url, path: `/${bucket}/${key}`, headers: mode.headers(payload) });
        const response = responseOf(req);
        req.end(mode.wire(payload));
        const { status, headers, body } = await response;
        expect({ status, body }).toEqual({ status: 200, body: '' });
        const etag = `"${createHash('md5').update(payload).digest('hex')}"`;
        expect(headers.etag).toBe(etag);

        const got = await sediment.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        expect(Buffer.from(await got.Body!.transformToByteArray()).equals(payload)).toBe(true);
        expect(await readdir(tmpDir)).toEqual([]);
      },
      TIMEOUT_MS,
    );
  });
});
