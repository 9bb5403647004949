import { accountRootArn, type Principal } from '../../event-log/principal.js';
import type { IdentityDirectory } from '../../identity-stream/identity.directory.js';
import { evaluate, type AuthorizationResult } from '../../policy/policy.evaluator.js';
import type { PolicyDocument } from '../../policy/policy-document.js';
import { bucketAclAllows, type AclGrant, type BucketAcl } from '../../identity-stream/canned-acl.js';
import { OBJECT_ACL_PERMISSION_ACTIONS, objectAclAllows } from '../../bucket-stream/object-acl.js';
import { aclsEnabled, type ObjectOwnership, type PublicAccessBlock } from '../../bucket-stream/bucket-access-controls.js';
import { isPublicPolicy } from '../../policy/policy-status.js';

export interface AccessRequest {
  principal: Principal;
  /** e.g. `s3:GetObject`, `iam:CreateUser`. */
  action: string;
  /** e.g. `arn:aws:s3:::bucket/key`. */
  resource: string;
  /** The bucket whose policy and ACL apply, if any. */
  bucket?: string;
  /** Condition keys, lower-cased. */
  context: Record<string, string | string[] | undefined>;
  /** The object the request names, whose ACL may grant an object action the policies do not. */
  object?: { key: string; versionId?: string };
}

export interface AccessDecision {
  allowed: boolean;
  /** Why, for the log: `root`, `identity-policy`, `bucket-policy`, `acl`, `object-acl`, `object-owner` (the root of the account owning another account's object), `explicit-deny`, `implicit-deny`. */
  reason: 'root' | 'identity-policy' | 'bucket-policy' | 'acl' | 'object-acl' | 'object-owner' | 'explicit-deny' | 'implicit-deny';
  /** Set on an implicit deny of an object action whose object (or version) does not exist. */
  objectMissing?: true;
}

/** What authorisation needs of a bucket that exists: its incarnation, owner and access switches. */
export interface BucketAccessInfo {
  bucketId: string;
  /** Canonical id of the owner's account. */
  owner: string;
  objectOwnership?: ObjectOwnership;
  publicAccessBlock?: PublicAccessBlock;
}

/** The bucket as it is now, or undefined if it does not exist. */
export type BucketLookup = (bucket: string) => Promise<BucketAccessInfo | undefined>;

/** An object version's owner and ACL (absent: `private`, its owner's FULL_CONTROL alone). */
export interface ObjectAccess {
  owner: string;
  grants?: AclGrant[];
}

/** An object version's owner and ACL, or undefined if there is no such object. */
export type ObjectAclLookup = (bucket: string, key: string, versionId: string | undefined) => Promise<ObjectAccess | undefined>;

const DENIED: AccessDecision = { allowed: false, reason: 'implicit-deny' };

/** The actions an object ACL can grant: reading the object, its ACL, and writing its ACL. */
const OBJECT_ACL_ACTIONS: ReadonlySet<string> = new Set(
  Object.values(OBJECT_ACL_PERMISSION_ACTIONS)
    .flat()
    .map((action) => action.toLowerCase()),
);

/** The root may always manage a bucket's policy, so a policy that denies everyone can be undone. */
const ROOT_ALWAYS = new Set(['s3:GetBucketPolicy', 's3:PutBucketPolicy', 's3:DeleteBucketPolicy']);

/**
 * A bucket's policy is managed from its owner's account only: S3 refuses these to any other
 * account whatever the policy grants (it answers 405; Sediment's guard knows only 403).
 */
const OWNER_ACCOUNT_ONLY = ROOT_ALWAYS;

/**
 * AWS policy evaluation (IAM "Policy evaluation logic", S3 "How Amazon S3 authorizes a
 * request"). Within the bucket owner's account: an explicit Deny in the caller's policies or the
 * bucket policy wins; otherwise an Allow from either grants, as does a public canned ACL;
 * otherwise denied. The root is allowed unless the bucket policy denies it. From another
 * account, both sides must allow: the bucket owner (its bucket policy naming the caller, its
 * account or everyone, or its ACL) and, for an IAM user, the user's own policies; a foreign root
 * needs only the owner's Allow, and any explicit Deny still wins. Policies and ACLs put on an
 * earlier bucket of the same name never apply: they carry that bucket's id.
 */
