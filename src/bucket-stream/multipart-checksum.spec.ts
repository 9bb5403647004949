import { randomBytes } from 'node:crypto';
import { CHECKSUM_ALGORITHMS } from '../integrity/checksums.js';
import { S3Error } from '../errors/s3.error.js';
import type { CurrentUpload, CurrentUploadPart } from './bucket-stream.state.js';
import { combinedCrc, completedChecksum, partChecksumToCompute, uploadChecksumOf } from './multipart-checksum.js';
import type { ChecksumAlgorithmName } from './object.events.js';

async function checksumOf(algorithm: ChecksumAlgorithmName, data: Buffer): Promise<string> {
  const c = CHECKSUM_ALGORITHMS[algorithm].create();
  c.update(data);
  return (await c.digest()).toString('base64');
}

const invalidRequest = (message: string) => expect.objectContaining({ code: 'InvalidRequest', message });

describe('uploadChecksumOf (CreateMultipartUpload headers)', () => {
  it.each([
    ['CRC32', undefined, 'COMPOSITE'],
    ['crc32c', undefined, 'COMPOSITE'],
    ['SHA256', undefined, 'COMPOSITE'],
    ['SHA1', 'COMPOSITE', 'COMPOSITE'],
    ['CRC64NVME', undefined, 'FULL_OBJECT'],
    ['CRC32', 'FULL_OBJECT', 'FULL_OBJECT'],
  ])('%s with type %s is a %s upload', (algorithm, type, expected) => {
    expect(uploadChecksumOf(algorithm, type)).toEqual({ checksumAlgorithm: algorithm.toUpperCase(), checksumType: expected });
  });

  it('names no checksum when no header asks for one', () => {
    expect(uploadChecksumOf(undefined, undefined)).toBeUndefined();
  });

  it('refuses what S3 refuses, with its messages', () => {
    expect(() => uploadChecksumOf('MD5', undefined)).toThrow(
      invalidRequest('Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]'),
    );
    expect(() => uploadChecksumOf('SHA256', 'FULL_OBJECT')).toThrow(
      invalidRequest('The FULL_OBJECT checksum type cannot be used with the sha256 checksum algorithm.'),
    );
    expect(() => uploadChecksumOf('CRC64NVME', 'COMPOSITE')).toThrow(
      invalidRequest('The COMPOSITE checksum type cannot be used with the crc64nvme checksum algorithm.'),
    );
    expect(() => uploadChecksumOf(undefined, 'COMPOSITE')).toThrow(
      invalidRequest('The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.'),
    );
    expect(() => uploadChecksumOf('CRC32', 'PARTIAL')).toThrow(invalidRequest('Value for x-amz-checksum-type header is invalid.'));
  });
});

describe('partChecksumToCompute (UploadPart)', () => {
  it('accepts any part of an upload without algorithm, and a part of the upload algorithm', () => {
    expect(partChecksumToCompute({}, 'SHA1')).toBeUndefined();
    expect(partChecksumToCompute({}, undefined)).toBeUndefined();
    expect(partChecksumToCompute({ checksumAlgorithm: 'CRC32C', checksumType: 'COMPOSITE' }, 'CRC32C')).toBeUndefined();
  });

  it('refuses a COMPOSITE part without its checksum, and any part with another algorithm', () => {
    expect(() => partChecksumToCompute({ checksumAlgorithm: 'CRC32C', checksumType: 'COMPOSITE' }, undefined)).toThrow(
      invalidRequest('Checksum Type mismatch occurred, expected checksum Type: crc32c, actual checksum Type: null'),
    );
    expect(() => partChecksumToCompute({ checksumAlgorithm: 'SHA256', checksumType: 'COMPOSITE' }, 'CRC32')).toThrow(
      invalidRequest('Checksum Type mismatch occurred, expected checksum Type: sha256, actual checksum Type: crc32'),
    );
  });

  it('has a FULL_OBJECT part without checksum computed by the server', () => {
    expect(partChecksumToCompute({ checksumAlgorithm: 'CRC64NVME', checksumType: 'FULL_OBJECT' }, undefined)).toBe('CRC64NVME');
  });
});

describe('combinedCrc', () => {
  it.each(['CRC32', 'CRC32C', 'CRC64NVME'] as const)('%s of the parts equals the CRC of the whole, whatever the sizes', async (algorithm) => {
    const parts = [randomBytes(1000), randomBytes(1000), randomBytes(1), randomBytes(0), randomBytes(70_001), randomBytes(1000)];
    const combined = combinedCrc(
      algorithm,
      await Promise.all(parts.map(async (p) => ({ checksum: { algorithm, value: await checksumOf(algorithm, p) }, size: p.length }))),
    );
    expect(combined).toBe(await checksumOf(algorithm, Buffer.concat(parts)));
  });
});

