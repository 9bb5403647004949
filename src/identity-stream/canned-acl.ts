import { S3Error } from '../errors/s3.error.js';

/**
 * The canned ACLs a bucket can carry (AWS "Canned ACL" table, rows that apply to buckets). A
 * bucket's ACL is stored as one of these when its grants are exactly one's expansion, else as
 * its grants (`BucketAcl`).
 */
export const CANNED_BUCKET_ACLS = ['private', 'public-read', 'public-read-write', 'authenticated-read'] as const;

export type CannedBucketAcl = (typeof CANNED_BUCKET_ACLS)[number];

export type AclPermission = 'FULL_CONTROL' | 'READ' | 'WRITE' | 'READ_ACP' | 'WRITE_ACP';

export const ACL_PERMISSIONS: readonly AclPermission[] = ['FULL_CONTROL', 'READ', 'WRITE', 'READ_ACP', 'WRITE_ACP'];

export type AclGrantee = { type: 'CanonicalUser'; id: string; displayName: string } | { type: 'Group'; uri: string };

export interface AclGrant {
  grantee: AclGrantee;
  permission: AclPermission;
}

export interface AclOwner {
  id: string;
  displayName: string;
}

export const ALL_USERS_GROUP = 'http://acs.amazonaws.com/groups/global/AllUsers';
export const AUTHENTICATED_USERS_GROUP = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';

/** What each canned ACL adds beside the owner's FULL_CONTROL, in the order S3 lists the grants. */
const CANNED_GROUP_GRANTS: Readonly<Record<CannedBucketAcl, readonly (readonly [string, AclPermission])[]>> = {
  private: [],
  'public-read': [[ALL_USERS_GROUP, 'READ']],
  'public-read-write': [
    [ALL_USERS_GROUP, 'READ'],
    [ALL_USERS_GROUP, 'WRITE'],
  ],
  'authenticated-read': [[AUTHENTICATED_USERS_GROUP, 'READ']],
};

/**
 * Object canned ACLs whose extra grant goes to the bucket owner. S3 ignores them on a bucket
 * ("If you specify this canned ACL when creating a bucket, Amazon S3 ignores it"): on a bucket
 * they expand to the owner's FULL_CONTROL alone, which is `private`.
 */
const BUCKET_OWNER_OBJECT_ACLS: ReadonlySet<string> = new Set(['bucket-owner-read', 'bucket-owner-full-control']);

/** Valid S3 canned ACLs whose grantees (EC2, the log delivery group) Sediment does not have. */
const UNSUPPORTED_CANNED_ACLS: ReadonlySet<string> = new Set(['aws-exec-read', 'log-delivery-write']);

function isCannedBucketAcl(value: string): value is CannedBucketAcl {
  return (CANNED_BUCKET_ACLS as readonly string[]).includes(value);
}

/**
 * The `x-amz-acl` header of CreateBucket / PutBucketAcl. Values are case-sensitive, as in S3; an
 * unknown one is S3's InvalidArgument, which carries an empty Message.
 */
export function parseCannedAcl(header: string | undefined): CannedBucketAcl | undefined {
  if (header === undefined) return undefined;
  if (isCannedBucketAcl(header)) return header;
  if (BUCKET_OWNER_OBJECT_ACLS.has(header)) return 'private';
  if (UNSUPPORTED_CANNED_ACLS.has(header)) throw new S3Error('NotImplemented');
  throw new S3Error('InvalidArgument', {
    message: '',
    details: { ArgumentName: 'x-amz-acl', ArgumentValue: header },
  });
}

/** The grants S3 writes into a bucket ACL for a canned ACL: the owner first, then any groups. */
export function cannedAclGrants(acl: CannedBucketAcl, owner: AclOwner): AclGrant[] {
  return [
    { grantee: { type: 'CanonicalUser', id: owner.id, displayName: owner.displayName }, permission: 'FULL_CONTROL' },
    ...CANNED_GROUP_GRANTS[acl].map(([uri, permission]): AclGrant => ({ grantee: { type: 'Group', uri }, permission })),
  ];
}

/**
 * The canned ACL whose expansion is exactly this set of grants (order, duplicates and display
 * names do not matter), or undefined: the caller answers NotImplemented for ACLs we cannot store.
 */
export function cannedAclFromGrants(grants: readonly AclGrant[], ownerId: string): CannedBucketAcl | undefined {
  const given = new Set(grants.map(grantKey));
  return CANNED_BUCKET_ACLS.find((acl) => {
    const expected = new Set(cannedAclGrants(acl, { id: ownerId, displayName: '' }).map(grantKey));
    return expected.size === given.size && [...expected].every((key) => given.has(key));
  });
}

