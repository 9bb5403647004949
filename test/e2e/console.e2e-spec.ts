import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GetBucketCorsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
} from '@aws-sdk/client-s3';
import puppeteer, { type Browser, type CDPSession, type HTTPRequest, type Page } from 'puppeteer-core';
import { eventually } from '../support/eventually.js';
import { GetUserPolicyCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { createUserWithKey, iamClient, policy } from '../support/iam-helpers.js';
import { readTopic } from '../support/kafka-topic-reader.js';
import { ROOT_ACCESS_KEY_ID, ROOT_SECRET, s3Client, serviceForFile } from '../support/sediment-under-test.js';

/**
 * The web console (issue #16, ADR 0029) in a real browser: Debian's Chromium, headless, driven by
 * puppeteer-core. Every step waits for what the page shows, never for a length of time. It
 * screenshots the main pages (into docs/console/ with SEDIMENT_SCREENSHOTS=docs).
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/**
 * Where the screenshots go: docs/console/ when SEDIMENT_SCREENSHOTS=docs (how the committed ones
 * are refreshed), else a git-ignored folder, so that running the suite leaves the tree clean.
 */
const SCREENSHOTS = join(process.cwd(), ...(process.env.SEDIMENT_SCREENSHOTS === 'docs' ? ['docs', 'console'] : ['.data', 'console-screenshots']));
const MiB = 1024 * 1024;

const service = serviceForFile();
const bucket = `console-${randomBytes(4).toString('hex')}`;
let browser: Browser;
let page: Page;
let cdp: CDPSession;
let work: string;
let bigFile: string;
let bigBytes: Buffer;

beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
  work = await mkdtemp(join(tmpdir(), 'sediment-console-'));
  bigBytes = randomBytes(20 * MiB);
  bigFile = join(work, 'big.bin');
  await writeFile(bigFile, bigBytes);
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Root in a container has no user namespace for Chromium's sandbox.
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
  page = await browser.newPage();
  // Only a hang runs into these: every wait is for something the page shows.
  page.setDefaultTimeout(120_000);
  await page.setViewport({ width: 1280, height: 900 });
  cdp = await browser.target().createCDPSession();
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allowAndName', downloadPath: work, eventsEnabled: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const consoleUrl = () => `${service.sediment.adminUrl}/_console/`;

async function textOf(selector: string): Promise<string> {
  const element = await page.waitForSelector(selector);
  return (await element!.evaluate((e) => e.textContent ?? '')).trim();
}

/**
 * The text of the element matching `selector` once one says `expected`: after an action, an
 * earlier message may still be there until the page has drawn the new one. On a hang it returns
 * what is there, for the caller's assertion to show.
 */
async function textOnceItSays(selector: string, expected: string): Promise<string> {
  await page
    .waitForFunction(
      (sel: string, want: string) =>
        Array.from((globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ textContent: string | null }> } }).document.querySelectorAll(sel)).some(
          (e) => (e.textContent ?? '').trim() === want,
        ),
      {},
      selector,
      expected,
    )
    .catch(() => undefined);
  return textOf(selector);
}

async function signIn(accessKeyId: string, secret: string): Promise<void> {
  await page.goto(consoleUrl());
  await page.waitForSelector('#access-key-id');
  await page.type('#access-key-id', accessKeyId);
  await page.type('#secret-access-key', secret);
  await page.locator('button[type=submit]').click();
}

/** Types `text` into a field in place of what it held, as a user would. */
async function replaceText(selector: string, text: string): Promise<void> {
  await page.locator(selector).click();
  await page.keyboard.down('Control');
  await page.keyboard.press('KeyA');
  await page.keyboard.up('Control');
  await page.keyboard.press('Backspace');
  await page.type(selector, text);
}

async function clickButton(name: string): Promise<void> {
  await page.locator(`::-p-aria([name="${name}"][role="button"])`).click();
}

/**
 * axe-core's WCAG 2 A and AA rules on the page as it is. It is evaluated through DevTools, which
 * the page's Content Security Policy does not govern, so the policy stays on for the test.
 */
