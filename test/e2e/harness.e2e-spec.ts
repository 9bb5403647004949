import { CreateBucketCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { startSediment, type SedimentUnderTest } from '../support/sediment-under-test.js';

describe('e2e harness', () => {
  let sediment: SedimentUnderTest;
  beforeAll(async () => {
    sediment = await startSediment();
  });
  afterAll(async () => {
    await sediment.stop();
  });

  it('serves a real S3 client from a fresh topic and database', async () => {
    await sediment.s3.send(new CreateBucketCommand({ Bucket: 'harness-bucket' }));
    const { Buckets } = await sediment.s3.send(new ListBucketsCommand({}));
    expect(Buckets?.map((b) => b.Name)).toEqual(['harness-bucket']);
  });
});
