// The Debian awscli's high-level `aws s3` commands against the service (issue #5): a 100 MiB
// `aws s3 cp` up and back (multipart: the CLI splits above its 8 MiB threshold, 8 MiB parts), and
// `aws s3 sync` of a tree with nested folders, an empty file, a file above the threshold and names
// with spaces and non-ASCII characters, up and back into a fresh directory. Files are compared by
// SHA-256 and `diff -r`; a second sync must upload nothing, and `aws s3 ls --recursive` must list
// exactly the tree. The CLI runs with an environment of its own, as in aws-cli-iam.e2e-spec.ts.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, open, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { CreateBucketCommand, HeadObjectCommand, ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { awsCli, type CliResult } from '../support/aws-cli.js';
import { ROOT_CREDENTIALS } from '../support/raw-s3-request.js';
import { startSediment, type SedimentUnderTest } from '../support/sediment-under-test.js';

const MiB = 1024 * 1024;
const BUCKET = `cli-s3-${randomBytes(4).toString('hex')}`;
/** awscli's default multipart_chunksize: 100 MiB goes up as 13 parts. */
const CLI_PART_SIZE = 8 * MiB;
const BIG_SIZE = 100 * MiB;

/** The tree `aws s3 sync` carries: relative path → content. No empty directories (S3 has none). */
const TREE: Record<string, Buffer> = {
  'readme.txt': Buffer.from('top level\n'),
  'empty.txt': Buffer.alloc(0),
  'docs/notes with spaces.md': Buffer.from('# spaces in the name\n'),
  'docs/deeper/still deeper/leaf.json': Buffer.from('{"leaf":true}\n'),
  'photos/été/café ☕.txt': Buffer.from('accents and a symbol outside Latin-1\n'),
  'photos/日本語/ファイル.bin': randomBytes(4096),
  'photos/emoji 😀/x.txt': Buffer.from('astral plane\n'),
  'media/large over threshold.bin': randomBytes(9 * MiB + 12_345),
};

let sediment: SedimentUnderTest;
let home: string;

/** `aws <args>` as root against the service under test. */
const aws = (...args: string[]) => awsCli({ endpoint: sediment.url, home, credentials: ROOT_CREDENTIALS, timeoutMs: 240_000 }, ...args);

/** A command that must exit 0 with nothing on stderr; its stdout. */
async function ok(...args: string[]): Promise<string> {
  const result = await aws(...args);
  expect({ command: args.slice(0, 2).join(' '), code: result.code, stderr: result.stderr }).toEqual({ command: args.slice(0, 2).join(' '), code: 0, stderr: '' });
  return result.stdout;
}

function run(command: string, args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(command, args, { encoding: 'utf8', maxBuffer: 16 * MiB }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

/** Streams the file, so 100 MiB never sits in jest's heap twice. */
async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Every file under dir, as relative path → size. */
async function filesUnder(dir: string): Promise<Map<string, number>> {
  const files = new Map<string, number>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(dir, path), (await stat(path)).size);
  }
  return files;
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'sediment-awscli-s3-'));
  sediment = await startSediment();
  await sediment.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
}, 60_000);

afterAll(async () => {
  sediment?.s3.destroy();
  await sediment?.stop();
  if (home) await rm(home, { recursive: true, force: true });
}, 60_000);

describe('aws s3 cp of 100 MiB', () => {
  it('uploads in 8 MiB parts and downloads the same bytes', async () => {
    const up = join(home, 'big-up.bin');
    // Written in 1 MiB pieces of random data: incompressible, and never 100 MiB in one Buffer.
    const file = await open(up, 'w');
    for (let i = 0; i < BIG_SIZE / MiB; i++) await file.write(randomBytes(MiB));
    await file.close();

    const started = performance.now();
    const upload = await ok('s3', 'cp', '--no-progress', up, `s3://${BUCKET}/big/100MiB.bin`);
    const seconds = (performance.now() - started) / 1000;
    console.log(`aws s3 cp 100 MiB upload: ${seconds.toFixed(2)} s (${(100 / seconds).toFixed(1)} MiB/s, CLI start-up included)`);
    expect(upload).toContain(`upload: ./big-up.bin to s3://${BUCKET}/big/100MiB.bin`);

    const head = await sediment.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'big/100MiB.bin' }));
    expect({ size: head.ContentLength, etag: head.ETag }).toEqual({
      size: BIG_SIZE,
      etag: expect.stringMatching(new RegExp(`^"[0-9a-f]{32}-${Math.ceil(BIG_SIZE / CLI_PART_SIZE)}"$`)),
    });
    const pending = await sediment.s3.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }));
    expect(pending.Uploads ?? []).toEqual([]);

    const down = join(home, 'big-down.bin');
    await ok('s3', 'cp', '--no-progress', `s3://${BUCKET}/big/100MiB.bin`, down);
    expect(await sha256File(down)).toBe(await sha256File(up));
  }, 300_000);
});

describe('aws s3 sync of a directory tree', () => {
  const source = () => join(home, 'tree');
  const target = () => join(home, 'fresh');

  beforeAll(async () => {
    for (const [path, content] of Object.entries(TREE)) {
      await mkdir(join(source(), path, '..'), { recursive: true });
      await writeFile(join(source(), path), content);
    }
  });

  it('uploads every file, and a fresh directory synced back is identical (diff -r)', async () => {
    const up = await ok('s3', 'sync', '--no-progress', source(), `s3://${BUCKET}/tree/`);
    const uploaded = up.split('\n').filter((line) => line.startsWith('upload: '));
    expect(uploaded).toHaveLength(Object.keys(TREE).length);

    const down = await ok('s3', 'sync', '--no-progress', `s3://${BUCKET}/tree/`, target());
    expect(down.split('\n').filter((line) => line.startsWith('download: '))).toHaveLength(Object.keys(TREE).length);
    const diff = await run('diff', ['-r', source(), target()]);
    expect(diff).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await filesUnder(target())).toEqual(new Map(Object.entries(TREE).map(([path, content]) => [path, content.length])));
  }, 180_000);

  it('uploads nothing on a second sync of the unchanged tree', async () => {
    const again = await ok('s3', 'sync', '--no-progress', source(), `s3://${BUCKET}/tree/`);
    expect(again).toBe('');
    // The control: a changed file is uploaded, and only it.
    await writeFile(join(source(), 'docs/notes with spaces.md'), '# spaces in the name, edited\n');
    const changed = await ok('s3', 'sync', '--no-progress', source(), `s3://${BUCKET}/tree/`);
    expect(changed.trim()).toBe(`upload: tree/docs/notes with spaces.md to s3://${BUCKET}/tree/docs/notes with spaces.md`);
  }, 120_000);

  it('lists exactly the tree with aws s3 ls --recursive, sizes included', async () => {
    const listing = await ok('s3', 'ls', '--recursive', `s3://${BUCKET}/tree/`);
    // "2026-11-27 21:00:00      12345 tree/docs/notes with spaces.md"
    const listed = listing
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => {
        const match = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} +(\d+) (.+)$/.exec(line);
        if (!match) throw new Error(`unexpected aws s3 ls line: ${JSON.stringify(line)}`);
        return [match[2]!, Number(match[1])] as const;
      });
    const expected = [...(await filesUnder(source())).entries()].map(([path, size]) => [`tree/${path}`, size] as const);
    // S3 lists in UTF-8 byte order.
    const utf8Order = (a: readonly [string, number], b: readonly [string, number]) => Buffer.compare(Buffer.from(a[0]), Buffer.from(b[0]));
    expect(listed).toEqual(expected.sort(utf8Order));
  }, 60_000);
});
