import { createHash } from 'node:crypto';
import { s3OperationHarness } from '../../../test/support/s3-operation-harness.js';
import { putBucketVersioning } from './bucket-versioning.operation.js';
import { createBucket } from './create-bucket.operation.js';
import { deleteObject } from './delete-object.operation.js';
import { deleteObjects } from './delete-objects.operation.js';
import { getObject, headObject } from './get-object.operation.js';
import {
  getObjectLegalHold,
  getObjectLockConfiguration,
  getObjectRetention,
  putObjectLegalHold,
  putObjectLockConfiguration,
  putObjectRetention,
} from './object-lock.operation.js';
import { putObject } from './put-object.operation.js';

type Harness = Awaited<ReturnType<typeof s3OperationHarness>>;

let s3: Harness;
beforeEach(async () => {
  s3 = await s3OperationHarness();
  await s3.call(createBucket, { method: 'PUT', bucket: 'vault', headers: { 'x-amz-bucket-object-lock-enabled': 'true' } });
});
afterEach(() => s3.close());

/** S3 requires an integrity check on each of these bodies, and on a locked write. */
const withMd5 = (body: string) => ({ 'Content-MD5': createHash('md5').update(body).digest('base64') });

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const put = (key: string, headers: Record<string, string> = {}) => s3.call(putObject, { method: 'PUT', bucket: 'vault', key, body: 'x', headers: { ...withMd5('x'), ...headers } });
const retentionXml = (mode: string, until: string) => `<Retention><Mode>${mode}</Mode><RetainUntilDate>${until}</RetainUntilDate></Retention>`;
const putRetention = (key: string, body: string, extra: { headers?: Record<string, string>; denied?: string[]; versionId?: string } = {}) =>
  s3.call(putObjectRetention, {
    method: 'PUT', bucket: 'vault', key, body,
    query: `retention${extra.versionId ? `&versionId=${extra.versionId}` : ''}`,
    headers: { ...withMd5(body), ...extra.headers },
    ...(extra.denied ? { denied: extra.denied } : {}),
  });

