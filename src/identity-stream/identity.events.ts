import type { AclGrant, CannedBucketAcl } from './canned-acl.js';
import type { SealedSecret } from './secret-box.js';

/**
 * Facts about identities and access control, on the identity topic. Events about users, their
 * keys and their policies name the user's account (`accountId`): user names are unique per
 * account. Their v1 had no account (there was one): read as the default account's (upcasters). Field names are part of the
 * published event contract (docs/events.md). No event carries a plaintext secret.
 */
export type UserCreated = {
  type: 'UserCreated';
  data: { accountId: string; userName: string; userId: string; arn: string; path: string; createdAt: string };
};

export type UserDeleted = {
  type: 'UserDeleted';
  data: { accountId: string; userName: string; userId: string; deletedAt: string };
};

export type AccessKeyStatus = 'Active' | 'Inactive';

export type AccessKeyCreated = {
  type: 'AccessKeyCreated';
  data: { accountId: string; userName: string; accessKeyId: string; status: AccessKeyStatus; secret: SealedSecret; createdAt: string };
};

export type AccessKeyStatusChanged = {
  type: 'AccessKeyStatusChanged';
  data: { accountId: string; userName: string; accessKeyId: string; status: AccessKeyStatus; changedAt: string };
};

export type AccessKeyDeleted = {
  type: 'AccessKeyDeleted';
  data: { accountId: string; userName: string; accessKeyId: string; deletedAt: string };
};

export type UserPolicyPut = {
  type: 'UserPolicyPut';
  data: { accountId: string; userName: string; policyName: string; policyDocument: string; putAt: string };
};

export type UserPolicyDeleted = {
  type: 'UserPolicyDeleted';
  data: { accountId: string; userName: string; policyName: string; deletedAt: string };
};

/** `bucketId` names the bucket's incarnation: a policy never outlives the bucket it was put on. */
export type BucketPolicyPut = {
  type: 'BucketPolicyPut';
  data: { bucket: string; bucketId: string; policy: string; putAt: string };
};

export type BucketPolicyDeleted = {
  type: 'BucketPolicyDeleted';
  data: { bucket: string; bucketId: string; deletedAt: string };
};

export type BucketAclPut = {
  type: 'BucketAclPut';
  data: { bucket: string; bucketId: string; acl: CannedBucketAcl; putAt: string };
};

/**
 * PutBucketAcl with grants that are no canned ACL's expansion (x-amz-grant-* headers or an
 * AccessControlPolicy body): the bucket's whole grant list from here on, the owner's included as
 * sent. A grant list that is exactly a canned ACL is recorded as BucketAclPut.
 */
export type BucketAclGrantsPut = {
  type: 'BucketAclGrantsPut';
  data: { bucket: string; bucketId: string; grants: AclGrant[]; putAt: string };
};

/**
 * An account (S3's unit of ownership) besides the default one: its root user signs with
 * `rootAccessKeyId` and the sealed secret. `canonicalId` is the SHA-256 of its root ARN.
 */
export type AccountCreated = {
  type: 'AccountCreated';
  data: { accountId: string; name: string; canonicalId: string; rootAccessKeyId: string; rootSecret: SealedSecret; createdAt: string };
};

export type AccountDeleted = {
  type: 'AccountDeleted';
  data: { accountId: string; deletedAt: string };
};

export type IdentityEvent =
  | AccountCreated
  | AccountDeleted
  | UserCreated
  | UserDeleted
  | AccessKeyCreated
  | AccessKeyStatusChanged
  | AccessKeyDeleted
  | UserPolicyPut
  | UserPolicyDeleted
  | BucketPolicyPut
  | BucketPolicyDeleted
  | BucketAclPut
  | BucketAclGrantsPut;

export type IdentityEventType = IdentityEvent['type'];

/** Current schema version of each identity event type; bump it with an upcaster for the old one. */
export const IDENTITY_EVENT_SCHEMA_VERSIONS: Record<IdentityEventType, number> = {
  AccountCreated: 1,
  AccountDeleted: 1,
  UserCreated: 2,
  UserDeleted: 2,
  AccessKeyCreated: 2,
  AccessKeyStatusChanged: 2,
  AccessKeyDeleted: 2,
  UserPolicyPut: 2,
  UserPolicyDeleted: 2,
  BucketPolicyPut: 1,
  BucketPolicyDeleted: 1,
  BucketAclPut: 1,
  BucketAclGrantsPut: 1,
};

export const IDENTITY_EVENT_TYPES = Object.keys(IDENTITY_EVENT_SCHEMA_VERSIONS) as IdentityEventType[];
