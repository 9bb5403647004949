import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsoleRoutes } from './console.routes.js';

/** An admin-like server with the console's routes in front, and a stand-in S3 server behind them. */
async function harness(bundleDir: string) {
  const seen: { url?: string; host?: string; remote?: string }[] = [];
  const s3: Server = createServer((req: IncomingMessage, res) => {
    seen.push({ url: req.url, host: req.headers.host, remote: req.socket.remoteAddress });
    res.end('from s3');
  });
  await new Promise<void>((resolve) => s3.listen(0, '127.0.0.1', resolve));
  const routes = new ConsoleRoutes({ region: 'eu-west-1', bundleDir });
  routes.attachS3(s3);
  const admin = createServer((req, res) => {
    void routes.route(req, res).then((handled) => {
      if (!handled) {
        res.statusCode = 404;
        res.end('admin');
      }
    });
  });
  await new Promise<void>((resolve) => admin.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(admin.address() as AddressInfo).port}`;
  return {
    base,
    seen,
    s3Port: (s3.address() as AddressInfo).port,
    close: async () => {
      admin.closeAllConnections();
      await new Promise((resolve) => admin.close(resolve));
      await new Promise((resolve) => s3.close(resolve));
    },
  };
}

describe('ConsoleRoutes', () => {
  let dir: string;
  let h: Awaited<ReturnType<typeof harness>>;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'console-bundle-'));
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>console</title>');
    await writeFile(join(dir, 'app.js'), 'console.log(1)');
    h = await harness(dir);
  });
  afterEach(async () => {
    await h.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('hands /_console/s3/* to the S3 server with the prefix taken off and the signed Host kept', async () => {
    const response = await fetch(`${h.base}/_console/s3/my-bucket/a%2Fb.txt?versionId=x&list-type=2`);
    expect(await response.text()).toBe('from s3');
    expect(h.seen).toEqual([{ url: '/my-bucket/a%2Fb.txt?versionId=x&list-type=2', host: new URL(h.base).host, remote: '127.0.0.1' }]);
    await fetch(`${h.base}/_console/s3?x-id=ListBuckets`);
    expect(h.seen[1].url).toBe('/?x-id=ListBuckets');
  });

  it('serves the bundle with a policy that runs nothing else, and nothing but the bundle', async () => {
    const index = await fetch(`${h.base}/_console/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(index.headers.get('x-frame-options')).toBe('DENY');
    expect(await index.text()).toContain('<title>console</title>');
    expect((await fetch(`${h.base}/_console/app.js`)).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await fetch(`${h.base}/_console/index.html`)).status).toBe(404);
    expect((await fetch(`${h.base}/_console/..%2Fpackage.json`)).status).toBe(404);
    expect((await fetch(`${h.base}/_console/`, { method: 'POST' })).status).toBe(405);
    const bare = await fetch(`${h.base}/_console`, { redirect: 'manual' });
    expect([bare.status, bare.headers.get('location')]).toEqual([308, '/_console/']);
    expect((await fetch(`${h.base}/metrics`)).status).toBe(404); // not the console's: left to the admin listener
    expect(h.seen).toEqual([]);
  });

  it('says how to build the bundle when it is missing', async () => {
    const response = await fetch(`${h.base}/_console/app.css`);
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('npm run build');
  });

  it("tells the page the region and where the S3 port listens", async () => {
    const config = await (await fetch(`${h.base}/_console/config.json`)).json();
    expect(config).toEqual({ region: 'eu-west-1', s3Port: h.s3Port, s3Host: '127.0.0.1' });
  });
});
