import { inMemoryBucketStream, ALICE } from '../../../../test/support/in-memory-bucket-stream.js';
import { ConfigureBucketVersioningCommand } from '../../../buckets/commands/configure-bucket-versioning/configure-bucket-versioning.command.js';
import { ConfigureBucketVersioningHandler } from '../../../buckets/commands/configure-bucket-versioning/configure-bucket-versioning.handler.js';
import { CreateBucketCommand } from '../../../buckets/commands/create-bucket/create-bucket.command.js';
import { CreateBucketHandler } from '../../../buckets/commands/create-bucket/create-bucket.handler.js';
import { DeleteObjectCommand } from '../../commands/delete-object/delete-object.command.js';
import { DeleteObjectHandler } from '../../commands/delete-object/delete-object.handler.js';
import { GetObjectHandler } from './get-object.handler.js';
import { GetObjectQuery } from './get-object.query.js';

const V1 = 'a'.repeat(32);
const V2 = 'b'.repeat(32);

/** A versioned bucket whose key a.txt has two versions, V1 then V2 (current). */
async function twoVersions() {
  const stream = await inMemoryBucketStream();
  await new CreateBucketHandler(stream.writer).execute(new CreateBucketCommand('docs', 'us-east-1', ALICE));
  await new ConfigureBucketVersioningHandler(stream.writer).execute(new ConfigureBucketVersioningCommand('docs', 'Enabled', ALICE));
  await stream.putObject('docs', 'a.txt', 'o-1', V1);
  await stream.putObject('docs', 'a.txt', 'o-2', V2);
  return { ...stream, handler: new GetObjectHandler(stream.store) };
}

describe('GetObjectHandler', () => {
  it('resolves the current version, or the version named', async () => {
    const { handler } = await twoVersions();
    await expect(handler.execute(new GetObjectQuery('docs', 'a.txt'))).resolves.toMatchObject({ objectId: 'o-2', versionId: V2 });
    await expect(handler.execute(new GetObjectQuery('docs', 'a.txt', V1))).resolves.toMatchObject({ objectId: 'o-1', versionId: V1 });
  });

  it('answers NoSuchKey, NoSuchVersion, NoSuchBucket and a malformed version id as S3 does', async () => {
    const { handler } = await twoVersions();
    await expect(handler.execute(new GetObjectQuery('docs', 'missing'))).rejects.toMatchObject({ code: 'NoSuchKey', details: { Key: 'missing' } });
    await expect(handler.execute(new GetObjectQuery('docs', 'a.txt', 'c'.repeat(32)))).rejects.toMatchObject({ code: 'NoSuchVersion' });
    await expect(handler.execute(new GetObjectQuery('nope', 'a.txt'))).rejects.toMatchObject({ code: 'NoSuchBucket' });
    await expect(handler.execute(new GetObjectQuery('docs', 'a.txt', 'short'))).rejects.toMatchObject({ code: 'InvalidArgument', message: 'Invalid version id specified' });
  });

  it('says a key is behind a delete marker, and answers a GET of the marker with 405', async () => {
    const { handler, writer } = await twoVersions();
    const { versionId: marker } = await new DeleteObjectHandler(writer).execute(new DeleteObjectCommand('docs', 'a.txt', ALICE));
    await expect(handler.execute(new GetObjectQuery('docs', 'a.txt'))).rejects.toMatchObject({
      code: 'NoSuchKey',
      headers: { 'x-amz-delete-marker': 'true', 'x-amz-version-id': marker },
    });
    await expect(handler.execute(new GetObjectQuery('docs', 'a.txt', marker))).rejects.toMatchObject({
      code: 'MethodNotAllowed',
      headers: { 'x-amz-delete-marker': 'true', Allow: 'DELETE' },
    });
  });
});
