// No request may hold the event loop for more than 50 ms of CPU (issue #10, item 6): the largest
// XML bodies S3 accepts are parsed in slices as they arrive, and a completion for an upload that
// does not exist is refused before its body is read. Measured as event-loop delay in this process,
// which runs the service (see test/support/event-loop.ts).
import { createHash } from 'node:crypto';
import { CreateBucketCommand, CreateMultipartUploadCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { repeatableStallMs } from '../support/event-loop.js';
import { rawS3Request, xmlText, type RawRequest } from '../support/raw-s3-request.js';
import { startSediment, type SedimentUnderTest } from '../support/sediment-under-test.js';

const STALL_LIMIT_MS = 50;
const RUNS = 3;
const md5Base64 = (body: string) => createHash('md5').update(body).digest('base64');

function completionBody(parts: number): string {
  let xml = '<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">';
  for (let n = 1; n <= parts; n++) {
    xml += `<Part><PartNumber>${n}</PartNumber><ETag>"${createHash('md5').update(String(n)).digest('hex')}"</ETag>`;
    xml += `<ChecksumSHA256>${createHash('sha256').update(String(n)).digest('base64')}</ChecksumSHA256></Part>`;
  }
  return `${xml}</CompleteMultipartUpload>`;
}

describe('the event loop under the largest bodies', () => {
  const bucket = 'stalls';
  let sediment: SedimentUnderTest;
  const send = (request: RawRequest) => rawS3Request(sediment.url, request);

  beforeAll(async () => {
    sediment = await startSediment();
    await sediment.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });
  afterAll(async () => {
    sediment.s3.destroy();
    await sediment.stop();
  }, 60_000);

  it('parses a 10,000-part CompleteMultipartUpload body in slices', async () => {
    const { UploadId } = await sediment.s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'big' }));
    const body = completionBody(10_000);
    expect(body.length).toBeGreaterThan(1_500_000);
    let status = 0;
    const stall = await repeatableStallMs(RUNS, async () => {
      const res = await send({ method: 'POST', path: `/${bucket}/big`, query: { uploadId: UploadId! }, body });
      status = res.status;
      // Parsed whole: the parts it names were never uploaded.
      expect(xmlText(res.body, 'Code')).toBe('InvalidPart');
    });
    expect(status).toBe(400);
    expect(stall).toBeLessThan(STALL_LIMIT_MS);
  });

  it('refuses a completion for an upload that does not exist without reading its body', async () => {
    const body = completionBody(10_000);
    const stall = await repeatableStallMs(RUNS, async () => {
      const res = await send({ method: 'POST', path: `/${bucket}/nothing`, query: { uploadId: 'no-such-upload' }, body });
      expect([res.status, xmlText(res.body, 'Code')]).toEqual([404, 'NoSuchUpload']);
    });
    expect(stall).toBeLessThan(STALL_LIMIT_MS);
  });

  it('parses a DeleteObjects body of 1,000 keys of 1,000 bytes in slices', async () => {
    const keys = Array.from({ length: 1000 }, (_, i) => `${String(i).padStart(4, '0')}-${'k'.repeat(995)}`);
    const body = `<Delete><Quiet>true</Quiet>${keys.map((key) => `<Object><Key>${key}</Key></Object>`).join('')}</Delete>`;
    expect(body.length).toBeGreaterThan(1_000_000);
    const stall = await repeatableStallMs(RUNS, async () => {
      const res = await send({ method: 'POST', path: `/${bucket}`, query: { delete: '' }, body, headers: { 'content-md5': md5Base64(body) } });
      expect(res.status).toBe(200);
    });
    expect(stall).toBeLessThan(STALL_LIMIT_MS);
  });

  it('writes a listing page of 1,000 URL-encoded keys of 1,024 bytes in slices', async () => {
    const listed = 'listed';
    await sediment.s3.send(new CreateBucketCommand({ Bucket: listed }));
    // Two-byte characters: each key is 3 KB of XML once URL-encoded, the page 3 MB.
    const keys = Array.from({ length: 1000 }, (_, i) => `${String(i).padStart(4, '0')}${'é'.repeat(510)}`);
    expect(Buffer.byteLength(keys[0]!)).toBe(1024);
    for (let i = 0; i < keys.length; i += 20) {
      await Promise.all(keys.slice(i, i + 20).map((Key) => sediment.s3.send(new PutObjectCommand({ Bucket: listed, Key, Body: 'x' }))));
    }
    const stall = await repeatableStallMs(RUNS, async () => {
      const res = await send({ method: 'GET', path: `/${listed}`, query: { 'list-type': '2', 'encoding-type': 'url' } });
      expect([res.status, xmlText(res.body, 'KeyCount')]).toEqual([200, '1000']);
      expect(decodeURIComponent(xmlText(res.body, 'Key')!)).toBe(keys[0]);
      expect(res.body.length).toBeGreaterThan(3_000_000);
    });
    expect(stall).toBeLessThan(STALL_LIMIT_MS);
  });
});

