import { S3Error } from '../errors/s3.error.js';
import {
  ALL_USERS_GROUP,
  AUTHENTICATED_USERS_GROUP,
  type AclGrant,
  type AclGrantee,
  type AclOwner,
  type AclPermission,
} from '../identity-stream/canned-acl.js';
import { aclsEnabled, OWNERSHIP_WITHOUT_CONTROLS, type ObjectOwnership, type PublicAccessBlock } from './bucket-access-controls.js';

/**
 * Object ACLs (AWS "Access control list (ACL) overview"): the grants of one object version. The
 * version's owner is the object's owner (who wrote it, or the bucket owner by Object Ownership);
 * a version without any ACL fact is `private`: its owner's FULL_CONTROL alone.
 */

/** Every canned ACL an object accepts (AWS "Canned ACL" table). */
export const CANNED_OBJECT_ACLS = [
  'private',
  'public-read',
  'public-read-write',
  'authenticated-read',
  'bucket-owner-read',
  'bucket-owner-full-control',
] as const;

export type CannedObjectAcl = (typeof CANNED_OBJECT_ACLS)[number];

/** The grants of one version, its owner's included, in the order S3 lists them. */
export interface ObjectAcl {
  grants: AclGrant[];
}

/** A grant to the public: AllUsers or AuthenticatedUsers (what BlockPublicAcls refuses). */
export function isPublicGrant({ grantee }: AclGrant): boolean {
  return grantee.type === 'Group' && (grantee.uri === ALL_USERS_GROUP || grantee.uri === AUTHENTICATED_USERS_GROUP);
}

/** The `x-amz-acl` header of an object write or PutObjectAcl; an unknown value is S3's InvalidArgument. */
export function parseCannedObjectAcl(header: string | undefined): CannedObjectAcl | undefined {
  if (header === undefined) return undefined;
  if ((CANNED_OBJECT_ACLS as readonly string[]).includes(header)) return header as CannedObjectAcl;
  if (header === 'aws-exec-read' || header === 'log-delivery-write') throw new S3Error('NotImplemented');
  throw new S3Error('InvalidArgument', { message: '', details: { ArgumentName: 'x-amz-acl', ArgumentValue: header } });
}

function canonical(owner: AclOwner): AclGrantee {
  return { type: 'CanonicalUser', id: owner.id, displayName: owner.displayName };
}

/**
 * What a canned ACL means on an object owned by `owner` in a bucket owned by `bucketOwner`: the
 * owner's FULL_CONTROL, then the groups, or the bucket owner's READ / FULL_CONTROL (nothing more
 * when the object's owner is the bucket owner).
 */
export function cannedObjectAclGrants(acl: CannedObjectAcl, owner: AclOwner, bucketOwner: AclOwner): AclGrant[] {
  const grants: AclGrant[] = [{ grantee: canonical(owner), permission: 'FULL_CONTROL' }];
  const group = (uri: string, permission: AclPermission) => grants.push({ grantee: { type: 'Group', uri }, permission });
  switch (acl) {
    case 'public-read':
      group(ALL_USERS_GROUP, 'READ');
      break;
    case 'public-read-write':
      group(ALL_USERS_GROUP, 'READ');
      group(ALL_USERS_GROUP, 'WRITE');
      break;
    case 'authenticated-read':
      group(AUTHENTICATED_USERS_GROUP, 'READ');
      break;
    case 'bucket-owner-read':
    case 'bucket-owner-full-control':
      if (bucketOwner.id !== owner.id) {
        grants.push({ grantee: canonical(bucketOwner), permission: acl === 'bucket-owner-read' ? 'READ' : 'FULL_CONTROL' });
      }
      break;
    case 'private':
      break;
  }
  return grants;
}

/** The owner's FULL_CONTROL alone: every version without an ACL fact, and every object with ACLs off. */
export function privateObjectAcl(owner: AclOwner): AclGrant[] {
  return [{ grantee: canonical(owner), permission: 'FULL_CONTROL' }];
}

const READ = ['s3:GetObject', 's3:GetObjectVersion'];
const READ_ACP = ['s3:GetObjectAcl', 's3:GetObjectVersionAcl'];
const WRITE_ACP = ['s3:PutObjectAcl', 's3:PutObjectVersionAcl'];

/**
 * AWS "Mapping of ACL permissions and access policy permissions", for a permission granted on an
 * object. WRITE means nothing on an object (S3 accepts it in an ACL and ignores it).
 */
