// Idle keep-alive connections outlive Node's 5 s default, so a pooled connection reused after a
// pause is still the server's instead of being closed under the client (ECONNRESET when the close
// and the reuse cross, which only a retrying client survives). Stopping the service still closes
// every connection as soon as it is idle, instead of waiting out that minute.
import { request, Agent, type IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import { KEEP_ALIVE_TIMEOUT_MS } from '../../src/app/keep-alive.js';
import { startSediment, type SedimentUnderTest } from '../support/sediment-under-test.js';

/** An anonymous GET / (ListBuckets) over `agent`: its status and the socket it went over. */
function get(sediment: SedimentUnderTest, agent: Agent): Promise<{ status: number; socket: Socket }> {
  return new Promise((resolve, reject) => {
    const req = request(`${sediment.url}/`, { agent }, (res: IncomingMessage) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, socket: req.socket! }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Whether a new connection to `url` is refused (the listener has closed). */
function refused(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('keep-alive connections', () => {
  let sediment: SedimentUnderTest;

  beforeAll(async () => {
    sediment = await startSediment();
  }, 60_000);

  afterAll(async () => {
    sediment?.s3.destroy();
    await sediment?.stop();
  }, 60_000);

  it('keeps an idle connection open well past 5 s, so the next request reuses it', async () => {
    expect(KEEP_ALIVE_TIMEOUT_MS).toBeGreaterThanOrEqual(60_000);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await get(sediment, agent);
      let closedAt: number | undefined;
      first.socket.once('close', () => (closedAt = Date.now()));
      await new Promise((resolve) => setTimeout(resolve, 7_000));
      expect(closedAt).toBeUndefined();
      const second = await get(sediment, agent);
      expect([first.status, second.status]).toEqual([403, 403]);
      expect(second.socket).toBe(first.socket);
    } finally {
      agent.destroy();
    }
  }, 30_000);
});

describe('stopping the service', () => {
  it('answers a request in flight at the stop, then closes its connection at once instead of keeping it alive', async () => {
    const sediment = await startSediment();
    const socket = connect(Number(new URL(sediment.url).port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    let received = '';
    socket.setEncoding('latin1').on('data', (chunk: string) => (received += chunk));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    // A request whose headers have begun makes the connection busy, so the stop cannot close it.
    socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    sediment.s3.destroy();
    const stopping = sediment.stop();
    while (!(await refused(sediment.url))) await new Promise((resolve) => setTimeout(resolve, 20));

    socket.write('\r\n');
    // Without the drain this waits out the 61 s keep-alive time, past this test's timeout.
    await closed;
    await stopping;
    expect(received).toMatch(/^HTTP\/1\.1 403 /);
    expect(received).toMatch(/\r\nConnection: keep-alive\r\n/i);
  }, 30_000);
});
