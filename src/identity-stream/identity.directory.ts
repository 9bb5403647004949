import { parsePolicyDocument, type PolicyDocument } from '../policy/policy-document.js';
import { DEFAULT_ACCOUNT, DEFAULT_ACCOUNT_ID, accountCanonicalId, type AccountRef } from './account.js';
import {
  accountOfDocument,
  identityIds,
  type AccountDocument,
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
  /** An account other than the default one, by id. */
  account(accountId: string): AccountDocument | undefined;
  accounts(): AccountDocument[];
  /** Whether the id names an existing account, the default one included. */
  accountExists(accountId: string): boolean;
  accountByRootKey(accessKeyId: string): AccountDocument | undefined;
  /** Users, their keys and their policies are looked up within one account: names are unique per account. */
  user(accountId: string, userName: string): UserDocument | undefined;
  userByArn(arn: string): UserDocument | undefined;
  users(accountId: string): UserDocument[];
  accessKey(accessKeyId: string): AccessKeyDocument | undefined;
  accessKeysOf(accountId: string, userName: string): AccessKeyDocument[];
  userPolicy(accountId: string, userName: string, policyName: string): UserPolicyDocument | undefined;
  userPoliciesOf(accountId: string, userName: string): UserPolicyDocument[];
  bucketPolicy(bucket: string): BucketPolicyDocument | undefined;
  bucketAcl(bucket: string): BucketAclDocument | undefined;
}

const DEFAULT_CANONICAL_ID = accountCanonicalId(DEFAULT_ACCOUNT_ID);

/**
 * The identity read model held in memory: loaded from MongoDB at boot and kept current by the
 * identity projector, which applies every mutation here right after MongoDB. The guard asks it
 * on every request, so lookups are map reads and policies are parsed once, when applied.
 */
export class IdentityDirectory implements IdentityState {
  private readonly docs = new Map<string, IdentityDocument>();
  private readonly parsed = new Map<string, PolicyDocument>();
  /** Accounts by root access key id and by canonical id: the guard asks on every request. */
  private readonly accountsByRootKey = new Map<string, AccountDocument>();
  private readonly accountsByCanonicalId = new Map<string, AccountDocument>();

  load(documents: readonly IdentityDocument[]): void {
    this.docs.clear();
    this.parsed.clear();
    this.accountsByRootKey.clear();
    this.accountsByCanonicalId.clear();
    for (const doc of documents) this.put(doc);
  }

  get(id: string): IdentityDocument | undefined {
    return this.docs.get(id);
  }

  apply(mutation: IdentityMutation): void {
    if (mutation.op === 'put') this.put(mutation.doc);
    else {
      this.unindex(mutation.id);
      this.docs.delete(mutation.id);
      this.parsed.delete(mutation.id);
    }
  }

  all(): IdentityDocument[] {
    return [...this.docs.values()];
  }

  account(accountId: string): AccountDocument | undefined {
    return this.of('account', identityIds.account(accountId));
  }

  accounts(): AccountDocument[] {
    return this.kind('account').sort((a, b) => (a.accountId < b.accountId ? -1 : 1));
  }

  accountExists(accountId: string): boolean {
    return accountId === DEFAULT_ACCOUNT_ID || this.account(accountId) !== undefined;
  }

  /** Whether accounts besides the default one exist: until then every bucket is the default account's. */
  hasOtherAccounts(): boolean {
    return this.accountsByRootKey.size > 0;
  }

  accountByRootKey(accessKeyId: string): AccountDocument | undefined {
    return this.accountsByRootKey.get(accessKeyId);
  }

  /** The account (id and display name) a canonical id names, the default one included. */
  accountByCanonicalId(canonicalId: string): AccountRef | undefined {
    if (canonicalId === DEFAULT_CANONICAL_ID) return DEFAULT_ACCOUNT;
    const doc = this.accountsByCanonicalId.get(canonicalId);
    return doc && { accountId: doc.accountId, name: doc.name };
  }

  /** The id and display name of an account, the default one included. */
  accountRef(accountId: string): AccountRef | undefined {
    if (accountId === DEFAULT_ACCOUNT_ID) return DEFAULT_ACCOUNT;
    const doc = this.account(accountId);
    return doc && { accountId: doc.accountId, name: doc.name };
  }

  user(accountId: string, userName: string): UserDocument | undefined {
    return this.of('user', identityIds.user(accountId, userName));
  }

  userByArn(arn: string): UserDocument | undefined {
    return this.kind('user').find((u) => u.arn === arn);
  }

  users(accountId: string): UserDocument[] {
    return this.kind('user')
      .filter((u) => accountOfDocument(u) === accountId)
      .sort((a, b) => (a.userName < b.userName ? -1 : 1));
  }

  accessKey(accessKeyId: string): AccessKeyDocument | undefined {
    return this.of('accessKey', identityIds.accessKey(accessKeyId));
  }

  accessKeysOf(accountId: string, userName: string): AccessKeyDocument[] {
    return this.kind('accessKey')
      .filter((k) => k.userName === userName && accountOfDocument(k) === accountId)
      .sort((a, b) => (a.accessKeyId < b.accessKeyId ? -1 : 1));
  }

  userPolicy(accountId: string, userName: string, policyName: string): UserPolicyDocument | undefined {
    return this.of('userPolicy', identityIds.userPolicy(accountId, userName, policyName));
  }

  userPoliciesOf(accountId: string, userName: string): UserPolicyDocument[] {
    return this.kind('userPolicy')
      .filter((p) => p.userName === userName && accountOfDocument(p) === accountId)
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
    this.unindex(doc._id);
    this.docs.set(doc._id, doc);
    this.parsed.delete(doc._id);
    if (doc.kind === 'account') {
      this.accountsByRootKey.set(doc.rootAccessKeyId, doc);
      this.accountsByCanonicalId.set(doc.canonicalId, doc);
    }
  }

  private unindex(id: string): void {
    const doc = this.docs.get(id);
    if (doc?.kind !== 'account') return;
    this.accountsByRootKey.delete(doc.rootAccessKeyId);
    this.accountsByCanonicalId.delete(doc.canonicalId);
  }

  private of<K extends IdentityDocument['kind']>(kind: K, id: string): Extract<IdentityDocument, { kind: K }> | undefined {
    const doc = this.docs.get(id);
    return doc?.kind === kind ? (doc as Extract<IdentityDocument, { kind: K }>) : undefined;
  }

  private kind<K extends IdentityDocument['kind']>(kind: K): Array<Extract<IdentityDocument, { kind: K }>> {
    return [...this.docs.values()].filter((d): d is Extract<IdentityDocument, { kind: K }> => d.kind === kind);
  }
}
