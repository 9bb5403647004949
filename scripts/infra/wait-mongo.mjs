#!/usr/bin/env node
// Health probe for the local MongoDB-wire server (FerretDB), used by scripts/infra.sh.
// Healthy = the official `mongodb` driver connects and `ping` succeeds.
//
//   node scripts/infra/wait-mongo.mjs [--url mongodb://127.0.0.1:27017] [--timeout 120] [--pid N]
//
// Retries until the deadline. Exit codes: 0 healthy, 1 timed out, 3 the process --pid died.
import { MongoClient } from 'mongodb';

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const url = arg('url', process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017');
const timeoutMs = Number(arg('timeout', '120')) * 1000;
const pid = arg('pid', undefined);
const deadline = Date.now() + timeoutMs;

function alive(p) {
  try {
    process.kill(Number(p), 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let lastError = 'no attempt';
for (;;) {
  if (pid !== undefined && !alive(pid)) {
    console.error(`wait-mongo: process ${pid} exited before the server became healthy`);
    process.exit(3);
  }
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
    console.log(`wait-mongo: ${url} healthy (server ${info.version ?? '?'}${info.ferretdbVersion ? `, FerretDB ${info.ferretdbVersion}` : ''})`);
    process.exit(0);
  } catch (err) {
    lastError = err?.message ?? String(err);
    await client.close().catch(() => {});
  }
  if (Date.now() >= deadline) {
    console.error(`wait-mongo: ${url} not healthy after ${timeoutMs / 1000}s: ${lastError}`);
    process.exit(1);
  }
  await sleep(300);
}
