// POST Object (issue #14, section 4): browser form uploads. boto3's generate_presigned_post signs
// the policy (SigV4, and SigV2 as Debian 12's boto3 does by default); Node's fetch posts a real
// multipart/form-data body, as a browser would.
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { runPythonClient } from '../support/python-client.js';
import { md5Hex, sdkError } from '../support/s3-api-assertions.js';
import { ROOT_ACCESS_KEY_ID, ROOT_SECRET, serviceWithBucket } from '../support/sediment-under-test.js';
import { deriveSigningKey, signString } from '../../src/iam/sigv4/signing-key.js';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'clients', 'boto3_presigned_post.py');
const service = serviceWithBucket('post-form');

interface PresignedPost {
  url: string;
  fields: Record<string, string>;
}

async function presign(key: string, options: { version?: 's3v4' | 'default'; fields?: object; conditions?: unknown[] } = {}): Promise<PresignedPost> {
  const result = await runPythonClient(
    service.sediment.url,
    SCRIPT,
    service.bucket,
    key,
    options.version ?? 's3v4',
    JSON.stringify(options.fields ?? {}),
    JSON.stringify(options.conditions ?? []),
  );
  if (result.code !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout) as PresignedPost;
}

/** Posts the form as a browser does: the fields, then the file last. */
async function post({ url, fields }: PresignedPost, file: Buffer, extra: Record<string, string> = {}, filename = 'upload.bin') {
  const form = new FormData();
  for (const [name, value] of Object.entries({ ...fields, ...extra })) form.append(name, value);
  form.append('file', new Blob([new Uint8Array(file)]), filename);
  const res = await fetch(url, { method: 'POST', body: form, redirect: 'manual' });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

/**
 * Posts the form with every field as a part with a filename, as Python's requests does when a
 * form is given as `files=` (the ceph s3-tests post this way): S3 goes by each part's name.
 */
async function postFieldsAsFiles({ url, fields }: PresignedPost, file: Buffer) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, new Blob([value]), name);
  form.append('file', new Blob([new Uint8Array(file)]), 'upload.bin');
  const res = await fetch(url, { method: 'POST', body: form, redirect: 'manual' });
  return { status: res.status, body: await res.text() };
}

/** A SigV4 form for `key` signed by hand, its policy expiring as given (boto3 writes an expiration itself). */
function handSignedForm(key: string, expiration: string): PresignedPost {
  const now = new Date();
  const day = now.toISOString().slice(0, 10).replaceAll('-', '');
  const signed = {
    key,
    'x-amz-algorithm': 'AWS4-HMAC-SHA256',
    'x-amz-credential': `${ROOT_ACCESS_KEY_ID}/${day}/us-east-1/s3/aws4_request`,
    'x-amz-date': `${day}T${now.toISOString().slice(11, 19).replaceAll(':', '')}Z`,
  };
  const conditions = [{ bucket: service.bucket }, ...Object.entries(signed).map(([name, value]) => ({ [name]: value }))];
  const policy = Buffer.from(JSON.stringify({ expiration, conditions })).toString('base64');
  return {
    url: `${service.sediment.url}/${service.bucket}`,
    fields: { ...signed, policy, 'x-amz-signature': signString(deriveSigningKey(ROOT_SECRET, day, 'us-east-1', 's3'), policy) },
  };
}

const stored = (Key: string) => service.sediment.s3.send(new HeadObjectCommand({ Bucket: service.bucket, Key }));

