// Bucket lifecycle (issue section 5) through the AWS SDK v3: configuration put, read and deleted
// with S3's refusals; then the worker, with a two-second "day" and a short interval, expiring
// current versions, noncurrent versions and lone delete markers and aborting old uploads, each
// recorded as an ordinary event attributed to the lifecycle, and notified as
// s3:LifecycleExpiration:* (not s3:ObjectRemoved:*). Expiry is awaited by polling with a generous
// deadline: when it happens is the worker's interval, not something this test asserts.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketLifecycleCommand,
  GetBucketLifecycleConfigurationCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketNotificationConfigurationCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type LifecycleRule,
} from '@aws-sdk/client-s3';
import { readTopic } from '../support/kafka-topic-reader.js';
import { runPythonClient } from '../support/python-client.js';
import { waitUntil } from '../support/concurrency-helpers.js';
import { expectSdkError } from '../support/s3-api-assertions.js';
import { MongoClient } from 'mongodb';
import { deleteTopic, MONGO_URL, startSediment, type SedimentUnderTest } from '../support/sediment-under-test.js';
import { readModelDocuments } from '../support/read-model-documents.js';

const id = randomBytes(4).toString('hex');
const EXPIRIES = `e2e.lifecycle.${id}.expiries`;
const REMOVALS = `e2e.lifecycle.${id}.removals`;
const MARKERS = `e2e.lifecycle.${id}.markers`;
const arn = (topic: string) => `arn:aws:sns:us-east-1:000000000000:${topic}`;
const DEADLINE_MS = 60_000;
const BOTO3_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'clients', 'boto3_lifecycle.py');
const LIFECYCLE = { accessKeyId: '', arn: 'lifecycle.s3.amazonaws.com' };

let sediment: SedimentUnderTest;

beforeAll(async () => {
  sediment = await startSediment({ SEDIMENT_LIFECYCLE_DAY_SECONDS: '2', SEDIMENT_LIFECYCLE_INTERVAL_MS: '300' });
}, 60_000);

afterAll(async () => {
  sediment?.s3.destroy();
  await sediment?.stop();
  for (const topic of [EXPIRIES, REMOVALS, MARKERS]) await deleteTopic(topic);
}, 60_000);

async function newBucket(prefix: string, versioned = false): Promise<string> {
  const bucket = `${prefix}-${id}`;
  await sediment.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  if (versioned) await sediment.s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  return bucket;
}

const putLifecycle = (bucket: string, Rules: LifecycleRule[]) =>
  sediment.s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: bucket, LifecycleConfiguration: { Rules } }));

/** The bucket's events on the log, as `type` with who caused them. */
async function bucketEvents(bucket: string): Promise<{ type: string; principal: { accessKeyId: string; arn: string }; data: Record<string, unknown> }[]> {
  return (await readTopic(sediment.config.SEDIMENT_BUCKET_TOPIC))
    .map((r) => r.value as { type: string; bucket: string; principal: { accessKeyId: string; arn: string }; data: Record<string, unknown> })
    .filter((event) => event.bucket === bucket);
}

