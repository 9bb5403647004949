import { parsePolicyDocument, type PolicyDocument } from '../policy/policy-document.js';
import {
  identityIds,
  type AccessKeyDocument,
  type BucketAclDocument,
  type BucketPolicyDocument,
  type IdentityDocument,
  type IdentityMutation,
  type UserDocument,
  type UserPolicyDocument,
} from './identity.documents.js';

/**
 * What the identity decider and the authorizer may ask about identities. Implemented by the
 * in-memory directory below, which mirrors the `identities` read model.
 */
export interface IdentityState {
  user(userName: string): UserDocument | undefined;
  userByArn(arn: string): UserDocument | undefined;
  users(): UserDocument[];
  accessKey(accessKeyId: string): AccessKeyDocument | undefined;
  accessKeysOf(userName: string): AccessKeyDocument[];
  userPolicy(userName: string, policyName: string): UserPolicyDocument | undefined;
  userPoliciesOf(userName: string): UserPolicyDocument[];
  bucketPolicy(bucket: string): BucketPolicyDocument | undefined;
  bucketAcl(bucket: string): BucketAclDocument | undefined;
}

/**
 * The identity read model held in memory: loaded from MongoDB at boot and kept current by the
 * identity projector, which applies every mutation here right after MongoDB. The guard asks it
 * on every request, so lookups are map reads and policies are parsed once, when applied.
 */
export class IdentityDirectory implements IdentityState {
  private readonly docs = new Map<string, IdentityDocument>();
  private readonly parsed = new Map<string, PolicyDocument>();

  load(documents: readonly IdentityDocument[]): void {
    this.docs.clear();
    this.parsed.clear();
    for (const doc of documents) this.put(doc);
  }

  get(id: string): IdentityDocument | undefined {
    return this.docs.get(id);
  }

  apply(mutation: IdentityMutation): void {
    if (mutation.op === 'put') this.put(mutation.doc);
    else {
      this.docs.delete(mutation.id);
      this.parsed.delete(mutation.id);
    }
  }

  all(): IdentityDocument[] {
    return [...this.docs.values()];
  }

  user(userName: string): UserDocument | undefined {
    return this.of('user', identityIds.user(userName));
  }

  userByArn(arn: string): UserDocument | undefined {
    return this.users().find((u) => u.arn === arn);
  }

  users(): UserDocument[] {
    return this.kind('user').sort((a, b) => (a.userName < b.userName ? -1 : 1));
  }

  accessKey(accessKeyId: string): AccessKeyDocument | undefined {
    return this.of('accessKey', identityIds.accessKey(accessKeyId));
  }

  accessKeysOf(userName: string): AccessKeyDocument[] {
    return this.kind('accessKey')
      .filter((k) => k.userName === userName)
      .sort((a, b) => (a.accessKeyId < b.accessKeyId ? -1 : 1));
  }

  userPolicy(userName: string, policyName: string): UserPolicyDocument | undefined {
    return this.of('userPolicy', identityIds.userPolicy(userName, policyName));
  }

  userPoliciesOf(userName: string): UserPolicyDocument[] {
    return this.kind('userPolicy')
      .filter((p) => p.userName === userName)
      .sort((a, b) => (a.policyName < b.policyName ? -1 : 1));
  }

  bucketPolicy(bucket: string): BucketPolicyDocument | undefined {
    return this.of('bucketPolicy', identityIds.bucketPolicy(bucket));
  }

  bucketAcl(bucket: string): BucketAclDocument | undefined {
    return this.of('bucketAcl', identityIds.bucketAcl(bucket));
  }

  /** The parsed form of a user or bucket policy document (validated when it was put). */
  parsedPolicy(doc: UserPolicyDocument | BucketPolicyDocument): PolicyDocument {
    const cached = this.parsed.get(doc._id);
    if (cached) return cached;
    const parsed =
      doc.kind === 'userPolicy' ? parsePolicyDocument(doc.policyDocument, 'identity') : parsePolicyDocument(doc.policy, 'resource');
    this.parsed.set(doc._id, parsed);
    return parsed;
  }

  private put(doc: IdentityDocument): void {
    this.docs.set(doc._id, doc);
    this.parsed.delete(doc._id);
  }

  private of<K extends IdentityDocument['kind']>(kind: K, id: string): Extract<IdentityDocument, { kind: K }> | undefined {
    const doc = this.docs.get(id);
    return doc?.kind === kind ? (doc as Extract<IdentityDocument, { kind: K }>) : undefined;
  }

  private kind<K extends IdentityDocument['kind']>(kind: K): Array<Extract<IdentityDocument, { kind: K }>> {
    return [...this.docs.values()].filter((d): d is Extract<IdentityDocument, { kind: K }> => d.kind === kind);
  }
}