async function expectAccessible(): Promise<void> {
  await page.evaluate(await readFile(join(process.cwd(), 'node_modules', 'axe-core', 'axe.min.js'), 'utf8'));
  const violations = await page.evaluate(async () => {
    const { axe } = globalThis as unknown as {
      axe: { run(options: object): Promise<{ violations: { id: string; help: string; nodes: { target: string[] }[] }[] }> };
    };
    const result = await axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  expect(violations).toEqual([]);
}

/** Checks the page's accessibility, then saves a picture of it (or of one part of it) into SCREENSHOTS. */
async function screenshot(name: string, part?: string): Promise<void> {
  await expectAccessible();
  const path = join(SCREENSHOTS, `${name}.png`) as `${string}.png`;
  if (part) await (await page.waitForSelector(part))!.screenshot({ path });
  else await page.screenshot({ path, fullPage: true });
}

/** Clicks what starts a download and resolves with the downloaded file's bytes. */
async function download(click: () => Promise<void>): Promise<Buffer> {
  const finished = new Promise<string>((resolve, reject) => {
    const progress = (event: { guid: string; state: string }) => {
      if (event.state === 'inProgress') return;
      cdp.off('Browser.downloadProgress', progress);
      if (event.state === 'completed') resolve(event.guid);
      else reject(new Error(`the download ended ${event.state}`));
    };
    cdp.on('Browser.downloadProgress', progress);
  });
  await click();
  return readFile(join(work, await finished));
}

describe('the web console', () => {
  it('is served by the admin listener with a policy that lets nothing but its own bundle run', async () => {
    const response = await fetch(consoleUrl());
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await response.text()).toContain('<script type="module" src="app.js"></script>');
    const script = await fetch(`${consoleUrl()}app.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await fetch(`${consoleUrl()}../../_console/nope.js`)).status).toBe(404);
  });

  it('signs in with an access key and secret, refusing a wrong secret with the API message', async () => {
    await signIn(ROOT_ACCESS_KEY_ID, 'not-the-secret-at-all-000000');
    expect(await textOf('[role=alert]')).toMatch(/^SignatureDoesNotMatch: .+\(HTTP 403\)$/);
    // Now with the keyboard alone: Tab to each field in order, Enter to submit.
    await page.goto(consoleUrl());
    await page.waitForSelector('#access-key-id');
    const focused = () => page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id);
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('access-key-id');
    await page.keyboard.type(ROOT_ACCESS_KEY_ID);
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('secret-access-key');
    await page.keyboard.type(ROOT_SECRET);
    await screenshot('sign-in');
    await page.keyboard.press('Enter');
    expect(await textOf('#signed-in-key')).toBe(ROOT_ACCESS_KEY_ID);
    expect(await textOf('main h1')).toBe('Buckets');
    // The secret is in no storage the page can reach, and in no cookie.
    const stored = await page.evaluate(() => {
      const w = globalThis as unknown as { localStorage: { length: number }; sessionStorage: { length: number }; document: { cookie: string } };
      return { local: w.localStorage.length, session: w.sessionStorage.length, cookie: w.document.cookie };
    });
    expect(stored).toEqual({ local: 0, session: 0, cookie: '' });
  });

  it('creates a bucket', async () => {
    await page.type('#new-bucket', bucket);
    await clickButton('Create bucket');
    await page.waitForSelector(`tr[data-bucket="${bucket}"]`);
    await expect(service.sediment.s3.send(new HeadBucketCommand({ Bucket: bucket }))).resolves.toBeDefined();
    await screenshot('buckets');
  });

  it('browses folders and uploads a 20 MiB file as a multipart upload, showing its progress', async () => {
    await service.sediment.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'reports/2026/summary.txt', Body: 'a summary' }));
    await page.locator(`tr[data-bucket="${bucket}"] a`).click();
    await page.waitForSelector('tr[data-prefix="reports/"]');
    await page.locator('tr[data-prefix="reports/"] a').click();
    await page.waitForSelector('tr[data-prefix="reports/2026/"]');
    await page.locator('tr[data-prefix="reports/2026/"] a').click();
    await page.waitForSelector('tr[data-key="reports/2026/summary.txt"]');

    // Every value the progress bar takes, as the page shows it.
    await page.evaluate(() => {
      const w = globalThis as unknown as {
        progressSeen: number[][];
        document: { body: unknown };
        MutationObserver: new (cb: (records: { target: { value?: number; max?: number; tagName?: string } }[]) => void) => {
          observe(target: unknown, options: object): void;
        };
      };
      w.progressSeen = [];
      new w.MutationObserver((records) => {
        for (const { target } of records) if (target.tagName === 'PROGRESS') w.progressSeen.push([target.value ?? -1, target.max ?? -1]);
      }).observe(w.document.body, { subtree: true, attributes: true, attributeFilter: ['value', 'max'] });
    });
    const input = await page.waitForSelector('#upload-files');
    await (input as unknown as { uploadFile(path: string): Promise<void> }).uploadFile(bigFile);
    await page.waitForSelector('li[data-upload-key="reports/2026/big.bin"][data-state="done"]');
    expect(await textOf('li[data-upload-key="reports/2026/big.bin"] .transfer-state')).toBe('Uploaded 20 MiB');
    const seen = await page.evaluate(() => (globalThis as unknown as { progressSeen: number[][] }).progressSeen);
    const total = 20 * MiB;
    expect(seen.some(([value, max]) => max === total && value > 0 && value < total)).toBe(true);
    expect(seen.at(-1)).toEqual([total, total]);
    await page.waitForSelector('tr[data-key="reports/2026/big.bin"]');
    await screenshot('objects');

    const head = await service.sediment.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'reports/2026/big.bin' }));
    expect(head.ContentLength).toBe(total);
    expect(head.ETag).toMatch(/-4"$/); // four parts of 5 MiB
  });

  it('pages through a large folder', async () => {
    for (let i = 0; i < 12; i++) {
      await service.sediment.s3.send(new PutObjectCommand({ Bucket: bucket, Key: `many/file-${String(i).padStart(2, '0')}.txt`, Body: String(i) }));
    }
    await page.goto(`${consoleUrl()}#/b/${bucket}?prefix=many%2F`);
    await page.waitForSelector('tr[data-key="many/file-11.txt"]');
    await page.select('#page-size', '10');
    await page.waitForSelector('tr[data-key="many/file-11.txt"]', { hidden: true });
    const keys = () => page.$$eval('#objects tr[data-key]', (trs) => trs.map((tr) => tr.getAttribute('data-key')));
    expect(await keys()).toEqual(Array.from({ length: 10 }, (_, i) => `many/file-${String(i).padStart(2, '0')}.txt`));
    expect(await textOf('#objects caption')).toBe('Page 1: 10 entries');
    await clickButton('Next page');
    await page.waitForSelector('tr[data-key="many/file-11.txt"]');
    expect(await keys()).toEqual(['many/file-10.txt', 'many/file-11.txt']);
    expect(await textOf('#objects caption')).toBe('Page 2: 2 entries');
    expect(await page.$eval('::-p-aria([name="Next page"][role="button"])', (b) => (b as unknown as { disabled: boolean }).disabled)).toBe(true);
    await clickButton('Previous page');
    await page.waitForSelector('tr[data-key="many/file-00.txt"]');
    expect(await keys()).toHaveLength(10);
    await page.goBack(); // back to big.bin's folder, where the next test starts
    await page.waitForSelector('tr[data-key="reports/2026/big.bin"]');
  });

  it('uploads a file dropped on the page, and cancels an upload in flight, aborting it on the server', async () => {
    // A drop, as the browser delivers one: a DataTransfer holding a file.
    await page.evaluate(() => {
      const w = globalThis as unknown as {
        DataTransfer: new () => { items: { add(file: unknown): void } };
        File: new (bits: string[], name: string, options: object) => unknown;
        DragEvent: new (type: string, init: object) => unknown;
        document: { querySelector(selector: string): { dispatchEvent(event: unknown): void } };
      };
      const data = new w.DataTransfer();
      data.items.add(new w.File(['dropped bytes'], 'dropped.txt', { type: 'text/plain' }));
      w.document.querySelector('.drop-zone').dispatchEvent(new w.DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    });
    await page.waitForSelector('li[data-upload-key="reports/2026/dropped.txt"][data-state="done"]');
    const dropped = await service.sediment.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'reports/2026/dropped.txt' }));
    expect(await dropped.Body!.transformToString()).toBe('dropped bytes');
    expect(dropped.ContentType).toBe('text/plain');

    // Parts are held back until Cancel is pressed, so the upload is surely in flight then.
    const held: HTTPRequest[] = [];
    let firstPart!: () => void;
    const partStarted = new Promise<void>((resolve) => (firstPart = resolve));
    const intercept = (request: HTTPRequest) => {
      if (request.url().includes('partNumber=')) {
        held.push(request);
        firstPart();
      } else void request.continue();
    };
    await page.setRequestInterception(true);
    page.on('request', intercept);
    try {
      const input = await page.waitForSelector('#upload-files');
      const cancelled = join(work, 'cancelled.bin');
      await writeFile(cancelled, bigBytes.subarray(0, 12 * MiB));
      await (input as unknown as { uploadFile(path: string): Promise<void> }).uploadFile(cancelled);
      await partStarted;
      await clickButton('Cancel upload of reports/2026/cancelled.bin');
      await page.waitForSelector('li[data-upload-key="reports/2026/cancelled.bin"][data-state="cancelled"]');
    } finally {
      page.off('request', intercept);
      await Promise.all(held.map((request) => request.abort().catch(() => undefined)));
      await page.setRequestInterception(false);
    }
    const uploads = await eventually(
      () => service.sediment.s3.send(new ListMultipartUploadsCommand({ Bucket: bucket })),
      (listed) => (listed.Uploads ?? []).length === 0,
      60_000,
    );
    expect(uploads.Uploads ?? []).toEqual([]);
    await expect(service.sediment.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'reports/2026/cancelled.bin' }))).rejects.toThrow();
  });

  it('downloads the object and gets the same bytes', async () => {
    await page.locator('tr[data-key="reports/2026/big.bin"] a').click();
    await page.waitForSelector('#download[href]');
    const bytes = await download(() => page.locator('#download').click());
    expect(bytes.length).toBe(bigBytes.length);
    expect(sha256(bytes)).toBe(sha256(bigBytes));
  });

  it('creates a share link with an expiry that anyone can fetch without credentials', async () => {
    await page.select('#share-expiry', '3600');
    await clickButton('Create share link');
    const link = await page.$eval('#share-link', (e) => (e as unknown as { value: string }).value);
    const url = new URL(link);
    expect(url.origin).toBe(service.sediment.url); // the S3 port itself, not the console
    expect(url.searchParams.get('X-Amz-Expires')).toBe('3600');
    const response = await fetch(link);
    expect(response.status).toBe(200);
    expect(sha256(Buffer.from(await response.arrayBuffer()))).toBe(sha256(bigBytes));
    const unsigned = await fetch(`${url.origin}${url.pathname}`);
    expect(unsigned.status).toBe(403);
  });

  it('deletes an object and restores an older version over it', async () => {
    const s3 = service.sediment.s3;
    await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    const first = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'notes.txt', Body: 'first draft' }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'notes.txt', Body: 'second draft', Metadata: { author: 'ada' } }));
    await page.goto(`${consoleUrl()}#/o/${bucket}?key=notes.txt`);
    expect(await textOf('.metadata')).toContain('x-amz-meta-author');
    await page.waitForSelector('#versions tbody tr:nth-child(2)');
    await clickButton('Delete notes.txt');
    await clickButton('Delete notes.txt'); // the confirmation
    await page.waitForSelector('#no-current-version');
    await page.waitForSelector('#versions tbody tr:nth-child(3)');
    const rows = await page.$$eval('#versions tbody tr', (trs) => trs.map((tr) => tr.textContent ?? ''));
    expect(rows[0]).toContain('delete marker');
    await screenshot('object-versions');

    await clickButton(`Restore version ${first.VersionId}`);
    const restored = `Restored version ${first.VersionId}: it is the current version again.`;
    expect(await textOnceItSays('main > [role=status]', restored)).toBe(restored);
    await page.waitForSelector('#current-version');
    const current = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'notes.txt' }));
    expect(await current.Body!.transformToString()).toBe('first draft');
    expect(await textOf('#current-version')).toBe(current.VersionId);
    await page.waitForSelector('#versions tbody tr:nth-child(4)');
    await screenshot('object');
  });

  it('shows the history of an object after three writes, each event at its partition and offset in the log', async () => {
    const s3 = service.sediment.s3;
    const versions: string[] = [];
    for (const body of ['one', 'two', 'three']) {
      versions.push((await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'history.txt', Body: body }))).VersionId!);
    }
    await s3.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: 'history.txt', Tagging: { TagSet: [{ Key: 'stage', Value: 'final' }] } }));
    await page.goto(`${consoleUrl()}#/o/${bucket}?key=history.txt`);
    await clickButton('Show history');
    await page.waitForSelector('#history tbody tr');
    const shown = await page.$$eval('#history tbody tr', (trs) =>
      trs.map((tr) => {
        const cells = Array.from((tr as unknown as { cells: ArrayLike<{ textContent: string | null }> }).cells).map((c) => (c.textContent ?? '').trim());
        return { position: cells[0], type: cells[2], who: cells[3], details: cells[4] };
      }),
    );
    // What the log holds for this key, read straight from Kafka, newest first.
    const logged = (await readTopic(service.sediment.config.SEDIMENT_BUCKET_TOPIC))
      .filter((r) => {
        const value = r.value as { bucket: string; data: { key?: string } };
        return value.bucket === bucket && value.data.key === 'history.txt';
      })
      .sort((a, b) => b.offset - a.offset);
    expect(logged.map((r) => (r.value as { type: string }).type)).toEqual(['ObjectTaggingPut', 'ObjectStored', 'ObjectStored', 'ObjectStored']);
    expect(shown.map((row) => row.position)).toEqual(logged.map((r) => `partition ${r.partition}, offset ${r.offset}`));
    expect(shown.map((row) => row.type)).toEqual(['ObjectTaggingPut', 'ObjectStored', 'ObjectStored', 'ObjectStored']);
    expect(shown.every((row) => row.who === 'arn:aws:iam::000000000000:root')).toBe(true);
    expect(shown[0].details).toContain('tags stage=final');
    expect(shown.slice(1).map((row) => /version (\S+)/.exec(row.details)?.[1])).toEqual([...versions].reverse());
    await screenshot('object-history');

    // The bucket's history: every event of the bucket, settings and all keys, as the log holds them.
    await page.locator(`nav[aria-label=Breadcrumb] a[href="#/b/${bucket}"]`).click();
    await page.waitForSelector('#objects');
    await clickButton('Show history');
    await page.waitForSelector('#history tbody tr');
    const bucketRows = await page.$$eval('#history tbody tr', (trs) => trs.map((tr) => [tr.getAttribute('data-offset'), tr.getAttribute('data-type')]));
    const bucketLog = (await readTopic(service.sediment.config.SEDIMENT_BUCKET_TOPIC))
      .filter((r) => (r.value as { bucket: string }).bucket === bucket)
      .sort((a, b) => b.offset - a.offset)
      .map((r) => [String(r.offset), (r.value as { type: string }).type]);
    expect(bucketRows).toEqual(bucketLog);
    expect(bucketRows.at(-1)?.[1]).toBe('BucketCreated');
    expect(bucketRows.map(([, type]) => type)).toContain('MultipartUploadCompleted');

    // As of the second write of history.txt: the bucket folded from the log up to that event.
    const secondWrite = logged[2];
    expect((secondWrite.value as { data: { versionId: string } }).data.versionId).toBe(versions[1]);
    await clickButton(`As of here: the bucket as of offset ${secondWrite.offset}`);
    const asOfRow = await page.waitForSelector('#as-of tr[data-key="history.txt"]');
    expect(await asOfRow!.evaluate((tr) => tr.getAttribute('data-version-id'))).toBe(versions[1]);
    expect(await textOf('#as-of caption')).toContain(`(its events up to offset ${secondWrite.offset})`);
    expect(await page.$('#as-of tr[data-key="reports/2026/cancelled.bin"]')).toBeNull();
    await screenshot('bucket-as-of', 'section[aria-labelledby=as-of-heading]');

    // Before the bucket was created it did not exist; a moment that is not one is the API's InvalidArgument.
    const asOfInput = async (text: string) => {
      await replaceText('#as-of-input', text);
      await clickButton('Show as of');
    };
    await asOfInput('2000-01-01T00:00:00Z');
    await page.waitForSelector('#as-of-none');
    await asOfInput('yesterday');
    expect(await textOf('section[aria-labelledby=as-of-heading] [role=alert]')).toMatch(/^InvalidArgument: sediment-as-of must be an ISO 8601 time .+ \(HTTP 400\)$/);
  });

  it("edits a bucket's settings as JSON, showing the API's refusal of a bad one", async () => {
    await page.goto(`${consoleUrl()}#/b/${bucket}`);
    await page.locator(`a[href="#/b/${bucket}/settings"]`).click();
    await page.waitForSelector('#policy-none');
    await page.waitForSelector('#cors-none');
    expect(await textOf('#versioning-status')).toBe('Enabled');

    const refused = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` }] });
    const apiSays = await service.sediment.s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: refused })).catch((e: Error) => e);
    expect(apiSays).toMatchObject({ name: 'MalformedPolicy' });
    await page.type('#policy-json', refused);
    await clickButton('Save bucket policy');
    const policyRefusal = `MalformedPolicy: ${(apiSays as Error).message} (HTTP 400)`;
    expect(await textOnceItSays('form[data-setting="policy"] [role=alert]', policyRefusal)).toBe(policyRefusal);

    const cors = { CORSRules: [{ AllowedOrigins: ['https://app.example.com'], AllowedMethods: ['GET'] }] };
    await page.type('#cors-json', JSON.stringify(cors));
    await clickButton('Save CORS');
    expect(await textOnceItSays('form[data-setting="cors"] [role=status]', 'CORS saved.')).toBe('CORS saved.');
    const stored = await service.sediment.s3.send(new GetBucketCorsCommand({ Bucket: bucket }));
    expect(stored.CORSRules).toEqual([expect.objectContaining(cors.CORSRules[0])]);
    await screenshot('bucket-settings');
  });

  it('manages IAM users: a key whose secret is shown once, and an inline policy checked as it is typed and by IAM', async () => {
    await page.locator('nav a[href="#/users"]').click();
    await page.waitForSelector('#new-user');
    await page.type('#new-user', 'console-editor');
    await clickButton('Create user');
    await page.waitForSelector('#keys-heading'); // the user's page
    expect(await textOf('main h1')).toBe('console-editor');
    await clickButton('Create access key');
    await page.waitForSelector('#new-key-secret');
    const key = {
      accessKeyId: await page.$eval('#new-key-id', (e) => (e as unknown as { value: string }).value),
      secretAccessKey: await page.$eval('#new-key-secret', (e) => (e as unknown as { value: string }).value),
    };
    await page.waitForSelector(`tr[data-access-key="${key.accessKeyId}"]`);
    expect(key.secretAccessKey.length).toBeGreaterThanOrEqual(20);

    await page.locator('details summary').click();
    await page.waitForSelector('#new-policy-name', { visible: true });
    await page.type('#new-policy-name', 'writes');
    const replaceDocument = (text: string) => replaceText('#policy-new', text);
    await replaceDocument('{"Version": "2012-10-17", "Statement": [');
    expect(await textOf('#policy-new-problem')).toMatch(/^Not valid JSON: /);
    expect(await page.$eval('form[data-policy="new"] button[type=submit]', (b) => (b as unknown as { disabled: boolean }).disabled)).toBe(true);

    // JSON, but not a policy: IAM says why, and the page shows IAM's words.
    const refused = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Perhaps', Action: 's3:*', Resource: '*' }] });
    const iam = iamClient(service.sediment.url);
    const iamSays = await iam.send(new PutUserPolicyCommand({ UserName: 'console-editor', PolicyName: 'writes', PolicyDocument: refused })).catch((e: Error) => e);
    expect(iamSays).toMatchObject({ Code: 'MalformedPolicyDocument' }); // the code on the wire
    await replaceDocument(refused);
    await clickButton('Save policy');
    const iamRefusal = `MalformedPolicyDocument: ${(iamSays as Error).message} (HTTP 400)`;
    expect(await textOnceItSays('main > [role=alert]', iamRefusal)).toBe(iamRefusal);

    const allowed = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] });
    await replaceDocument(allowed);
    await clickButton('Save policy');
    expect(await textOnceItSays('main > [role=status]', 'Saved policy writes.')).toBe('Saved policy writes.');
    await page.waitForSelector('form[data-policy="writes"]');
    const stored = await iam.send(new GetUserPolicyCommand({ UserName: 'console-editor', PolicyName: 'writes' }));
    expect(JSON.parse(decodeURIComponent(stored.PolicyDocument!))).toEqual(JSON.parse(allowed));
    iam.destroy();
    await screenshot('user');
    await page.locator('nav a[href="#/users"]').click();
    await page.waitForSelector('#users tr[data-user="console-editor"]');
    await screenshot('users');

    // The key shown once works.
    await page.locator('button::-p-text(Sign out)').click();
    await signIn(key.accessKeyId, key.secretAccessKey);
    expect(await textOf('#signed-in-key')).toBe(key.accessKeyId);
    await page.waitForSelector(`tr[data-bucket="${bucket}"]`);
  });

  it("shows the API's refusal when a user's policy forbids the write", async () => {
    const iam = iamClient(service.sediment.url);
    const reader = await createUserWithKey(iam, 'console-reader', {
      'read-only': policy({ Effect: 'Allow', Action: ['s3:ListAllMyBuckets', 's3:ListBucket', 's3:GetObject', 's3:GetBucketVersioning'], Resource: '*' }),
    });
    iam.destroy();
    // What the CLI would be told, for comparison.
    const asReader = s3Client(service.sediment.url, reader);
    const refusal = await asReader.send(new PutObjectCommand({ Bucket: bucket, Key: 'reports/2026/small.txt', Body: 'x' })).catch((e: Error) => e);
    asReader.destroy();
    expect(refusal).toBeInstanceOf(Error);
    const { name, message } = refusal as Error;
    expect(name).toBe('AccessDenied');

    await page.locator('button::-p-text(Sign out)').click();
    await signIn(reader.accessKeyId, reader.secretAccessKey);
    expect(await textOf('#signed-in-key')).toBe(reader.accessKeyId);
    await page.goto(`${consoleUrl()}#/b/${bucket}?prefix=reports%2F2026%2F`);
    await page.waitForSelector('tr[data-key="reports/2026/big.bin"]'); // reading is allowed
    const small = join(work, 'small.txt');
    await writeFile(small, 'x');
    const input = await page.waitForSelector('#upload-files');
    await (input as unknown as { uploadFile(path: string): Promise<void> }).uploadFile(small);
    await page.waitForSelector('li[data-upload-key="reports/2026/small.txt"][data-state="failed"]');
    expect(await textOf('li[data-upload-key="reports/2026/small.txt"] .transfer-state')).toBe(`Failed: ${name}: ${message} (HTTP 403)`);
    await screenshot('refusal');
    await expect(service.sediment.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'reports/2026/small.txt' }))).rejects.toThrow();
  });
});
