import type { Principal } from '../../event-log/principal.js';
import type { IdentityDirectory } from '../../identity-stream/identity.directory.js';
import { evaluate, type AuthorizationResult } from '../../policy/policy.evaluator.js';
import type { PolicyDocument } from '../../policy/policy-document.js';
import { cannedAclAllows } from '../../identity-stream/canned-acl.js';
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
}

export interface AccessDecision {
  allowed: boolean;
  /** Why, for the log: `root`, `identity-policy`, `bucket-policy`, `acl`, `explicit-deny`, `implicit-deny`. */
  reason: 'root' | 'identity-policy' | 'bucket-policy' | 'acl' | 'explicit-deny' | 'implicit-deny';
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

/** The root may always manage a bucket's policy, so a policy that denies everyone can be undone. */
const ROOT_ALWAYS = new Set(['s3:GetBucketPolicy', 's3:PutBucketPolicy', 's3:DeleteBucketPolicy']);

/**
 * AWS policy evaluation for one account (IAM "Policy evaluation logic", S3 "How Amazon S3
 * authorizes a request"): an explicit Deny in the caller's policies or the bucket policy wins;
 * otherwise an Allow from either grants, as does a public canned ACL; otherwise denied. The root
 * is allowed unless the bucket policy denies it. Policies and ACLs put on an earlier bucket of
 * the same name never apply: they carry that bucket's id.
 */
export class Authorizer {
  constructor(
    private readonly directory: IdentityDirectory,
    private readonly bucketOf: BucketLookup,
  ) {}

  async authorize(request: AccessRequest): Promise<AccessDecision> {
    const { principal } = request;
    const { policy, policyOffset, acl, restrictPublicPolicy } = await this.bucketControls(request.bucket, principal);
    const identity: PolicyDocument[] =
      principal.type === 'user' && principal.userName !== undefined
        ? this.directory.userPoliciesOf(principal.userName).map((doc) => this.directory.parsedPolicy(doc))
        : [];
    const evaluation = {
      action: request.action,
      resource: request.resource,
      principal: { arn: this.arnAsPolicyPrincipal(principal, policyOffset), anonymous: principal.type === 'anonymous' },
      context: request.context,
    };
    let result: AuthorizationResult = evaluate(evaluation, policy ? { identity, resource: policy } : { identity });
    // RestrictPublicBuckets: a public bucket policy grants nobody outside the owner's account
    // (its Denies still count: they already decided any Deny above).
    if (restrictPublicPolicy && result.decision === 'Allow' && result.matched?.source === 'resource') {
      result = evaluate(evaluation, { identity });
    }
    if (principal.type === 'root' && (result.decision !== 'Deny' || ROOT_ALWAYS.has(request.action))) {
      return { allowed: true, reason: 'root' };
    }
    if (result.decision === 'Deny') return { allowed: false, reason: 'explicit-deny' };
    if (result.decision === 'Allow') {
      return { allowed: true, reason: result.matched?.source === 'resource' ? 'bucket-policy' : 'identity-policy' };
    }
    if (acl && cannedAclAllows(acl, request.action, { anonymous: principal.type === 'anonymous' })) {
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
    const user = this.directory.user(principal.userName);
    return user !== undefined && user.offset > policyOffset ? `${principal.arn}#${user.userId}` : principal.arn;
  }

  /**
   * The bucket policy and ACL in force for this caller. The ACL counts only while the bucket's
   * ACLs are on (not BucketOwnerEnforced) and, being public whenever it is not private, not while
   * its public access block says IgnorePublicAcls. RestrictPublicBuckets limits a public policy
   * to principals of the owner's account.
   */
  private async bucketControls(bucket: string | undefined, principal: Principal) {
    if (bucket === undefined) return {};
    const policyDoc = this.directory.bucketPolicy(bucket);
    const aclDoc = this.directory.bucketAcl(bucket);
    if (!policyDoc && !aclDoc) return {};
    // Only buckets that have (or had) a policy or ACL pay for this lookup.
    const info = await this.bucketOf(bucket);
    const policy = policyDoc && policyDoc.bucketId === info?.bucketId ? this.directory.parsedPolicy(policyDoc) : undefined;
    const block = info?.publicAccessBlock;
    const aclCounts = aclDoc !== undefined && aclDoc.bucketId === info?.bucketId && aclsEnabled(info.objectOwnership) && !block?.ignorePublicAcls;
    return {
      policy,
      policyOffset: policyDoc?.offset,
      acl: aclCounts ? aclDoc.acl : undefined,
      restrictPublicPolicy: policy !== undefined && block?.restrictPublicBuckets === true && principal.canonicalId !== info?.owner && isPublicPolicy(policy),
    };
  }
}
