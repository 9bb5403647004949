import { inMemoryBucketStream, ALICE } from '../../../test/support/in-memory-bucket-stream.js';
import { CreateBucketCommand } from '../../buckets/commands/create-bucket/create-bucket.command.js';
import { CreateBucketHandler } from '../../buckets/commands/create-bucket/create-bucket.handler.js';
import { ConfigureBucketLifecycleCommand } from '../../buckets/commands/configure-bucket-lifecycle/configure-bucket-lifecycle.command.js';
import { ConfigureBucketLifecycleHandler } from '../../buckets/commands/configure-bucket-lifecycle/configure-bucket-lifecycle.handler.js';
import { ConfigureBucketVersioningCommand } from '../../buckets/commands/configure-bucket-versioning/configure-bucket-versioning.command.js';
import { ConfigureBucketVersioningHandler } from '../../buckets/commands/configure-bucket-versioning/configure-bucket-versioning.handler.js';
import type { BucketLifecycleConfiguration } from '../../bucket-stream/lifecycle-configuration.js';
import { LIFECYCLE_PRINCIPAL } from '../../event-log/principal.js';
import { S3Error } from '../../errors/s3.error.js';
import { BucketMetadataProjector } from '../../projections/bucket-metadata/bucket-metadata.projector.js';
import { ProjectionProgress } from '../../projections/projection-progress.js';
import { InMemoryMetadataStore } from '../../../test/support/in-memory-metadata.store.js';
import { commonPrefix, LifecycleWorker } from './lifecycle.worker.js';

const DAY_MS = 1000;

async function bucketWith(configuration: BucketLifecycleConfiguration, versioned = false) {
  const stream = await inMemoryBucketStream();
  await new CreateBucketHandler(stream.writer).execute(new CreateBucketCommand('site', 'us-east-1', ALICE));
  if (versioned) await new ConfigureBucketVersioningHandler(stream.writer).execute(new ConfigureBucketVersioningCommand('site', 'Enabled', ALICE));
  await new ConfigureBucketLifecycleHandler(stream.writer).execute(new ConfigureBucketLifecycleCommand('site', configuration, ALICE));
  let clock = new Date();
  const worker = new LifecycleWorker(stream.store, stream.writer, { dayMs: DAY_MS, intervalMs: 60_000, pageSize: 2, now: () => clock });
  const later = (ms: number) => (clock = new Date(clock.getTime() + ms));
  const lifecycleEvents = () => stream.log.all().filter((r) => r.envelope.principal.arn === LIFECYCLE_PRINCIPAL.arn).map((r) => r.event.type);
  return { ...stream, worker, later, lifecycleEvents };
}

describe('LifecycleWorker', () => {
  it('expires what is due, paging through versions, and records each expiry as the lifecycle principal', async () => {
    const { worker, later, putObject, store, lifecycleEvents } = await bucketWith({ rules: [{ id: 'tmp', status: 'Enabled', filter: { prefix: 'tmp/' }, expiration: { days: 1 } }] });
    for (const key of ['tmp/a', 'tmp/b', 'tmp/c', 'keep/d']) await putObject('site', key, `o-${key}`);
    expect((await worker.sweep()).recorded).toBe(0);
    later(3 * DAY_MS);
    expect(await worker.sweep()).toEqual({ recorded: 3, skipped: 0, failed: 0 });
    expect([...store.objects.values()].map((o) => o.key)).toEqual(['keep/d']);
    expect(lifecycleEvents()).toEqual(['ObjectDeleted', 'ObjectDeleted', 'ObjectDeleted']);
    // Swept again, nothing more is due.
    expect((await worker.sweep()).recorded).toBe(0);
  });

  it('is reproduced by a replay, which folds its events and evaluates no rule', async () => {
    const { worker, later, putObject, store, log } = await bucketWith({ rules: [{ id: 'all', status: 'Enabled', filter: {}, expiration: { days: 1 } }] });
    await putObject('site', 'a', 'o-a');
    later(3 * DAY_MS);
    await worker.sweep();
    await putObject('site', 'b', 'o-b');
    // A rebuild from the log, much later, with no worker at all: 'b' is still there, 'a' is not.
    const rebuilt = new InMemoryMetadataStore();
    const projector = new BucketMetadataProjector(rebuilt, new ProjectionProgress(), 'events');
    await projector.start();
    for (const recorded of log.all()) await projector.apply(recorded);
    expect([...rebuilt.objects.keys()]).toEqual([...store.objects.keys()]);
    expect([...rebuilt.objects.values()].map((o) => o.key)).toEqual(['b']);
    expect(rebuilt.buckets.get('site')?.lifecycle).toEqual(store.buckets.get('site')?.lifecycle);
  });

  it('puts delete markers in a versioned bucket, then removes the noncurrent versions and the markers left alone', async () => {
    const { worker, later, putObject, lifecycleEvents } = await bucketWith(
      { rules: [{ id: 'all', status: 'Enabled', filter: {}, expiration: { days: 1 } }, { id: 'old', status: 'Enabled', filter: {}, noncurrentVersionExpiration: { noncurrentDays: 1 } }, { id: 'm', status: 'Enabled', filter: {}, expiration: { expiredObjectDeleteMarker: true } }] },
      true,
    );
    await putObject('site', 'k', 'o-1', 'v1');
    later(3 * DAY_MS);
    await worker.sweep();
    expect(lifecycleEvents()).toEqual(['DeleteMarkerCreated']);
    later(3 * DAY_MS);
    await worker.sweep();
    expect(lifecycleEvents()).toEqual(['DeleteMarkerCreated', 'ObjectDeleted']);
    await worker.sweep();
    expect(lifecycleEvents()).toEqual(['DeleteMarkerCreated', 'ObjectDeleted', 'DeleteMarkerRemoved']);
  });

  it('stops a sweep at the first refusal to write (a lost lease), leaving the rest to the next sweep', async () => {
    const { worker, later, putObject, writer, lifecycleEvents } = await bucketWith({ rules: [{ id: 'all', status: 'Enabled', filter: {}, expiration: { days: 1 } }] });
    for (const key of ['a', 'b', 'c']) await putObject('site', key, `o-${key}`);
    later(3 * DAY_MS);
    const execute = writer.execute.bind(writer);
    let calls = 0;
    writer.execute = async () => {
      calls++;
      throw new S3Error('ServiceUnavailable', { message: 'This node is not the writer of the event log.' });
    };
    await expect(worker.sweep()).rejects.toMatchObject({ code: 'ServiceUnavailable' });
    expect(calls).toBe(1);
    writer.execute = execute;
    expect((await worker.sweep()).recorded).toBe(3);
    expect(lifecycleEvents()).toHaveLength(3);
  });

  it('takes the common prefix of the rules as its scan range', () => {
    expect(commonPrefix(['logs/2026/', 'logs/2025/'])).toBe('logs/202');
    expect(commonPrefix(['logs/', ''])).toBe('');
    expect(commonPrefix(['a\uD83D\uDE00', 'a\uD83D\uDE01'])).toBe('a');
  });
});
