import { createHash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32 } from 'node:zlib';
import { PutObjectCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { buildQueryString } from '@smithy/core/protocols';
import type { HttpRequest } from '@smithy/types';
import {
  chunkSignature,
  trailerSignature,
  type ChunkSigningContext,
} from '../../iam/sigv4/chunk-signature.js';
import { deriveSigningKey } from '../../iam/sigv4/signing-key.js';
import { verifySigV4 } from '../../iam/sigv4/sigv4.verifier.js';
import type { VerifiedChecksum } from '../../integrity/checksums.js';
import { S3Error } from '../../errors/s3.error.js';
import { AwsChunkedDecoder, type AwsChunkedOptions, MAX_CHUNKED_LINE } from './aws-chunked.decoder.js';

// The example credentials of the AWS documentation (not a real key).
const ACCESS_KEY = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const DOC_CTX: ChunkSigningContext = {
  signingKey: deriveSigningKey(SECRET, '20130524', 'us-east-1', 's3'),
  amzDate: '20130524T000000Z',
  scope: '20130524/us-east-1/s3/aws4_request',
};
const DOC_DATA = Buffer.alloc(66_560, 'a');

interface Outcome {
  data: Buffer;
  trailers: Record<string, string>;
  verified?: VerifiedChecksum;
  error?: unknown;
}

/** Feeds `pieces` one write each through a decoder and collects what comes out. */
async function decode(options: AwsChunkedOptions, pieces: Buffer[]): Promise<Outcome> {
  const decoder = new AwsChunkedDecoder(options);
  const out: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      out.push(chunk);
      callback();
    },
  });
  try {
    await pipeline(Readable.from(pieces), decoder, sink);
    return { data: Buffer.concat(out), trailers: decoder.trailers, verified: decoder.verified };
  } catch (error) {
    return { data: Buffer.concat(out), trailers: decoder.trailers, verified: decoder.verified, error };
  }
}

function expectS3Error(outcome: Outcome, code: string): S3Error {
  expect(outcome.error).toBeInstanceOf(S3Error);
  expect((outcome.error as S3Error).code).toBe(code);
  return outcome.error as S3Error;
}

function bytes(body: Buffer): Buffer[] {
  return Array.from(body, (byte) => Buffer.of(byte));
}

function splitEvery(body: Buffer, size: number): Buffer[] {
  const pieces: Buffer[] = [];
  for (let i = 0; i < body.length; i += size) pieces.push(body.subarray(i, i + size));
  return pieces;
}

function b64(digest: Buffer): string {
  return digest.toString('base64');
}

function crc32Base64(data: Buffer): string {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32(data) >>> 0);
  return b64(out);
}

