// Fuzz target: the running service, through HTTP. Requests of every operation, signed or not,
// with mutated paths, queries, headers and bodies. Each must be answered without a 500, and
// afterwards nothing may be left behind: no temp file, no blob nobody references or released, no
// record in the log the projection cannot apply, no error logged, no unhandled rejection, and the
// service still healthy and writing (issue #10).
import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { CreateBucketCommand, CreateMultipartUploadCommand, PutBucketVersioningCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import fc from 'fast-check';
import { decodeRecord } from '../../src/event-log/event-envelope.js';
import { filesUnder } from '../support/concurrency-helpers.js';
import { readAllRecords } from '../support/kafka-topic-reader.js';
import { rawS3Request, xmlText, type RawRequest } from '../support/raw-s3-request.js';
import { startSediment, type SedimentUnderTest } from '../support/sediment-under-test.js';
import { fuzz, FUZZ_TEST_TIMEOUT_MS, mutationsOf } from './fuzz-harness.js';

const BUCKET = 'fuzzed';
const NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';
const BODIES = [
  '',
  'plain payload bytes',
  `<Tagging ${NS}><TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet></Tagging>`,
  `<Delete ${NS}><Object><Key>a</Key></Object><Object><Key>b</Key><VersionId>null</VersionId></Object></Delete>`,
  `<CORSConfiguration ${NS}><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>`,
  `<VersioningConfiguration ${NS}><Status>Suspended</Status></VersioningConfiguration>`,
  `<NotificationConfiguration ${NS}><TopicConfiguration><Topic>arn:aws:sns:us-east-1:000000000000:fuzz.t</Topic><Event>s3:ObjectCreated:*</Event></TopicConfiguration></NotificationConfiguration>`,
  `<CompleteMultipartUpload ${NS}><Part><PartNumber>1</PartNumber><ETag>"0123456789abcdef0123456789abcdef"</ETag></Part></CompleteMultipartUpload>`,
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::fuzzed/*"}]}',
];
const QUERIES = ['', 'tagging', 'uploads', 'uploadId=UPLOAD&partNumber=1', 'uploadId=UPLOAD', 'versionId=null', 'list-type=2&prefix=a&delimiter=/&max-keys=5',
  'versions&key-marker=a', 'cors', 'notification', 'versioning', 'delete', 'acl', 'policy', 'location', 'response-content-type=text%2Fhtml', 'partNumber=1'];
const HEADER_SEEDS: Record<string, string[]> = {
  'content-type': ['text/plain', 'application/xml'],
  'x-amz-meta-note': ['hello'],
  'x-amz-tagging': ['a=1&b=2'],
  'x-amz-copy-source': ['/fuzzed/seed', '/fuzzed/seed?versionId=null'],
  'x-amz-copy-source-range': ['bytes=0-1'],
  'x-amz-metadata-directive': ['REPLACE'],
  'x-amz-tagging-directive': ['REPLACE'],
  range: ['bytes=0-3', 'bytes=-2'],
  'if-match': ['*', '"0123456789abcdef0123456789abcdef"'],
  'if-none-match': ['*'],
  'if-modified-since': ['Thu, 27 Nov 2026 10:00:00 GMT'],
  'x-amz-checksum-crc32': ['AAAAAA=='],
  'x-amz-sdk-checksum-algorithm': ['CRC32'],
  'x-amz-acl': ['public-read', 'private'],
  origin: ['https://app.example.com'],
  'access-control-request-method': ['GET'],
};

/** Only what Node's HTTP client can put on the wire: the server never sees anything else. */
const headerValue = (seeds: string[]) => mutationsOf(seeds).map((v) => v.replace(/[^\t\x20-\x7e\x80-\xff]/g, ''));
const wirePath = mutationsOf(['/fuzzed/seed', '/fuzzed/new-key', '/fuzzed/a/b/c.txt', '/fuzzed', '/']).map((p) =>
  `/${p.replace(/^\/*/, '')}`.replace(/[^\x21-\x7e]/gu, (c) => [...Buffer.from(c, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('')),
);

describe('fuzz: the service over HTTP', () => {
  let sediment: SedimentUnderTest;
  let uploadId: string;
  const errorLogs = jest.spyOn(Logger.prototype, 'error');
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onRejection);
    sediment = await startSediment({ SEDIMENT_LOG_LEVEL: 'error' });
    await sediment.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await sediment.s3.send(new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Enabled' } }));
    await sediment.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'seed', Body: 'seed object' }));
    uploadId = (await sediment.s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'seed' }))).UploadId!;
  }, 60_000);
  afterAll(async () => {
    process.off('unhandledRejection', onRejection);
    errorLogs.mockRestore();
    sediment.s3.destroy();
    await sediment.stop();
  }, 120_000);

  it('answers every request without a 500, and leaves nothing behind', async () => {
    const request = fc.record({
      method: fc.constantFrom('GET', 'PUT', 'POST', 'DELETE', 'HEAD', 'OPTIONS'),
      path: wirePath,
      query: mutationsOf(QUERIES),
      headers: fc.dictionary(fc.constantFrom(...Object.keys(HEADER_SEEDS)), fc.constant(''), { maxKeys: 4 }).chain((picked) =>
        fc.record(Object.fromEntries(Object.keys(picked).map((name) => [name, headerValue(HEADER_SEEDS[name]!)]))),
      ),
      body: mutationsOf(BODIES),
      signed: fc.boolean(),
    });
    const statuses = new Map<number, number>();
    await fuzz(request, async ({ method, path, query, headers, body, signed }) => {
      const raw: RawRequest = {
        method,
        path,
        query: Object.fromEntries(new URLSearchParams(query.replace('UPLOAD', encodeURIComponent(uploadId)))),
        headers: headers as Record<string, string>,
        body: method === 'GET' || method === 'HEAD' ? undefined : body,
        ...(signed ? {} : { credentials: null }),
      };
      let res;
      try {
        res = await rawS3Request(sediment.url, raw);
      } catch (error) {
        // The client refused to send it (an invalid header for Node's own checks): nothing reached the server.
        if ((error as { code?: string }).code?.startsWith('ERR_')) return;
        throw error;
      }
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status === 500) throw new Error(`${method} ${path}?${query} → ${res.status} ${xmlText(res.body, 'Code')}: ${xmlText(res.body, 'Message')}`);
    });
    console.log(`statuses: ${JSON.stringify(Object.fromEntries(statuses))}`);

    // No error was logged (the exception filter logs every 500 and every missing edge check).
    expect(errorLogs.mock.calls.map((args) => String(args[0]))).toEqual([]);
    expect(rejections).toEqual([]);
    // Still healthy, and still writing.
    const health = await fetch(`${sediment.adminUrl}/health`);
    expect(health.status).toBe(200);
    await sediment.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'after-fuzzing', Body: 'ok' }));
    // Every record in the log is one the projection applies.
    for (const record of await readAllRecords(sediment.config.SEDIMENT_BUCKET_TOPIC)) {
      expect(() => decodeRecord(record.value, { partition: record.partition, offset: record.offset })).not.toThrow();
    }
    // No temp file, and no blob that neither an object, an upload nor the janitor's list holds.
    const dir = sediment.config.SEDIMENT_BLOB_DIR;
    const blobs = (await filesUnder(dir)).map((file) => file.slice(dir.length));
    expect(blobs.filter((file) => file.startsWith('/tmp/'))).toEqual([]);
    const known = new Set<string>();
    for (const v of await sediment.db.collection('versions').find().toArray()) {
      if (v.objectId) known.add(String(v.objectId));
      for (const p of (v.parts ?? []) as { objectId: string }[]) known.add(p.objectId);
    }
    for (const u of await sediment.db.collection('uploads').find().toArray()) for (const p of u.parts as { objectId: string }[]) known.add(p.objectId);
    for (const r of await sediment.db.collection('released_blobs').find().toArray()) known.add(String(r._id));
    for (const m of await sediment.db.collection('manifests').find().toArray()) for (const id of m.partObjectIds as string[]) known.add(id);
    expect(blobs.filter((file) => file.startsWith('/objects/')).map((file) => file.split('/').pop()!).filter((id) => !known.has(id))).toEqual([]);
  }, FUZZ_TEST_TIMEOUT_MS + 120_000);
});