export class Authorizer {
  constructor(
    private readonly directory: IdentityDirectory,
    private readonly bucketOf: BucketLookup,
    private readonly objectAclOf?: ObjectAclLookup,
  ) {}

  /**
   * The policies and the bucket ACL first. For an object action an ACL can grant, the object's
   * owner and ACL are then read only where they can change the answer: when the policies leave
   * it implicitly denied (the object's ACL may grant it), or when another account may own the
   * object (some other account exists and the bucket's ACLs are on), since the bucket owner's
   * policies grant nothing on an object another account owns. An explicit Deny always wins.
   */
  async authorize(request: AccessRequest): Promise<AccessDecision> {
    const decision = await this.byPoliciesAndBucketAcl(request);
    const { bucket, object } = request;
    if (decision.reason === 'explicit-deny' || object === undefined || bucket === undefined || !this.objectAclOf) return decision;
    if (!OBJECT_ACL_ACTIONS.has(request.action.toLowerCase())) return decision;
    if (decision.allowed && !this.directory.hasOtherAccounts()) return decision;
    const found = await this.bucketOf(bucket);
    if (decision.allowed && !aclsEnabled(found?.objectOwnership)) return decision;
    const acl = found && (await this.objectAclOf(bucket, object.key, object.versionId));
    if (!found || !acl) return decision.allowed ? decision : { ...decision, objectMissing: true };
    if (aclsEnabled(found.objectOwnership) && acl.owner !== found.owner) return this.byObjectOwner(request, found, acl);
    return decision.allowed ? decision : this.byObjectAcl(request, found, acl);
  }

  /**
   * An object another account owns than the bucket's (ACLs on: ObjectWriter, or
   * BucketOwnerPreferred without bucket-owner-full-control). AWS's object context: the bucket
   * owner's policies and ACL grant nothing on it, the bucket owner's account included (they
   * could only deny, which was decided before); the object's owner decides. Its root may; its
   * users by their own policies; anyone else by the object's ACL, a user also needing its own
   * Allow.
   */
  private byObjectOwner(request: AccessRequest, found: BucketAccessInfo, acl: ObjectAccess): AccessDecision {
    const { principal } = request;
    const ownerAccount = this.directory.accountByCanonicalId(acl.owner)?.accountId;
    if (principal.type !== 'anonymous' && ownerAccount !== undefined && principal.accountId === ownerAccount) {
      if (principal.type === 'root') return { allowed: true, reason: 'object-owner' };
      return this.identityAllows(request) ? { allowed: true, reason: 'identity-policy' } : DENIED;
    }
    if (!this.objectAclGrants(request, found, acl, principal.type !== 'anonymous')) return DENIED;
    if (principal.type !== 'user' || principal.userName === undefined) return { allowed: true, reason: 'object-acl' };
    return this.identityAllows(request) ? { allowed: true, reason: 'object-acl' } : DENIED;
  }

  /**
   * An object ACL's say (AWS "Access control list (ACL) overview"): nothing with ACLs off
   * (BucketOwnerEnforced); its public grants nothing under IgnorePublicAcls. A grant to an account
   * counts for its root; one of its users also needs its own Allow (ADR 0024), as another account's
   * does for a bucket ACL. A bucket policy's explicit Deny was ruled on before this is asked.
   */
  private byObjectAcl(request: AccessRequest, found: BucketAccessInfo, acl: ObjectAccess): AccessDecision {
    const { principal } = request;
    if (!this.objectAclGrants(request, found, acl, principal.type !== 'anonymous')) return DENIED;
    if (principal.type !== 'user' || principal.userName === undefined) return { allowed: true, reason: 'object-acl' };
    // Within the bucket owner's account a public grant is enough, as a bucket policy's would be.
    const ownAccount = this.directory.accountByCanonicalId(found.owner)?.accountId === principal.accountId;
    if (ownAccount && this.objectAclGrants(request, found, acl, false)) return { allowed: true, reason: 'object-acl' };
    // A user acts for its account: a grant to the account, or from another account's object,
    // still needs the user's own Allow.
    return this.identityAllows(request) ? { allowed: true, reason: 'object-acl' } : DENIED;
  }

