import type { Principal } from '../../event-log/principal.js';
import type { IdentityDirectory } from '../../identity-stream/identity.directory.js';
import { evaluate, type AuthorizationResult } from '../../policy/policy.evaluator.js';
import type { PolicyDocument } from '../../policy/policy-document.js';
import { cannedAclAllows } from '../../identity-stream/canned-acl.js';

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

/** The current incarnation id of a bucket, or undefined if it does not exist. */
export type BucketIdLookup = (bucket: string) => Promise<string | undefined>;

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
    private readonly bucketIdOf: BucketIdLookup,
  ) {}

  async authorize(request: AccessRequest): Promise<AccessDecision> {
    const { principal } = request;
    const { policy, policyOffset, acl } = await this.bucketControls(request.bucket);
    const identity: PolicyDocument[] =
      principal.type === 'user' && principal.userName !== undefined
        ? this.directory.userPoliciesOf(principal.userName).map((doc) => this.directory.parsedPolicy(doc))
        : [];
    const result: AuthorizationResult = evaluate(
      {
        action: request.action,
        resource: request.resource,
        principal: { arn: this.arnAsPolicyPrincipal(principal, policyOffset), anonymous: principal.type === 'anonymous' },
        context: request.context,
      },
      policy ? { identity, resource: policy } : { identity },
    );
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

  private async bucketControls(bucket: string | undefined) {
    if (bucket === undefined) return {};
    const policyDoc = this.directory.bucketPolicy(bucket);
    const aclDoc = this.directory.bucketAcl(bucket);
    if (!policyDoc && !aclDoc) return {};
    // Only buckets that have (or had) a policy or ACL pay for this lookup.
    const bucketId = await this.bucketIdOf(bucket);
    return {
      policy: policyDoc && policyDoc.bucketId === bucketId ? this.directory.parsedPolicy(policyDoc) : undefined,
      policyOffset: policyDoc?.offset,
      acl: aclDoc && aclDoc.bucketId === bucketId ? aclDoc.acl : undefined,
    };
  }
}