describe('Object Lock operations (given the request the guard let through, then the response S3 gives)', () => {
  it('GetObjectLockConfiguration: enabled by CreateBucket, a default retention put, and 404 on a bucket without lock', async () => {
    expect((await s3.call(getObjectLockConfiguration, { bucket: 'vault', query: 'object-lock' })).body).toContain('<ObjectLockEnabled>Enabled</ObjectLockEnabled>');
    const body = '<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention><Mode>COMPLIANCE</Mode><Years>7</Years></DefaultRetention></Rule></ObjectLockConfiguration>';
    await s3.call(putObjectLockConfiguration, { method: 'PUT', bucket: 'vault', query: 'object-lock', body, headers: withMd5(body) });
    expect((await s3.call(getObjectLockConfiguration, { bucket: 'vault', query: 'object-lock' })).body).toContain(
      '<Rule><DefaultRetention><Mode>COMPLIANCE</Mode><Years>7</Years></DefaultRetention></Rule>',
    );
    await s3.call(createBucket, { method: 'PUT', bucket: 'plain' });
    await expect(s3.call(getObjectLockConfiguration, { bucket: 'plain', query: 'object-lock' })).rejects.toMatchObject({ code: 'ObjectLockConfigurationNotFoundError' });
    await expect(s3.call(putObjectLockConfiguration, { method: 'PUT', bucket: 'plain', query: 'object-lock', body, headers: withMd5(body) })).rejects.toMatchObject({
      code: 'InvalidBucketState',
    });
  });

  it('PutObjectLockConfiguration refuses Days and Years together (MalformedXML) and a zero period (InvalidArgument)', async () => {
    const rule = (inner: string) => `<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention><Mode>GOVERNANCE</Mode>${inner}</DefaultRetention></Rule></ObjectLockConfiguration>`;
    for (const [inner, code] of [['<Days>1</Days><Years>1</Years>', 'MalformedXML'], ['<Days>0</Days>', 'InvalidArgument'], ['<Days>soon</Days>', 'MalformedXML']]) {
      const body = rule(inner!);
      await expect(s3.call(putObjectLockConfiguration, { method: 'PUT', bucket: 'vault', query: 'object-lock', body, headers: withMd5(body) })).rejects.toMatchObject({ code });
    }
  });

  it('PutBucketVersioning Suspended is InvalidBucketState on a locked bucket', async () => {
    const body = '<VersioningConfiguration><Status>Suspended</Status></VersioningConfiguration>';
    await expect(s3.call(putBucketVersioning, { method: 'PUT', bucket: 'vault', query: 'versioning', body })).rejects.toMatchObject({ code: 'InvalidBucketState' });
  });

  it('PutObject with lock headers: GET and HEAD answer them, GetObjectRetention and GetObjectLegalHold too', async () => {
    const until = inDays(2);
    const stored = await put('a.tar', { 'x-amz-object-lock-mode': 'GOVERNANCE', 'x-amz-object-lock-retain-until-date': until, 'x-amz-object-lock-legal-hold': 'ON' });
    const versionId = stored.headers['x-amz-version-id'] as string;
    for (const read of [getObject, headObject]) {
      expect((await s3.call(read, { bucket: 'vault', key: 'a.tar', method: read === headObject ? 'HEAD' : 'GET' })).headers).toMatchObject({
        'x-amz-object-lock-mode': 'GOVERNANCE',
        'x-amz-object-lock-retain-until-date': until,
        'x-amz-object-lock-legal-hold': 'ON',
      });
    }
    expect((await s3.call(getObjectRetention, { bucket: 'vault', key: 'a.tar', query: `retention&versionId=${versionId}` })).body).toContain(
      `<Mode>GOVERNANCE</Mode><RetainUntilDate>${until}</RetainUntilDate>`,
    );
    expect((await s3.call(getObjectLegalHold, { bucket: 'vault', key: 'a.tar', query: 'legal-hold' })).body).toContain('<Status>ON</Status>');
    // As in S3, GET shows each only to a caller allowed to read it.
    const hidden = await s3.call(getObject, { bucket: 'vault', key: 'a.tar', denied: ['s3:GetObjectRetention'] });
    expect([hidden.headers['x-amz-object-lock-mode'], hidden.headers['x-amz-object-lock-legal-hold']]).toEqual([undefined, 'ON']);
    const noHold = await s3.call(headObject, { method: 'HEAD', bucket: 'vault', key: 'a.tar', denied: ['s3:GetObjectLegalHold'] });
    expect([noHold.headers['x-amz-object-lock-mode'], noHold.headers['x-amz-object-lock-legal-hold']]).toEqual(['GOVERNANCE', undefined]);
  });

  it('PutObject refuses lock headers without an integrity check, half a retention, and an unknown mode', async () => {
    const until = inDays(1);
    await expect(s3.call(putObject, { method: 'PUT', bucket: 'vault', key: 'a', body: 'x', headers: { 'x-amz-object-lock-legal-hold': 'ON' } })).rejects.toMatchObject({
      code: 'InvalidRequest',
      message: 'Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters',
    });
    await expect(put('a', { 'x-amz-object-lock-mode': 'GOVERNANCE' })).rejects.toMatchObject({ code: 'InvalidArgument' });
    await expect(put('a', { 'x-amz-object-lock-mode': 'FOREVER', 'x-amz-object-lock-retain-until-date': until })).rejects.toMatchObject({ code: 'InvalidArgument' });
    await expect(put('a', { 'x-amz-object-lock-mode': 'GOVERNANCE', 'x-amz-object-lock-retain-until-date': 'tomorrow' })).rejects.toMatchObject({ code: 'InvalidArgument' });
  });

  it('a version without a retention or legal hold has no lock configuration (404), and one of a bucket without lock is InvalidRequest', async () => {
    await put('a.tar');
    await expect(s3.call(getObjectRetention, { bucket: 'vault', key: 'a.tar', query: 'retention' })).rejects.toMatchObject({ code: 'NoSuchObjectLockConfiguration' });
    await expect(s3.call(getObjectLegalHold, { bucket: 'vault', key: 'a.tar', query: 'legal-hold' })).rejects.toMatchObject({ code: 'NoSuchObjectLockConfiguration' });
    await s3.call(createBucket, { method: 'PUT', bucket: 'plain' });
    await s3.call(putObject, { method: 'PUT', bucket: 'plain', key: 'a', body: 'x' });
    const hold = '<LegalHold><Status>ON</Status></LegalHold>';
    await expect(s3.call(putObjectLegalHold, { method: 'PUT', bucket: 'plain', key: 'a', query: 'legal-hold', body: hold, headers: withMd5(hold) })).rejects.toMatchObject({
      code: 'InvalidRequest',
      message: 'Bucket is missing Object Lock Configuration',
    });
  });

  it('shortening GOVERNANCE takes the bypass header and s3:BypassGovernanceRetention; then the version can go', async () => {
    const versionId = (await put('a.tar'))!.headers['x-amz-version-id'] as string;
    await putRetention('a.tar', retentionXml('GOVERNANCE', inDays(10)));
    const shorter = retentionXml('GOVERNANCE', inDays(1));
    await expect(putRetention('a.tar', shorter)).rejects.toMatchObject({ code: 'AccessDenied' });
    const bypass = { 'x-amz-bypass-governance-retention': 'true' };
    await expect(putRetention('a.tar', shorter, { headers: bypass, denied: ['s3:BypassGovernanceRetention'] })).rejects.toMatchObject({ code: 'AccessDenied' });
    await putRetention('a.tar', shorter, { headers: bypass });

    await expect(s3.call(deleteObject, { method: 'DELETE', bucket: 'vault', key: 'a.tar', query: `versionId=${versionId}` })).rejects.toMatchObject({
      code: 'AccessDenied',
      message: 'Access Denied because object protected by object lock.',
    });
    await expect(
      s3.call(deleteObject, { method: 'DELETE', bucket: 'vault', key: 'a.tar', query: `versionId=${versionId}`, headers: bypass, denied: ['s3:BypassGovernanceRetention'] }),
    ).rejects.toMatchObject({ code: 'AccessDenied' });
    await expect(s3.call(deleteObject, { method: 'DELETE', bucket: 'vault', key: 'a.tar', query: `versionId=${versionId}`, headers: bypass })).resolves.toMatchObject({ status: 204 });
  });

  it('COMPLIANCE is never shortened; a delete marker still hides the version; DeleteObjects reports it AccessDenied', async () => {
    const versionId = (await put('a.tar', { 'x-amz-object-lock-mode': 'COMPLIANCE', 'x-amz-object-lock-retain-until-date': inDays(3) }))!.headers['x-amz-version-id'] as string;
    await expect(putRetention('a.tar', retentionXml('COMPLIANCE', inDays(1)), { headers: { 'x-amz-bypass-governance-retention': 'true' } })).rejects.toMatchObject({ code: 'AccessDenied' });
    await expect(s3.call(deleteObject, { method: 'DELETE', bucket: 'vault', key: 'a.tar' })).resolves.toMatchObject({ status: 204, headers: { 'x-amz-delete-marker': 'true' } });
    const body = `<Delete><Object><Key>a.tar</Key><VersionId>${versionId}</VersionId></Object></Delete>`;
    const result = await s3.call(deleteObjects, { method: 'POST', bucket: 'vault', query: 'delete', body, headers: withMd5(body) });
    expect(result.body).toContain(`<Error><Key>a.tar</Key><VersionId>${versionId}</VersionId><Code>AccessDenied</Code><Message>Access Denied because object protected by object lock.</Message></Error>`);
    await expect(s3.call(getObject, { bucket: 'vault', key: 'a.tar', query: `versionId=${versionId}` })).resolves.toMatchObject({ status: 200, body: 'x' });
  });
});
