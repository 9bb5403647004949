import { randomBytes } from 'node:crypto';

/** The version id of every object in a bucket without versioning, and of writes while Suspended. */
export const NULL_VERSION_ID = 'null';

/**
 * 32 URL-safe characters, the shape of AWS's version ids; random, so they reveal nothing. Never
 * with a leading '-', which command lines read as an option (`aws s3api get-object --version-id
 * -x…` fails), as one id in 64 otherwise would.
 */
export function newVersionId(random: (size: number) => Buffer = randomBytes): string {
  for (;;) {
    const id = random(24).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** A version id Sediment could have issued; anything else is InvalidArgument, as in AWS. */
export function isWellFormedVersionId(value: string): boolean {
  return value === NULL_VERSION_ID || /^[A-Za-z0-9_-]{32}$/.test(value);
}