describe('completedChecksum (CompleteMultipartUpload)', () => {
  const invalidPart = (n: number) => new S3Error('InvalidPart', { details: { PartNumber: String(n) } });
  const bodies = [Buffer.from('first part'), Buffer.from('second part')];

  async function uploadWith(algorithm: ChecksumAlgorithmName, type: 'COMPOSITE' | 'FULL_OBJECT') {
    const parts: CurrentUploadPart[] = await Promise.all(
      bodies.map(async (b, i) => ({ partNumber: i + 1, objectId: `o-${i}`, size: b.length, etag: '"e"', checksum: { algorithm, value: await checksumOf(algorithm, b) } })),
    );
    const upload: CurrentUpload = { key: 'k', contentType: 't', userMetadata: [], owner: 'o', ownerDisplayName: 'o', parts, checksumAlgorithm: algorithm, checksumType: type };
    return { upload, parts };
  }

  it('COMPOSITE: the algorithm over the binary part checksums, then -<parts>', async () => {
    const { upload, parts } = await uploadWith('SHA256', 'COMPOSITE');
    const requested = parts.map((p) => ({ partNumber: p.partNumber, checksums: { SHA256: p.checksum!.value } }));
    const expected = await checksumOf('SHA256', Buffer.concat(parts.map((p) => Buffer.from(p.checksum!.value, 'base64'))));
    expect(completedChecksum(upload, requested, parts, invalidPart)).toEqual({ algorithm: 'SHA256', value: `${expected}-2`, type: 'COMPOSITE' });
  });

  it('COMPOSITE CRC32C, the algorithm AWS SDKs pick most', async () => {
    const { upload, parts } = await uploadWith('CRC32C', 'COMPOSITE');
    const requested = parts.map((p) => ({ partNumber: p.partNumber, checksums: { CRC32C: p.checksum!.value } }));
    const expected = await checksumOf('CRC32C', Buffer.concat(parts.map((p) => Buffer.from(p.checksum!.value, 'base64'))));
    expect(completedChecksum(upload, requested, parts, invalidPart)?.value).toBe(`${expected}-2`);
  });

  it('FULL_OBJECT: the CRC of the whole object, without suffix', async () => {
    const { upload, parts } = await uploadWith('CRC64NVME', 'FULL_OBJECT');
    expect(completedChecksum(upload, parts.map((p) => ({ partNumber: p.partNumber })), parts, invalidPart)).toEqual({
      algorithm: 'CRC64NVME',
      value: await checksumOf('CRC64NVME', Buffer.concat(bodies)),
      type: 'FULL_OBJECT',
    });
  });

  it('a COMPOSITE completion must name each part checksum', async () => {
    const { upload, parts } = await uploadWith('CRC32', 'COMPOSITE');
    expect(() => completedChecksum(upload, [{ partNumber: 1, checksums: { CRC32: parts[0]!.checksum!.value } }, { partNumber: 2 }], parts, invalidPart)).toThrow(
      invalidRequest('The upload was created using a crc32 checksum. The complete request must include the checksum for each part. It was missing for part 2 in the request.'),
    );
  });

  it('a part checksum that is not the stored one is InvalidPart', async () => {
    const { upload, parts } = await uploadWith('CRC32', 'COMPOSITE');
    const wrong = [{ partNumber: 1, checksums: { CRC32: parts[1]!.checksum!.value } }, { partNumber: 2, checksums: { CRC32: parts[1]!.checksum!.value } }];
    expect(() => completedChecksum(upload, wrong, parts, invalidPart)).toThrow(expect.objectContaining({ code: 'InvalidPart', details: { PartNumber: '1' } }));
    const other = [{ partNumber: 1, checksums: { CRC32: parts[0]!.checksum!.value, SHA1: 'AAAA' } }, { partNumber: 2, checksums: { CRC32: parts[1]!.checksum!.value } }];
    expect(() => completedChecksum(upload, other, parts, invalidPart)).toThrow(expect.objectContaining({ code: 'InvalidPart' }));
  });

  it('an upload without algorithm yields no checksum', async () => {
    const { upload, parts } = await uploadWith('CRC32', 'COMPOSITE');
    const plain: CurrentUpload = { ...upload, checksumAlgorithm: undefined, checksumType: undefined };
    expect(completedChecksum(plain, parts.map((p) => ({ partNumber: p.partNumber })), parts, invalidPart)).toBeUndefined();
  });
});

describe('CHECKSUM_ALGORITHMS check values ("123456789")', () => {
  it.each([
    ['CRC32', 'cbf43926'],
    ['CRC32C', 'e3069283'],
    ['CRC64NVME', 'ae8b14860a799888'],
    ['SHA1', 'f7c3bc1d808e04732adf679965ccc34ca7ae3441'],
  ] as const)('%s is %s', async (algorithm, hex) => {
    expect(Buffer.from(await checksumOf(algorithm, Buffer.from('123456789')), 'base64').toString('hex')).toBe(hex);
  });
});
