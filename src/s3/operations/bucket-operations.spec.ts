import { s3OperationHarness } from '../../../test/support/s3-operation-harness.js';
import { deleteBucketCors, getBucketCors, putBucketCors } from './bucket-cors.operation.js';
import { deleteBucketLifecycle, getBucketLifecycleConfiguration, putBucketLifecycleConfiguration } from './bucket-lifecycle.operation.js';
import { getBucketVersioning, putBucketVersioning } from './bucket-versioning.operation.js';
import { createBucket } from './create-bucket.operation.js';
import { deleteBucket } from './delete-bucket.operation.js';
import { getBucketLocation } from './get-bucket-location.operation.js';
import { headBucket } from './head-bucket.operation.js';
import { listBuckets } from './list-buckets.operation.js';

type Harness = Awaited<ReturnType<typeof s3OperationHarness>>;

let s3: Harness;
beforeEach(async () => {
  s3 = await s3OperationHarness();
});
afterEach(() => s3.close());

const CREATE_IN = (region: string) =>
  `<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LocationConstraint>${region}</LocationConstraint></CreateBucketConfiguration>`;

describe('bucket operations (given the request the guard let through, then the response S3 gives)', () => {
  it('CreateBucket answers 200 with Location, in the service region; HeadBucket and GetBucketLocation name that region', async () => {
    await expect(s3.call(createBucket, { method: 'PUT', bucket: 'docs' })).resolves.toMatchObject({ status: 200, headers: { location: '/docs' } });
    await expect(s3.call(headBucket, { method: 'HEAD', bucket: 'docs' })).resolves.toMatchObject({
      status: 200,
      headers: { 'x-amz-bucket-region': 'eu-west-3' },
    });
    const location = await s3.call(getBucketLocation, { bucket: 'docs', query: 'location' });
    expect(location.headers['content-type']).toBe('application/xml');
    expect(location.body).toContain('<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">eu-west-3</LocationConstraint>');
  });

  it('CreateBucket refuses a location constraint naming another region, and creates nothing', async () => {
    await expect(s3.call(createBucket, { method: 'PUT', bucket: 'docs', body: CREATE_IN('us-west-2') })).rejects.toMatchObject({
      code: 'InvalidLocationConstraint',
    });
    await expect(s3.call(headBucket, { method: 'HEAD', bucket: 'docs' })).rejects.toMatchObject({ code: 'NoSuchBucket' });
    await expect(s3.call(createBucket, { method: 'PUT', bucket: 'docs', body: CREATE_IN('eu-west-3') })).resolves.toMatchObject({ status: 200 });
  });

  it('CreateBucket of a name the caller already owns is BucketAlreadyOwnedByYou', async () => {
    await s3.call(createBucket, { method: 'PUT', bucket: 'docs' });
    await expect(s3.call(createBucket, { method: 'PUT', bucket: 'docs' })).rejects.toMatchObject({ code: 'BucketAlreadyOwnedByYou' });
  });

  it('ListBuckets lists the caller’s buckets by name with the owner', async () => {
    await s3.call(createBucket, { method: 'PUT', bucket: 'b-two' });
    await s3.call(createBucket, { method: 'PUT', bucket: 'a-one' });
    const { status, body } = await s3.call(listBuckets);
    expect(status).toBe(200);
    expect([...body.matchAll(/<Name>([^<]+)<\/Name>/g)].map((m) => m[1])).toEqual(['a-one', 'b-two']);
    expect(body).toContain('<Owner><ID>');
  });

  it('ListBuckets pages by max-buckets and continuation-token, echoes the prefix, and refuses a bad max-buckets or token', async () => {
    for (const name of ['b-one', 'b-two', 'c-three']) await s3.call(createBucket, { method: 'PUT', bucket: name });
    const first = (await s3.call(listBuckets, { query: 'max-buckets=2&prefix=b-' })).body;
    expect([...first.matchAll(/<Name>([^<]+)<\/Name>/g)].map((m) => m[1])).toEqual(['b-one', 'b-two']);
    expect(first).toContain('<BucketRegion>eu-west-3</BucketRegion>');
    expect(first).toContain('<Prefix>b-</Prefix>');
    expect(first).not.toContain('<ContinuationToken>');
    const page = (await s3.call(listBuckets, { query: 'max-buckets=1' })).body;
    const token = /<ContinuationToken>([^<]+)<\/ContinuationToken>/.exec(page)![1]!;
    const next = (await s3.call(listBuckets, { query: `max-buckets=2&continuation-token=${token}` })).body;
    expect([...next.matchAll(/<Name>([^<]+)<\/Name>/g)].map((m) => m[1])).toEqual(['b-two', 'c-three']);
    await expect(s3.call(listBuckets, { query: 'max-buckets=0' })).rejects.toMatchObject({ code: 'InvalidArgument' });
    await expect(s3.call(listBuckets, { query: 'max-buckets=10001' })).rejects.toMatchObject({ code: 'InvalidArgument' });
    await expect(s3.call(listBuckets, { query: 'continuation-token=%21%21' })).rejects.toMatchObject({ code: 'InvalidArgument' });
  });

  it('DeleteBucket answers 204, after which the bucket is gone', async () => {
    await s3.call(createBucket, { method: 'PUT', bucket: 'docs' });
    await expect(s3.call(deleteBucket, { method: 'DELETE', bucket: 'docs' })).resolves.toMatchObject({ status: 204, body: '' });
    await expect(s3.call(getBucketLocation, { bucket: 'docs', query: 'location' })).rejects.toMatchObject({ code: 'NoSuchBucket' });
  });

  it('GetBucketVersioning is empty until PutBucketVersioning, then says Enabled', async () => {
    await s3.call(createBucket, { method: 'PUT', bucket: 'docs' });
    const before = await s3.call(getBucketVersioning, { bucket: 'docs', query: 'versioning' });
    expect(before.body).not.toContain('<Status>');
    const put = await s3.call(putBucketVersioning, {
      method: 'PUT',
      bucket: 'docs',
      query: 'versioning',
      body: '<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>Enabled</Status></VersioningConfiguration>',
    });
    expect(put).toMatchObject({ status: 200, body: '' });
    expect((await s3.call(getBucketVersioning, { bucket: 'docs', query: 'versioning' })).body).toContain('<Status>Enabled</Status>');
  });

  it('PutBucketVersioning refuses a status S3 does not know', async () => {
    await s3.call(createBucket, { method: 'PUT', bucket: 'docs' });
    await expect(
      s3.call(putBucketVersioning, { method: 'PUT', bucket: 'docs', query: 'versioning', body: '<VersioningConfiguration><Status>On</Status></VersioningConfiguration>' }),
    ).rejects.toMatchObject({ code: 'MalformedXML' });
  });

  it('CORS: 404 NoSuchCORSConfiguration until put; PutBucketCors needs Content-MD5 or a checksum; DeleteBucketCors answers 204', async () => {
    await s3.call(createBucket, { method: 'PUT', bucket: 'docs' });
    await expect(s3.call(getBucketCors, { bucket: 'docs', query: 'cors' })).rejects.toMatchObject({ code: 'NoSuchCORSConfiguration' });
    const rules =
      '<CORSConfiguration><CORSRule><AllowedOrigin>https://app.example</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>';
    await expect(s3.call(putBucketCors, { method: 'PUT', bucket: 'docs', query: 'cors', body: rules })).rejects.toMatchObject({ code: 'InvalidRequest' });
    const md5 = (await import('node:crypto')).createHash('md5').update(rules).digest('base64');
    await expect(s3.call(putBucketCors, { method: 'PUT', bucket: 'docs', query: 'cors', body: rules, headers: { 'Content-MD5': md5 } })).resolves.toMatchObject({
      status: 200,
    });
    expect((await s3.call(getBucketCors, { bucket: 'docs', query: 'cors' })).body).toContain('<AllowedOrigin>https://app.example</AllowedOrigin>');
    await expect(s3.call(deleteBucketCors, { method: 'DELETE', bucket: 'docs', query: 'cors' })).resolves.toMatchObject({ status: 204 });
    await expect(s3.call(getBucketCors, { bucket: 'docs', query: 'cors' })).rejects.toMatchObject({ code: 'NoSuchCORSConfiguration' });
  });

  it('PutBucketLifecycleConfiguration needs Content-MD5, answers 200 and gives a rule without an ID one; Get reads it back; Delete answers 204', async () => {
    await s3.call(createBucket, { method: 'PUT', bucket: 'docs' });
    await expect(s3.call(getBucketLifecycleConfiguration, { bucket: 'docs', query: 'lifecycle' })).rejects.toMatchObject({ code: 'NoSuchLifecycleConfiguration' });
    const rules =
      '<LifecycleConfiguration><Rule><Filter><Prefix>tmp/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule></LifecycleConfiguration>';
    await expect(s3.call(putBucketLifecycleConfiguration, { method: 'PUT', bucket: 'docs', query: 'lifecycle', body: rules })).rejects.toMatchObject({
      code: 'InvalidRequest',
    });
    const md5 = (await import('node:crypto')).createHash('md5').update(rules).digest('base64');
    const put = { method: 'PUT', bucket: 'docs', query: 'lifecycle', body: rules, headers: { 'Content-MD5': md5 } };
    await expect(s3.call(putBucketLifecycleConfiguration, put)).resolves.toMatchObject({ status: 200 });
    const { body } = await s3.call(getBucketLifecycleConfiguration, { bucket: 'docs', query: 'lifecycle' });
    expect(body).toMatch(/<Rule><Expiration><Days>1<\/Days><\/Expiration><ID>[A-Za-z0-9_-]{32}<\/ID><Filter><Prefix>tmp\/<\/Prefix><\/Filter><Status>Enabled<\/Status><\/Rule>/);
    await expect(s3.call(deleteBucketLifecycle, { method: 'DELETE', bucket: 'docs', query: 'lifecycle' })).resolves.toMatchObject({ status: 204 });
    await expect(s3.call(getBucketLifecycleConfiguration, { bucket: 'docs', query: 'lifecycle' })).rejects.toMatchObject({ code: 'NoSuchLifecycleConfiguration' });
  });
});