export const OBJECT_ACL_PERMISSION_ACTIONS: Readonly<Record<AclPermission, readonly string[]>> = {
  READ,
  WRITE: [],
  READ_ACP,
  WRITE_ACP,
  FULL_CONTROL: [...READ, ...READ_ACP, ...WRITE_ACP],
};

/** Who asks, as an object ACL sees it. */
export interface ObjectAclCaller {
  anonymous: boolean;
  /** The canonical id of the caller's account; ignored for anonymous callers. */
  canonicalId: string;
  /** Whether a grant to the caller's account counts (for its root; its users also need their own Allow). */
  accountGrants: boolean;
  /** IgnorePublicAcls: grants to AllUsers and AuthenticatedUsers count for nothing. */
  ignorePublic: boolean;
}

/** Whether the version's grants let this caller perform the IAM action on it. */
export function objectAclAllows(grants: readonly AclGrant[], action: string, caller: ObjectAclCaller): boolean {
  const wanted = action.toLowerCase();
  return grants.some(
    (grant) =>
      granteeIncludes(grant.grantee, caller) &&
      !(caller.ignorePublic && isPublicGrant(grant)) &&
      OBJECT_ACL_PERMISSION_ACTIONS[grant.permission].some((granted) => granted.toLowerCase() === wanted),
  );
}

function granteeIncludes(grantee: AclGrantee, caller: ObjectAclCaller): boolean {
  if (grantee.type === 'CanonicalUser') return !caller.anonymous && caller.accountGrants && grantee.id === caller.canonicalId;
  if (grantee.uri === ALL_USERS_GROUP) return true;
  if (grantee.uri === AUTHENTICATED_USERS_GROUP) return !caller.anonymous;
  return false;
}

/** The ACL a write or PutObjectAcl asks for: a canned one (x-amz-acl), or grants (headers or body). */
export type RequestedObjectAcl = { canned: CannedObjectAcl } | { grants: AclGrant[] };

/** The bucket as Object Ownership and the public access block see it. */
export interface AclBucket {
  owner: string;
  ownerDisplayName?: string;
  objectOwnership?: ObjectOwnership;
  publicAccessBlock?: PublicAccessBlock;
}

/**
 * Who owns a version a writer creates (AWS "Controlling ownership of objects"): the bucket owner
 * under BucketOwnerEnforced, and under BucketOwnerPreferred when written with
 * bucket-owner-full-control; the writer otherwise (ObjectWriter, or a bucket without controls).
 */
export function writtenObjectOwner(bucket: AclBucket, writer: AclOwner, requested: RequestedObjectAcl | undefined): AclOwner {
  const bucketOwner = { id: bucket.owner, displayName: bucket.ownerDisplayName ?? '' };
  const ownership = bucket.objectOwnership ?? OWNERSHIP_WITHOUT_CONTROLS;
  if (ownership === 'BucketOwnerEnforced') return bucketOwner;
  if (ownership === 'BucketOwnerPreferred' && requested !== undefined && 'canned' in requested && requested.canned === 'bucket-owner-full-control') {
    return bucketOwner;
  }
  return writer;
}

/**
 * The grants a requested ACL gives a version owned by `owner`, checked against the bucket's
 * switches: with ACLs off (BucketOwnerEnforced) only the owner's own FULL_CONTROL may be asked for
 * (AccessControlListNotSupported otherwise), and under BlockPublicAcls no public grant (AccessDenied).
 * Undefined when nothing is asked for (`private`).
 */
export function grantsOfRequestedAcl(bucket: AclBucket, owner: AclOwner, requested: RequestedObjectAcl | undefined): AclGrant[] | undefined {
  if (requested === undefined) return undefined;
  const bucketOwner = { id: bucket.owner, displayName: bucket.ownerDisplayName ?? '' };
  const grants = 'canned' in requested ? cannedObjectAclGrants(requested.canned, owner, bucketOwner) : requested.grants;
  if (!aclsEnabled(bucket.objectOwnership) && !onlyOwnerFullControl(grants, owner)) throw new S3Error('AccessControlListNotSupported');
  if (bucket.publicAccessBlock?.blockPublicAcls && grants.some(isPublicGrant)) throw new S3Error('AccessDenied');
  return grants;
}

/** Whether the grants are exactly `private`: the owner's FULL_CONTROL, nothing else. */
export function onlyOwnerFullControl(grants: readonly AclGrant[], owner: AclOwner): boolean {
  return grants.every((grant) => grant.grantee.type === 'CanonicalUser' && grant.grantee.id === owner.id && grant.permission === 'FULL_CONTROL');
}