function grantKey({ grantee, permission }: AclGrant): string {
  return JSON.stringify([grantee.type, grantee.type === 'Group' ? grantee.uri : grantee.id, permission]);
}

const READ_ACTIONS = ['s3:ListBucket', 's3:ListBucketVersions', 's3:ListBucketMultipartUploads'];
// Non-owners may only create objects; deleting (and s3:DeleteObjectVersion) is left to owners.
const WRITE_ACTIONS = ['s3:PutObject'];
const READ_ACP_ACTIONS = ['s3:GetBucketAcl'];
const WRITE_ACP_ACTIONS = ['s3:PutBucketAcl'];

/**
 * AWS "Mapping of ACL permissions and access policy permissions", for a permission granted on a
 * bucket. A bucket ACL never grants object reads: s3:GetObject comes from object ACLs or policies.
 */
export const BUCKET_ACL_PERMISSION_ACTIONS: Readonly<Record<AclPermission, readonly string[]>> = {
  READ: READ_ACTIONS,
  WRITE: WRITE_ACTIONS,
  READ_ACP: READ_ACP_ACTIONS,
  WRITE_ACP: WRITE_ACP_ACTIONS,
  FULL_CONTROL: [...READ_ACTIONS, ...WRITE_ACTIONS, ...READ_ACP_ACTIONS, ...WRITE_ACP_ACTIONS],
};

export interface AclCaller {
  /** True for an unsigned request; AuthenticatedUsers covers every signed one. */
  anonymous: boolean;
}

/**
 * Whether the canned ACL's group grants let this caller perform the IAM action on the bucket.
 * The owner's FULL_CONTROL is deliberately not consulted: it names the account, and the account's
 * IAM users still need a policy that allows the action.
 */
export function cannedAclAllows(acl: CannedBucketAcl, action: string, caller: AclCaller): boolean {
  // IAM action names are case-insensitive.
  const wanted = action.toLowerCase();
  return CANNED_GROUP_GRANTS[acl].some(
    ([uri, permission]) =>
      groupIncludes(uri, caller) &&
      BUCKET_ACL_PERMISSION_ACTIONS[permission].some((granted) => granted.toLowerCase() === wanted),
  );
}

function groupIncludes(uri: string, caller: AclCaller): boolean {
  if (uri === ALL_USERS_GROUP) return true;
  if (uri === AUTHENTICATED_USERS_GROUP) return !caller.anonymous;
  return false;
}

/**
 * A bucket's ACL as stored: a canned ACL (BucketAclPut), or a grant list that is none of them
 * (BucketAclGrantsPut), the owner's grants included as they were sent.
 */
export type BucketAcl = CannedBucketAcl | { grants: AclGrant[] };

/** The grants S3 lists for a bucket ACL owned by `owner`. */
export function bucketAclGrants(acl: BucketAcl, owner: AclOwner): AclGrant[] {
  return typeof acl === 'string' ? cannedAclGrants(acl, owner) : acl.grants;
}

/** The stored form of a grant list: the canned ACL it is exactly, or the grants themselves. */
export function bucketAclOf(grants: AclGrant[], ownerId: string): BucketAcl {
  return cannedAclFromGrants(grants, ownerId) ?? { grants };
}

export function sameBucketAcl(a: BucketAcl, b: BucketAcl): boolean {
  return typeof a === 'string' || typeof b === 'string' ? a === b : JSON.stringify(a.grants) === JSON.stringify(b.grants);
}

/** Who asks, as a bucket ACL of grants sees it. */
export interface BucketAclCaller extends AclCaller {
  /** The caller's account, when a grant to it counts (another account's caller; its users also need their own Allow). */
  canonicalId?: string;
  /** IgnorePublicAcls: grants to AllUsers and AuthenticatedUsers count for nothing. */
  ignorePublic: boolean;
}

/**
 * Whether the bucket ACL lets this caller perform the IAM action on the bucket: its group grants,
 * and a grant to the caller's account when `canonicalId` is given. The owner's own grants are not
 * consulted (its account's IAM users still need a policy).
 */
export function bucketAclAllows(acl: BucketAcl, action: string, caller: BucketAclCaller): boolean {
  if (typeof acl === 'string') return !caller.ignorePublic && cannedAclAllows(acl, action, caller);
  const wanted = action.toLowerCase();
  return acl.grants.some(({ grantee, permission }) => {
    const included =
      grantee.type === 'Group' ? !caller.ignorePublic && groupIncludes(grantee.uri, caller) : caller.canonicalId !== undefined && grantee.id === caller.canonicalId;
    return included && BUCKET_ACL_PERMISSION_ACTIONS[permission].some((granted) => granted.toLowerCase() === wanted);
  });
}