  /** Whether the object's ACL grants the action to the caller (grants to its account counted or not). */
  private objectAclGrants(request: AccessRequest, found: BucketAccessInfo, acl: ObjectAccess, accountGrants: boolean): boolean {
    if (!aclsEnabled(found.objectOwnership) || !acl.grants) return false;
    const { principal } = request;
    return objectAclAllows(acl.grants, request.action, {
      anonymous: principal.type === 'anonymous',
      canonicalId: principal.canonicalId,
      accountGrants,
      ignorePublic: found.publicAccessBlock?.ignorePublicAcls === true,
    });
  }

  /** Whether the calling user's own policies allow the request (its explicit Denies were decided before). */
  private identityAllows(request: AccessRequest): boolean {
    const { principal } = request;
    if (principal.type !== 'user' || principal.userName === undefined) return false;
    const identity = this.directory.userPoliciesOf(principal.accountId, principal.userName).map((doc) => this.directory.parsedPolicy(doc));
    const asked = { action: request.action, resource: request.resource, principal: { arn: principal.arn, anonymous: false }, context: request.context };
    return evaluate(asked, { identity }).decision === 'Allow';
  }

  private async byPoliciesAndBucketAcl(request: AccessRequest): Promise<AccessDecision> {
    const { principal } = request;
    const controls = await this.bucketControls(request.bucket, principal, request.action);
    const { policy, policyOffset, acl, restrictPublicPolicy, ignorePublicAcls } = controls;
    const identity: PolicyDocument[] =
      principal.type === 'user' && principal.userName !== undefined
        ? this.directory.userPoliciesOf(principal.accountId, principal.userName).map((doc) => this.directory.parsedPolicy(doc))
        : [];
    const asked = (arn: string) => ({
      action: request.action,
      resource: request.resource,
      principal: { arn, anonymous: principal.type === 'anonymous' },
      context: request.context,
    });
    const callerArn = this.arnAsPolicyPrincipal(principal, policyOffset);
    let result: AuthorizationResult = evaluate(asked(callerArn), policy ? { identity, resource: policy } : { identity });
    if (controls.foreign) {
      if (result.decision === 'Deny') return { allowed: false, reason: 'explicit-deny' };
      if (OWNER_ACCOUNT_ONLY.has(request.action)) return { allowed: false, reason: 'implicit-deny' };
      // Under RestrictPublicBuckets a public policy grants no other account anything.
      const allows = (arn: string) =>
        policy !== undefined && !restrictPublicPolicy && evaluate(asked(arn), { identity: [], resource: policy }).decision === 'Allow';
      // The owner's side: naming the caller, or its account (which for a user delegates to its own policies).
      const owner: AccessDecision['reason'] | undefined =
        allows(callerArn) || (principal.type === 'user' && allows(accountRootArn(principal.accountId)))
          ? 'bucket-policy'
          : acl && bucketAclAllows(acl, request.action, { anonymous: false, canonicalId: principal.canonicalId, ignorePublic: ignorePublicAcls === true })
            ? 'acl'
            : undefined;
      if (owner === undefined) return { allowed: false, reason: 'implicit-deny' };
      if (principal.type === 'root') return { allowed: true, reason: owner };
      return evaluate(asked(callerArn), { identity }).decision === 'Allow' ? { allowed: true, reason: owner } : { allowed: false, reason: 'implicit-deny' };
    }
    // RestrictPublicBuckets: a public bucket policy grants nobody outside the owner's account
    // (anonymous callers here; its Denies still count: they already decided any Deny above).
    if (restrictPublicPolicy && result.decision === 'Allow' && result.matched?.source === 'resource') {
      result = evaluate(asked(callerArn), { identity });
    }
    if (principal.type === 'root' && (result.decision !== 'Deny' || ROOT_ALWAYS.has(request.action))) {
      return { allowed: true, reason: 'root' };
    }
    if (result.decision === 'Deny') return { allowed: false, reason: 'explicit-deny' };
    if (result.decision === 'Allow') {
      return { allowed: true, reason: result.matched?.source === 'resource' ? 'bucket-policy' : 'identity-policy' };
    }
    if (acl && bucketAclAllows(acl, request.action, { anonymous: principal.type === 'anonymous', ignorePublic: ignorePublicAcls === true })) {
      return { allowed: true, reason: 'acl' };
    }
    return { allowed: false, reason: 'implicit-deny' };
  }

