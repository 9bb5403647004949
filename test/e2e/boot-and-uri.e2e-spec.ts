import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { startSediment, type SedimentUnderTest } from '../support/sediment-under-test.js';

function get(url: string): Promise<{ status: number; body: string; requestId?: string }> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, body, requestId: res.headers['x-amz-request-id'] as string }));
    })
      .on('error', reject)
      .end();
  });
}

describe('boot-time configuration', () => {
  it('refuses to boot without root credentials and names the missing setting', () => {
    expect(existsSync('dist/main.js')).toBe(true); // scripts/test.sh builds before the e2e tier
    const env = { PATH: process.env.PATH, SEDIMENT_PORT: '0' };
    const result = spawnSync(process.execPath, ['dist/main.js'], { env, encoding: 'utf8', timeout: 20000 });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain('SEDIMENT_ROOT_ACCESS_KEY_ID');
    expect(result.stderr).toContain('SEDIMENT_ROOT_SECRET_ACCESS_KEY');
    expect(result.stderr).toContain('SEDIMENT_MASTER_KEY');
  });

  it('names a malformed setting', () => {
    const env = {
      PATH: process.env.PATH,
      SEDIMENT_ROOT_ACCESS_KEY_ID: 'SEDIMENTTESTROOT0001',
      SEDIMENT_ROOT_SECRET_ACCESS_KEY: 'sediment-test-root-secret-0001',
      SEDIMENT_MASTER_KEY: Buffer.alloc(32, 1).toString('base64'),
      SEDIMENT_TOPIC_PARTITIONS: 'many',
    };
    const result = spawnSync(process.execPath, ['dist/main.js'], { env, encoding: 'utf8', timeout: 20000 });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain('SEDIMENT_TOPIC_PARTITIONS');
  });
});

describe('malformed request URIs', () => {
  let sediment: SedimentUnderTest;
  beforeAll(async () => {
    sediment = await startSediment();
  });
  afterAll(async () => {
    await sediment.stop();
  });

  it.each(['/%', '/bucket/%E0%A4%A', '/bucket/%zz'])('answers %s with 400 InvalidURI, not a 500', async (path) => {
    const res = await get(`${sediment.url}${path}`);
    expect(res.status).toBe(400);
    expect(res.body).toContain('<Code>InvalidURI</Code>');
    expect(res.body).toContain(`<RequestId>${res.requestId}</RequestId>`);
  });
});