describe('lifecycle configuration', () => {
  it('puts, reads and deletes the rules; a rule without an ID gets one', async () => {
    const bucket = await newBucket('lc-config');
    await expectSdkError(sediment.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket })), 404, 'NoSuchLifecycleConfiguration');
    const put = await putLifecycle(bucket, [
      { ID: 'logs', Status: 'Enabled', Filter: { Prefix: 'logs/' }, Expiration: { Days: 30 } },
      {
        Status: 'Disabled',
        Filter: { And: { Prefix: 'big/', Tags: [{ Key: 'tier', Value: 'cold' }], ObjectSizeGreaterThan: 1024, ObjectSizeLessThan: 1048576 } },
        NoncurrentVersionExpiration: { NoncurrentDays: 7, NewerNoncurrentVersions: 2 },
      },
      { ID: 'end', Status: 'Enabled', Filter: {}, Expiration: { Date: new Date('2030-01-01T00:00:00Z') }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 3 } },
    ]);
    expect(put.$metadata.httpStatusCode).toBe(200);
    const { Rules } = await sediment.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }));
    expect(Rules).toHaveLength(3);
    expect(Rules![0]).toMatchObject({ ID: 'logs', Status: 'Enabled', Filter: { Prefix: 'logs/' }, Expiration: { Days: 30 } });
    expect(Rules![1]).toMatchObject({
      Status: 'Disabled',
      Filter: { And: { Prefix: 'big/', Tags: [{ Key: 'tier', Value: 'cold' }], ObjectSizeGreaterThan: 1024, ObjectSizeLessThan: 1048576 } },
      NoncurrentVersionExpiration: { NoncurrentDays: 7, NewerNoncurrentVersions: 2 },
    });
    expect(Rules![1]!.ID).toMatch(/^\S{1,255}$/);
    expect(Rules![2]!.Expiration!.Date!.toISOString()).toBe('2030-01-01T00:00:00.000Z');
    expect(Rules![2]!.AbortIncompleteMultipartUpload).toEqual({ DaysAfterInitiation: 3 });

    const deleted = await sediment.s3.send(new DeleteBucketLifecycleCommand({ Bucket: bucket }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    await expectSdkError(sediment.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket })), 404, 'NoSuchLifecycleConfiguration');
    const facts = (await bucketEvents(bucket)).filter((e) => e.type === 'BucketLifecycleConfigured').map((e) => e.data.configuration === null);
    expect(facts).toEqual([false, true]);
  });

  it('returns a rule sent with the legacy rule-level Prefix in that form, as S3 does, and one sent with a Filter with its Filter', async () => {
    const bucket = await newBucket('lc-legacy');
    await putLifecycle(bucket, [
      { ID: 'test1/', Prefix: 'test1/', Status: 'Enabled', Expiration: { Days: 31 } },
      { ID: 'test2/', Filter: { Prefix: 'test2/' }, Status: 'Enabled', Expiration: { Days: 120 } },
    ]);
    const { Rules } = await sediment.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }));
    expect(Rules).toEqual([
      { ID: 'test1/', Prefix: 'test1/', Status: 'Enabled', Expiration: { Days: 31 } },
      { ID: 'test2/', Filter: { Prefix: 'test2/' }, Status: 'Enabled', Expiration: { Days: 120 } },
    ]);
    const [event] = (await bucketEvents(bucket)).filter((e) => e.type === 'BucketLifecycleConfigured') as unknown as { schemaVersion: number; data: { configuration: { rules: unknown[] } } }[];
    expect(event!.schemaVersion).toBe(2);
    expect(event!.data.configuration.rules[0]).toEqual({ id: 'test1/', status: 'Enabled', filter: { prefix: 'test1/' }, legacyPrefix: true, expiration: { days: 31 } });
    // The legacy prefix still selects what the rule expires.
    const put = await sediment.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'test1/a.txt', Body: 'a' }));
    expect(put.Expiration).toMatch(/, rule-id="test1%2F"$/);
  });

  it('refuses what S3 refuses, and transitions as not implemented', async () => {
    const bucket = await newBucket('lc-refuse');
    await expectSdkError(putLifecycle(bucket, [{ ID: 'none', Status: 'Enabled', Filter: {} }]), 400, 'InvalidRequest');
    await expectSdkError(putLifecycle(bucket, [{ ID: 'noon', Status: 'Enabled', Filter: {}, Expiration: { Date: new Date('2030-01-01T12:00:00Z') } }]), 400, 'InvalidArgument');
    await expectSdkError(putLifecycle(bucket, [{ ID: 'zero', Status: 'Enabled', Filter: {}, Expiration: { Days: 0 } }]), 400, 'InvalidArgument');
    const twice: LifecycleRule = { ID: 'same', Status: 'Enabled', Filter: {}, Expiration: { Days: 1 } };
    await expectSdkError(putLifecycle(bucket, [twice, twice]), 400, 'InvalidArgument');
    await expectSdkError(
      putLifecycle(bucket, [{ ID: 'mpu', Status: 'Enabled', Filter: { Tag: { Key: 'a', Value: 'b' } }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }]),
      400,
      'InvalidRequest',
    );
    await expectSdkError(putLifecycle(bucket, [{ ID: 'cold', Status: 'Enabled', Filter: {}, Transitions: [{ Days: 30, StorageClass: 'GLACIER' }] }]), 501, 'NotImplemented');
    await expectSdkError(sediment.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket })), 404, 'NoSuchLifecycleConfiguration');
    await expectSdkError(putLifecycle(`missing-${bucket}`, [twice]), 404, 'NoSuchBucket');
  });
});

