import { PassThrough, Readable } from 'node:stream';
import { computeChecksum } from './checksum-computer.js';

async function drain(stream: Readable): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const chunk of stream) out.push(chunk as Buffer);
  return Buffer.concat(out);
}

describe('computeChecksum', () => {
  it('passes the bytes through and computes the checksum once they ended', async () => {
    const { stream, computed } = computeChecksum(Readable.from([Buffer.from('1234'), Buffer.from('56789')]), 'CRC64NVME');
    expect(computed()).toBeUndefined();
    expect((await drain(stream)).toString()).toBe('123456789');
    expect(computed()).toEqual({ algorithm: 'CRC64NVME', value: Buffer.from('ae8b14860a799888', 'hex').toString('base64') });
  });

  it('fails with the error of its source, and with IncompleteBody when the source closes early', async () => {
    const failing = new PassThrough();
    const a = computeChecksum(failing, 'CRC32C');
    failing.destroy(new Error('socket hang up'));
    await expect(drain(a.stream)).rejects.toThrow('socket hang up');
    expect(a.computed()).toBeUndefined();

    const cut = new PassThrough();
    const b = computeChecksum(cut, 'CRC32');
    cut.write('partial');
    cut.destroy();
    await expect(drain(b.stream)).rejects.toMatchObject({ code: 'IncompleteBody' });
  });

  it('fails at once over a source that already failed', async () => {
    const failed = new PassThrough();
    failed.on('error', () => undefined);
    failed.destroy(new Error('gone'));
    const { stream } = computeChecksum(failed, 'SHA256');
    await expect(drain(stream)).rejects.toThrow('gone');
  });
});
