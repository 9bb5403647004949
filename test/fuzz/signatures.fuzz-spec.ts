// Fuzz targets: SigV4 in the Authorization header and in presigned query strings, and the
// aws-chunked framing of streaming uploads (chunk sizes, chunk signatures, trailers).
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { SignatureV4 } from '@smithy/signature-v4';
import fc from 'fast-check';
import { deriveSigningKey } from '../../src/iam/sigv4/signing-key.js';
import { verifySigV4 } from '../../src/iam/sigv4/sigv4.verifier.js';
import { AwsChunkedDecoder } from '../../src/s3/streaming/aws-chunked.decoder.js';
import { NodeSha256 } from '../support/node-sha256.js';
import { assertCpu, fuzz, FUZZ_TEST_TIMEOUT_MS, isRefusal, mutationsOf } from './fuzz-harness.js';

const ACCESS_KEY = 'AKIAFUZZFUZZFUZZFUZZ';
const SECRET = 'fuzz-secret-fuzz-secret-fuzz';
const NOW = new Date('2026-12-01T12:00:00.000Z');
const signer = new SignatureV4({ credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET }, region: 'us-east-1', service: 's3', sha256: NodeSha256 });
const lookup = (id: string) => (id === ACCESS_KEY ? SECRET : undefined);

interface Seed {
  path: string;
  query: string;
  headers: Record<string, string>;
}

async function signedSeeds(): Promise<{ header: Seed[]; presigned: Seed[] }> {
  const request = (path: string, query: Record<string, string>, headers: Record<string, string>) => ({
    method: 'PUT', protocol: 'http:', hostname: '127.0.0.1', port: 9000, path, query, headers: { host: '127.0.0.1:9000', ...headers },
  });
  const flatten = (signed: { path: string; query?: Record<string, string | string[] | null>; headers: Record<string, string> }): Seed => ({
    path: signed.path,
    query: Object.entries(signed.query ?? {}).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&'),
    headers: Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), v])),
  });
  const header = await Promise.all([
    signer.sign(request('/bucket/key', {}, { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }), { signingDate: NOW }),
    signer.sign(request('/bucket/a%20b', { tagging: '' }, { 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'x-amz-trailer': 'x-amz-checksum-crc32' }), { signingDate: NOW }),
  ]);
  const presigned = await Promise.all([
    signer.presign(request('/bucket/key', { 'x-id': 'GetObject' }, {}), { signingDate: NOW, expiresIn: 3600 }),
  ]);
  return { header: header.map(flatten), presigned: presigned.map(flatten) };
}

/** Runs the verifier; a refusal is the expected outcome of almost every input, a crash never. */
function verify(method: string, rawPath: string, rawQuery: string, headers: Record<string, string>): void {
  const started = process.cpuUsage();
  try {
    verifySigV4({ method, rawPath, rawQuery, headers }, lookup, NOW);
  } catch (error) {
    if (!isRefusal(error)) throw error;
  }
  assertCpu(started);
}

describe('fuzz: signatures', () => {
  let seeds: Awaited<ReturnType<typeof signedSeeds>>;
  beforeAll(async () => {
    seeds = await signedSeeds();
  });

  it('SigV4 Authorization header: the header, the date, the payload hash, the path and the query mutated', async () => {
    const seed = fc.constantFrom(...seeds.header);
    const headerName = fc.constantFrom('authorization', 'x-amz-date', 'x-amz-content-sha256', 'host', 'x-amz-trailer', 'x-amz-decoded-content-length');
    const input = fc.tuple(seed, headerName, mutationsOf(seeds.header.flatMap((s) => Object.values(s.headers))), mutationsOf(['/bucket/key', '/bucket/a%20b']), mutationsOf(['', 'tagging=']));
    await fuzz(input, ([s, name, value, path, query]) => {
      verify('PUT', s.path, s.query, { ...s.headers, [name]: value });
      verify('PUT', path.startsWith('/') ? path : `/${path}`, query, s.headers);
    });
  }, FUZZ_TEST_TIMEOUT_MS);

  it('presigned URLs: every query parameter mutated', async () => {
    const input = fc.tuple(fc.constantFrom(...seeds.presigned), mutationsOf(seeds.presigned.map((s) => s.query)));
    await fuzz(input, ([s, query]) => verify('PUT', s.path, query, s.headers));
  }, FUZZ_TEST_TIMEOUT_MS);

  it('aws-chunked bodies: framing, chunk signatures and trailers mutated, delivered in random pieces', async () => {
    const payload = Buffer.from('x'.repeat(9000) + 'tail');
    const unsigned = `${(9000).toString(16)}\r\n${'x'.repeat(9000)}\r\n4\r\ntail\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n`;
    const signedBody = `${(9000).toString(16)};chunk-signature=${'0'.repeat(64)}\r\n${'x'.repeat(9000)}\r\n0;chunk-signature=${'1'.repeat(64)}\r\n\r\n`;
    const signingKey = deriveSigningKey(SECRET, '20261201', 'us-east-1', 's3');
    const input = fc.tuple(
      fc.constantFrom('streaming-unsigned-trailer' as const, 'streaming-signed' as const, 'streaming-signed-trailer' as const),
      mutationsOf([unsigned, signedBody]),
      fc.array(fc.integer({ min: 1, max: 4096 }), { minLength: 1, maxLength: 8 }),
      fc.constantFrom(payload.length, 0, 1, 9000),
    );
    await fuzz(input, async ([mode, body, pieceSizes, declared]) => {
      const bytes = Buffer.from(body, 'latin1');
      const pieces: Buffer[] = [];
      for (let at = 0, i = 0; at < bytes.length; i++) {
        const size = pieceSizes[i % pieceSizes.length]!;
        pieces.push(bytes.subarray(at, at + size));
        at += size;
      }
      const decoder = new AwsChunkedDecoder({
        mode,
        decodedContentLength: declared,
        declaredTrailers: mode === 'streaming-signed' ? [] : ['x-amz-checksum-crc32'],
        signing: { signingKey, seedSignature: '2'.repeat(64), amzDate: '20261201T120000Z', scope: '20261201/us-east-1/s3/aws4_request' },
      });
      let decoded = 0;
      const started = process.cpuUsage();
      try {
        await pipeline(Readable.from(pieces), decoder, async (source: AsyncIterable<Buffer>) => {
          for await (const chunk of source) decoded += chunk.length;
        });
      } catch (error) {
        if (!isRefusal(error)) throw error;
      }
      assertCpu(started);
      if (decoded > declared) throw new Error(`decoded ${decoded} bytes of a body that declared ${declared}`);
    });
  }, FUZZ_TEST_TIMEOUT_MS);
});