describe('the lifecycle worker', () => {
  it('expires current objects of an unversioned bucket, says when on PUT, GET and HEAD, and notifies LifecycleExpiration only', async () => {
    const bucket = await newBucket('lc-expire');
    await sediment.s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: bucket,
        NotificationConfiguration: {
          TopicConfigurations: [
            { Id: 'expiries', TopicArn: arn(EXPIRIES), Events: ['s3:LifecycleExpiration:*'] },
            { Id: 'removals', TopicArn: arn(REMOVALS), Events: ['s3:ObjectRemoved:*'] },
          ],
        },
      }),
    );
    await putLifecycle(bucket, [
      { ID: 'tmp files', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 1 } },
      { ID: 'tagged', Status: 'Enabled', Filter: { Tag: { Key: 'expire', Value: 'yes' } }, Expiration: { Days: 1 } },
      { ID: 'keep a year', Status: 'Enabled', Filter: { Prefix: 'keep/' }, Expiration: { Days: 365 } },
    ]);
    const put = await sediment.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'keep/b', Body: 'stays' }));
    expect(put.Expiration).toMatch(/^expiry-date="[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT", rule-id="keep%20a%20year"$/);
    const head = await sediment.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'keep/b' }));
    expect(head.Expiration).toBe(put.Expiration);
    expect((await sediment.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'keep/b' }))).Expiration).toBe(put.Expiration);

    await sediment.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'tmp/a', Body: 'goes' }));
    await sediment.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'tagged', Body: 'goes too', Tagging: 'expire=yes' }));
    await sediment.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'untagged', Body: 'stays' }));
    expect((await sediment.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'untagged' }))).Expiration).toBeUndefined();

    const gone = async (key: string) =>
      sediment.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })).then(
        () => false,
        (error: { $metadata?: { httpStatusCode?: number } }) => error.$metadata?.httpStatusCode === 404,
      );
    await waitUntil('the lifecycle expires tmp/a and the tagged object', async () => (await gone('tmp/a')) && (await gone('tagged')), DEADLINE_MS);
    expect(await gone('keep/b')).toBe(false);
    expect(await gone('untagged')).toBe(false);

    const expiries = (await bucketEvents(bucket)).filter((e) => e.principal.arn === LIFECYCLE.arn);
    expect(expiries.map((e) => `${e.type} ${e.data.key as string}`).sort()).toEqual(['ObjectDeleted tagged', 'ObjectDeleted tmp/a']);
    expect(expiries.every((e) => e.principal.accessKeyId === '')).toBe(true);

    await waitUntil('both expiries are notified', async () => (await readTopic(EXPIRIES)).length >= 2, DEADLINE_MS);
    const records = (await readTopic(EXPIRIES)).map(
      (r) => (r.value as { Records: { eventName: string; userIdentity: { principalId: string }; s3: { object: { key: string } } }[] }).Records[0]!,
    );
    expect(records.map((r) => `${r.eventName} ${r.s3.object.key}`).sort()).toEqual(['LifecycleExpiration:Delete tagged', 'LifecycleExpiration:Delete tmp/a']);
    expect(records.map((r) => r.userIdentity.principalId)).toEqual(['s3.amazonaws.com', 's3.amazonaws.com']);
    expect(await readTopic(REMOVALS)).toEqual([]);
  }, 120_000);

  it('in a versioned bucket: a delete marker over the expired object, then the noncurrent version and the lone marker go', async () => {
    const bucket = await newBucket('lc-versions', true);
    await sediment.s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: bucket,
        NotificationConfiguration: { TopicConfigurations: [{ Id: 'markers', TopicArn: arn(MARKERS), Events: ['s3:LifecycleExpiration:DeleteMarkerCreated'] }] },
      }),
    );
    await putLifecycle(bucket, [
      { ID: 'current', Status: 'Enabled', Filter: { Prefix: 'v/' }, Expiration: { Days: 1 } },
      { ID: 'noncurrent', Status: 'Enabled', Filter: { Prefix: 'v/' }, NoncurrentVersionExpiration: { NoncurrentDays: 1 } },
      { ID: 'markers', Status: 'Enabled', Filter: { Prefix: 'v/' }, Expiration: { ExpiredObjectDeleteMarker: true } },
      { ID: 'history', Status: 'Enabled', Filter: { Prefix: 'h/' }, NoncurrentVersionExpiration: { NoncurrentDays: 1, NewerNoncurrentVersions: 1 } },
    ]);
    await sediment.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'v/k', Body: 'one' }));
    for (const body of ['1', '2', '3', '4']) await sediment.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'h/k', Body: body }));
    const versionsOf = async (prefix: string) => {
      const listed = await sediment.s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix }));
      return (listed.Versions?.length ?? 0) + (listed.DeleteMarkers?.length ?? 0);
    };
    await waitUntil('v/k has no version or marker left', async () => (await versionsOf('v/')) === 0, DEADLINE_MS);
    // h/k keeps its current version and the newest noncurrent one.
    await waitUntil('h/k is down to two versions', async () => (await versionsOf('h/')) === 2, DEADLINE_MS);
    const bodies = await sediment.s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: 'h/' }));
    expect(bodies.Versions!.map((v) => v.IsLatest)).toEqual([true, false]);

    const expiries = (await bucketEvents(bucket)).filter((e) => e.principal.arn === LIFECYCLE.arn);
    expect(expiries.filter((e) => e.data.key === 'v/k').map((e) => e.type)).toEqual(['DeleteMarkerCreated', 'ObjectDeleted', 'DeleteMarkerRemoved']);
    expect(expiries.filter((e) => e.data.key === 'h/k').map((e) => e.type)).toEqual(['ObjectDeleted', 'ObjectDeleted']);
    // The topic subscribed to DeleteMarkerCreated alone hears of the marker, not of the removals.
    await waitUntil('the delete marker is notified', async () => (await readTopic(MARKERS)).length >= 1, DEADLINE_MS);
    const notified = (await readTopic(MARKERS)).map((r) => (r.value as { Records: { eventName: string; s3: { object: { key: string } } }[] }).Records[0]!);
    expect(notified.map((r) => `${r.eventName} ${r.s3.object.key}`)).toEqual(['LifecycleExpiration:DeleteMarkerCreated v/k']);
  }, 120_000);

  it('aborts multipart uploads left unfinished past DaysAfterInitiation', async () => {
    const bucket = await newBucket('lc-uploads');
    await putLifecycle(bucket, [{ ID: 'uploads', Status: 'Enabled', Filter: { Prefix: 'mpu/' }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }]);
    const { UploadId, AbortDate, AbortRuleId } = await sediment.s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'mpu/big' }));
    // x-amz-abort-date and x-amz-abort-rule-id: when the rule will abort it (a two-second day boundary).
    expect({ AbortRuleId, wholeDay: AbortDate!.getTime() % 2000 }).toEqual({ AbortRuleId: 'uploads', wholeDay: 0 });
    const other = await sediment.s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'other/big' }));
    const kept = other.UploadId;
    expect(other.AbortRuleId).toBeUndefined();
    const uploads = async () => ((await sediment.s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }))).Uploads ?? []).map((u) => u.UploadId);
    await waitUntil('the upload under mpu/ is aborted', async () => !(await uploads()).includes(UploadId), DEADLINE_MS);
    expect(await uploads()).toEqual([kept]);
    const aborted = (await bucketEvents(bucket)).filter((e) => e.type === 'MultipartUploadAborted');
    expect(aborted.map((e) => [e.data.uploadId, e.principal])).toEqual([[UploadId, LIFECYCLE]]);
  }, 120_000);
});

