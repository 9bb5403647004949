// Two Sediment processes on one blob store (ADR 0028): a writer, and a second process that boots
// on the same store while the writer has an upload in flight, then serves what the writer stored.
// Until the writer lease of ADR 0001 gives way to partition ownership (#15), the second process
// is a read-only instance on the writer's read model (as a point-in-time instance runs beside the
// live service). Its boot must not delete the writer's upload in flight, and it must read the
// writer's blobs: from the shared directory, or from GridFS.
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { pollUntil } from '../support/concurrency-helpers.js';
import { openRawS3Request, responseOf } from '../support/raw-s3-request.js';
import { startSediment, type SedimentUnderTest } from '../support/sediment-under-test.js';

const TIMEOUT_MS = 120_000;
const SIZE = 3 * 1024 * 1024 + 5;

describe.each([
  { store: 'filesystem', overrides: () => ({}) },
  { store: 'gridfs', overrides: () => ({ SEDIMENT_BLOB_STORE: 'gridfs', SEDIMENT_GRIDFS_DATABASE: `e2e_shared_${randomBytes(5).toString('hex')}` }) },
])('a second process on the $store blob store', ({ store, overrides }) => {
  let writer: SedimentUnderTest;
  let reader: SedimentUnderTest | undefined;
  const bucket = `shared-${randomBytes(4).toString('hex')}`;
  const settings = overrides() as Record<string, string>;

  beforeAll(async () => {
    // The body may wait while the second process boots: a bound only a hang exhausts.
    writer = await startSediment({ ...settings, SEDIMENT_BODY_IDLE_TIMEOUT_MS: '110000' });
    await writer.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  }, TIMEOUT_MS);

  afterAll(async () => {
    reader?.s3.destroy();
    await reader?.stop({ keepData: true });
    if (settings.SEDIMENT_GRIDFS_DATABASE) await writer.mongo.db(settings.SEDIMENT_GRIDFS_DATABASE).dropDatabase();
    writer.s3.destroy();
    await writer.stop();
  }, TIMEOUT_MS);

  /** The write in flight is visible in storage: its temp file, or its pending GridFS record. */
  const uploadInFlight = async () =>
    store === 'gridfs'
      ? (await writer.mongo.db(settings.SEDIMENT_GRIDFS_DATABASE!).collection('blobs.pending').countDocuments({})) === 1
      : (await readdir(join(writer.config.SEDIMENT_BLOB_DIR, 'tmp'))).some((name) => name.endsWith('.tmp'));

  it(
    "boots beside an upload in flight without harming it, then serves the writer's object byte for byte",
    async () => {
      const payload = randomBytes(SIZE);
      const req = await openRawS3Request(writer.url, {
        method: 'PUT',
        path: `/${bucket}/in-flight.bin`,
        contentSha256: 'UNSIGNED-PAYLOAD',
        headers: { 'content-length': String(SIZE) },
      });
      const response = responseOf(req);
      req.flushHeaders();
      req.write(payload.subarray(0, 2 * 1024 * 1024));
      expect(await pollUntil(uploadInFlight, 60_000)).toBe(true);

      reader = await startSediment({
        ...settings,
        SEDIMENT_READ_ONLY: 'true',
        MONGO_DATABASE: writer.config.MONGO_DATABASE,
        SEDIMENT_BLOB_DIR: writer.config.SEDIMENT_BLOB_DIR,
        SEDIMENT_BUCKET_TOPIC: writer.config.SEDIMENT_BUCKET_TOPIC,
        SEDIMENT_IDENTITY_TOPIC: writer.config.SEDIMENT_IDENTITY_TOPIC,
        SEDIMENT_CONTROL_TOPIC: writer.config.SEDIMENT_CONTROL_TOPIC,
      });
      expect(await uploadInFlight()).toBe(true);

      req.end(payload.subarray(2 * 1024 * 1024));
      const { status, body } = await response;
      expect({ status, body }).toEqual({ status: 200, body: '' });

      const got = await reader.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'in-flight.bin' }));
      expect(Buffer.from(await got.Body!.transformToByteArray()).equals(payload)).toBe(true);
      const ranged = await reader.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'in-flight.bin', Range: 'bytes=1048570-2097160' }));
      expect(Buffer.from(await ranged.Body!.transformToByteArray()).equals(payload.subarray(1048570, 2097161))).toBe(true);
    },
    TIMEOUT_MS,
  );
});