describe('POST Object', () => {
  it('stores a file posted with a SigV4 policy, with its content type and metadata, and answers 204', async () => {
    const file = randomBytes(3 * 1024 * 1024 + 17);
    const form = await presign('uploads/${filename}', {
      fields: { 'Content-Type': 'image/png', 'x-amz-meta-origin': 'browser' },
      conditions: [['starts-with', '$key', 'uploads/'], { 'Content-Type': 'image/png' }, { 'x-amz-meta-origin': 'browser' }, ['content-length-range', 1, 10 * 1024 * 1024]],
    });
    expect(form.fields['x-amz-algorithm']).toBe('AWS4-HMAC-SHA256');
    const res = await post(form, file, {}, 'photo.png');
    expect({ status: res.status, etag: res.headers.get('etag') }).toEqual({ status: 204, etag: `"${md5Hex(file)}"` });
    const got = await service.sediment.s3.send(new GetObjectCommand({ Bucket: service.bucket, Key: 'uploads/photo.png' }));
    expect({ type: got.ContentType, meta: got.Metadata }).toEqual({ type: 'image/png', meta: { origin: 'browser' } });
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(file)).toBe(true);
  });

  it('keeps the Cache-Control, Content-Disposition, Content-Encoding, Content-Language and Expires fields as PutObject keeps those headers', async () => {
    const fields = {
      'Cache-Control': 'max-age=600',
      'Content-Disposition': 'attachment; filename="café.txt"',
      'Content-Encoding': 'gzip',
      'Content-Language': 'fr',
      Expires: 'Wed, 01 Dec 2094 16:00:00 GMT',
    };
    const form = await presign('system-metadata.txt', { fields, conditions: Object.entries(fields).map(([name, value]) => ({ [name]: value })) });
    expect((await post(form, Buffer.from('bonjour'))).status).toBe(204);
    const headed = await stored('system-metadata.txt');
    expect({
      cacheControl: headed.CacheControl,
      // A form's text is UTF-8; the header goes out as those bytes, which this client reads as UTF-8.
      contentDisposition: headed.ContentDisposition,
      contentEncoding: headed.ContentEncoding,
      contentLanguage: headed.ContentLanguage,
      expires: headed.ExpiresString,
    }).toEqual({
      cacheControl: 'max-age=600',
      contentDisposition: 'attachment; filename="café.txt"',
      contentEncoding: 'gzip',
      contentLanguage: 'fr',
      expires: 'Wed, 01 Dec 2094 16:00:00 GMT',
    });
  });

  it('refuses a Cache-Control or Content-Type field holding a control character, which no header can carry, storing nothing', async () => {
    const form = await presign('control-character.txt', { fields: { 'Cache-Control': 'no-cache\u0001' }, conditions: [{ 'Cache-Control': 'no-cache\u0001' }] });
    const res = await post(form, Buffer.from('x'));
    expect(res.status).toBe(400);
    expect(res.body).toContain('<Code>InvalidArgument</Code>');
    expect((await sdkError(stored('control-character.txt'))).$metadata.httpStatusCode).toBe(404);
    // Content-Type too: stored, it would make every later GET of the key fail to send its headers.
    const typed = await presign('control-type.txt', { fields: { 'Content-Type': 'text/\u0001plain' }, conditions: [{ 'Content-Type': 'text/\u0001plain' }] });
    const refused = await post(typed, Buffer.from('x'));
    expect({ status: refused.status, code: refused.body.includes('<Code>InvalidArgument</Code>') }).toEqual({ status: 400, code: true });
    expect((await sdkError(stored('control-type.txt'))).$metadata.httpStatusCode).toBe(404);
  });

  it('takes fields sent as parts with a filename by their part names, and the part named file as the upload', async () => {
    const file = randomBytes(70_000);
    const form = await presign('as-files/${filename}', { fields: { 'x-amz-meta-sent': 'as-file' }, conditions: [['starts-with', '$key', 'as-files/'], { 'x-amz-meta-sent': 'as-file' }] });
    const res = await postFieldsAsFiles(form, file);
    expect(res.status).toBe(204);
    const got = await service.sediment.s3.send(new GetObjectCommand({ Bucket: service.bucket, Key: 'as-files/upload.bin' }));
    expect(got.Metadata).toEqual({ sent: 'as-file' });
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(file)).toBe(true);
    // Its signature still counts: a field changed after signing is refused.
    const tampered = await postFieldsAsFiles({ ...form, fields: { ...form.fields, 'x-amz-meta-sent': 'changed' } }, file);
    expect(tampered.status).toBe(403);
  });

  it("takes the form's acl field as x-amz-acl: with ACLs off (the bucket's default), the owner's own only", async () => {
    const owned = await presign('acl/owned.txt', { fields: { acl: 'bucket-owner-full-control' }, conditions: [{ acl: 'bucket-owner-full-control' }] });
    expect((await post(owned, Buffer.from('mine'))).status).toBe(204);
    const open = await presign('acl/public.txt', { fields: { acl: 'public-read' }, conditions: [{ acl: 'public-read' }] });
    const refused = await post(open, Buffer.from('everyone'));
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('<Code>AccessControlListNotSupported</Code>');
    expect((await sdkError(stored('acl/public.txt'))).$metadata.httpStatusCode).toBe(404);
  });

  it('answers 201 with a PostResponse, or a 303 to success_action_redirect naming the object', async () => {
    const created = await presign('created.txt', { fields: { success_action_status: '201' }, conditions: [{ success_action_status: '201' }] });
    const res = await post(created, Buffer.from('hello'));
    expect(res.status).toBe(201);
    expect(res.body).toContain(`<Bucket>${service.bucket}</Bucket><Key>created.txt</Key><ETag>&quot;${md5Hex(Buffer.from('hello'))}&quot;</ETag>`);

    const redirect = 'https://app.example/done';
    const redirected = await post(await presign('redirected.txt', { fields: { success_action_redirect: redirect }, conditions: [{ success_action_redirect: redirect }] }), Buffer.from('x'));
    expect(redirected.status).toBe(303);
    const location = new URL(redirected.headers.get('location')!);
    expect([location.origin + location.pathname, location.searchParams.get('bucket'), location.searchParams.get('key')]).toEqual([redirect, service.bucket, 'redirected.txt']);
  });

  it('refuses a form that breaks its policy, and stores nothing', async () => {
    const form = await presign('limited.bin', { conditions: [['content-length-range', 1, 100]] });
    const tooLarge = await post(form, randomBytes(101));
    expect([tooLarge.status, /<Code>([^<]+)/.exec(tooLarge.body)?.[1]]).toEqual([400, 'EntityTooLarge']);
    const extra = await post(form, Buffer.from('x'), { 'x-amz-meta-sneaky': 'yes' });
    expect([extra.status, /<Code>([^<]+)/.exec(extra.body)?.[1]]).toEqual([403, 'AccessDenied']);
    expect(extra.body).toContain('Extra input fields: x-amz-meta-sneaky');
    const tampered = await post({ ...form, fields: { ...form.fields, key: 'elsewhere.bin' } }, Buffer.from('x'));
    expect([tampered.status, tampered.body]).toEqual([403, expect.stringContaining('Policy Condition failed')]);
    for (const key of ['limited.bin', 'elsewhere.bin']) expect((await sdkError(stored(key))).$metadata.httpStatusCode).toBe(404);
  });

  it('takes a policy expiration in ISO 8601 UTC only, as S3 does, and stores nothing for another form of date', async () => {
    const inAnHour = new Date(Date.now() + 3_600_000);
    // Python's str(datetime): a date Date.parse reads, but not one S3 takes.
    const pythonStyle = inAnHour.toISOString().replace('T', ' ').replace('Z', '000+00:00');
    const refused = await post(handSignedForm('python-date.bin', pythonStyle), Buffer.from('x'));
    expect([refused.status, /<Code>([^<]+)/.exec(refused.body)?.[1]]).toEqual([400, 'InvalidPolicyDocument']);
    expect(refused.body).toMatch(/Invalid (&apos;|')expiration(&apos;|') value/);
    expect((await sdkError(stored('python-date.bin'))).$metadata.httpStatusCode).toBe(404);
    const taken = await post(handSignedForm('iso-date.bin', inAnHour.toISOString()), Buffer.from('x'));
    expect(taken.status).toBe(204);
    expect((await stored('iso-date.bin')).ContentLength).toBe(1);
  });

  it('refuses a form with an x-amz-server-side-encryption field with 501 NotImplemented (Sediment encrypts nothing), and stores nothing', async () => {
    const sse = { 'x-amz-server-side-encryption': 'AES256' };
    const form = await presign('encrypted.bin', { fields: sse, conditions: [sse] });
    const res = await post(form, Buffer.from('plaintext'));
    expect([res.status, /<Code>([^<]+)/.exec(res.body)?.[1], /<Header>([^<]+)/.exec(res.body)?.[1]]).toEqual([501, 'NotImplemented', 'x-amz-server-side-encryption']);
    expect((await sdkError(stored('encrypted.bin'))).$metadata.httpStatusCode).toBe(404);
  });

  it('refuses an anonymous form into a bucket no policy opens, and accepts the SigV2 form this boto3 makes by default', async () => {
    const anonymous = await post({ url: `${service.sediment.url}/${service.bucket}`, fields: { key: 'anonymous.bin' } }, Buffer.from('x'));
    expect(anonymous.status).toBe(403);
    expect((await sdkError(stored('anonymous.bin'))).$metadata.httpStatusCode).toBe(404);

    const v2 = await presign('signed-v2.txt', { version: 'default' });
    expect(Object.keys(v2.fields)).toContain('AWSAccessKeyId');
    expect((await post(v2, Buffer.from('via sigv2'))).status).toBe(204);
    expect((await stored('signed-v2.txt')).ContentLength).toBe(9);
  });

  it('answers a body that is not a form, and a form without a file, with 400', async () => {
    const url = `${service.sediment.url}/${service.bucket}`;
    const noBoundary = await fetch(url, { method: 'POST', headers: { 'content-type': 'multipart/form-data' }, body: 'key=x' });
    expect([noBoundary.status, /<Code>([^<]+)/.exec(await noBoundary.text())?.[1]]).toEqual([400, 'MalformedPOSTRequest']);
    const fieldsOnly = new FormData();
    fieldsOnly.append('key', 'nofile.txt');
    const noFile = await fetch(url, { method: 'POST', body: fieldsOnly });
    expect([noFile.status, /<Code>([^<]+)/.exec(await noFile.text())?.[1]]).toEqual([400, 'InvalidArgument']);
  });
});
