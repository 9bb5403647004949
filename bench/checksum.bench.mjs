// What verifying (or computing) a flexible checksum costs a large PutObject, server side.
//   npm run build && node bench/checksum.bench.mjs      (needs `scripts/infra.sh up`)
// The client sends UNSIGNED-PAYLOAD with checksums computed before the clock starts, so the time
// is the server's: framing, MD5 (the ETag), the checksum, and the disk. Numbers, not assertions.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import http from 'node:http';
import { crc32 } from 'node:zlib';
import { Crc32c } from '@aws-crypto/crc32c';
import { Crc64Nvme } from '@aws-sdk/crc64-nvme';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { SignatureV4 } from '@smithy/signature-v4';
import { createSedimentApp } from '../dist/app/create-app.js';
import { benchConfig } from './bench-service.mjs';

const MIB = Number(process.env.BENCH_LARGE_MIB ?? 256);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const { blobDir, config } = await benchConfig();
const app = await createSedimentApp(config);
await app.listen(0, '127.0.0.1');
const port = app.getHttpServer().address().port;
const credentials = { accessKeyId: config.SEDIMENT_ROOT_ACCESS_KEY_ID, secretAccessKey: config.SEDIMENT_ROOT_SECRET_ACCESS_KEY };
const s3 = new S3Client({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', forcePathStyle: true, credentials });
await s3.send(new CreateBucketCommand({ Bucket: 'bench' }));
/** The hash SignatureV4 wants, from node:crypto (HMAC when given a secret). */
class NodeSha256 {
  constructor(secret) {
    this.hash = secret ? createHmac('sha256', secret) : createHash('sha256');
  }
  update(data) {
    this.hash.update(data);
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
}
const signer = new SignatureV4({ credentials, region: 'us-east-1', service: 's3', sha256: NodeSha256 });

const body = randomBytes(MIB * 1024 * 1024);
const b64 = (n, bytes) => Buffer.from(n.toString(16).padStart(bytes * 2, '0'), 'hex').toString('base64');
const checksums = {
  none: {},
  CRC32: { 'x-amz-checksum-crc32': b64(crc32(body) >>> 0, 4) },
  CRC32C: { 'x-amz-checksum-crc32c': b64(new Crc32c().update(body).digest(), 4) },
  CRC64NVME: { 'x-amz-checksum-crc64nvme': await (async () => { const c = new Crc64Nvme(); c.update(body); return Buffer.from(await c.digest()).toString('base64'); })() },
  SHA256: { 'x-amz-checksum-sha256': createHash('sha256').update(body).digest('base64') },
};

async function put(key, extra) {
  const request = await signer.sign({
    method: 'PUT', protocol: 'http:', hostname: '127.0.0.1', port, path: `/bench/${key}`, query: {},
    headers: { host: `127.0.0.1:${port}`, 'content-length': String(body.length), 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', ...extra },
  });
  const started = performance.now();
  await new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'PUT', path: request.path, headers: request.headers }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`PUT ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
  return performance.now() - started;
}

const rows = [];
for (const [name, headers] of Object.entries(checksums)) {
  await put(`warm-${name}`, headers);
  const samples = [];
  for (let i = 0; i < ROUNDS; i++) samples.push(await put(`${name}-${i}`, headers));
  const best = Math.min(...samples);
  rows.push({ checksum: name, 'best ms': best.toFixed(0), 'MiB/s': (MIB / (best / 1000)).toFixed(0) });
}
const base = Number(rows[0]['MiB/s']);
for (const row of rows) row['vs none'] = `${((Number(row['MiB/s']) / base - 1) * 100).toFixed(0)}%`;
console.log(`PutObject of ${MIB} MiB, best of ${ROUNDS}, UNSIGNED-PAYLOAD, checksum as a header`);
console.table(rows);
s3.destroy();
await app.close();
await rm(blobDir, { recursive: true, force: true });
process.exit(0);