  /**
   * AWS binds a user ARN in a resource policy to that user's unique id: a user deleted and created
   * again under the same name is someone else. A bucket policy can only name users that existed
   * when it was put, so a user whose creation comes later in the identity log is not the one it
   * names; it is matched under an ARN no policy holds (wildcards and account principals still apply).
   */
  private arnAsPolicyPrincipal(principal: Principal, policyOffset: number | undefined): string {
    if (principal.type !== 'user' || policyOffset === undefined || principal.userName === undefined) return principal.arn;
    const user = this.directory.user(principal.accountId, principal.userName);
    return user !== undefined && user.offset > policyOffset ? `${principal.arn}#${user.userId}` : principal.arn;
  }

  /**
   * The bucket's policy and ACL, and whether it belongs to another account than the caller's.
   * CreateBucket of a name another account holds is judged as the caller's own (the bucket
   * answers BucketAlreadyExists, not AccessDenied), without that bucket's policy or ACL. The ACL
   * counts only while the bucket's ACLs are on (not BucketOwnerEnforced); under IgnorePublicAcls
   * its public grants count for nothing. RestrictPublicBuckets limits a public
   * policy to principals of the owner's account.
   */
  private async bucketControls(
    bucket: string | undefined,
    principal: Principal,
    action: string,
  ): Promise<{ policy?: PolicyDocument; policyOffset?: number; acl?: BucketAcl; ignorePublicAcls?: boolean; foreign?: boolean; restrictPublicPolicy?: boolean }> {
    if (bucket === undefined) return {};
    const policyDoc = this.directory.bucketPolicy(bucket);
    const aclDoc = this.directory.bucketAcl(bucket);
    // Until a second account exists every bucket is the default account's; until then only
    // buckets that have (or had) a policy or ACL pay for this lookup.
    if (!policyDoc && !aclDoc && !this.directory.hasOtherAccounts()) return {};
    const found = await this.bucketOf(bucket);
    const ownerAccount = found && (this.directory.accountByCanonicalId(found.owner)?.accountId ?? '');
    const foreign = principal.type !== 'anonymous' && ownerAccount !== undefined && ownerAccount !== principal.accountId;
    if (foreign && action.toLowerCase() === 's3:createbucket') return {};
    const policy = policyDoc && policyDoc.bucketId === found?.bucketId ? this.directory.parsedPolicy(policyDoc) : undefined;
    const block = found?.publicAccessBlock;
    const aclCounts = aclDoc !== undefined && aclDoc.bucketId === found?.bucketId && aclsEnabled(found.objectOwnership);
    return {
      policy,
      policyOffset: policyDoc?.offset,
      acl: aclCounts ? aclDoc.acl : undefined,
      ignorePublicAcls: block?.ignorePublicAcls === true,
      foreign,
      restrictPublicPolicy:
        policy !== undefined && block?.restrictPublicBuckets === true && (foreign || principal.type === 'anonymous') && isPublicPolicy(policy),
    };
  }
}
