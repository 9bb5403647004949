import type { CannedBucketAcl } from './canned-acl.js';
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

export interface UserDocument extends Stamped {
  kind: 'user';
  userName: string;
  userId: string;
  arn: string;
  path: string;
  createDate: string;
}

export interface AccessKeyDocument extends Stamped {
  kind: 'accessKey';
  accessKeyId: string;
  userName: string;
  status: AccessKeyStatus;
  createDate: string;
  secret: SealedSecret;
}

export interface UserPolicyDocument extends Stamped {
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
  acl: CannedBucketAcl;
}

export type IdentityDocument =
  | AccountDocument
  | UserDocument
  | AccessKeyDocument
  | UserPolicyDocument
  | BucketPolicyDocument
  | BucketAclDocument;

export const IDENTITY_COLLECTION = 'identities';

export const identityIds = {
  account: (accountId: string) => `account:${accountId}`,
  user: (userName: string) => `user:${userName}`,
  accessKey: (accessKeyId: string) => `accessKey:${accessKeyId}`,
  // User and policy names cannot hold '/', so the pair is unambiguous.
  userPolicy: (userName: string, policyName: string) => `userPolicy:${userName}/${policyName}`,
  bucketPolicy: (bucket: string) => `bucketPolicy:${bucket}`,
  bucketAcl: (bucket: string) => `bucketAcl:${bucket}`,
};

export type IdentityMutation =
  | { op: 'put'; doc: IdentityDocument }
  | { op: 'delete'; id: string; offset: number };
