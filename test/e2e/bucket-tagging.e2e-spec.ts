// Bucket tagging (issue #14, section 7) through the AWS SDK: put, get, replace and delete a
// bucket's tags, S3's refusals, and the facts on the log that a replay rebuilds them from.
import {
  DeleteBucketTaggingCommand,
  GetBucketTaggingCommand,
  GetObjectTaggingCommand,
  PutBucketTaggingCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { readTopic } from '../support/kafka-topic-reader.js';
import { expectSdkError } from '../support/s3-api-assertions.js';
import { serviceWithBucket } from '../support/sediment-under-test.js';


const service = serviceWithBucket('tagged');
const { bucket } = service;

describe('bucket tagging', () => {
  it('puts, reads, replaces and deletes a bucket’s tags, which objects do not inherit', async () => {
    await expectSdkError(service.sediment.s3.send(new GetBucketTaggingCommand({ Bucket: bucket })), 404, 'NoSuchTagSet');
    const put = await service.sediment.s3.send(
      new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: [{ Key: 'team', Value: 'web' }, { Key: 'cost centre', Value: '42' }] } }),
    );
    expect(put.$metadata.httpStatusCode).toBe(204);
    expect((await service.sediment.s3.send(new GetBucketTaggingCommand({ Bucket: bucket }))).TagSet).toEqual([
      { Key: 'team', Value: 'web' },
      { Key: 'cost centre', Value: '42' },
    ]);
    await service.sediment.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x' }));
    expect((await service.sediment.s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'k' }))).TagSet).toEqual([]);

    await service.sediment.s3.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: [{ Key: 'team', Value: 'data' }] } }));
    expect((await service.sediment.s3.send(new GetBucketTaggingCommand({ Bucket: bucket }))).TagSet).toEqual([{ Key: 'team', Value: 'data' }]);

    const deleted = await service.sediment.s3.send(new DeleteBucketTaggingCommand({ Bucket: bucket }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    await expectSdkError(service.sediment.s3.send(new GetBucketTaggingCommand({ Bucket: bucket })), 404, 'NoSuchTagSet');
    expect((await service.sediment.s3.send(new DeleteBucketTaggingCommand({ Bucket: bucket }))).$metadata.httpStatusCode).toBe(204);

    const facts = (await readTopic(service.sediment.config.SEDIMENT_BUCKET_TOPIC))
      .map((r) => r.value as { type: string; bucket: string; data: { tags: unknown } })
      .filter((event) => event.type === 'BucketTaggingConfigured' && event.bucket === bucket)
      .map((event) => event.data.tags);
    expect(facts).toEqual([
      [{ key: 'team', value: 'web' }, { key: 'cost centre', value: '42' }],
      [{ key: 'team', value: 'data' }],
      null,
    ]);
  });

  it('refuses 51 tags, a duplicate key and an aws: key with InvalidTag, and a missing bucket with NoSuchBucket', async () => {
    const tagSet = (count: number) => Array.from({ length: count }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await service.sediment.s3.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: tagSet(50) } }));
    expect((await service.sediment.s3.send(new GetBucketTaggingCommand({ Bucket: bucket }))).TagSet).toHaveLength(50);
    for (const TagSet of [tagSet(51), [{ Key: 'a', Value: '1' }, { Key: 'a', Value: '2' }], [{ Key: 'aws:x', Value: '1' }]]) {
      await expectSdkError(service.sediment.s3.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet } })), 400, 'InvalidTag');
    }
    expect((await service.sediment.s3.send(new GetBucketTaggingCommand({ Bucket: bucket }))).TagSet).toHaveLength(50);
    await expectSdkError(service.sediment.s3.send(new GetBucketTaggingCommand({ Bucket: `missing-${bucket}` })), 404, 'NoSuchBucket');
  });
});
