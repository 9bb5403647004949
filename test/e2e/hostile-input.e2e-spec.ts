// Input the read model cannot store (U+0000 above all: PostgreSQL under FerretDB refuses it) must
// be refused at the edge with S3's 400, before a body is read or anything is looked up, so that
// it can never become an event that stops a partition (issue #10, item 1). Each case is a way in
// that was seen; afterwards the bucket's partition must still take writes at once, and no record
// in the log may hold anything the projection could not store.
import { createHash } from 'node:crypto';
import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { CreateBucketCommand, GetObjectCommand, PutBucketVersioningCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { findUnstorable } from '../../src/event-log/storable.js';
import { filesUnder } from '../support/concurrency-helpers.js';
import { readTopic } from '../support/kafka-topic-reader.js';
import { openRawS3Request, rawS3Request, responseOf, xmlText, type RawRequest } from '../support/raw-s3-request.js';
import { expectRawError } from '../support/s3-api-assertions.js';
import { startSediment, type SedimentUnderTest } from '../support/sediment-under-test.js';

const md5Base64 = (body: string | Buffer) => createHash('md5').update(body).digest('base64');

describe('hostile input never becomes an event', () => {
  const bucket = 'hostile';
  let sediment: SedimentUnderTest;
  const send = (request: RawRequest) => rawS3Request(sediment.url, request);
  /** The exception filter logs every 500 and every event only the writers' backstop refused. */
  const errorLogs = jest.spyOn(Logger.prototype, 'error');
  const warnLogs = jest.spyOn(Logger.prototype, 'warn');

  beforeAll(async () => {
    sediment = await startSediment();
    await sediment.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await sediment.s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    await sediment.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'source', Body: 'copy me' }));
  });
  afterAll(async () => {
    sediment.s3.destroy();
    await sediment.stop();
    errorLogs.mockRestore();
    warnLogs.mockRestore();
  }, 60_000);
  afterEach(() => {
    const logged = [...errorLogs.mock.calls, ...warnLogs.mock.calls].map((args) => String(args[0]));
    errorLogs.mockClear();
    warnLogs.mockClear();
    expect(logged.filter((line) => / failed: |no edge check refused/.test(line))).toEqual([]);
  });

  it('refuses CopyObject with x-amz-tagging-directive REPLACE and a NUL tag value: InvalidTag', async () => {
    const res = await send({
      method: 'PUT',
      path: `/${bucket}/copy`,
      headers: { 'x-amz-copy-source': `/${bucket}/source`, 'x-amz-tagging-directive': 'REPLACE', 'x-amz-tagging': 'a=%00' },
    });
    expectRawError(res, 400, 'InvalidTag');
  });

  it.each([
    ['a raw NUL in PutBucketCors', 'cors', '<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>x\u0000y</AllowedOrigin></CORSRule></CORSConfiguration>'],
    [
      'a raw NUL in PutBucketNotificationConfiguration',
      'notification',
      '<NotificationConfiguration><TopicConfiguration><Id>a\u0000b</Id><Topic>arn:aws:sns:us-east-1:000000000000:t</Topic><Event>s3:ObjectCreated:*</Event></TopicConfiguration></NotificationConfiguration>',
    ],
    ['a NUL character reference in PutObjectTagging', 'tagging', '<Tagging><TagSet><Tag><Key>k</Key><Value>&#0;</Value></Tag></TagSet></Tagging>'],
    ['a raw NUL key in DeleteObjects', 'delete', '<Delete><Object><Key>x\u0000y</Key></Object></Delete>'],
    ['a lone surrogate reference in DeleteObjects', 'delete', '<Delete><Object><Key>x&#xD800;y</Key></Object></Delete>'],
    ['bytes that are not UTF-8 in PutBucketCors', 'cors', Buffer.from([...Buffer.from('<CORSConfiguration><CORSRule><AllowedMethod>'), 0xff, 0xfe, ...Buffer.from('</AllowedMethod></CORSRule></CORSConfiguration>')])],
  ])('refuses %s: MalformedXML', async (_name, subresource, body) => {
    const path = subresource === 'tagging' ? `/${bucket}/source` : `/${bucket}`;
    const res = await send({ method: subresource === 'delete' ? 'POST' : 'PUT', path, query: { [subresource]: '' }, body, headers: { 'content-md5': md5Base64(body) } });
    expectRawError(res, 400, 'MalformedXML');
  });

  it.each([
    ['DELETE of a key with a NUL', { method: 'DELETE', path: `/${bucket}/x%00y` }, 'InvalidArgument'],
    ['GET of a key with a NUL', { method: 'GET', path: `/${bucket}/x%00y` }, 'InvalidArgument'],
    ['a listing prefix with a NUL', { method: 'GET', path: `/${bucket}`, query: { 'list-type': '2', prefix: 'a\u0000' } }, 'InvalidArgument'],
    ['a copy source with a NUL', { method: 'PUT', path: `/${bucket}/c`, headers: { 'x-amz-copy-source': `/${bucket}/x%00y` } }, 'InvalidArgument'],
    ['a bucket name with a NUL', { method: 'GET', path: '/a%00b/k' }, 'InvalidBucketName'],
  ] as const)('refuses %s', async (_name, request, code) => {
    expectRawError(await send(request as RawRequest), 400, code);
  });

  it('answers a PUT to a key with a NUL before reading its body, and writes no blob', async () => {
    const declared = 64 * 1024 * 1024;
    const before = await filesUnder(sediment.config.SEDIMENT_BLOB_DIR);
    const req = await openRawS3Request(sediment.url, {
      method: 'PUT',
      path: `/${bucket}/x%00y`,
      headers: { 'content-length': String(declared) },
      contentSha256: 'UNSIGNED-PAYLOAD',
    });
    const response = responseOf(req);
    req.write(Buffer.alloc(1024));
    // Answered although 64 MiB were declared and 1 KiB sent: the body was never waited for.
    const res = await response;
    req.destroy();
    expectRawError(res, 400, 'InvalidArgument');
    expect(await filesUnder(sediment.config.SEDIMENT_BLOB_DIR)).toEqual(before);
  });

  it('refuses more than 2 KB of user metadata with MetadataTooLarge, and takes exactly 2 KB', async () => {
    // 2 KB counts the names (without x-amz-meta-) and the values: 4 + 2044 bytes here.
    const res = await send({ method: 'PUT', path: `/${bucket}/meta`, headers: { 'x-amz-meta-note': 'v'.repeat(2045) }, body: 'x' });
    expectRawError(res, 400, 'MetadataTooLarge');
    expect((await send({ method: 'PUT', path: `/${bucket}/meta`, headers: { 'x-amz-meta-note': 'v'.repeat(2044) }, body: 'x' })).status).toBe(200);
  });

  it('refuses response-* overrides on an anonymous GET, as S3 does, and serves the object plainly', async () => {
    await send({
      method: 'PUT',
      path: `/${bucket}`,
      query: { policy: '' },
      body: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/public/*` }] }),
    });
    await sediment.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'public/page', Body: '<script>alert(1)</script>', ContentType: 'text/plain' }));
    const res = await send({ method: 'GET', path: `/${bucket}/public/page`, query: { 'response-content-type': 'text/html' }, credentials: null });
    expectRawError(res, 400, 'InvalidRequest');
    expect(xmlText(res.body, 'Message')).toBe('Request specific response headers cannot be used for anonymous GET requests.');
    const plain = await send({ method: 'GET', path: `/${bucket}/public/page`, credentials: null });
    expect([plain.status, plain.headers['content-type']]).toEqual([200, 'text/plain']);
  });

  it('refuses a bucket name with a label that starts or ends with a hyphen', async () => {
    for (const name of ['sec-ab.-cd', 'sec-ab-.cd']) expectRawError(await send({ method: 'PUT', path: `/${name}` }), 400, 'InvalidBucketName');
  });

  it('still takes writes on the bucket’s partition at once, and the log holds nothing unstorable', async () => {
    await sediment.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'after', Body: 'fine' }));
    const got = await sediment.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'after' }));
    expect(await got.Body!.transformToString()).toBe('fine');
    const records = await readTopic(sediment.config.SEDIMENT_BUCKET_TOPIC);
    expect(records.length).toBeGreaterThan(0);
    expect(records.map((r) => findUnstorable(r.value)).filter(Boolean)).toEqual([]);
  });
});
