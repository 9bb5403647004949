#!/usr/bin/env node
// Health probe for the local MongoDB-wire server (FerretDB), used by scripts/infra.sh.
// Healthy = the official `mongodb` driver connects and `ping` succeeds.
//
//   node scripts/infra/wait-mongo.mjs [--url mongodb://127.0.0.1:27017] [--timeout 120] [--pid N]
//
// Retries until the deadline. Exit codes: 0 healthy, 1 timed out, 3 the process --pid died.
import { MongoClient } from 'mongodb';
import { arg, waitUntilHealthy } from './wait-until.mjs';

const url = arg('url', process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017');

await waitUntilHealthy({
  name: 'wait-mongo',
  target: url,
  what: 'server',
  timeoutMs: Number(arg('timeout', '120')) * 1000,
  pid: arg('pid', undefined),
  intervalMs: 300,
  probe: async () => {
    const client = new MongoClient(url, {
      serverSelectionTimeoutMS: 1000,
      connectTimeoutMS: 1000,
      directConnection: true,
    });
    try {
      await client.connect();
      await client.db('admin').command({ ping: 1 });
      const info = await client.db('admin').command({ buildInfo: 1 });
      await client.close();
      return `server ${info.version ?? '?'}${info.ferretdbVersion ? `, FerretDB ${info.ferretdbVersion}` : ''}`;
    } catch (err) {
      await client.close().catch(() => {});
      throw err;
    }
  },
});
