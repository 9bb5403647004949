/**
 * S3's two bucket-level switches over ACLs and public access (AWS "Controlling ownership of
 * objects and disabling ACLs", "Blocking public access to your Amazon S3 storage").
 */

/**
 * Who owns an object written into the bucket, and whether ACLs count at all:
 * - `BucketOwnerEnforced`: ACLs are off (only bucket-owner-full-control may be sent); the bucket
 *   owner owns every object. AWS's default for buckets created since April 2023.
 * - `BucketOwnerPreferred`: an object written with bucket-owner-full-control belongs to the
 *   bucket owner, any other to its writer; ACLs count.
 * - `ObjectWriter`: the writer owns what it writes; ACLs count. What a bucket without ownership
 *   controls has (buckets created before they existed, or after DeleteBucketOwnershipControls).
 */
export const OBJECT_OWNERSHIPS = ['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter'] as const;
export type ObjectOwnership = (typeof OBJECT_OWNERSHIPS)[number];

export function isObjectOwnership(value: string): value is ObjectOwnership {
  return (OBJECT_OWNERSHIPS as readonly string[]).includes(value);
}

/** The ownership of a bucket that has no ownership controls. */
export const OWNERSHIP_WITHOUT_CONTROLS: ObjectOwnership = 'ObjectWriter';

/** The ownership a new bucket gets when CreateBucket names none, as in AWS today. */
export const DEFAULT_NEW_BUCKET_OWNERSHIP: ObjectOwnership = 'BucketOwnerEnforced';

/** Whether a bucket's ACLs (and its objects') grant anything: not under BucketOwnerEnforced. */
export function aclsEnabled(ownership: ObjectOwnership | undefined): boolean {
  return (ownership ?? OWNERSHIP_WITHOUT_CONTROLS) !== 'BucketOwnerEnforced';
}

/** The four settings of a bucket's public access block; an absent element is `false`. */
export interface PublicAccessBlock {
  /** Refuse (403) ACLs that grant the public, on the bucket and on its objects. */
  blockPublicAcls: boolean;
  /** Ignore the public grants of the bucket's ACL and its objects' ACLs when authorising. */
  ignorePublicAcls: boolean;
  /** Refuse (403) a bucket policy that grants public access. */
  blockPublicPolicy: boolean;
  /** While the bucket policy is public, it grants only principals of the bucket owner's account. */
  restrictPublicBuckets: boolean;
}

export const PUBLIC_ACCESS_BLOCK_SETTINGS: readonly (keyof PublicAccessBlock)[] = [
  'blockPublicAcls',
  'ignorePublicAcls',
  'blockPublicPolicy',
  'restrictPublicBuckets',
];

export function samePublicAccessBlock(a: PublicAccessBlock | null | undefined, b: PublicAccessBlock | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  return PUBLIC_ACCESS_BLOCK_SETTINGS.every((setting) => a[setting] === b[setting]);
}
