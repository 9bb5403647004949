/** S3's flexible checksum algorithms (x-amz-checksum-algorithm values). */
export type ChecksumAlgorithmName = 'CRC32' | 'CRC32C' | 'CRC64NVME' | 'SHA1' | 'SHA256';
