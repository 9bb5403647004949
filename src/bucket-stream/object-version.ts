import { randomBytes } from 'node:crypto';

/** The version id of every object in a bucket without versioning, and of writes while Suspended. */
export const NULL_VERSION_ID = 'null';

/** 32 URL-safe characters, the shape of AWS's version ids; random, so they reveal nothing. */
export function newVersionId(): string {
  return randomBytes(24).toString('base64url');
}

/** A version id Sediment could have issued; anything else is InvalidArgument, as in AWS. */
export function isWellFormedVersionId(value: string): boolean {
  return value === NULL_VERSION_ID || /^[A-Za-z0-9_-]{32}$/.test(value);
}
