import { crc32c } from '@node-rs/crc32';
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import type { CurrentUpload, CurrentUploadPart } from './bucket-stream.state.js';
import { S3Error } from '../errors/s3.error.js';
import type { PartChecksum } from './multipart.events.js';
import type { ChecksumAlgorithmName, ChecksumType, ObjectChecksum } from './object.events.js';

/**
 * Multipart checksums as S3 defines them: COMPOSITE is the algorithm over the concatenated binary
 * part checksums, suffixed `-<parts>`; FULL_OBJECT is the CRC of the whole object, which for a
 * CRC follows from the part CRCs and sizes alone. Either way completion never reads part data.
 */
export const CHECKSUM_ALGORITHM_NAMES: readonly ChecksumAlgorithmName[] = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'];

const TYPES_OF: Readonly<Record<ChecksumAlgorithmName, readonly ChecksumType[]>> = {
  CRC32: ['COMPOSITE', 'FULL_OBJECT'],
  CRC32C: ['COMPOSITE', 'FULL_OBJECT'],
  CRC64NVME: ['FULL_OBJECT'],
  SHA1: ['COMPOSITE'],
  SHA256: ['COMPOSITE'],
};

export interface UploadChecksum {
  checksumAlgorithm: ChecksumAlgorithmName;
  checksumType: ChecksumType;
}

function invalidRequest(message: string): S3Error {
  return new S3Error('InvalidRequest', { message });
}

/** S3's answer to an x-amz-checksum-algorithm or x-amz-sdk-checksum-algorithm it does not know. */
export function unsupportedChecksumAlgorithm(): S3Error {
  return invalidRequest(`Checksum algorithm provided is unsupported. Please try again with any of the valid types: [${CHECKSUM_ALGORITHM_NAMES.join(', ')}]`);
}

/** CreateMultipartUpload's x-amz-checksum-algorithm and x-amz-checksum-type, checked as S3 does. */
export function uploadChecksumOf(algorithmHeader: string | undefined, typeHeader: string | undefined): UploadChecksum | undefined {
  let type: ChecksumType | undefined;
  if (typeHeader !== undefined) {
    const upper = typeHeader.toUpperCase();
    if (upper !== 'COMPOSITE' && upper !== 'FULL_OBJECT') throw invalidRequest('Value for x-amz-checksum-type header is invalid.');
    type = upper;
  }
  if (algorithmHeader === undefined) {
    if (type) throw invalidRequest('The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.');
    return undefined;
  }
  const algorithm = CHECKSUM_ALGORITHM_NAMES.find((name) => name === algorithmHeader.toUpperCase());
  if (!algorithm) throw unsupportedChecksumAlgorithm();
  const allowed = TYPES_OF[algorithm];
  const checksumType = type ?? allowed[0]!;
  if (!allowed.includes(checksumType)) {
    throw invalidRequest(`The ${checksumType} checksum type cannot be used with the ${algorithm.toLowerCase()} checksum algorithm.`);
  }
  return { checksumAlgorithm: algorithm, checksumType };
}

/**
 * What UploadPart must do about its checksum: a COMPOSITE upload needs each part to carry one of
 * its algorithm; a FULL_OBJECT upload computes it when the part came without (the returned
 * algorithm). A checksum of another algorithm is refused either way.
 */
export function partChecksumToCompute(
  upload: Pick<CurrentUpload, 'checksumAlgorithm' | 'checksumType'>,
  sent: ChecksumAlgorithmName | undefined,
): ChecksumAlgorithmName | undefined {
  if (sent === undefined && upload.checksumAlgorithm && upload.checksumType === 'FULL_OBJECT') return upload.checksumAlgorithm;
  assertPartChecksumAlgorithm(upload, sent);
  return undefined;
}

/** A part stored for an upload that names an algorithm carries a checksum of that algorithm. */
export function assertPartChecksumAlgorithm(upload: Pick<CurrentUpload, 'checksumAlgorithm'>, sent: ChecksumAlgorithmName | undefined): void {
  const expected = upload.checksumAlgorithm;
  if (!expected || sent === expected) return;
  throw invalidRequest(
    `Checksum Type mismatch occurred, expected checksum Type: ${expected.toLowerCase()}, actual checksum Type: ${sent?.toLowerCase() ?? 'null'}`,
  );
}

/** The per-part checksums of a CompleteMultipartUpload body (<ChecksumCRC32> …), by algorithm. */
export type RequestedPartChecksums = Partial<Record<ChecksumAlgorithmName, string>>;

export interface RequestedPart {
  partNumber: number;
  checksums?: RequestedPartChecksums;
}

/**
 * Checks the checksums a completion names against those stored with its parts, then derives the
 * object's. `parts` are the uploaded parts matching `requested`, in the same order.
 */
