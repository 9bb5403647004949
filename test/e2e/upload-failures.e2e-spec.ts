// A client that goes away in the middle of a PutObject body must leave no trace: no object, no
// ObjectStored fact, no temp file and no blob (ADR 0001 §5: payload before fact). The requests
// are raw HTTP, SigV4-signed with @smithy/signature-v4, so the test controls exactly how many
// body bytes are sent before the socket is destroyed. Each signing mode is also uploaded whole
// with the same code, proving the server accepts the request as built.
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { filesUnder, outcomeOf, pollUntil } from '../support/concurrency-helpers.js';
import { bucketStream, readTopic } from '../support/kafka-topic-reader.js';
import {
  awsChunkedBody,
  awsChunkedCrc32Headers,
  crc32Base64,
  openRawS3Request,
  responseOf,
  sha256Hex,
  STREAMING_UNSIGNED_PAYLOAD_TRAILER,
} from '../support/raw-s3-request.js';
import { md5Hex } from '../support/s3-api-assertions.js';
import { startSediment, type SedimentUnderTest } from '../support/sediment-under-test.js';
import { readModelDocument } from '../support/read-model-documents.js';

const TIMEOUT_MS = 60_000;
const SIZE = 1024 * 1024;

interface Mode {
  name: string;
  /** The signed x-amz-content-sha256 for a payload of SIZE bytes. */
  contentSha256(payload: Buffer): string;
  /** Other signed headers for a payload of SIZE bytes. */
  headers(payload: Buffer): Record<string, string>;
  /** The bytes on the wire for the payload. */
  wire(payload: Buffer): Buffer;
}

/** The whole payload as one aws-chunked chunk, then its CRC32 trailer. */
const awsChunked = (payload: Buffer): Buffer =>
  awsChunkedBody(payload, { chunkSize: payload.length, trailers: { 'x-amz-checksum-crc32': crc32Base64(payload) } });

const MODES: Mode[] = [
  {
    name: 'UNSIGNED-PAYLOAD',
    contentSha256: () => 'UNSIGNED-PAYLOAD',
    headers: () => ({ 'content-length': String(SIZE) }),
    wire: (payload) => payload,
  },
  {
    name: 'signed sha256 payload',
    contentSha256: (payload) => sha256Hex(payload),
    headers: () => ({ 'content-length': String(SIZE) }),
    wire: (payload) => payload,
  },
  {
    name: 'aws-chunked STREAMING-UNSIGNED-PAYLOAD-TRAILER',
    contentSha256: () => STREAMING_UNSIGNED_PAYLOAD_TRAILER,
    headers: (payload) => ({ ...awsChunkedCrc32Headers(SIZE), 'content-length': String(awsChunked(payload).length) }),
    wire: awsChunked,
  },
];

/** The PUT of `key`, signed for `payload` as `mode` sends it; nothing of the body is written yet. */
const openPut = (url: string, bucket: string, key: string, mode: Mode, payload: Buffer) =>
  openRawS3Request(url, { method: 'PUT', path: `/${bucket}/${key}`, contentSha256: mode.contentSha256(payload), headers: mode.headers(payload) });

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

        const req = await openPut(sediment.url, bucket, key, mode, payload);
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
        expect(await readModelDocument(sediment.db, 'objects', `${bucket}/${key}`)).toBeNull();
        const stream = bucketStream(await readTopic(sediment.config.SEDIMENT_BUCKET_TOPIC), bucket);
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
        const req = await openPut(sediment.url, bucket, key, mode, payload);
        const response = responseOf(req);
        req.end(mode.wire(payload));
        const { status, headers, body } = await response;
        expect({ status, body }).toEqual({ status: 200, body: '' });
        const etag = `"${md5Hex(payload)}"`;
        expect(headers.etag).toBe(etag);

        const got = await sediment.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        expect(Buffer.from(await got.Body!.transformToByteArray()).equals(payload)).toBe(true);
        expect(await readdir(tmpDir)).toEqual([]);
      },
      TIMEOUT_MS,
    );
  });
});
