import type { BucketAcl } from './canned-acl.js';
import { DEFAULT_ACCOUNT_ID } from './account.js';
import type { SealedSecret } from './secret-box.js';
import type { AccessKeyStatus } from './identity.events.js';

/**
 * The identity read model (`identities` collection): one document per user, access key, user
 * policy, bucket policy and bucket ACL, each stamped with the offset of the last identity event
 * applied to it. The `_id` prefixes keep the kinds apart in one collection.
 */
interface Stamped {
  _id: string;
  offset: number;
}

/** An account other than the default one (which comes from configuration and has no document). */
export interface AccountDocument extends Stamped {
  kind: 'account';
  accountId: string;
  name: string;
  canonicalId: string;
  rootAccessKeyId: string;
  rootSecret: SealedSecret;
  createDate: string;
}

/**
 * Users, keys and user policies of an account other than the default one carry its id; those of
 * the default account do not, so documents written before accounts existed stay as they were.
 */
interface InAccount {
  accountId?: string;
}

export interface UserDocument extends Stamped, InAccount {
  kind: 'user';
  userName: string;
  userId: string;
  arn: string;
  path: string;
  createDate: string;
}

export interface AccessKeyDocument extends Stamped, InAccount {
  kind: 'accessKey';
  accessKeyId: string;
  userName: string;
  status: AccessKeyStatus;
  createDate: string;
  secret: SealedSecret;
}

export interface UserPolicyDocument extends Stamped, InAccount {
  kind: 'userPolicy';
  userName: string;
  policyName: string;
  policyDocument: string;
}

export interface BucketPolicyDocument extends Stamped {
  kind: 'bucketPolicy';
  bucket: string;
  bucketId: string;
  policy: string;
}

export interface BucketAclDocument extends Stamped {
  kind: 'bucketAcl';
  bucket: string;
  bucketId: string;
  /** A canned ACL (BucketAclPut), or the grants of BucketAclGrantsPut. */
  acl: BucketAcl;
}

export type IdentityDocument =
  | AccountDocument
  | UserDocument
  | AccessKeyDocument
  | UserPolicyDocument
  | BucketPolicyDocument
  | BucketAclDocument;

export const IDENTITY_COLLECTION = 'identities';

const inAccount = (accountId: string) => (accountId === DEFAULT_ACCOUNT_ID ? '' : `${accountId}/`);

/** The `accountId` field of a document in that account: none for the default account's. */
export const accountField = (accountId: string): InAccount => (accountId === DEFAULT_ACCOUNT_ID ? {} : { accountId });

/** The account a user, key or user policy document belongs to. */
export const accountOfDocument = (doc: InAccount): string => doc.accountId ?? DEFAULT_ACCOUNT_ID;

export const identityIds = {
  account: (accountId: string) => `account:${accountId}`,
  // Account ids, user and policy names cannot hold '/', so the segments are unambiguous; the
  // default account's documents keep the ids they had before accounts.
  user: (accountId: string, userName: string) => `user:${inAccount(accountId)}${userName}`,
  accessKey: (accessKeyId: string) => `accessKey:${accessKeyId}`,
  userPolicy: (accountId: string, userName: string, policyName: string) => `userPolicy:${inAccount(accountId)}${userName}/${policyName}`,
  bucketPolicy: (bucket: string) => `bucketPolicy:${bucket}`,
  bucketAcl: (bucket: string) => `bucketAcl:${bucket}`,
};

export type IdentityMutation =
  | { op: 'put'; doc: IdentityDocument }
  | { op: 'delete'; id: string; offset: number };
