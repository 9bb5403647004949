import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { S3Error } from '../../errors/s3.error.js';
import { Sha256Verifier } from './sha256-verifier.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

async function drain(body: string[], expected: string): Promise<string> {
  let out = '';
  await pipeline(Readable.from(body.map((s) => Buffer.from(s))), new Sha256Verifier(expected), async (source) => {
    for await (const chunk of source) out += chunk.toString();
  });
  return out;
}

describe('Sha256Verifier', () => {
  it('passes a matching body through unchanged', async () => {
    expect(await drain(['hello ', 'world'], sha('hello world'))).toBe('hello world');
  });

  it('fails a body that does not match its declared hash', async () => {
    const failure = drain(['hello ', 'world'], sha('hello there'));
    await expect(failure).rejects.toBeInstanceOf(S3Error);
    await expect(failure).rejects.toMatchObject({ code: 'XAmzContentSHA256Mismatch' });
  });
});
