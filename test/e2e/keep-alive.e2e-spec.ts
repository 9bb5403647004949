// An idle keep-alive connection outlives Node's 5 s default: a pooled connection reused after a
// pause is still the server's, instead of being closed under the client (ECONNRESET when the
// close and the reuse cross, which only a retrying client survives).
import { request, Agent, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { KEEP_ALIVE_TIMEOUT_MS } from '../../src/app/create-app.js';
import { startSediment, type SedimentUnderTest } from '../support/sediment-under-test.js';

let sediment: SedimentUnderTest;

beforeAll(async () => {
  sediment = await startSediment();
}, 60_000);

afterAll(async () => {
  sediment?.s3.destroy();
  await sediment?.stop();
}, 60_000);

/** An anonymous GET / (ListBuckets) over `agent`: its status and the socket it went over. */
function get(agent: Agent): Promise<{ status: number; socket: Socket }> {
  return new Promise((resolve, reject) => {
    const req = request(`${sediment.url}/`, { agent }, (res: IncomingMessage) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, socket: req.socket! }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('keep-alive connections', () => {
  it('keeps an idle connection open well past 5 s, so the next request reuses it', async () => {
    expect(KEEP_ALIVE_TIMEOUT_MS).toBeGreaterThanOrEqual(60_000);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await get(agent);
      let closedAt: number | undefined;
      first.socket.once('close', () => (closedAt = Date.now()));
      await new Promise((resolve) => setTimeout(resolve, 7_000));
      expect(closedAt).toBeUndefined();
      const second = await get(agent);
      expect([first.status, second.status]).toEqual([403, 403]);
      expect(second.socket).toBe(first.socket);
    } finally {
      agent.destroy();
    }
  }, 30_000);
});
