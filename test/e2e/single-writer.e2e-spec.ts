import { CreateBucketCommand, HeadBucketCommand } from '@aws-sdk/client-s3';
import { startSediment, type SedimentUnderTest } from '../support/sediment-under-test.js';

/** ADR 0001: one writer per topic. A second process must refuse to start, not race the first. */
describe('single writer per topic', () => {
  const lease = { SEDIMENT_WRITER_LEASE_MS: '2000' };
  let first: SedimentUnderTest;

  beforeAll(async () => {
    first = await startSediment(lease);
  });

  afterAll(async () => {
    await first.stop();
  });

  it('refuses to boot a second process on the same topic and database, naming the reason', async () => {
    await first.s3.send(new CreateBucketCommand({ Bucket: 'held-bucket' }));
    const overrides = {
      ...lease,
      MONGO_DATABASE: first.config.MONGO_DATABASE,
      SEDIMENT_BUCKET_TOPIC: first.config.SEDIMENT_BUCKET_TOPIC,
      SEDIMENT_BLOB_DIR: first.config.SEDIMENT_BLOB_DIR,
    };
    await expect(startSediment(overrides)).rejects.toThrow(/Another Sediment process .* is the writer of topic/);
    // The first one keeps serving.
    await expect(first.s3.send(new HeadBucketCommand({ Bucket: 'held-bucket' }))).resolves.toBeDefined();
  });

  it('lets a successor start once the writer stopped cleanly, on the same state', async () => {
    const overrides = {
      ...lease,
      MONGO_DATABASE: first.config.MONGO_DATABASE,
      SEDIMENT_BUCKET_TOPIC: first.config.SEDIMENT_BUCKET_TOPIC,
      SEDIMENT_BLOB_DIR: first.config.SEDIMENT_BLOB_DIR,
    };
    await first.stop({ keepData: true });
    first = await startSediment(overrides);
    await expect(first.s3.send(new HeadBucketCommand({ Bucket: 'held-bucket' }))).resolves.toBeDefined();
    await first.s3.send(new CreateBucketCommand({ Bucket: 'successor-bucket' }));
  });
});
