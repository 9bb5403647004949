import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32 } from 'node:zlib';
import { IntegrityVerifier } from './integrity-verifier.js';

const body = Buffer.from('the quick brown fox');
const md5 = createHash('md5').update(body).digest('base64');
const crc = (b: Buffer) => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32(b) >>> 0);
  return out.toString('base64');
};

async function run(headers: Record<string, string>, payload = body): Promise<Buffer> {
  const verifier = IntegrityVerifier.fromHeaders(headers)!;
  const out: Buffer[] = [];
  await pipeline(Readable.from([payload.subarray(0, 5), payload.subarray(5)]), verifier, async (source) => {
    for await (const c of source) out.push(c as Buffer);
  });
  return Buffer.concat(out);
}

describe('IntegrityVerifier', () => {
  it('asks for nothing when no integrity header is present', () => {
    expect(IntegrityVerifier.fromHeaders({ 'content-type': 'text/plain' })).toBeUndefined();
  });

  it('passes a body matching Content-MD5 and x-amz-checksum-crc32 through unchanged', async () => {
    expect(await run({ 'content-md5': md5, 'x-amz-checksum-crc32': crc(body) })).toEqual(body);
  });

  it('fails a body that does not match its Content-MD5 with BadDigest', async () => {
    await expect(run({ 'content-md5': md5 }, Buffer.from('the quick brown cat'))).rejects.toMatchObject({ code: 'BadDigest' });
  });

  it('fails a body that does not match its x-amz-checksum-crc32 with BadDigest', async () => {
    await expect(run({ 'x-amz-checksum-crc32': crc(Buffer.from('other')) })).rejects.toMatchObject({ code: 'BadDigest' });
  });

  it('verifies sha256 checksums', async () => {
    const sha = createHash('sha256').update(body).digest('base64');
    expect(await run({ 'x-amz-checksum-sha256': sha })).toEqual(body);
  });

  it('refuses a malformed Content-MD5 before reading with InvalidDigest', () => {
    expect(() => IntegrityVerifier.fromHeaders({ 'content-md5': 'not-base64-md5' })).toThrow(expect.objectContaining({ code: 'InvalidDigest' }));
  });

  it.each([
    ['crc32c', '4waSgw=='],
    ['crc64nvme', 'rosUhgp5mIg='],
  ])('verifies %s checksums (check value of "123456789") and reports the verified value', async (name, value) => {
    const verifier = IntegrityVerifier.fromHeaders({ [`x-amz-checksum-${name}`]: value })!;
    expect(verifier.algorithm).toBe(name.toUpperCase());
    await pipeline(Readable.from([Buffer.from('1234'), Buffer.from('56789')]), verifier, async (source) => {
      for await (const _ of source) void _;
    });
    expect(verifier.verified).toEqual({ algorithm: name.toUpperCase(), value });
    await expect(run({ [`x-amz-checksum-${name}`]: value }, Buffer.from('123456780'))).rejects.toMatchObject({ code: 'BadDigest' });
  });

  it('refuses unknown checksum headers and more than one algorithm', () => {
    expect(() => IntegrityVerifier.fromHeaders({ 'x-amz-checksum-md5': 'AAAAAA==' })).toThrow(expect.objectContaining({ code: 'InvalidRequest' }));
    expect(() => IntegrityVerifier.fromHeaders({ 'x-amz-checksum-crc32': crc(body), 'x-amz-checksum-sha1': 'x' })).toThrow(
      expect.objectContaining({ code: 'InvalidRequest' }),
    );
  });
});
