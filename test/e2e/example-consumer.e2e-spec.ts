// The example consumer (issue #4 §5): examples/sha256-sidecar runs as its own process and
// consumer group against a real Sediment, reacting to uploads only through the documented event
// contract; it must write the SHA-256 of every stored object next to it.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import kafkajs from 'kafkajs';
import { KAFKA_BROKERS, ROOT_ACCESS_KEY_ID, ROOT_SECRET, startSediment, type SedimentUnderTest } from '../support/sediment-under-test.js';

const { Kafka, logLevel } = kafkajs;

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const sha256 = (body: Buffer | string) => createHash('sha256').update(body).digest('hex');

describe('examples/sha256-sidecar', () => {
  let sediment: SedimentUnderTest;
  let child: ChildProcess | undefined;
  let output = '';
  const groupId = `sha256-sidecar-e2e-${randomBytes(5).toString('hex')}`;
  /** What each key holds last; the sidecar must end up with these digests. */
  const uploads = new Map<string, Buffer>();

  const put = async (key: string, body: Buffer) => {
    await sediment.s3.send(new PutObjectCommand({ Bucket: 'digests', Key: key, Body: body }));
    uploads.set(key, body);
  };
  const digestOf = async (key: string): Promise<string | undefined> => {
    try {
      const got = await sediment.s3.send(new GetObjectCommand({ Bucket: 'digests', Key: `${key}.sha256` }));
      return await got.Body!.transformToString();
    } catch (error) {
      if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return undefined;
      throw error;
    }
  };

  const startSidecar = () => {
    const started = spawn(process.execPath, ['examples/sha256-sidecar/index.mjs'], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH,
        KAFKA_BROKERS,
        SEDIMENT_BUCKET_TOPIC: sediment.config.SEDIMENT_BUCKET_TOPIC,
        SIDECAR_GROUP_ID: groupId,
        S3_ENDPOINT: sediment.url,
        AWS_ACCESS_KEY_ID: ROOT_ACCESS_KEY_ID,
        AWS_SECRET_ACCESS_KEY: ROOT_SECRET,
        AWS_REGION: 'us-east-1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    started.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    started.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    return started;
  };
  const exitOf = (process: ChildProcess) =>
    new Promise<number | null>((resolve) => (process.exitCode !== null ? resolve(process.exitCode) : process.once('exit', (code) => resolve(code))));

  beforeAll(async () => {
    sediment = await startSediment();
    await sediment.s3.send(new CreateBucketCommand({ Bucket: 'digests' }));
    // Written before the sidecar starts: a new group reads from the beginning of the topic.
    await put('before/start.txt', Buffer.from('written before the sidecar started\n'));
  }, 30_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGKILL');
      await exitOf(child);
    }
    const admin = new Kafka({ brokers: KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
    await sediment?.stop();
  }, 30_000);

  it('writes <key>.sha256 with the digest of every stored object, the last version of an overwritten one', async () => {
    child = startSidecar();
    await put('small.txt', Buffer.from('hello, sidecar\n'));
    await put('big.bin', randomBytes(6 * 1024 * 1024 + 123));
    await put('empty', Buffer.alloc(0));
    await put('nested/ünïcode key.dat', randomBytes(4096));
    await put('small.txt', Buffer.from('hello again, overwritten\n'));
    // A user's own .sha256 object is not digested again.
    await put('user-made.sha256', Buffer.from('not a digest of anything'));

    const expected = [...uploads].filter(([key]) => !key.endsWith('.sha256'));
    const deadline = Date.now() + 60_000;
    for (const [key, body] of expected) {
      while ((await digestOf(key)) !== sha256(body)) {
        if (Date.now() > deadline || child.exitCode !== null) {
          throw new Error(`no digest of ${key} (sidecar ${child.exitCode === null ? 'running' : `exited ${child.exitCode}`}); its output:\n${output}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }

    const listed = await sediment.s3.send(new ListObjectsV2Command({ Bucket: 'digests' }));
    const keys = listed.Contents!.map((c) => c.Key!);
    expect(keys.filter((k) => k.endsWith('.sha256')).sort()).toEqual([...expected.map(([k]) => `${k}.sha256`), 'user-made.sha256'].sort());
    const head = await sediment.s3.send(new GetObjectCommand({ Bucket: 'digests', Key: 'big.bin.sha256' }));
    expect(head.Metadata?.['source-etag']).toBe(createHash('md5').update(uploads.get('big.bin')!).digest('hex'));
  }, 90_000);

  it('stops on SIGTERM, leaving its group; a restart re-reads nothing it committed', async () => {
    child!.kill('SIGTERM');
    expect(await exitOf(child!)).toBe(0);

    const before = output;
    child = startSidecar();
    await put('after-restart.txt', Buffer.from('one more\n'));
    const deadline = Date.now() + 60_000;
    while ((await digestOf('after-restart.txt')) !== sha256(uploads.get('after-restart.txt')!)) {
      if (Date.now() > deadline) throw new Error(`no digest after the restart; output:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // Committed offsets: the second run handled only the new upload (plus its own digest write, ignored).
    const secondRun = output
      .slice(before.length)
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { event: string; key?: string })
      .filter((line) => line.event !== 'joined');
    expect(secondRun).toEqual([expect.objectContaining({ event: 'digested', key: 'after-restart.txt' })]);
    child.kill('SIGTERM');
    expect(await exitOf(child)).toBe(0);
  }, 90_000);
});