describe('lifecycle with boto3', () => {
  it('puts, reads and deletes a configuration, sees Expiration on put_object and head_object, and the object expire', async () => {
    const result = await runPythonClient(sediment.url, BOTO3_SCRIPT, `lc-boto3-${id}`);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(result.stdout.trim())).toEqual({
      rules: 2,
      expired: 'scratch/tmp.txt',
      left: ['kept.txt'],
      afterDelete: 'NoSuchLifecycleConfiguration',
      daysZero: 'InvalidArgument',
    });
  }, 120_000);
});

describe('replay of lifecycle expiries', () => {
  it('rebuilds what the worker expired from the log alone, with a real day in which no rule is due', async () => {
    const blobDir = await mkdtemp(join(tmpdir(), 'sediment-lifecycle-replay-'));
    const overrides = {
      MONGO_DATABASE: `e2e_lc_replay_${id}`,
      SEDIMENT_BUCKET_TOPIC: `e2e.lc-replay.${id}`,
      // Shared by both starts, so the last stop deletes it.
      SEDIMENT_IDENTITY_TOPIC: `e2e.lc-replay.${id}.identity`,
      SEDIMENT_BLOB_DIR: blobDir,
    };
    const mongo = await new MongoClient(MONGO_URL).connect();
    const db = mongo.db(overrides.MONGO_DATABASE);
    let service: SedimentUnderTest | undefined = await startSediment({ ...overrides, SEDIMENT_LIFECYCLE_DAY_SECONDS: '2', SEDIMENT_LIFECYCLE_INTERVAL_MS: '300' });
    try {
      const bucket = `lc-replay-${id}`;
      await service.s3.send(new CreateBucketCommand({ Bucket: bucket }));
      await service.s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
      await service.s3.send(
        new PutBucketLifecycleConfigurationCommand({
          Bucket: bucket,
          LifecycleConfiguration: { Rules: [{ ID: 'tmp', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 1 } }] },
        }),
      );
      await service.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'tmp/a', Body: 'expires' }));
      await service.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'keep/b', Body: 'stays' }));
      const markers = async () => (await service!.s3.send(new ListObjectVersionsCommand({ Bucket: bucket }))).DeleteMarkers?.length ?? 0;
      await waitUntil('the worker puts a delete marker over tmp/a', async () => (await markers()) === 1, DEADLINE_MS);
      const snapshot = async () => ({
        objects: await readModelDocuments(db, 'objects'),
        versions: await readModelDocuments(db, 'versions'),
      });
      const live = await snapshot();

      await service.stop({ keepData: true });
      service = undefined;
      await db.dropDatabase();
      // A real day and an hourly sweep: nothing the rule names is due, so only the log can say tmp/a went.
      service = await startSediment(overrides);
      // Boot waits for catch-up: the rebuilt read model is complete once the service is up.
      expect(await snapshot()).toEqual(live);
      expect(live.objects.map((o) => o.key)).toEqual(['keep/b']);
      expect(live.versions.filter((v) => v.key === 'tmp/a').map((v) => v.isDeleteMarker)).toEqual([true, false]);
    } finally {
      if (service) await service.stop();
      else {
        await db.dropDatabase().catch(() => undefined);
        await deleteTopic(overrides.SEDIMENT_BUCKET_TOPIC);
      }
      await mongo.close();
      await rm(blobDir, { recursive: true, force: true });
    }
  }, 120_000);
});
