import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { Db } from 'mongodb';
import { eventually } from '../support/eventually.js';
import { startSediment, type SedimentUnderTest } from '../support/sediment-under-test.js';

/**
 * The service with SEDIMENT_BLOB_STORE=gridfs (ADR 0028), through the AWS SDK: payloads go to
 * GridFS in a database of their own, never to SEDIMENT_BLOB_DIR, and come back byte for byte,
 * whole, ranged and as a multipart object; a released payload leaves GridFS by the janitor.
 */
describe('PutObject / GetObject with the GridFS blob store', () => {
  const MiB = 1024 * 1024;
  const bucket = 'gridfs-blobs';
  const gridfsDatabase = `e2e_gridfs_${randomBytes(5).toString('hex')}`;
  let sediment: SedimentUnderTest;
  let blobsDb: Db;

  beforeAll(async () => {
    sediment = await startSediment({
      SEDIMENT_BLOB_STORE: 'gridfs',
      SEDIMENT_GRIDFS_DATABASE: gridfsDatabase,
      SEDIMENT_BLOB_GRACE_HOURS: '0',
      SEDIMENT_BLOB_JANITOR_INTERVAL_MS: '200',
    });
    blobsDb = sediment.mongo.db(gridfsDatabase);
    await sediment.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  }, 60_000);

  afterAll(async () => {
    sediment.s3.destroy();
    await blobsDb.dropDatabase();
    await sediment.stop();
  }, 60_000);

  const get = async (Key: string, Range?: string) => {
    const res = await sediment.s3.send(new GetObjectCommand({ Bucket: bucket, Key, Range }));
    return { res, bytes: Buffer.from(await res.Body!.transformToByteArray()) };
  };
  const storedFiles = () => blobsDb.collection('blobs.files').countDocuments({});

  it('stores a PutObject in GridFS, not in the blob directory, and GETs the same bytes, whole and ranged', async () => {
    const before = await storedFiles();
    const body = randomBytes(3 * MiB + 101);
    const put = await sediment.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'single.bin', Body: body }));
    expect(put.$metadata.httpStatusCode).toBe(200);
    expect(await storedFiles()).toBe(before + 1);
    expect(await readdir(sediment.config.SEDIMENT_BLOB_DIR)).toEqual([]);

    expect((await get('single.bin')).bytes.equals(body)).toBe(true);
    const { res, bytes } = await get('single.bin', `bytes=${MiB - 10}-${2 * MiB + 10}`);
    expect(res.$metadata.httpStatusCode).toBe(206);
    expect(res.ContentRange).toBe(`bytes ${MiB - 10}-${2 * MiB + 10}/${body.length}`);
    expect(bytes.equals(body.subarray(MiB - 10, 2 * MiB + 11))).toBe(true);
  });

  it('assembles a multipart upload from its GridFS part blobs, whole and across the part boundary', async () => {
    const parts = [randomBytes(5 * MiB), randomBytes(MiB + 3)];
    const { UploadId } = await sediment.s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'multi.bin' }));
    const uploaded = [];
    for (const [i, Body] of parts.entries()) {
      const { ETag } = await sediment.s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'multi.bin', UploadId, PartNumber: i + 1, Body }));
      uploaded.push({ ETag, PartNumber: i + 1 });
    }
    await sediment.s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'multi.bin', UploadId, MultipartUpload: { Parts: uploaded } }));
    const whole = Buffer.concat(parts);

    expect((await get('multi.bin')).bytes.equals(whole)).toBe(true);
    const start = 5 * MiB - 1000;
    const end = 5 * MiB + 1000;
    const { res, bytes } = await get('multi.bin', `bytes=${start}-${end}`);
    expect(res.$metadata.httpStatusCode).toBe(206);
    expect(bytes.equals(whole.subarray(start, end + 1))).toBe(true);
    expect((await get('multi.bin', `bytes=-7`)).bytes.equals(whole.subarray(whole.length - 7))).toBe(true);
  });

  it('lets the janitor delete a released payload from GridFS, files document and chunks', async () => {
    await sediment.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'doomed.bin', Body: randomBytes(2 * MiB) }));
    const { res } = await get('doomed.bin');
    const file = await blobsDb.collection('blobs.files').findOne({ length: 2 * MiB });
    expect(res.$metadata.httpStatusCode).toBe(200);
    expect(file).not.toBeNull();
    await sediment.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'doomed.bin' }));
    const left = await eventually(
      async () => ({
        files: await blobsDb.collection('blobs.files').countDocuments({ _id: file!._id }),
        chunks: await blobsDb.collection('blobs.chunks').countDocuments({ files_id: file!._id }),
      }),
      (v) => v.files === 0 && v.chunks === 0,
      30_000,
    );
    expect(left).toEqual({ files: 0, chunks: 0 });
  });
});
