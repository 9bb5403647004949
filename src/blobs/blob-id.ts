/** Canonical lowercase UUID v4: the only shape a blob id may take (no path material possible). */
const BLOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export function isBlobId(value: unknown): value is string {
  return typeof value === 'string' && BLOB_ID.test(value);
}

/** Thrown (synchronously by read, as a rejection by delete/exists) for an id that is not a UUID v4. */
export class InvalidBlobIdError extends TypeError {
  readonly code = 'ERR_INVALID_BLOB_ID';
  constructor(blobId: unknown) {
    super(`Invalid blob id: ${JSON.stringify(String(blobId)).slice(0, 80)}`);
    this.name = 'InvalidBlobIdError';
  }
}

/** The id, checked; every adapter addresses storage by nothing else. */
export function checkedBlobId(blobId: unknown): string {
  if (!isBlobId(blobId)) throw new InvalidBlobIdError(blobId);
  return blobId;
}

/** A range the port accepts: safe integers, 0 ≤ start ≤ end (inclusive). Throws RangeError otherwise. */
export function checkByteRange(range: { start: number; end: number }): void {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw new RangeError(`Invalid byte range ${start}-${end}`);
  }
}
