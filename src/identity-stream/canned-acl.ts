import { S3Error } from '../errors/s3.error.js';

/**
 * The canned ACLs a bucket can carry here (AWS "Canned ACL" table, rows that apply to buckets).
 * Sediment stores a bucket's ACL as one of these; a grant list that is none of them is refused
 * as NotImplemented by the caller rather than stored half-understood.
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