export function completedChecksum(
  upload: CurrentUpload,
  requested: readonly RequestedPart[],
  parts: readonly CurrentUploadPart[],
  invalidPart: (partNumber: number) => S3Error,
): ObjectChecksum | undefined {
  const algorithm = upload.checksumAlgorithm;
  requested.forEach((r, i) => {
    const part = parts[i]!;
    for (const [name, value] of Object.entries(r.checksums ?? {})) {
      if (part.checksum?.algorithm !== name || part.checksum.value !== value) throw invalidPart(r.partNumber);
    }
    if (algorithm && upload.checksumType === 'COMPOSITE' && r.checksums?.[algorithm] === undefined) {
      throw invalidRequest(
        `The upload was created using a ${algorithm.toLowerCase()} checksum. The complete request must include the checksum for each part. It was missing for part ${r.partNumber} in the request.`,
      );
    }
  });
  if (!algorithm) return undefined;
  const checksums = parts.map((p) => {
    if (p.checksum?.algorithm !== algorithm) throw invalidPart(p.partNumber);
    return p.checksum;
  });
  if (upload.checksumType === 'FULL_OBJECT') {
    const value = combinedCrc(algorithm, checksums.map((c, i) => ({ checksum: c, size: parts[i]!.size })));
    return { algorithm, value, type: 'FULL_OBJECT' };
  }
  const concatenated = Buffer.concat(checksums.map((c) => Buffer.from(c.value, 'base64')));
  return { algorithm, value: `${digestOf(algorithm, concatenated).toString('base64')}-${parts.length}`, type: 'COMPOSITE' };
}

function digestOf(algorithm: ChecksumAlgorithmName, data: Buffer): Buffer {
  switch (algorithm) {
    case 'CRC32':
      return uint(BigInt(crc32(data)), 4);
    case 'CRC32C':
      return uint(BigInt(crc32c(data)), 4);
    case 'SHA1':
      return createHash('sha1').update(data).digest();
    case 'SHA256':
      return createHash('sha256').update(data).digest();
    case 'CRC64NVME':
      // S3 has no COMPOSITE CRC64NVME; uploadChecksumOf refuses it before any part exists.
      throw new TypeError('CRC64NVME has no composite form');
    default: {
      const unreachable: never = algorithm;
      return unreachable;
    }
  }
}

/** The reflected generator polynomials of S3's CRCs (all with all-ones init and final xor). */
const CRC_POLYNOMIALS: Partial<Record<ChecksumAlgorithmName, { poly: bigint; width: number }>> = {
  CRC32: { poly: 0xedb88320n, width: 32 },
  CRC32C: { poly: 0x82f63b78n, width: 32 },
  CRC64NVME: { poly: 0x9a6c9329ac4bc9b5n, width: 64 },
};

/**
 * The CRC of the concatenated parts from each part's CRC and size: crc(A‖B) = crc(A)·x^(8·|B|)
 * mod P ⊕ crc(B), the init and final xor cancelling out. O(parts · log size), no data read.
 */
export function combinedCrc(algorithm: ChecksumAlgorithmName, parts: readonly { checksum: PartChecksum; size: number }[]): string {
  const spec = CRC_POLYNOMIALS[algorithm];
  if (!spec) throw new TypeError(`${algorithm} is not a CRC`);
  const bytes = spec.width / 8;
  // Parts mostly share one size. Multiplying by that size's shift is linear, so it becomes one
  // table lookup per byte of the CRC, tables built once per size: 10,000 parts combine in a few
  // milliseconds, inside the decider, without holding the event loop (issue #10).
  const shifts = new Map<number, bigint[][]>();
  let crc = 0n;
  parts.forEach(({ checksum, size }, i) => {
    const partCrc = BigInt(`0x${Buffer.from(checksum.value, 'base64').toString('hex') || '0'}`);
    if (i === 0) {
      crc = partCrc;
      return;
    }
    let tables = shifts.get(size);
    if (tables === undefined) shifts.set(size, (tables = multiplicationTables(xPow8n(size, spec), spec)));
    let shifted = 0n;
    for (let byte = 0; byte < bytes; byte++) shifted ^= tables[byte]![Number((crc >> BigInt(8 * byte)) & 0xffn)]!;
    crc = shifted ^ partCrc;
  });
  return uint(crc, bytes).toString('base64');
}

/**
 * Multiplication by a fixed `a` mod P as tables: tables[i][v] = a · (v << 8i). A product is linear
 * in its other factor, so each table is filled from its 8 single-bit entries by XOR.
 */
function multiplicationTables(a: bigint, spec: { poly: bigint; width: number }): bigint[][] {
  const tables: bigint[][] = [];
  for (let byte = 0; byte < spec.width / 8; byte++) {
    const table = new Array<bigint>(256).fill(0n);
    for (let bit = 0; bit < 8; bit++) table[1 << bit] = multiplyModP(a, 1n << BigInt(8 * byte + bit), spec);
    for (let v = 1; v < 256; v++) {
      const low = v & -v;
      if (v !== low) table[v] = table[low]! ^ table[v ^ low]!;
    }
    tables.push(table);
  }
  return tables;
}

/** a·b mod P, both in the reflected representation (x^0 is the top bit). */
function multiplyModP(a: bigint, b: bigint, { poly, width }: { poly: bigint; width: number }): bigint {
  let product = 0n;
  for (let bit = 1n << BigInt(width - 1); bit > 0n && a !== 0n; bit >>= 1n) {
    if (a & bit) {
      product ^= b;
      a ^= bit;
    }
    b = b & 1n ? (b >> 1n) ^ poly : b >> 1n;
  }
  return product;
}

/** x^(8·n) mod P, by squaring. */
function xPow8n(n: number, spec: { poly: bigint; width: number }): bigint {
  const one = 1n << BigInt(spec.width - 1);
  let result = one;
  let power = one >> 8n; // x^8: one byte
  for (let rest = BigInt(n); rest > 0n; rest >>= 1n) {
    if (rest & 1n) result = multiplyModP(power, result, spec);
    power = multiplyModP(power, power, spec);
  }
  return result;
}

function uint(value: bigint, bytes: number): Buffer {
  return Buffer.from(value.toString(16).padStart(bytes * 2, '0'), 'hex');
}