/** An aws-chunked body, unsigned: `<hex>\r\n<data>\r\n … 0\r\n<trailers>\r\n`. */
function unsignedBody(chunks: Buffer[], trailers: Record<string, string> = {}): Buffer {
  const parts: Buffer[] = [];
  for (const chunk of chunks) {
    parts.push(Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from('0\r\n'));
  for (const [name, value] of Object.entries(trailers)) parts.push(Buffer.from(`${name}:${value}\r\n`));
  parts.push(Buffer.from('\r\n'));
  return Buffer.concat(parts);
}

/** The records of a signed aws-chunked body: one per chunk, the final empty chunk last. */
function signedRecords(ctx: ChunkSigningContext, seed: string, chunks: Buffer[]): Buffer[] {
  let previous = seed;
  return [...chunks, Buffer.alloc(0)].map((chunk) => {
    const signature = chunkSignature(ctx, previous, createHash('sha256').update(chunk).digest('hex'));
    previous = signature;
    return Buffer.concat([
      Buffer.from(`${chunk.length.toString(16)};chunk-signature=${signature}\r\n`),
      chunk,
      Buffer.from(chunk.length > 0 ? '\r\n' : ''),
    ]);
  });
}

/** A signed aws-chunked body built with the chunk-signature chain (and optional trailers). */
function signedBody(
  ctx: ChunkSigningContext,
  seed: string,
  chunks: Buffer[],
  trailers?: Record<string, string>,
): Buffer {
  const records = signedRecords(ctx, seed, chunks);
  const parts = [...records];
  if (trailers) {
    const last = /chunk-signature=([0-9a-f]{64})/.exec(records.at(-1)!.toString('latin1'))![1]!;
    for (const [name, value] of Object.entries(trailers)) parts.push(Buffer.from(`${name}:${value}\r\n`));
    parts.push(Buffer.from(`x-amz-trailer-signature:${trailerSignature(ctx, last, trailers)}\r\n`));
  }
  parts.push(Buffer.from('\r\n'));
  return Buffer.concat(parts);
}

/**
 * The body of "Example: PUT Object" in "Transferring Payload in Multiple Chunks"
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html), with the chunk
 * signatures as published there.
 */
const DOC_SEED = '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9';
const DOC_SIGNATURES = [
  'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648',
  '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497',
  'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9',
] as const;

function docBody(signatures: readonly string[] = DOC_SIGNATURES): Buffer {
  return Buffer.concat([
    Buffer.from(`10000;chunk-signature=${signatures[0]}\r\n`),
    DOC_DATA.subarray(0, 65_536),
    Buffer.from(`\r\n400;chunk-signature=${signatures[1]}\r\n`),
    DOC_DATA.subarray(65_536),
    Buffer.from(`\r\n0;chunk-signature=${signatures[2]}\r\n\r\n`),
  ]);
}

const DOC_OPTIONS: AwsChunkedOptions = {
  mode: 'streaming-signed',
  decodedContentLength: 66_560,
  declaredTrailers: [],
  signing: { ...DOC_CTX, seedSignature: DOC_SEED },
};

describe('AwsChunkedDecoder — the AWS documentation example (signed chunks)', () => {
  it('has the documented Content-Length and decodes the 66560 bytes', async () => {
    const body = docBody();
    expect(body.length).toBe(66_824);
    const outcome = await decode(DOC_OPTIONS, [body]);
    expect(outcome.error).toBeUndefined();
    expect(outcome.data.equals(DOC_DATA)).toBe(true);
  });

  it('decodes it fed one byte at a time', async () => {
    const outcome = await decode(DOC_OPTIONS, bytes(docBody()));
    expect(outcome.error).toBeUndefined();
    expect(outcome.data.equals(DOC_DATA)).toBe(true);
  });

  it.each([7, 1000, 4096, 65_537])('decodes it split every %i bytes', async (size) => {
    const outcome = await decode(DOC_OPTIONS, splitEvery(docBody(), size));
    expect(outcome.error).toBeUndefined();
    expect(outcome.data.equals(DOC_DATA)).toBe(true);
  });

  it('the signatures chain: ours are the documented ones', () => {
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    const first = chunkSignature(DOC_CTX, DOC_SEED, sha(DOC_DATA.subarray(0, 65_536)));
    const second = chunkSignature(DOC_CTX, first, sha(DOC_DATA.subarray(65_536)));
    const last = chunkSignature(DOC_CTX, second, sha(Buffer.alloc(0)));
    expect([first, second, last]).toEqual(DOC_SIGNATURES);
  });

  it.each([0, 1, 2])('SignatureDoesNotMatch when documented signature %i is altered', async (i) => {
    const signatures: string[] = [...DOC_SIGNATURES];
    signatures[i] = signatures[i]!.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    expectS3Error(await decode(DOC_OPTIONS, [docBody(signatures)]), 'SignatureDoesNotMatch');
  });

  it('SignatureDoesNotMatch when one data byte is tampered with', async () => {
    const body = docBody();
    body[100] = 'b'.charCodeAt(0);
    expectS3Error(await decode(DOC_OPTIONS, [body]), 'SignatureDoesNotMatch');
  });

  it('SignatureDoesNotMatch with another seed signature', async () => {
    const options = { ...DOC_OPTIONS, signing: { ...DOC_CTX, seedSignature: DOC_SIGNATURES[0] } };
    expectS3Error(await decode(options, [docBody()]), 'SignatureDoesNotMatch');
  });

  it('SignatureDoesNotMatch when a chunk has no chunk-signature', async () => {
    const body = Buffer.from(docBody().toString('latin1').replace(`;chunk-signature=${DOC_SIGNATURES[1]}`, ''), 'latin1');
    expectS3Error(await decode(DOC_OPTIONS, [body]), 'SignatureDoesNotMatch');
  });

  it('SignatureDoesNotMatch when chunks are swapped', async () => {
    const records = signedRecords(DOC_CTX, DOC_SEED, [Buffer.alloc(8192, 'a'), Buffer.alloc(8192, 'b')]);
    const options = { ...DOC_OPTIONS, decodedContentLength: 16_384 };
    expect((await decode(options, [Buffer.concat(records)])).error).toBeUndefined();
    const swapped = Buffer.concat([records[1]!, records[0]!, ...records.slice(2)]);
    expectS3Error(await decode(options, [swapped]), 'SignatureDoesNotMatch');
  });

  it('IncompleteBody when the body stops anywhere before its end', async () => {
    const body = docBody();
    // In the first header, its data, its CRLF, the second header, data, CRLF, the last chunk.
    for (const cut of [0, 1, 5, 88, 100, 65_624, 65_625, 65_626, 65_700, 66_736, 66_737, 66_738, 66_800, 66_821]) {
      expectS3Error(await decode(DOC_OPTIONS, [body.subarray(0, cut)]), 'IncompleteBody');
    }
  });

  it('tolerates a body that ends without its last empty line', async () => {
    const body = docBody();
    const outcome = await decode(DOC_OPTIONS, [body.subarray(0, body.length - 2)]);
    expect(outcome.error).toBeUndefined();
    expect(outcome.data.equals(DOC_DATA)).toBe(true);
  });

  it('IncompleteBody when x-amz-decoded-content-length is larger or smaller', async () => {
    const longer = expectS3Error(await decode({ ...DOC_OPTIONS, decodedContentLength: 66_561 }, [docBody()]), 'IncompleteBody');
    expect(longer.details).toEqual({ NumberBytesExpected: '66561', NumberBytesProvided: '66560' });
    const shorter = expectS3Error(await decode({ ...DOC_OPTIONS, decodedContentLength: 66_559 }, [docBody()]), 'IncompleteBody');
    expect(shorter.details).toEqual({ NumberBytesExpected: '66559', NumberBytesProvided: '66560' });
  });

  it('InvalidChunkSizeError when a chunk other than the last is under 8 KiB', async () => {
    const body = signedBody(DOC_CTX, DOC_SEED, [Buffer.alloc(8191, 'x'), Buffer.alloc(10, 'y')]);
    const error = expectS3Error(await decode({ ...DOC_OPTIONS, decodedContentLength: 8201 }, [body]), 'InvalidChunkSizeError');
    expect(error.details).toEqual({ Chunk: '1', BadChunkSize: '8191' });
    // A small last chunk is fine.
    const ok = signedBody(DOC_CTX, DOC_SEED, [Buffer.alloc(8192, 'x'), Buffer.alloc(10, 'y')]);
    expect((await decode({ ...DOC_OPTIONS, decodedContentLength: 8202 }, [ok])).error).toBeUndefined();
  });

  it('streams: a chunk is passed on before it has fully arrived', async () => {
    const decoder = new AwsChunkedDecoder({ ...DOC_OPTIONS, decodedContentLength: undefined });
    const received: Buffer[] = [];
    decoder.on('data', (chunk: Buffer) => received.push(chunk));
    const size = 4 * 1024 * 1024;
    const sig = chunkSignature(DOC_CTX, DOC_SEED, createHash('sha256').update(Buffer.alloc(size, 'z')).digest('hex'));
    decoder.write(Buffer.from(`${size.toString(16)};chunk-signature=${sig}\r\n`));
    decoder.write(Buffer.alloc(size / 2, 'z'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(received.reduce((n, b) => n + b.length, 0)).toBe(size / 2);
    decoder.destroy();
  });
});

describe('AwsChunkedDecoder — the AWS trailing-header example (signed trailer)', () => {
  // https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html
  const SEED = '106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e';
  const SIGNATURES = [
    'b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2',
    '1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7',
    '2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992',
  ];

  it('our chunk and trailer signatures are the documented ones', () => {
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    const first = chunkSignature(DOC_CTX, SEED, sha(DOC_DATA.subarray(0, 65_536)));
    const second = chunkSignature(DOC_CTX, first, sha(DOC_DATA.subarray(65_536)));
    const last = chunkSignature(DOC_CTX, second, sha(Buffer.alloc(0)));
    expect([first, second, last]).toEqual(SIGNATURES);
    expect(trailerSignature(DOC_CTX, last, { 'x-amz-checksum-crc32c': 'sOO8/Q==' })).toBe(
      'd81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435',
    );
  });

  it('the documented body (CRC32C trailer) decodes and its checksum verifies', async () => {
    const body = Buffer.from(
      `10000;chunk-signature=${SIGNATURES[0]}\r\n${'a'.repeat(65_536)}\r\n` +
        `400;chunk-signature=${SIGNATURES[1]}\r\n${'a'.repeat(1024)}\r\n` +
        `0;chunk-signature=${SIGNATURES[2]}\r\n` +
        'x-amz-checksum-crc32c:sOO8/Q==\r\n' +
        'x-amz-trailer-signature:d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435\r\n\r\n',
    );
    const outcome = await decode(
      {
        mode: 'streaming-signed-trailer',
        decodedContentLength: 66_560,
        declaredTrailers: ['x-amz-checksum-crc32c'],
        signing: { ...DOC_CTX, seedSignature: SEED },
      },
      [body],
    );
    expect(outcome.error).toBeUndefined();
    expect(outcome.data.equals(Buffer.alloc(66_560, 'a'))).toBe(true);
    expect(outcome.verified).toEqual({ algorithm: 'CRC32C', value: 'sOO8/Q==' });
  });
});

describe('AwsChunkedDecoder — signed chunks with a signed trailer', () => {
  const SEED = 'f'.repeat(64);
  const payload = Buffer.concat([Buffer.alloc(9000, 'p'), Buffer.from('the end')]);
  const chunks = [payload.subarray(0, 9000), payload.subarray(9000)];
  const options: AwsChunkedOptions = {
    mode: 'streaming-signed-trailer',
    decodedContentLength: payload.length,
    declaredTrailers: ['x-amz-checksum-crc32'],
    signing: { ...DOC_CTX, seedSignature: SEED },
  };

  it('decodes, verifies the trailer signature and the CRC32, fed byte by byte', async () => {
    const body = signedBody(DOC_CTX, SEED, chunks, { 'x-amz-checksum-crc32': crc32Base64(payload) });
    for (const pieces of [[body], bytes(body)]) {
      const outcome = await decode(options, pieces);
      expect(outcome.error).toBeUndefined();
      expect(outcome.data.equals(payload)).toBe(true);
      expect(outcome.trailers).toEqual({ 'x-amz-checksum-crc32': crc32Base64(payload) });
    }
  });

  it('accepts trailer lines ending in "\\n\\r\\n" (some clients)', async () => {
    const body = signedBody(DOC_CTX, SEED, chunks, { 'x-amz-checksum-crc32': crc32Base64(payload) });
    const variant = Buffer.from(body.toString('latin1').replace('\r\nx-amz-trailer-signature:', '\n\r\nx-amz-trailer-signature:'), 'latin1');
    expect((await decode(options, [variant])).error).toBeUndefined();
  });

  it('SignatureDoesNotMatch when the trailer or its signature is altered', async () => {
    const body = signedBody(DOC_CTX, SEED, chunks, { 'x-amz-checksum-crc32': crc32Base64(payload) }).toString('latin1');
    const badSig = body.replace(/x-amz-trailer-signature:./, (m) => m.slice(0, -1) + (m.endsWith('0') ? '1' : '0'));
    expectS3Error(await decode(options, [Buffer.from(badSig, 'latin1')]), 'SignatureDoesNotMatch');
    const noSig = body.replace(/x-amz-trailer-signature:[0-9a-f]{64}\r\n/, '');
    expectS3Error(await decode(options, [Buffer.from(noSig, 'latin1')]), 'SignatureDoesNotMatch');
    const otherValue = body.replace(crc32Base64(payload), 'AAAAAA==');
    expectS3Error(await decode(options, [Buffer.from(otherValue, 'latin1')]), 'SignatureDoesNotMatch');
  });

  it('BadDigest when a correctly signed CRC32 does not match the data', async () => {
    const body = signedBody(DOC_CTX, SEED, chunks, { 'x-amz-checksum-crc32': 'AAAAAA==' });
    const error = expectS3Error(await decode(options, [body]), 'BadDigest');
    expect(error.message).toBe('The CRC32 you specified did not match the calculated checksum.');
  });
});

describe('AwsChunkedDecoder — unsigned chunks with a trailer', () => {
  const payload = Buffer.from('hello world, this is a payload split in odd places');
  const chunks = [payload.subarray(0, 5), payload.subarray(5, 6), payload.subarray(6)];
  const options = (declared = ['x-amz-checksum-crc32']): AwsChunkedOptions => ({
    mode: 'streaming-unsigned-trailer',
    decodedContentLength: payload.length,
    declaredTrailers: declared,
  });

  it('decodes whatever two pieces the body arrives in (every split point)', async () => {
    const body = unsignedBody(chunks, { 'x-amz-checksum-crc32': crc32Base64(payload) });
    for (let cut = 0; cut <= body.length; cut++) {
      const outcome = await decode(options(), [body.subarray(0, cut), body.subarray(cut)]);
      expect(outcome.error).toBeUndefined();
      expect(outcome.data.equals(payload)).toBe(true);
      expect(outcome.trailers['x-amz-checksum-crc32']).toBe(crc32Base64(payload));
    }
  });

  it('decodes it fed one byte at a time', async () => {
    const body = unsignedBody(chunks, { 'x-amz-checksum-crc32': crc32Base64(payload) });
    const outcome = await decode(options(), bytes(body));
    expect(outcome.error).toBeUndefined();
    expect(outcome.data.equals(payload)).toBe(true);
  });

  it('never succeeds on a truncated body', async () => {
    const body = unsignedBody(chunks, { 'x-amz-checksum-crc32': crc32Base64(payload) });
    for (let cut = 0; cut < body.length - 2; cut++) {
      const outcome = await decode(options(), [body.subarray(0, cut)]);
      expect(outcome.error).toBeInstanceOf(S3Error);
      expect(['IncompleteBody', 'MalformedTrailerError', 'InvalidRequest', 'BadDigest']).toContain(
        (outcome.error as S3Error).code,
      );
    }
    expectS3Error(await decode(options(), [body.subarray(0, 20)]), 'IncompleteBody');
  });

  it.each([
    ['x-amz-checksum-sha1', (d: Buffer) => b64(createHash('sha1').update(d).digest()), 'SHA1'],
    ['x-amz-checksum-sha256', (d: Buffer) => b64(createHash('sha256').update(d).digest()), 'SHA256'],
    ['x-amz-checksum-crc32', crc32Base64, 'CRC32'],
  ])('verifies %s and answers BadDigest on a mismatch', async (name, digest, label) => {
    const good = unsignedBody(chunks, { [name]: digest(payload) });
    expect((await decode(options([name]), [good])).error).toBeUndefined();
    const bad = unsignedBody(chunks, { [name]: digest(Buffer.from('something else')) });
    const error = expectS3Error(await decode(options([name]), [bad]), 'BadDigest');
    expect(error.message).toBe(`The ${label} you specified did not match the calculated checksum.`);
  });

  it('InvalidRequest for a checksum value that is not base64 of the right size', async () => {
    const body = unsignedBody(chunks, { 'x-amz-checksum-crc32': 'not-base64!' });
    expectS3Error(await decode(options(), [body]), 'InvalidRequest');
  });

  it('MalformedTrailerError for a declared trailer that never came, or one not declared', async () => {
    expectS3Error(await decode(options(), [unsignedBody(chunks)]), 'MalformedTrailerError');
    const undeclared = unsignedBody(chunks, { 'x-amz-checksum-sha256': 'x' });
    expectS3Error(await decode(options([]), [undeclared]), 'MalformedTrailerError');
    const other = unsignedBody(chunks, { 'x-amz-checksum-sha1': 'x' });
    expectS3Error(await decode(options(), [other]), 'MalformedTrailerError');
  });

  it('BadDigest for a wrong CRC32C or CRC64NVME trailer, InvalidRequest for one of the wrong size', async () => {
    for (const [name, value] of [['x-amz-checksum-crc32c', 'AAAAAA=='], ['x-amz-checksum-crc64nvme', 'AAAAAAAAAAA=']] as const) {
      const outcome = await decode(options([name]), [unsignedBody(chunks, { [name]: value })]);
      expect(expectS3Error(outcome, 'BadDigest').message).toMatch(/^The CRC(32C|64NVME) you specified did not match the calculated checksum\.$/);
      expect(outcome.verified).toBeUndefined();
    }
    const short = await decode(options(['x-amz-checksum-crc64nvme']), [unsignedBody(chunks, { 'x-amz-checksum-crc64nvme': 'AAAAAA==' })]);
    expect(expectS3Error(short, 'InvalidRequest').message).toBe('Value for x-amz-checksum-crc64nvme trailing header is invalid.');
  });

  it('InvalidArgument for an x-amz-trailer S3 does not support, InvalidRequest for two checksums', async () => {
    expectS3Error(await decode(options(['x-amz-meta-foo']), [unsignedBody(chunks)]), 'InvalidArgument');
    expectS3Error(
      await decode(options(['x-amz-checksum-crc32', 'x-amz-checksum-sha1']), [unsignedBody(chunks)]),
      'InvalidRequest',
    );
  });

  it('rejects malformed framing', async () => {
    const cases: Array<[string, string]> = [
      ['a size that is not hex', 'zz\r\nhello\r\n0\r\n\r\n'],
      ['an empty size', '\r\nhello\r\n0\r\n\r\n'],
      ['a size line ended by a bare LF', '5\nhello\r\n0\r\n\r\n'],
      ['data longer than its size', '3\r\nhello\r\n0\r\n\r\n'],
      ['data not followed by CRLF', '5\r\nhello\n\n0\r\n\r\n'],
      ['data after the end', '5\r\nhello\r\n0\r\n\r\nextra'],
    ];
    for (const [name, body] of cases) {
      const outcome = await decode({ mode: 'streaming-unsigned-trailer', declaredTrailers: [] }, [Buffer.from(body)]);
      expect({ name, code: (outcome.error as S3Error | undefined)?.code }).toEqual({ name, code: 'InvalidRequest' });
    }
  });

  it('bounds the chunk header and trailer lines', async () => {
    const longHeader = Buffer.from(`5;${'x'.repeat(MAX_CHUNKED_LINE)}\r\nhello\r\n0\r\n\r\n`);
    expectS3Error(await decode({ mode: 'streaming-unsigned-trailer', declaredTrailers: [] }, [longHeader]), 'InvalidRequest');
    const endless = Buffer.alloc(MAX_CHUNKED_LINE * 4, '1');
    expectS3Error(await decode({ mode: 'streaming-unsigned-trailer', declaredTrailers: [] }, splitEvery(endless, 100)), 'InvalidRequest');
    const longTrailer = unsignedBody(chunks, { 'x-amz-checksum-crc32': 'A'.repeat(MAX_CHUNKED_LINE) });
    expectS3Error(await decode(options(), [longTrailer]), 'InvalidRequest');
  });

  it('IncompleteBody when x-amz-decoded-content-length disagrees', async () => {
    const body = unsignedBody(chunks, { 'x-amz-checksum-crc32': crc32Base64(payload) });
    expectS3Error(await decode({ ...options(), decodedContentLength: payload.length + 1 }, [body]), 'IncompleteBody');
    const longer = expectS3Error(await decode({ ...options(), decodedContentLength: 5 }, [body]), 'IncompleteBody');
    expect(longer.details.NumberBytesProvided).toBe('6');
  });
});

describe('AwsChunkedDecoder — bodies encoded by @aws-sdk/client-s3', () => {
  const warn = console.warn;
  beforeAll(() => {
    console.warn = () => undefined;
  });
  afterAll(() => {
    console.warn = warn;
  });

  interface Captured {
    request: HttpRequest;
    body: Buffer;
  }

  async function putStream(
    payload: Buffer,
    piece: number,
    algorithm?: 'CRC32' | 'SHA1' | 'SHA256' | 'CRC32C' | 'CRC64NVME',
  ): Promise<Captured> {
    let captured: Captured | undefined;
    const client = new S3Client({
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:9000',
      forcePathStyle: true,
      maxAttempts: 1,
      credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET },
      requestHandler: {
        handle: async (request: HttpRequest) => {
          const parts: Buffer[] = [];
          for await (const part of request.body as AsyncIterable<Uint8Array | string>) {
            parts.push(Buffer.from(part));
          }
          captured = { request, body: Buffer.concat(parts) };
          throw new Error('captured');
        },
      } as unknown as S3ClientConfig['requestHandler'],
    });
    await expect(
      client.send(
        new PutObjectCommand({
          Bucket: 'bkt',
          Key: 'dir/odd key+é',
          Body: Readable.from(splitEvery(payload, piece)),
          ContentLength: payload.length,
          ChecksumAlgorithm: algorithm,
        }),
      ),
    ).rejects.toThrow('captured');
    return captured!;
  }

  /** What the S3 front end will do: verify the header, then decode with what it returned. */
  async function receive({ request, body }: Captured, pieces: (b: Buffer) => Buffer[]) {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
    const verified = verifySigV4(
      { method: request.method, rawPath: request.path, rawQuery: buildQueryString(request.query ?? {}), headers },
      (id) => (id === ACCESS_KEY ? SECRET : undefined),
      new Date(),
    );
    expect(verified.payload.kind).toBe('streaming-unsigned-trailer');
    expect(headers['content-encoding']).toBe('aws-chunked');
    return decode(
      {
        mode: 'streaming-unsigned-trailer',
        decodedContentLength: Number(headers['x-amz-decoded-content-length']),
        declaredTrailers: headers['x-amz-trailer']!.split(',').map((n) => n.trim().toLowerCase()),
      },
      pieces(body),
    );
  }

  const payload = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7 + (i >> 8)) & 0xff));

  it.each([undefined, 'CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'] as const)(
    'decodes the SDK body and verifies its %s trailer (default: CRC32)',
    async (algorithm) => {
      const captured = await putStream(payload, 65_536, algorithm);
      const outcome = await receive(captured, (b) => splitEvery(b, 1000));
      expect(outcome.error).toBeUndefined();
      expect(outcome.data.equals(payload)).toBe(true);
      const name = `x-amz-checksum-${(algorithm ?? 'CRC32').toLowerCase()}`;
      expect(Object.keys(outcome.trailers)).toEqual([name]);
      expect(outcome.verified).toEqual({ algorithm: algorithm ?? 'CRC32', value: outcome.trailers[name] });
    },
  );

  it('decodes an SDK body made of small uneven chunks, fed byte by byte', async () => {
    const small = payload.subarray(0, 5000);
    const captured = await putStream(small, 333, 'CRC32');
    const outcome = await receive(captured, bytes);
    expect(outcome.error).toBeUndefined();
    expect(outcome.data.equals(small)).toBe(true);
  });

  it('BadDigest when the SDK body is altered in transit', async () => {
    const captured = await putStream(payload.subarray(0, 1000), 1000, 'CRC32');
    const at = captured.body.indexOf('\r\n') + 2 + 10;
    captured.body[at] = captured.body[at]! ^ 0xff;
    expectS3Error(await receive(captured, (b) => [b]), 'BadDigest');
  });

  it('BadDigest when an SDK body with a CRC64NVME trailer is altered in transit', async () => {
    const captured = await putStream(payload.subarray(0, 1000), 1000, 'CRC64NVME');
    const at = captured.body.indexOf('\r\n') + 2 + 10;
    captured.body[at] = captured.body[at]! ^ 0xff;
    expectS3Error(await receive(captured, (b) => [b]), 'BadDigest');
  });
});
